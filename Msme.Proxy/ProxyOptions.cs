namespace Msme.Proxy;

/// <summary>The proxy's settings (section "Msme:Proxy"; environment <c>Msme__Proxy__Destinations__0=http://10.0.1.11:8080</c>).</summary>
public sealed class ProxyOptions
{
    public const string Section = "Msme:Proxy";

    /// <summary>The portal instances' base URLs (plain HTTP inside the network). At least one.</summary>
    public string[] Destinations { get; set; } = [];

    /// <summary>The sticky cookie's name: its value names (encrypted) the instance that holds the browser's circuit.</summary>
    public string AffinityCookie { get; set; } = ".Msme.Affinity";

    /// <summary>Probe every instance's <c>/health/ready</c> and send no new client to one that answers 503.</summary>
    public bool ActiveHealthChecks { get; set; } = true;

    /// <summary>How often each instance is probed.</summary>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a proxied request or WebSocket may stay silent before the proxy closes it. Blazor pings every 15 s, so
    /// this only has to outlast a slow page; 10 minutes suits long exports and imports too.
    /// </summary>
    public TimeSpan ActivityTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
