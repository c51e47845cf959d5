using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msme.Domain;
using Msme.Domain.Consent;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Aa;

/// <summary>
/// Periodic fetch for PERIODIC consents obtained through the AA, on the app's clock: a consent is due when fewer
/// sessions than its <c>Frequency</c> allows were made in the last frequency unit (sessions already made count, whoever
/// made them) and the last one is at least unit / value old; the range runs from the last session's end to today,
/// inside the consent's FIDataRange. One instance runs it at a time (a lease in the database).
/// </summary>
public sealed class PeriodicFetchRunner(
    IDbContextFactory<ApplicationDbContext> dbFactory,
    AaFetchService fetches,
    JobLeases leases,
    TimeProvider clock,
    ILogger<PeriodicFetchRunner> log)
{
    public const string LeaseName = "aa-periodic-fetch";

    /// <summary>A consent the runner would fetch now, and the range it would ask for.</summary>
    public sealed record Due(string ConsentId, DateOnly From, DateOnly To);

    /// <summary>Runs the due fetches when this holder gets the lease; returns what it fetched (empty when another instance holds the lease).</summary>
    public async Task<IReadOnlyList<AaFetchResult>> RunOnceAsync(string holder, CancellationToken ct = default)
    {
        if (!await leases.TryAcquireAsync(LeaseName, holder, TimeSpan.FromMinutes(10), ct))
        {
            return [];
        }
        var results = new List<AaFetchResult>();
        try
        {
            foreach (var due in await DueAsync(ct))
            {
                results.Add(await fetches.FetchAsync(due.ConsentId, due.From, due.To, "periodic", new AaActor("periodic-fetch"), ct));
            }
        }
        finally
        {
            await leases.ReleaseAsync(LeaseName, holder, CancellationToken.None);
        }
        return results;
    }

    /// <summary>The consents due now, by the rule above.</summary>
    public async Task<IReadOnlyList<Due>> DueAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var today = IndianTime.Today(clock);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var consents = await db.Consents.AsNoTracking()
            .Where(c => c.AaId != null && c.Status == ConsentStatus.Active && c.FetchType == "PERIODIC")
            .Where(c => db.AaConsentRequests.Any(r => r.ConsentRecordId == c.Id && r.ArtefactJson != null))
            .Select(c => new { c.Id, c.ConsentId, c.ConsentExpiry, c.FiDataFrom, c.FiDataTo, c.FrequencyUnit, c.FrequencyValue })
            .ToListAsync(ct);
        var due = new List<Due>();
        foreach (var c in consents.Where(c => c.ConsentExpiry is null || c.ConsentExpiry > now))
        {
            if (Window(c.FrequencyUnit) is not { } window || c.FrequencyValue is not { } perWindow || perWindow <= 0)
            {
                continue; // INF or missing: no periodic schedule this FIU can honour without guessing.
            }
            var sessions = await db.FetchSessions.AsNoTracking().Where(s => s.ConsentRecordId == c.Id)
                .Select(s => new { s.FetchedAt, s.RangeTo }).ToListAsync(ct);
            var inWindow = sessions.Count(s => s.FetchedAt > now - window);
            var last = sessions.OrderByDescending(s => s.FetchedAt).FirstOrDefault();
            if (inWindow >= perWindow || (last is not null && now - last.FetchedAt < window / perWindow))
            {
                continue;
            }
            var consentFrom = DateOnly.FromDateTime(c.FiDataFrom!.Value.UtcDateTime);
            var consentTo = DateOnly.FromDateTime(c.FiDataTo!.Value.UtcDateTime);
            var from = last?.RangeTo is { } end ? DateOnly.FromDateTime(end.UtcDateTime) : consentFrom;
            var to = today < consentTo ? today : consentTo;
            from = from < consentFrom ? consentFrom : from;
            if (from <= to)
            {
                due.Add(new Due(c.ConsentId, from, to));
            }
        }
        log.LogDebug("Periodic fetch: {Due} of {Consents} periodic consents due", due.Count, consents.Count);
        return due;
    }

    private static TimeSpan? Window(string? unit) => unit?.ToUpperInvariant() switch
    {
        "HOUR" => TimeSpan.FromHours(1),
        "DAY" => TimeSpan.FromDays(1),
        "MONTH" => TimeSpan.FromDays(30),
        "YEAR" => TimeSpan.FromDays(365),
        _ => null,
    };
}

/// <summary>Runs <see cref="PeriodicFetchRunner"/> every <see cref="AaSettings.PeriodicCheckInterval"/> on the app's clock.</summary>
public sealed class PeriodicFetchWorker(IServiceScopeFactory scopes, JobLeases leases, TimeProvider clock, IOptions<MsmeOptions> options,
    JobHeartbeats heartbeats, ILogger<PeriodicFetchWorker> log) : BackgroundService
{
    public const string JobName = "aa-periodic-fetch";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Aa.PeriodicFetch)
        {
            return;
        }
        using var beat = heartbeats.Start(JobName, options.Value.Aa.PeriodicCheckInterval);
        using var timer = new PeriodicTimer(options.Value.Aa.PeriodicCheckInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            // Beats on every check, whether this instance holds the lease or another one does the fetching.
            beat.Beat();
            try
            {
                using var scope = scopes.CreateScope();
                var done = await scope.ServiceProvider.GetRequiredService<PeriodicFetchRunner>().RunOnceAsync(leases.Holder, stoppingToken);
                if (done.Count > 0)
                {
                    log.LogInformation("Periodic fetch: {Count} consent(s) fetched, {Failed} failed", done.Count, done.Count(r => !r.Succeeded));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Periodic fetch run failed");
            }
        }
    }
}
