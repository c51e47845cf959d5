using System.Net;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Scale;

/// <summary>
/// Issue 16 §2: two instances on one PostgreSQL database behind the shipped proxy (Msme.Proxy, YARP). A browser's
/// requests, the sign-in and the Blazor hub's included, stay on the instance its first request landed on (the affinity
/// cookie); another browser's first request is sent to the other instance; the portal gets the forwarded headers.
/// </summary>
public sealed class ProxyAffinityTests(ProxiedPortals portals) : IClassFixture<ProxiedPortals>
{
    [SkippableFact]
    public async Task A_sign_in_through_the_proxy_stays_on_one_instance_and_another_client_lands_on_the_other()
    {
        Skip.If(portals.SkipReason is not null, portals.SkipReason);
        using var first = portals.NewClient();
        using var second = portals.NewClient();

        var login = await first.GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".Msme.Affinity=", StringComparison.Ordinal));
        var home = ProxiedPortals.InstanceOf(login);

        var signIn = await PortalFactory.SignInAsync(first, "risk@msme.local", PortalFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(home, ProxiedPortals.InstanceOf(signIn));
        // The signed-in pages and the Blazor hub's negotiation (the circuit's first request) go to the same instance.
        for (var i = 0; i < 6; i++)
        {
            var page = await first.GetAsync($"/customers/{portals.CustomerId}/accounts");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal(home, ProxiedPortals.InstanceOf(page));
        }
        var negotiate = await first.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);
        Assert.Equal(home, ProxiedPortals.InstanceOf(negotiate));

        // Another browser, no affinity cookie yet: round robin gives it the other instance, and it stays there.
        var other = ProxiedPortals.InstanceOf(await second.GetAsync("/Account/Login"));
        Assert.NotEqual(home, other);
        Assert.Equal(HttpStatusCode.Redirect, (await PortalFactory.SignInAsync(second, "agent1@msme.local", PortalFactory.Password)).StatusCode);
        Assert.Equal(other, ProxiedPortals.InstanceOf(await second.GetAsync("/collections")));

        // Each instance saw only its own client, every request with the browser's Host and the proxy's forwarded headers.
        foreach (var instance in portals.Instances)
        {
            Assert.NotEmpty(instance.Requests);
            Assert.All(instance.Requests, r =>
            {
                Assert.Equal(new Uri(portals.ProxyUrl).Authority, r.Host);
                Assert.Equal("127.0.0.1", r.ForwardedFor);
                Assert.Equal("http", r.ForwardedProto);
            });
        }
        Assert.Contains(portals.Instances.Single(i => i.Name == home).Requests, r => r.Path.StartsWith("/_blazor", StringComparison.Ordinal));
        Assert.DoesNotContain(portals.Instances.Single(i => i.Name == other).Requests, r => r.Path.StartsWith("/_blazor", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Without_the_affinity_cookie_the_proxy_spreads_a_clients_requests_over_both_instances()
    {
        // The control: the same client dropping the cookie is sent round robin, which is what would break a circuit.
        Skip.If(portals.SkipReason is not null, portals.SkipReason);
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = new Uri(portals.ProxyUrl) };
        var seen = new HashSet<string>();
        for (var i = 0; i < 4; i++)
        {
            seen.Add(ProxiedPortals.InstanceOf(await client.GetAsync("/Account/Login")));
        }
        Assert.Equal(["A", "B"], seen.Order());
    }
}
