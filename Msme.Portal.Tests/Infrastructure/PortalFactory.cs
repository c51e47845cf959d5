using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace Msme.Portal.Tests.Infrastructure;

/// <summary>The real app over a temp SQLite store, with demo users and (by default) no demo AA data.</summary>
public class PortalFactory : WebApplicationFactory<Program>
{
    public const string Password = "Test!Pass2026";

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "msme-tests", Guid.NewGuid().ToString("N"));

    protected virtual int DemoCustomers => 0;

    /// <summary>
    /// The suite signs in hundreds of times from one address, so test hosts raise the rate limits unless a test asks
    /// for the real defaults (<c>RateLimitTests</c> does, to prove the limiter works as shipped).
    /// </summary>
    protected virtual bool RealRateLimits => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Msme:DataDirectory", DataDirectory);
        builder.UseSetting("Msme:DemoPassword", Password);
        builder.UseSetting("Msme:DemoCustomers", DemoCustomers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!RealRateLimits)
        {
            builder.UseSetting("Msme:RateLimits:SignInPerIpPerMinute", "1000000");
            builder.UseSetting("Msme:RateLimits:SignInPerNamePerMinute", "1000000");
            builder.UseSetting("Msme:RateLimits:ApiPerClientPerMinute", "1000000");
        }
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

    public static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string email, string password)
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
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
