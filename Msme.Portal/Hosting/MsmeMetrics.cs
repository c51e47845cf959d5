using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Msme.Portal.Features.Ingestion;

namespace Msme.Portal.Hosting;

/// <summary>
/// The portal's own metrics, one <see cref="Meter"/> named <see cref="MeterName"/>: imports, the consent gate's
/// denials, audit appends, the analysis cache, the purge and open Blazor circuits. One singleton the services that
/// do the work are given; instruments carry no customer data, only counts and low-cardinality tags (an outcome, a data
/// use, a reason). The table of names is in docs/operations.md.
/// </summary>
public sealed class MsmeMetrics
{
    public const string MeterName = "Msme";

    private readonly Counter<long> _importBundles;
    private readonly Counter<long> _importTransactions;
    private readonly Counter<long> _importRejections;
    private readonly Histogram<double> _importDuration;
    private readonly Counter<long> _gateDenials;
    private readonly Counter<long> _auditAppends;
    private readonly Histogram<double> _auditAppendDuration;
    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheRecomputes;
    private readonly Counter<long> _purgeRuns;
    private readonly Counter<long> _purgeSessions;
    private readonly Counter<long> _purgeRows;
    private readonly UpDownCounter<long> _circuitsOpen;

    /// <summary>The meter comes from the host's <see cref="IMeterFactory"/>, so a test's listener sees its own host's measurements only.</summary>
    public MsmeMetrics(IMeterFactory meters)
        : this(meters.Create(MeterName))
    {
    }

    private MsmeMetrics(Meter meter)
    {
        Meter = meter;
        _importBundles = meter.CreateCounter<long>("msme.import.bundles", "{bundle}", "Bundles an import took, by outcome (imported, unchanged, rejected).");
        _importTransactions = meter.CreateCounter<long>("msme.import.transactions", "{transaction}", "Transactions added to the store by imports.");
        _importRejections = meter.CreateCounter<long>("msme.import.rejections", "{bundle}", "Bundles an import rejected (invalid, conflicting, or refused for lack of disk).");
        _importDuration = meter.CreateHistogram<double>("msme.import.duration", "s", "Duration of one import run (an upload, an API call, a CLI run, an AA fetch, the demo load).");
        _gateDenials = meter.CreateCounter<long>("msme.consent_gate.denials", "{session}",
            "Fetch sessions the consent gate withheld from a read, by data use and reason (revoked, paused, expired, purpose, data-life, purged).");
        _auditAppends = meter.CreateCounter<long>("msme.audit.appends", "{entry}", "Entries appended to the audit trail.");
        _auditAppendDuration = meter.CreateHistogram<double>("msme.audit.append.duration", "s", "Duration of one audit write (a group commit of queued entries, or one entry in its caller's transaction).");
        _cacheHits = meter.CreateCounter<long>("msme.analysis_cache.hits", "{lookup}", "Analysis cache lookups answered from the cache, by level (stamp: a customer's entry; part: a computed result).");
        _cacheRecomputes = meter.CreateCounter<long>("msme.analysis_cache.recomputes", "{lookup}", "Analysis cache lookups that had to read or compute, by level (stamp, part).");
        _purgeRuns = meter.CreateCounter<long>("msme.purge.runs", "{run}", "Purge runs, by outcome (ok, partial: some sessions failed and are retried, failed).");
        _purgeSessions = meter.CreateCounter<long>("msme.purge.sessions", "{session}", "Fetch sessions purged.");
        _purgeRows = meter.CreateCounter<long>("msme.purge.rows", "{transaction}", "Transaction rows deleted by the purge.");
        _circuitsOpen = meter.CreateUpDownCounter<long>("msme.circuits.open", "{circuit}", "Blazor Server circuits open on this instance.");
    }

    /// <summary>For services built by hand (tests, benchmarks) without a host: a meter of its own that nothing exports.</summary>
    public static MsmeMetrics Detached { get; } = new(new Meter(MeterName));

    public Meter Meter { get; }

    /// <summary>One import run: every bundle's outcome, the transactions it added and how long the run took.</summary>
    public void Imported(IReadOnlyList<ImportOutcome> outcomes, TimeSpan elapsed)
    {
        foreach (var status in outcomes.GroupBy(o => o.Status))
        {
            _importBundles.Add(status.Count(), new KeyValuePair<string, object?>("outcome", Outcome(status.Key)));
        }
        var rejected = outcomes.Count(o => o.Status == ImportStatus.Rejected);
        if (rejected > 0)
        {
            _importRejections.Add(rejected);
        }
        var added = outcomes.Sum(o => (long)o.TransactionsAdded);
        if (added > 0)
        {
            _importTransactions.Add(added);
        }
        _importDuration.Record(elapsed.TotalSeconds);
    }

    private static string Outcome(ImportStatus status) => status switch
    {
        ImportStatus.Imported => "imported",
        ImportStatus.Unchanged => "unchanged",
        _ => "rejected",
    };

    /// <summary>Sessions the gate withheld from one read for this use and reason.</summary>
    public void GateDenied(string use, string reason, int sessions = 1) =>
        _gateDenials.Add(sessions, new KeyValuePair<string, object?>("use", use), new KeyValuePair<string, object?>("reason", reason));

    /// <summary>One audit write of <paramref name="entries"/> entries.</summary>
    public void AuditAppended(int entries, TimeSpan elapsed)
    {
        _auditAppends.Add(entries);
        _auditAppendDuration.Record(elapsed.TotalSeconds);
    }

    public void CacheHit(string level, int lookups = 1) => _cacheHits.Add(lookups, new KeyValuePair<string, object?>("level", level));

    public void CacheRecompute(string level, int lookups = 1) => _cacheRecomputes.Add(lookups, new KeyValuePair<string, object?>("level", level));

    /// <summary>One purge run: "ok", "partial" (some sessions failed) or "failed" (the run threw).</summary>
    public void Purged(string outcome, int sessions, int rows)
    {
        _purgeRuns.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (sessions > 0)
        {
            _purgeSessions.Add(sessions);
        }
        if (rows > 0)
        {
            _purgeRows.Add(rows);
        }
    }

    public void CircuitOpened() => _circuitsOpen.Add(1);

    public void CircuitClosed() => _circuitsOpen.Add(-1);

    /// <summary>A stopwatch for <see cref="Imported"/> and <see cref="AuditAppended"/>: elapsed time, never the clock (which tests pin).</summary>
    public static long Start() => Stopwatch.GetTimestamp();

    public static TimeSpan Since(long started) => Stopwatch.GetElapsedTime(started);
}

public static class MsmeInstrumentationServiceCollectionExtensions
{
    /// <summary>
    /// The metrics singleton and the background jobs' heartbeats: every host (web, CLI, tests, benchmarks) registers
    /// them with the data services, since the importer, the audit trail and the purge report to them.
    /// </summary>
    public static IServiceCollection AddMsmeInstrumentation(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<MsmeMetrics>();
        services.TryAddSingleton<JobHeartbeats>();
        return services;
    }
}
