using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Msme.AaSimulator;
using Msme.Domain.DemoData;
using Msme.Portal.Features.Admin;
using Msme.Portal.Hosting;
using Polly;

namespace Msme.Portal.Features.Aa;

public static class AaServiceCollectionExtensions
{
    /// <summary>The base address the client uses for the embedded simulator: never resolved, the simulator's handler answers in-process.</summary>
    public static readonly Uri SimulatorBaseUrl = new("http://aa-simulator.invalid/V2/");

    /// <summary>The AA connector: keys, the signed and resilient ReBIT client, consent requests, fetches, notifications, the periodic runner.</summary>
    public static IServiceCollection AddAaConnector(this IServiceCollection services)
    {
        services.AddSingleton<AaKeyRing>();
        services.AddSingleton<AaSimulatorHost>();
        services.AddHttpClient<AaClient>((sp, http) =>
            {
                var host = sp.GetRequiredService<AaSimulatorHost>();
                var baseUrl = sp.GetRequiredService<IOptions<MsmeOptions>>().Value.Aa.BaseUrl;
                http.BaseAddress = host.Enabled ? SimulatorBaseUrl
                    : string.IsNullOrWhiteSpace(baseUrl) ? null
                    : new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/");
                // The resilience handler owns the timeouts; this one only stops a runaway pipeline.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<AaSimulatorHost>().Instance?.CreateHandler() ?? new SocketsHttpHandler())
            .AddResilienceHandler("aa", (pipeline, context) =>
            {
                var settings = context.ServiceProvider.GetRequiredService<IOptions<MsmeOptions>>().Value.Aa;
                // Waits between network calls run on real time, whatever clock the app's dates follow (tests pin that one).
                pipeline.TimeProvider = TimeProvider.System;
                // Total: every attempt and every wait together.
                pipeline.AddTimeout(settings.AttemptTimeout * 4 + settings.RetryDelay * 8);
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 3,
                    Delay = settings.RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    // Transient only (5xx, 408, 429, network errors, an attempt's timeout). A 4xx errorCode is an answer, not a failure to answer.
                });
                pipeline.AddTimeout(settings.AttemptTimeout);
            });
        services.AddScoped<AaConsentService>();
        services.AddScoped<AaFetchService>();
        services.AddScoped<AaNotificationService>();
        // Notifications change consent status through the one status change (also outside the web host: the verbs).
        services.TryAddScoped<Msme.Portal.Features.Compliance.ConsentLineageService>();
        services.AddScoped<AaStatusService>();
        services.AddSingleton<JobLeases>();
        services.AddScoped<PeriodicFetchRunner>();
        return services;
    }
}

/// <summary>A simulator built elsewhere (a test's, with its own customers and faults) that the connector talks to instead of the demo's.</summary>
public sealed record ProvidedAaSimulator(SimulatedAa Instance);

/// <summary>
/// The embedded AA simulator, when it stands in for the AA (Development with the demo on, or <c>Msme:Aa:Simulator</c>):
/// the same ReBIT 2.0.0 API, crypto and signatures, answering in-process. It serves the demo generator's statements and
/// auto-approves consent requests for the demo's customers. Its state (consents, sessions) lives under the data folder.
/// </summary>
public sealed class AaSimulatorHost(IOptions<MsmeOptions> options, IHostEnvironment environment, TimeProvider clock, IServiceProvider services) : IDisposable
{
    private readonly Lock _gate = new();
    private SimulatedAa? _value;
    private bool _resolved, _owned;

    public bool Enabled => services.GetService<ProvidedAaSimulator>() is not null || options.Value.UsesAaSimulator(environment);

    /// <summary>The simulator (a provided one, else the demo's, created on first use), or null when the connector talks to a real AA.</summary>
    public SimulatedAa? Instance
    {
        get
        {
            lock (_gate)
            {
                if (!_resolved)
                {
                    var provided = services.GetService<ProvidedAaSimulator>();
                    _value = provided?.Instance ?? Create(options.Value, environment, clock, services);
                    (_owned, _resolved) = (provided is null, true);
                }
                return _value;
            }
        }
    }

    /// <summary>Disposes the simulator this host created (a provided one belongs to whoever provided it).</summary>
    public void Dispose()
    {
        if (_owned)
        {
            _value?.Dispose();
        }
    }

    /// <summary>The client_api_key the simulator expects and the client sends when none is configured.</summary>
    public const string DemoApiKey = "msme-demo-simulator-key";

    private static SimulatedAa? Create(MsmeOptions settings, IHostEnvironment environment, TimeProvider clock, IServiceProvider services)
    {
        if (!settings.UsesAaSimulator(environment))
        {
            return null;
        }
        var demo = new DemoOptions(DemoDataset.DefaultAsOf(clock), settings.DemoCustomers, settings.DemoMonths, settings.DemoSeed);
        var folder = Path.Combine(settings.ResolveDataDirectory(), "aa");
        Directory.CreateDirectory(folder);
        return new SimulatedAa(new SimulatedAaOptions
        {
            AaId = settings.Aa.AaId,
            ApiKey = settings.Aa.ApiKey ?? DemoApiKey,
            FiuId = settings.Aa.FiuId,
            FiuKeys = () => services.GetRequiredService<AaKeyRing>().FiuPublicKeys,
            StateFile = Path.Combine(folder, "simulator-state.json"),
            SigningKeyFile = Path.Combine(folder, "simulator-aa-signing-key.pem"),
        }, new DemoAaSource(demo), clock);
    }
}
