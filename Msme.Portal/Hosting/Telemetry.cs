using System.Diagnostics;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Msme.Portal.Hosting;

/// <summary>Traces, metrics and logs leaving the process (section "Msme:Telemetry"); see docs/operations.md.</summary>
public sealed class TelemetrySettings
{
    public const string Section = "Msme:Telemetry";

    /// <summary>OTLP collector endpoint (e.g. http://otel-collector:4317). Without it, <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> decides; with neither, nothing is exported over OTLP.</summary>
    public string? Otlp { get; set; }

    /// <summary>The OTLP protocol when <see cref="Otlp"/> is set: <c>grpc</c> (port 4317, default) or <c>http/protobuf</c> (port 4318).</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>Also print traces and metrics to the console. Honoured in Development only, and off by default there: it is loud.</summary>
    public bool Console { get; set; }

    /// <summary>The service.name resource attribute.</summary>
    public string ServiceName { get; set; } = "msme-portal";
}

/// <summary>The portal's own activity source (spans around an import run); the table of sources is in docs/operations.md.</summary>
public static class MsmeActivities
{
    public const string SourceName = "Msme";

    public static readonly ActivitySource Source = new(SourceName);
}

public static class TelemetryExtensions
{
    /// <summary>
    /// Every log line carries the current trace and span ids (a request's, or a background job's when it starts one);
    /// outside Development the console writes one JSON object per line with those scopes (Msme:Logging:Json overrides).
    /// Traces (ASP.NET Core requests, EF Core commands, outgoing HttpClient calls including the AA client, the portal's
    /// own source) and metrics (the Msme meter, ASP.NET Core, HttpClient, the runtime) go over OTLP when an endpoint is
    /// configured, and to the console in Development when Msme:Telemetry:Console is true.
    /// </summary>
    public static WebApplicationBuilder AddMsmeTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var settings = configuration.GetSection(TelemetrySettings.Section).Get<TelemetrySettings>() ?? new TelemetrySettings();

        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (configuration.GetValue<bool?>("Msme:Logging:Json") ?? !builder.Environment.IsDevelopment())
        {
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, CircuitMetricsHandler>());

        var otlpFromEnvironment = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var otlp = !string.IsNullOrWhiteSpace(settings.Otlp) || otlpFromEnvironment;
        var console = settings.Console && builder.Environment.IsDevelopment();
        if (!otlp && !console)
        {
            // No exporter: no SDK either. The meter still counts, for dotnet-counters and the tests' listeners.
            return builder;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(settings.ServiceName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithTracing(t =>
            {
                t.AddSource(MsmeActivities.SourceName)
                    // Probes would be most of the spans and tell nothing.
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                    .AddHttpClientInstrumentation()
                    // SQL text with parameter placeholders only: parameter values (customer data) are never recorded.
                    .AddEntityFrameworkCoreInstrumentation()
                    // Npgsql's own source, when the PostgreSQL provider is in use (nothing listens otherwise).
                    .AddSource("Npgsql");
                if (console)
                {
                    t.AddConsoleExporter();
                }
            })
            .WithMetrics(m =>
            {
                m.AddMeter(MsmeMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddMeter("System.Runtime", "Microsoft.AspNetCore.Components.Server.Circuits", "Npgsql");
                if (console)
                {
                    m.AddConsoleExporter();
                }
            });
        if (otlp)
        {
            telemetry.WithLogging();
            if (!string.IsNullOrWhiteSpace(settings.Otlp))
            {
                var protocol = settings.OtlpProtocol.Equals("http/protobuf", StringComparison.OrdinalIgnoreCase) ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                telemetry.UseOtlpExporter(protocol, new Uri(settings.Otlp));
            }
            else
            {
                // OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS as the OpenTelemetry specification defines them.
                telemetry.UseOtlpExporter();
            }
        }
        return builder;
    }
}

/// <summary>Counts the Blazor Server circuits open on this instance (msme.circuits.open).</summary>
public sealed class CircuitMetricsHandler(MsmeMetrics metrics) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitOpened();
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitClosed();
        return Task.CompletedTask;
    }
}
