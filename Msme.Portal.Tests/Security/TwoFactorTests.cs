using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain;
using Msme.Portal.Data;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Security;

/// <summary>Optional two-factor sign-in: a user turns on an authenticator app, and from then on a password alone does not sign in.</summary>
public sealed class TwoFactorTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private const string Email = "twofactor@msme.local";

    [Fact]
    public async Task After_enabling_an_authenticator_a_password_alone_is_not_enough()
    {
        using (var scope = factory.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = new ApplicationUser { UserName = Email, Email = Email, EmailConfirmed = true };
            Assert.True((await users.CreateAsync(user, PortalFactory.Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(user, Roles.Agent)).Succeeded);
        }

        // Turn on the authenticator from the account pages, as a user would.
        using (var client = await factory.SignedInClientAsync(Email))
        {
            var page = await client.GetStringAsync("/Account/Manage/EnableAuthenticator");
            var key = Regex.Match(page, "<kbd>([^<]+)</kbd>").Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(key), "the page shows the shared key");
            var enabled = await PostFormAsync(client, "/Account/Manage/EnableAuthenticator", page, "send-code", new() { ["Input.Code"] = Totp.Code(key) });
            // The page confirms and shows the recovery codes in place.
            Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
            Assert.Contains("Your authenticator app has been verified.", await enabled.Content.ReadAsStringAsync());
            _sharedKey = key;
        }

        using var fresh = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var signIn = await PortalFactory.PasswordStepAsync(fresh, Email, PortalFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains("/Account/LoginWith2fa", signIn.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await fresh.GetAsync("/customers")).StatusCode);

        var form = await fresh.GetStringAsync(signIn.Headers.Location!.ToString());
        var wrong = await PostFormAsync(fresh, signIn.Headers.Location!.ToString(), form, "login-with-2fa", new() { ["Input.TwoFactorCode"] = "000000" });
        Assert.NotEqual(HttpStatusCode.Redirect, wrong.StatusCode);
        Assert.Contains("Invalid authenticator code", await wrong.Content.ReadAsStringAsync());

        form = await fresh.GetStringAsync(signIn.Headers.Location!.ToString());
        var right = await PostFormAsync(fresh, signIn.Headers.Location!.ToString(), form, "login-with-2fa", new() { ["Input.TwoFactorCode"] = Totp.Code(_sharedKey!) });
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/customers")).StatusCode);

        await using var db = await factory.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync();
        var trail = db.AuditEntries.Where(e => e.UserName == Email).OrderBy(e => e.Id).Select(e => e.Action + " " + e.Target).ToList();
        Assert.Contains("two-factor-enabled /Account/Manage/EnableAuthenticator", trail);
        Assert.Contains("sign-in-2fa-required /Account/Login", trail);
        Assert.Contains("sign-in-failed /Account/LoginWith2fa", trail);
        Assert.Equal("sign-in /Account/LoginWith2fa", trail[^1]);
    }

    private string? _sharedKey;

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, string page, string handler, Dictionary<string, string> fields)
    {
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        fields["_handler"] = handler;
        fields["__RequestVerificationToken"] = token;
        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }
}
