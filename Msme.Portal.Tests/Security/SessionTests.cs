using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Msme.Portal.Data;
using Msme.Portal.Hosting;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Security;

/// <summary>The sign-in cookie: 30 minutes idle, 12 hours at most however active, on the app's clock.</summary>
public sealed class SessionTests(ClockedPortalFactory factory) : IClassFixture<ClockedPortalFactory>
{
    [Fact]
    public async Task A_sign_in_ends_after_30_minutes_idle()
    {
        using var client = await factory.SignedInClientAsync("agent1@msme.local");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/customers")).StatusCode);

        factory.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/customers")).StatusCode);

        factory.Clock.Advance(TimeSpan.FromMinutes(31));
        var expired = await client.GetAsync("/customers");
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        Assert.Contains("/Account/Login", expired.Headers.Location!.ToString());
    }

    [Fact]
    public async Task An_active_sign_in_ends_12_hours_after_it_began()
    {
        using var client = await factory.SignedInClientAsync("risk@msme.local");

        // A request every 20 minutes keeps the sliding window open...
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(11.5); elapsed += TimeSpan.FromMinutes(20))
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(20));
            var response = await client.GetAsync("/customers");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"after {elapsed + TimeSpan.FromMinutes(20)}: {(int)response.StatusCode}");
        }

        // ...but not past 12 hours from the sign-in.
        factory.Clock.Advance(TimeSpan.FromMinutes(40));
        var ended = await client.GetAsync("/customers");
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Contains("/Account/Login", ended.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_restart_keeps_everyone_signed_in_because_the_key_ring_is_kept_encrypted_in_the_data_folder()
    {
        var cookies = new CookieContainer();
        using (var client = factory.CreateDefaultClient(new CookieContainerHandler(cookies)))
        {
            Assert.Equal(HttpStatusCode.Redirect, (await PortalFactory.SignInAsync(client, "agent2@msme.local", PortalFactory.Password)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/customers")).StatusCode);
        }

        // A second host on the same data folder (a restart) accepts the cookie the first one issued.
        await using var restarted = new SameFolderFactory(factory.DataDirectory, factory.Clock);
        using (var client = restarted.CreateDefaultClient(new CookieContainerHandler(cookies)))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/customers")).StatusCode);
        }

        var keys = Directory.GetFiles(Path.Combine(factory.DataDirectory, "keys"), "key-*.xml");
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            var xml = await File.ReadAllTextAsync(key);
            Assert.Contains("http://www.w3.org/2001/04/xmlenc#", xml); // the key's secret is an EncryptedData element
            Assert.DoesNotContain("<value>", xml); // what an unencrypted key ring holds in the clear
        }
        var certificate = Path.Combine(factory.DataDirectory, "secrets", "dataprotection.pfx");
        Assert.True(File.Exists(certificate));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(certificate));
        }
    }

    [Theory]
    [InlineData("Short!Pass1", "at least 12")]
    [InlineData("Password2026!", "common or breached")]
    [InlineData("Qwertyuiop1!", "common or breached")]
    [InlineData("Iloveyou!!2025", "common or breached")]
    public async Task A_password_under_12_characters_or_on_the_common_list_is_refused(string password, string reason)
    {
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var email = $"pw-{Guid.NewGuid():N}@msme.local";

        var result = await users.CreateAsync(new ApplicationUser { UserName = email, Email = email }, password);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Description.Contains(reason, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("Msme!Demo2026")]
    [InlineData(PortalFactory.Password)]
    [InlineData("Gulmohar-Ledger-42")]
    public void The_demo_and_test_passwords_and_a_passphrase_are_not_on_the_common_list(string password)
    {
        Assert.False(CommonPasswordValidator.IsCommon(password));
        Assert.True(CommonPasswordValidator.IsCommon("sunshine"));
        Assert.True(CommonPasswordValidator.IsCommon("Dragon#2024"));
    }

    /// <summary>Another host over the same data folder, as after a restart (it must not delete the folder when it goes).</summary>
    private sealed class SameFolderFactory(string dataDirectory, FakeTimeProvider clock) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("Msme:DataDirectory", dataDirectory);
            builder.UseSetting("Msme:DemoPassword", PortalFactory.Password);
            builder.UseSetting("Msme:DemoCustomers", "0");
            builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock));
        }
    }
}
