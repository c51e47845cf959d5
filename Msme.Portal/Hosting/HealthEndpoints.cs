using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Msme.Portal.Data;

namespace Msme.Portal.Hosting;

/// <summary>Readiness settings (section "Msme:Health").</summary>
public sealed class HealthSettings
{
    public const string Section = "Msme:Health";

    /// <summary>A running job is stale after two of its intervals plus this grace without a heartbeat (a long pass, a slow disk).</summary>
    public TimeSpan HeartbeatGrace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Time limit of the database check; past it readiness answers unhealthy rather than hang the probe.</summary>
    public TimeSpan DatabaseTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Liveness (<see cref="Live"/>: the process answers; no check runs, so a slow database never gets a live instance
/// restarted) and readiness (<see cref="Ready"/>: the database is reachable with every migration applied, the data
/// folder takes a write, the background jobs beat). Anonymous, for load balancers and orchestrators: the answer names
/// each check and its status and duration, nothing else (no exception text, paths, counts or customer data).
/// </summary>
public static class HealthEndpoints
{
    public const string Live = "/health/live";
    public const string Ready = "/health/ready";
    private const string ReadyTag = "ready";

    public static IServiceCollection AddMsmeHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<HealthSettings>(configuration.GetSection(HealthSettings.Section));
        var settings = configuration.GetSection(HealthSettings.Section).Get<HealthSettings>() ?? new HealthSettings();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", HealthStatus.Unhealthy, [ReadyTag], settings.DatabaseTimeout)
            .AddCheck<DataFolderHealthCheck>("data-folder", HealthStatus.Unhealthy, [ReadyTag])
            .AddCheck<JobsHealthCheck>("jobs", HealthStatus.Unhealthy, [ReadyTag]);
        return services;
    }

    /// <summary>Both endpoints, GET only, anonymous, listed in <see cref="AccessPolicy.Endpoints"/> like every other.</summary>
    public static IEndpointRouteBuilder MapMsmeHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        Map(endpoints, Live, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        Map(endpoints, Ready, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
        return endpoints;
    }

    private static void Map(IEndpointRouteBuilder endpoints, string route, HealthCheckOptions options)
    {
        if (!AccessPolicy.Endpoints.TryGetValue("GET " + route, out var roles) || roles.Count != 0)
        {
            throw new InvalidOperationException($"'GET {route}' must be in AccessPolicy.Endpoints as open to anyone");
        }
        endpoints.MapHealthChecks(route, options)
            .WithMetadata(new HttpMethodMetadata([HttpMethods.Get]))
            .AllowAnonymous()
            .WithDisplayName("health " + route);
    }

    private static readonly JsonWriterOptions JsonOptions = new() { Indented = false };

    /// <summary>{"status":"Unhealthy","durationMs":3.1,"checks":[{"name":"jobs","status":"Unhealthy","durationMs":0.1,"jobs":{"purge":"stale"}}]}</summary>
    internal static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status.ToString());
            json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
            json.WriteStartArray("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject();
                json.WriteString("name", name);
                json.WriteString("status", entry.Status.ToString());
                json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
                // The jobs check says which job is stale: job names and their state, nothing more.
                if (entry.Data.TryGetValue(JobsHealthCheck.JobsKey, out var jobs) && jobs is IReadOnlyDictionary<string, string> states)
                {
                    json.WriteStartObject("jobs");
                    foreach (var (job, state) in states)
                    {
                        json.WriteString(job, state);
                    }
                    json.WriteEndObject();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted);
    }
}

/// <summary>The database answers and every migration this build knows is applied (an instance on an older schema is not ready).</summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<ApplicationDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Database.CanConnectAsync(ct))
        {
            return HealthCheckResult.Unhealthy("the database does not answer");
        }
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).Count();
        return pending == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy($"{pending} migration(s) not applied");
    }
}

/// <summary>
/// The data folder (payload store, import spools, audit checkpoints, exports) takes a write: a file is created, flushed
/// and deleted. Below the free space an import needs (Msme:Import:MinFreeDiskBytes) the instance still serves, so that
/// is Degraded, not Unhealthy.
/// </summary>
public sealed class DataFolderHealthCheck(IOptions<MsmeOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var folder = options.Value.ResolveDataDirectory();
        var probe = Path.Combine(folder, $".health-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough))
            {
                await stream.WriteAsync("ok"u8.ToArray(), ct);
                await stream.FlushAsync(ct);
            }
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy("the data folder does not take a write", e);
        }
        var free = new DriveInfo(Path.GetFullPath(folder)).AvailableFreeSpace;
        return free < options.Value.Import.MinFreeDiskBytes
            ? HealthCheckResult.Degraded("less free space than an import needs")
            : HealthCheckResult.Healthy();
    }
}

/// <summary>Every background job that started is beating (or finished its one-off work); names the stale or stopped ones.</summary>
public sealed class JobsHealthCheck(JobHeartbeats heartbeats, IOptions<HealthSettings> settings, IHostApplicationLifetime lifetime) : IHealthCheck
{
    public const string JobsKey = "jobs";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var now = heartbeats.Now;
        var stopping = lifetime.ApplicationStopping.IsCancellationRequested;
        var states = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var failing = new List<string>();
        foreach (var job in heartbeats.Snapshot())
        {
            var state = job.StaleAt(now, settings.Value.HeartbeatGrace) ? "stale" : job.Phase.ToString().ToLowerInvariant();
            states[job.Name] = state;
            if (state == "stale" || (state == "stopped" && !stopping))
            {
                failing.Add(job.Name);
            }
        }
        var data = new Dictionary<string, object> { [JobsKey] = (IReadOnlyDictionary<string, string>)states };
        return Task.FromResult(failing.Count == 0
            ? HealthCheckResult.Healthy(data: data)
            : HealthCheckResult.Unhealthy($"not beating: {string.Join(", ", failing)}", data: data));
    }
}
