using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Portal.Data;
using Msme.Domain.Ingestion;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Tests.Browser;
using Msme.Portal.Tests.Infrastructure;
using Msme.Proxy;

namespace Msme.Portal.Tests.Scale;

/// <summary>
/// Two portal instances on one PostgreSQL database and one data folder (as <see cref="TwoInstancesTests"/> runs them),
/// each on a real Kestrel port, behind the shipped reverse proxy (<see cref="ProxyHost"/>, YARP with cookie affinity).
/// Each instance tags its answers with <see cref="InstanceHeader"/> and counts the requests and circuits it served, so a
/// test can tell where the proxy sent what. One customer (a public AA sample, purpose 104) is imported on instance A.
/// </summary>
public sealed class ProxiedPortals : IAsyncLifetime
{
    public const string InstanceHeader = "X-Test-Instance";

    private TaggedPortal? _a;
    private TaggedPortal? _b;
    private WebApplication? _proxy;

    public string? SkipReason { get; private set; }
    public TaggedPortal A => _a!;
    public TaggedPortal B => _b!;
    public IReadOnlyList<TaggedPortal> Instances => [A, B];

    /// <summary>The proxy's base URL (http://localhost:port: the template's passkey script refuses an IP as its domain).</summary>
    public string ProxyUrl { get; private set; } = "";

    public int CustomerId { get; private set; }

    public async Task InitializeAsync()
    {
        if (TestPostgres.SkipReason is { } reason)
        {
            SkipReason = reason;
            return;
        }
        _a = new TaggedPortal("A", TestProvider.PostgreSql);
        var a = BrowserFixture.Start(_a); // started (and migrated) first: B finds the schema and the demo users in place
        _b = new TaggedPortal("B", TestProvider.PostgreSql) { SharedPostgresConnectionString = _a.PostgresConnectionString, DataDirectory = _a.DataDirectory };
        var b = BrowserFixture.Start(_b);

        _proxy = ProxyHost.Build(["--urls", "http://127.0.0.1:0", $"--Msme:Proxy:Destinations:0={a}", $"--Msme:Proxy:Destinations:1={b}"]);
        await _proxy.StartAsync();
        var address = _proxy.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        ProxyUrl = address.Replace("127.0.0.1", "localhost").TrimEnd('/');

        var outcome = await A.Services.GetRequiredService<BundleImporter>().ImportAsync(
            TestConsents.Sample("setu_sandbox_deposit_3accounts_scrubbed.json"), TestConsents.Write(A.DataDirectory, purpose: "104"), "test");
        if (outcome.Status != ImportStatus.Imported)
        {
            throw new InvalidOperationException($"the sample did not import: {outcome.Status}");
        }
        await using var db = await A.Services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync();
        CustomerId = (await db.Consents.SingleAsync()).CustomerId;
    }

    /// <summary>A client of the proxy as one browser is: its own cookies (the affinity cookie too), no redirects followed.</summary>
    public HttpClient NewClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new System.Net.CookieContainer() })
        {
            BaseAddress = new Uri(ProxyUrl),
        };

    public static string InstanceOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues(InstanceHeader, out var values) ? values.Single() : throw new InvalidOperationException($"no {InstanceHeader} on {response.RequestMessage?.RequestUri}");

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.StopAsync();
            await _proxy.DisposeAsync();
        }
        if (_b is not null)
        {
            await _b.DisposeAsync();
        }
        if (_a is not null)
        {
            await _a.DisposeAsync();
        }
    }

    /// <summary>A portal instance that says who it is on every answer and counts what reached it.</summary>
    public sealed class TaggedPortal(string name, TestProvider provider) : PortalFactory
    {
        public string Name { get; } = name;

        protected override TestProvider Provider => provider;

        /// <summary>Every request that reached this instance: path, Host, and the forwarded headers it came with.</summary>
        public ConcurrentQueue<(string Path, string Host, string? ForwardedFor, string? ForwardedProto)> Requests { get; } = new();

        /// <summary>Blazor circuits opened on this instance.</summary>
        public int CircuitsOpened => _circuits;

        private int _circuits;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<IStartupFilter>(new Tag(this));
                services.AddScoped<CircuitHandler>(_ => new CountCircuits(this));
            });
        }

        private sealed class Tag(TaggedPortal portal) : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use(async (context, inner) =>
                {
                    if (!context.Request.Path.StartsWithSegments("/health"))
                    {
                        portal.Requests.Enqueue((context.Request.Path.Value ?? "", context.Request.Host.Value ?? "", context.Request.Headers["X-Forwarded-For"].FirstOrDefault(),
                            context.Request.Headers["X-Forwarded-Proto"].FirstOrDefault()));
                    }
                    context.Response.OnStarting(() =>
                    {
                        context.Response.Headers[InstanceHeader] = portal.Name;
                        return Task.CompletedTask;
                    });
                    await inner();
                });
                next(app);
            };
        }

        private sealed class CountCircuits(TaggedPortal portal) : CircuitHandler
        {
            public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref portal._circuits);
                return Task.CompletedTask;
            }
        }
    }
}
