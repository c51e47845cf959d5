using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Msme.Proxy;

/// <summary>
/// The reverse proxy in front of several portal instances: one route for everything, one cluster of the configured
/// instances, round robin for a client's first request and then a sticky cookie (session affinity) so that every
/// request and the WebSocket of a Blazor Server circuit reach the instance that holds the circuit. WebSockets are
/// passed through (YARP upgrades them as they come); the browser's Host header is kept; <c>X-Forwarded-For</c>, <c>-Proto</c>, <c>-Host</c> and
/// <c>-Prefix</c> are set (YARP's defaults), so the portal, which trusts them from <c>Msme:KnownProxies</c> and
/// loopback, sees the browser's address and scheme.
/// </summary>
public static class ProxyHost
{
    public const string ClusterId = "portal";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.UseKestrelHttpsConfiguration();
        var options = builder.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        if (options.Destinations.Length == 0)
        {
            throw new InvalidOperationException($"no portal instance configured: set {ProxyOptions.Section}:Destinations (e.g. Msme__Proxy__Destinations__0=http://10.0.1.11:8080)");
        }
        builder.Services.AddReverseProxy().LoadFromMemory([Route()], [Cluster(options)]);
        var app = builder.Build();
        app.MapGet("/proxy/health", () => Results.Text("ok"));
        app.MapReverseProxy();
        return app;
    }

    public static RouteConfig Route() => new()
    {
        RouteId = "portal",
        ClusterId = ClusterId,
        Match = new RouteMatch { Path = "{**catch-all}" },
        // The browser's Host reaches the portal (YARP would send the instance's): the portal builds absolute URLs (the
        // Blazor base URI, form actions that the CSP's form-action 'self' checks, redirects) from it.
        Transforms = [new Dictionary<string, string> { ["RequestHeaderOriginalHost"] = "true" }],
    };

    public static ClusterConfig Cluster(ProxyOptions options) => new()
    {
        ClusterId = ClusterId,
        LoadBalancingPolicy = "RoundRobin",
        SessionAffinity = new SessionAffinityConfig
        {
            Enabled = true,
            Policy = "Cookie",
            // An instance that went away: send the browser to another one (its circuit is lost, the sign-in is not:
            // the key ring is in the database).
            FailurePolicy = "Redistribute",
            AffinityKeyName = options.AffinityCookie,
            Cookie = new SessionAffinityCookieConfig
            {
                HttpOnly = true,
                IsEssential = true,
                SameSite = SameSiteMode.Lax,
                SecurePolicy = CookieSecurePolicy.SameAsRequest,
                Path = "/",
            },
        },
        HealthCheck = options.ActiveHealthChecks
            ? new HealthCheckConfig
            {
                Active = new ActiveHealthCheckConfig
                {
                    Enabled = true,
                    Interval = options.HealthCheckInterval,
                    Timeout = TimeSpan.FromSeconds(5),
                    Policy = "ConsecutiveFailures",
                    Path = "/health/ready",
                },
            }
            : null,
        HttpRequest = new ForwarderRequestConfig { ActivityTimeout = options.ActivityTimeout },
        Destinations = options.Destinations.Select((address, i) => (address, i))
            .ToDictionary(d => $"instance-{d.i + 1}", d => new DestinationConfig { Address = d.address }),
    };
}

/// <summary>The proxy's entry point: <c>dotnet run --project Msme.Proxy -- --urls http://0.0.0.0:8080 --Msme:Proxy:Destinations:0=http://…</c>.</summary>
public static class ProxyProgram
{
    public static Task Main(string[] args) => ProxyHost.Build(args).RunAsync();
}
