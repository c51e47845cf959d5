using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Msme.Portal.Hosting;

namespace Msme.Portal.Tests.Infrastructure;

/// <summary>
/// The real app over a temp SQLite store (or, for <see cref="TestProvider.PostgreSql"/>, a throwaway database on the
/// server of <see cref="TestPostgres"/>), with demo users and (by default) no demo AA data.
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>
{
    public const string Password = "Test!Pass2026";

    /// <summary>The store the host runs on.</summary>
    protected virtual TestProvider Provider => TestProvider.Sqlite;

    /// <summary>The PostgreSQL database this host's store is in (created with the host), or null on SQLite.</summary>
    public string? PostgresConnectionString { get; private set; }

    /// <summary>The data folder (payload files, audit key and checkpoints); a second instance of one store shares the first's.</summary>
    public string DataDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "msme-tests", Guid.NewGuid().ToString("N"));

    /// <summary>A PostgreSQL database another host already runs on (several instances, one store); this host does not drop it.</summary>
    public string? SharedPostgresConnectionString { get; init; }

    protected virtual int DemoCustomers => 0;

    /// <summary>
    /// The suite signs in hundreds of times from one address, so test hosts raise the rate limits unless a test asks
    /// for the real defaults (<c>RateLimitTests</c> does, to prove the limiter works as shipped).
    /// </summary>
    protected virtual bool RealRateLimits => false;

    /// <summary>The host's clock: pinned, so no test depends on the day it runs (see <see cref="PinnedClock"/>).</summary>
    public PinnedClock Clock { get; } = PinnedClock.FromEnvironment();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Msme:DataDirectory", DataDirectory);
        if (Provider == TestProvider.PostgreSql || SharedPostgresConnectionString is not null)
        {
            PostgresConnectionString ??= SharedPostgresConnectionString ?? TestPostgres.CreateDatabaseAsync().GetAwaiter().GetResult();
            builder.UseSetting("Msme:Database:Provider", "PostgreSQL");
            builder.UseSetting("ConnectionStrings:Msme", PostgresConnectionString);
        }
        builder.UseSetting("Msme:DemoPassword", Password);
        builder.UseSetting("Msme:DemoCustomers", DemoCustomers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!RealRateLimits)
        {
            builder.UseSetting("Msme:RateLimits:SignInPerIpPerMinute", "1000000");
            builder.UseSetting("Msme:RateLimits:SignInPerNamePerMinute", "1000000");
            builder.UseSetting("Msme:RateLimits:ApiPerClientPerMinute", "1000000");
        }
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    /// <summary>A client that keeps cookies and does not follow redirects, signed in as the user.</summary>
    public async Task<HttpClient> SignedInClientAsync(string email, string password = Password)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var response = await SignInAsync(client, email, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"sign-in as {email} failed: {(int)response.StatusCode}");
        }
        return client;
    }

    /// <summary>
    /// Signs in as a person would: the password form, then, when Identity asks for the second factor, the code an
    /// authenticator app shows for the key (default: the demo key every seeded admin and compliance user has).
    /// Answers the last response: a redirect on success, otherwise the form that refused.
    /// </summary>
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password, string authenticatorKey = DemoUsers.AuthenticatorKey)
    {
        var response = await PasswordStepAsync(client, email, password);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.ToString().Contains("/Account/LoginWith2fa", StringComparison.OrdinalIgnoreCase) != true)
        {
            return response;
        }
        return await SecondFactorStepAsync(client, response.Headers.Location!.ToString(), Totp.Code(authenticatorKey));
    }

    /// <summary>The two-factor form (LoginWith2fa) posted with the code.</summary>
    public static async Task<HttpResponseMessage> SecondFactorStepAsync(HttpClient client, string url, string code)
    {
        var page = await client.GetStringAsync(url);
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login-with-2fa",
            ["__RequestVerificationToken"] = token,
            ["Input.TwoFactorCode"] = code,
        });
        return await client.PostAsync(url, form);
    }

    /// <summary>
    /// Enrols an authenticator app for the signed-in user through the account page, as a person would (read the shared
    /// key, type the code it gives); answers the key. Admin and compliance users are sent there until they do.
    /// </summary>
    public static async Task<string> EnrolAuthenticatorAsync(HttpClient client)
    {
        var page = await client.GetStringAsync("/Account/Manage/EnableAuthenticator");
        var key = Regex.Match(page, "<kbd>([^<]+)</kbd>").Groups[1].Value;
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var response = await client.PostAsync("/Account/Manage/EnableAuthenticator", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "send-code",
            ["__RequestVerificationToken"] = token,
            ["Input.Code"] = Totp.Code(key),
        }));
        if (!(await response.Content.ReadAsStringAsync()).Contains("Your authenticator app has been verified.", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("enrolling the authenticator failed");
        }
        return key;
    }

    /// <summary>The password form alone: a redirect to LoginWith2fa for a user with two-factor on.</summary>
    public static async Task<HttpResponseMessage> PasswordStepAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetStringAsync("/Account/Login");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        return await client.PostAsync("/Account/Login", form);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        if (PostgresConnectionString is { } postgres && SharedPostgresConnectionString is null)
        {
            TestPostgres.DropDatabaseAsync(postgres).GetAwaiter().GetResult();
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
