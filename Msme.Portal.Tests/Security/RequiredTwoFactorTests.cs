using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain;
using Msme.Portal.Data;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Security;

/// <summary>Two-factor sign-in is required for Admin and Compliance (enrolment forced at first sign-in) and optional for the others.</summary>
public sealed class RequiredTwoFactorTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData(Roles.Admin, "/admin")]
    [InlineData(Roles.Compliance, "/compliance")]
    public async Task A_user_whose_role_requires_two_factor_and_has_no_authenticator_is_forced_to_enrol(string role, string home)
    {
        var email = $"new-{role.ToLowerInvariant()}@msme.local";
        await CreateUserAsync(email, role);
        using var client = NewClient();

        // The password alone signs in (there is no second factor to ask for yet)...
        var signIn = await PortalFactory.PasswordStepAsync(client, email, PortalFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        // ...but every page, export and the circuit send the user to enrol first.
        foreach (var path in new[] { "/", home, "/customers", "/overview", "/compliance/audit.csv", "/Account/Manage", "/Account/Manage/Disable2fa" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{path}: {(int)response.StatusCode}");
            Assert.Equal("/Account/Manage/EnableAuthenticator", response.Headers.Location!.ToString());
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null)).StatusCode);

        var page = await client.GetStringAsync("/Account/Manage/EnableAuthenticator");
        Assert.Contains("data-testid=\"two-factor-enrolment-required\"", page);
        var key = Regex.Match(page, "<kbd>([^<]+)</kbd>").Groups[1].Value;
        var enrolled = await PostFormAsync(client, "/Account/Manage/EnableAuthenticator", page, "send-code", new() { ["Input.Code"] = Totp.Code(key) });
        Assert.Contains("Your authenticator app has been verified.", await enrolled.Content.ReadAsStringAsync());

        // Enrolled: the same cookie (refreshed) opens the role's home, and two-factor cannot be turned off.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(home)).StatusCode);
        var disable = await client.GetStringAsync("/Account/Manage/Disable2fa");
        Assert.Contains("data-testid=\"two-factor-required\"", disable);
        await PostFormAsync(client, "/Account/Manage/Disable2fa", disable, "disable-2fa", []);
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.True(await users.GetTwoFactorEnabledAsync((await users.FindByEmailAsync(email))!));
        }

        // From now on a password alone does not sign in.
        using var fresh = NewClient();
        var again = await PortalFactory.PasswordStepAsync(fresh, email, PortalFactory.Password);
        Assert.Contains("/Account/LoginWith2fa", again.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await PortalFactory.SecondFactorStepAsync(fresh, again.Headers.Location!.ToString(), Totp.Code(key))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync(home)).StatusCode);
    }

    [Theory]
    [InlineData("admin@msme.local", "/admin")]
    [InlineData("compliance@msme.local", "/compliance")]
    public async Task With_an_authenticator_a_password_alone_does_not_sign_in(string email, string home)
    {
        using var client = NewClient();

        var signIn = await PortalFactory.PasswordStepAsync(client, email, PortalFactory.Password);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains("/Account/LoginWith2fa", signIn.Headers.Location!.ToString());
        var refused = await client.GetAsync(home);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/Account/Login", refused.Headers.Location!.ToString());
        var wrong = await PortalFactory.SecondFactorStepAsync(client, signIn.Headers.Location!.ToString(), "000000");
        Assert.NotEqual(HttpStatusCode.Redirect, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(home)).StatusCode);
    }

    [Fact]
    public async Task The_demo_admin_signs_in_with_the_documented_authenticator_key()
    {
        using var client = NewClient();

        var signIn = await PortalFactory.SignInAsync(client, "admin@msme.local", PortalFactory.Password, "msme demo admi ntot pkey 2345 67ab cdef");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.DoesNotContain("/Account", signIn.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin")).StatusCode);
    }

    [Theory]
    [InlineData(Roles.Agent, "/collections")]
    [InlineData(Roles.RiskManager, "/risk")]
    public async Task A_user_whose_role_does_not_require_two_factor_is_not_forced_to_enrol(string role, string home)
    {
        var email = $"optional-{role.ToLowerInvariant()}@msme.local";
        await CreateUserAsync(email, role);
        using var client = NewClient();

        var signIn = await PortalFactory.PasswordStepAsync(client, email, PortalFactory.Password);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.DoesNotContain("LoginWith2fa", signIn.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(home)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/customers")).StatusCode);
        Assert.DoesNotContain("two-factor-enrolment-required", await client.GetStringAsync("/Account/Manage/EnableAuthenticator"));
    }

    [Theory]
    [InlineData("GET", "/Account/Manage/PersonalData")]
    [InlineData("GET", "/Account/Manage/DeletePersonalData")]
    [InlineData("POST", "/Account/Manage/DownloadPersonalData")]
    [InlineData("POST", "/Account/Manage/DeletePersonalData")]
    public async Task Staff_cannot_download_their_authenticator_secret_or_delete_their_own_account(string method, string path)
    {
        using var client = await factory.SignedInClientAsync("agent1@msme.local");
        var page = await client.GetStringAsync("/Account/Manage");
        Assert.DoesNotContain("PersonalData", page);

        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? new FormUrlEncodedContent([]) : null });

        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.BadRequest, $"{method} {path}: {(int)response.StatusCode}");
        Assert.DoesNotContain("Authenticator Key", await response.Content.ReadAsStringAsync());
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync();
        Assert.True(await db.Users.AnyAsync(u => u.Email == "agent1@msme.local"));
    }

    private HttpClient NewClient() => factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private async Task CreateUserAsync(string email, string role)
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await users.CreateAsync(user, PortalFactory.Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, string page, string handler, Dictionary<string, string> fields)
    {
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        fields["_handler"] = handler;
        fields["__RequestVerificationToken"] = token;
        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }
}
