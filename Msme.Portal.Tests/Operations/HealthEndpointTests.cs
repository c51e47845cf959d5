using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Msme.Portal.Features.Admin;
using Msme.Portal.Features.Aa;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Risk;
using Msme.Portal.Hosting;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Operations;

/// <summary>Liveness and readiness as a load balancer sees them: anonymous, JSON, 200 or 503, and nothing beyond names and statuses.</summary>
public sealed class HealthEndpointTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    private static string Check(JsonElement body, string name) =>
        body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).GetProperty("status").GetString()!;

    private static Dictionary<string, string> Jobs(JsonElement body) =>
        body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "jobs")
            .GetProperty("jobs").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    [Fact]
    public async Task Live_answers_200_to_anyone_and_runs_no_check()
    {
        using var client = factory.CreateClient();

        var (status, body) = await GetAsync(client, HealthEndpoints.Live);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Empty(body.GetProperty("checks").EnumerateArray());
    }

    [Fact]
    public async Task Ready_answers_200_with_each_check_and_every_started_job_and_no_more()
    {
        using var client = factory.CreateClient();
        // The workers start with the host; the first probe may come before the last of them registered its beat.
        var jobs = factory.Services.GetRequiredService<JobHeartbeats>();
        string[] expected = [AuditCheckpointWorker.JobName, PeriodicFetchWorker.JobName, PurgeWorker.JobName, RiskCacheWarmer.JobName, DemoDataLoader.JobName,
            Msme.Portal.Features.Actions.OutboxWorker.JobName];
        for (var i = 0; i < 200 && !expected.All(e => jobs.Snapshot().Any(j => j.Name == e)); i++)
        {
            await Task.Delay(50);
        }

        var (status, body) = await GetAsync(client, HealthEndpoints.Ready);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal(new[] { "database", "data-folder", "jobs" }.Order(), body.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).Order());
        Assert.All(body.GetProperty("checks").EnumerateArray(), c =>
        {
            Assert.Equal("Healthy", c.GetProperty("status").GetString());
            Assert.True(c.GetProperty("durationMs").GetDouble() >= 0);
            // Names, statuses, durations and the jobs' states: no description, exception or data.
            Assert.Subset(new HashSet<string> { "name", "status", "durationMs", "jobs" }, c.EnumerateObject().Select(p => p.Name).ToHashSet());
        });
        var states = Jobs(body);
        Assert.Equal(expected.Order(), states.Keys.Order());
        // No demo customers in this host: the loader had nothing to do and finished.
        Assert.Equal("completed", states[DemoDataLoader.JobName]);
        Assert.Equal("running", states[PurgeWorker.JobName]);
        Assert.Equal(["checks", "durationMs", "status"], body.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Health_endpoints_take_GET_only()
    {
        using var client = factory.CreateClient();

        var response = await client.PostAsync(HealthEndpoints.Ready, null);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ready_answers_503_naming_the_job_whose_heartbeat_went_stale_on_the_app_clock()
    {
        using var clocked = new ClockedPortalFactory();
        using var client = clocked.CreateClient();
        var heartbeats = clocked.Services.GetRequiredService<JobHeartbeats>();
        // A job that beats every minute and then stops beating (the real ones beat whenever the moved clock fires their timers).
        using var stuck = heartbeats.Start("stuck-job", TimeSpan.FromMinutes(1));
        Assert.Equal("running", Jobs((await GetAsync(client, HealthEndpoints.Ready)).Body)["stuck-job"]);

        // Two intervals plus the default grace (10 min) is 12 minutes; 11 is not stale yet, 13 is.
        clocked.Clock.Advance(TimeSpan.FromMinutes(11));
        var (fresh, freshBody) = await GetAsync(client, HealthEndpoints.Ready);
        Assert.Equal("running", Jobs(freshBody)["stuck-job"]);

        clocked.Clock.Advance(TimeSpan.FromMinutes(2));
        var (status, body) = await GetAsync(client, HealthEndpoints.Ready);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", Check(body, "jobs"));
        Assert.Equal("stale", Jobs(body)["stuck-job"]);
        Assert.Equal("Healthy", Check(body, "database"));
        Assert.Equal("Healthy", Check(body, "data-folder"));
        // Liveness is not readiness: the process still answers.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(HealthEndpoints.Live)).StatusCode);
        _ = fresh;
    }

    [Fact]
    public async Task A_job_that_ends_without_finishing_its_work_makes_the_instance_not_ready()
    {
        using var client = factory.CreateClient();
        var heartbeats = factory.Services.GetRequiredService<JobHeartbeats>();
        var name = "dying-job-" + Guid.NewGuid().ToString("N")[..8];
        heartbeats.Start(name, TimeSpan.FromMinutes(1)).Dispose();
        try
        {
            var (status, body) = await GetAsync(client, HealthEndpoints.Ready);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("stopped", Jobs(body)[name]);
        }
        finally
        {
            // The shared host is healthy again for the other tests: the job finished after all.
            heartbeats.Start(name, TimeSpan.FromMinutes(1)).Complete();
        }
    }

    [Fact]
    public async Task Ready_answers_503_when_the_data_folder_takes_no_write()
    {
        using var broken = new SeparateDatabaseFactory();
        using var client = broken.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(HealthEndpoints.Ready)).StatusCode);
        // Root ignores permission bits, so the folder is swapped for a file: no write can succeed there, whoever runs the test.
        var moved = broken.DataDirectory + "-moved";
        Directory.Move(broken.DataDirectory, moved);
        await File.WriteAllTextAsync(broken.DataDirectory, "not a folder");
        try
        {
            var (status, body) = await GetAsync(client, HealthEndpoints.Ready);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", Check(body, "data-folder"));
            Assert.Equal("Healthy", Check(body, "database"));
            Assert.DoesNotContain(broken.DataDirectory, body.GetRawText(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(broken.DataDirectory);
            Directory.Move(moved, broken.DataDirectory);
        }
    }

    /// <summary>The database file outside the data folder (Msme:DatabasePath), so the folder can break while the database stays.</summary>
    private sealed class SeparateDatabaseFactory : PortalFactory
    {
        private readonly string _database = Path.Combine(Path.GetTempPath(), "msme-tests", "db-" + Guid.NewGuid().ToString("N"), "msme.db");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Msme:DatabasePath", _database);
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(Path.GetDirectoryName(_database)!, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>The heartbeat rule alone, on a clock the test moves.</summary>
public sealed class JobHeartbeatTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_running_job_is_stale_after_two_intervals_and_the_grace_and_a_beat_makes_it_fresh()
    {
        var heartbeats = new JobHeartbeats(_clock);
        using var beat = heartbeats.Start("job", TimeSpan.FromMinutes(5));
        var grace = TimeSpan.FromMinutes(1);

        _clock.Advance(TimeSpan.FromMinutes(11));
        Assert.False(heartbeats.Snapshot().Single().StaleAt(_clock.GetUtcNow(), grace));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(heartbeats.Snapshot().Single().StaleAt(_clock.GetUtcNow(), grace));

        beat.Beat();
        Assert.False(heartbeats.Snapshot().Single().StaleAt(_clock.GetUtcNow(), grace));
    }

    [Fact]
    public void A_completed_job_never_goes_stale_and_one_disposed_unfinished_is_stopped()
    {
        var heartbeats = new JobHeartbeats(_clock);
        heartbeats.Start("one-off", TimeSpan.FromMinutes(1)).Complete();
        heartbeats.Start("loop", TimeSpan.FromMinutes(1)).Dispose();

        _clock.Advance(TimeSpan.FromDays(30));

        var jobs = heartbeats.Snapshot().ToDictionary(j => j.Name);
        Assert.Equal(JobPhase.Completed, jobs["one-off"].Phase);
        Assert.False(jobs["one-off"].StaleAt(_clock.GetUtcNow(), TimeSpan.Zero));
        Assert.Equal(JobPhase.Stopped, jobs["loop"].Phase);
    }
}
