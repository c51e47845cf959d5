using System.Net;
using Microsoft.EntityFrameworkCore;
using Msme.Portal.Hosting;
using Msme.Portal.Tests.Api;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Security;

/// <summary>The rate limits as shipped (the other test hosts raise them): sign-in per name and per address, the API per client.</summary>
public sealed class RateLimitTests(RateLimitTests.ShippedLimitsFactory factory) : IClassFixture<RateLimitTests.ShippedLimitsFactory>
{
    public sealed class ShippedLimitsFactory : PortalFactory
    {
        protected override bool RealRateLimits => true;

        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            // Only the API limit is lowered, so that proving it does not take 600 calls; sign-in keeps the shipped defaults.
            builder.UseSetting("Msme:RateLimits:ApiPerClientPerMinute", "3");
        }
    }

    [Fact]
    public async Task Sign_in_is_limited_per_attempted_name_and_then_per_address_with_429_retry_after_and_an_audit_entry()
    {
        var defaults = new RateLimitSettings();
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        var statuses = new List<HttpStatusCode>();

        // One name, one more time than its limit (an unknown name, so that Identity's lockout does not answer first).
        for (var i = 0; i <= defaults.SignInPerNamePerMinute; i++)
        {
            statuses.Add((await PortalFactory.SignInAsync(client, "nobody@msme.local", "guess-" + i)).StatusCode);
        }
        var byName = await PortalFactory.SignInAsync(client, "NOBODY@msme.local ", "guess");
        // Then other names from the same address until the address's limit is reached too.
        var others = new List<HttpResponseMessage>();
        for (var i = statuses.Count + 2; i <= defaults.SignInPerIpPerMinute; i++)
        {
            others.Add(await PortalFactory.SignInAsync(client, $"someone{i}@msme.local", "guess"));
        }
        var byAddress = await PortalFactory.SignInAsync(client, "someone-else@msme.local", "guess");

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, defaults.SignInPerNamePerMinute), statuses.Take(defaults.SignInPerNamePerMinute));
        Assert.Equal((HttpStatusCode)429, statuses[^1]);
        Assert.Equal((HttpStatusCode)429, byName.StatusCode);
        Assert.Contains("Too many sign-in attempts for this name", await byName.Content.ReadAsStringAsync());
        Assert.All(others, o => Assert.Equal(HttpStatusCode.OK, o.StatusCode));
        Assert.Equal((HttpStatusCode)429, byAddress.StatusCode);
        Assert.InRange(int.Parse(byAddress.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.InRange(int.Parse(byName.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        // Still the page for a GET: a visitor can read why.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Account/Login")).StatusCode);
        await using var db = await factory.DbAsync();
        var limited = await db.AuditEntries.Where(e => e.Action == "rate-limited" && e.Target == "POST /Account/Login").OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(3, limited.Count);
        Assert.Equal(["nobody@msme.local", "NOBODY@msme.local ", "anonymous"], limited.Select(e => e.UserName));
        Assert.All(limited, e => Assert.Equal("POST /Account/Login", e.Target));
        Assert.StartsWith("limit per attempted user name reached", limited[0].Details);
        Assert.StartsWith("limit per client IP address reached", limited[2].Details);
    }

    [Fact]
    public async Task The_api_is_limited_per_client_and_another_client_is_not_held_back()
    {
        using var busy = await factory.ApiClientAsync(Msme.Domain.Roles.Admin);
        using var other = await factory.ApiClientAsync(Msme.Domain.Roles.Admin);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await busy.GetAsync("/api/v1/customers")).StatusCode);
        }
        var refused = await busy.GetAsync("/api/v1/customers");
        var otherClient = await other.GetAsync("/api/v1/customers");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, (HttpStatusCode)429], statuses);
        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.True(refused.Headers.Contains("Retry-After"));
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, otherClient.StatusCode);
        await using var db = await factory.DbAsync();
        var limited = await db.AuditEntries.Where(e => e.Action == "rate-limited" && e.Target == "GET /api/v1/customers").ToListAsync();
        Assert.Equal(2, limited.Count);
        Assert.All(limited, e => Assert.StartsWith("api:admin-", e.UserName));
        Assert.All(limited, e => Assert.StartsWith("limit per API client reached", e.Details));
    }
}
