using System.Net;
using System.Security.Cryptography;
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
            var enabled = await PostFormAsync(client, "/Account/Manage/EnableAuthenticator", page, "send-code", new() { ["Input.Code"] = Totp(key) });
            // The page confirms and shows the recovery codes in place.
            Assert.Equal(HttpStatusCode.OK, enabled.StatusCode);
            Assert.Contains("Your authenticator app has been verified.", await enabled.Content.ReadAsStringAsync());
            _sharedKey = key;
        }

        using var fresh = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var signIn = await PortalFactory.SignInAsync(fresh, Email, PortalFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Contains("/Account/LoginWith2fa", signIn.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, (await fresh.GetAsync("/customers")).StatusCode);

        var form = await fresh.GetStringAsync(signIn.Headers.Location!.ToString());
        var wrong = await PostFormAsync(fresh, signIn.Headers.Location!.ToString(), form, "login-with-2fa", new() { ["Input.TwoFactorCode"] = "000000" });
        Assert.NotEqual(HttpStatusCode.Redirect, wrong.StatusCode);
        Assert.Contains("Invalid authenticator code", await wrong.Content.ReadAsStringAsync());

        form = await fresh.GetStringAsync(signIn.Headers.Location!.ToString());
        var right = await PostFormAsync(fresh, signIn.Headers.Location!.ToString(), form, "login-with-2fa", new() { ["Input.TwoFactorCode"] = Totp(_sharedKey!) });
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

    /// <summary>RFC 6238 with Identity's parameters: HMAC-SHA1 over the 30-second step, 6 digits, base32 key.</summary>
    private static string Totp(string formattedKey)
    {
        var key = Base32(formattedKey.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant());
        var step = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
        var counter = BitConverter.GetBytes(step);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(counter);
        }
        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0f;
        var code = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (code % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('='))
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return [.. bytes];
    }
}
