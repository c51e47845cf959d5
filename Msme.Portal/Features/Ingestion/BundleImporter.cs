using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Msme.Domain.Ingestion;
using Msme.Portal.Data;

namespace Msme.Portal.Features.Ingestion;

/// <summary>
/// Writes AA delivery bundles into the store: the one path every import takes (CLI, upload, demo loader, API).
/// Each bundle is all-or-nothing (a SAVEPOINT inside the batch's transaction), so a rejected bundle leaves the store
/// exactly as it was; a re-import of the same session with the same bytes is recognised and changes nothing.
/// Bundles are committed in batches, which is what makes a bulk load fast: see <see cref="BatchRows"/>.
/// </summary>
/// <remarks>
/// The importer writes with prepared SQL on one connection rather than through EF Core's change tracker: it is the
/// one bulk path of the product, and per-row tracking cost it three quarters of its speed (Msme.Benchmarks import).
/// </remarks>
public sealed class BundleImporter(
    IDbContextFactory<ApplicationDbContext> dbFactory, PayloadStore payloads, Compliance.AuditLog audit, TimeProvider clock, ILogger<BundleImporter> log,
    Microsoft.Extensions.Options.IOptions<Hosting.MsmeOptions> options, IBulkTransactionWriter writer, Hosting.MsmeMetrics metrics)
{
    /// <summary>A batch commits once it holds this many transactions (or <see cref="BatchBundles"/> bundles, or two seconds of work).</summary>
    public const int BatchRows = 200_000;
    public const int BatchBundles = 256;
    private static readonly TimeSpan BatchTime = TimeSpan.FromSeconds(2);

    // SQLite has one writer; batches queue here instead of failing with SQLITE_BUSY. (Across processes and instances the
    // writer's batch lock does the same: SQLite's write lock, PostgreSQL's import advisory lock.)
    private readonly SemaphoreSlim _writer = new(1, 1);

    public async Task<ImportOutcome> ImportAsync(string path, string? consentPath, string? user, CancellationToken ct = default) =>
        (await ImportManyAsync([path], consentPath, user, null, ct))[0];

    /// <summary>Imports bundles in order; the callback sees each outcome as soon as it is known (its batch may commit later).</summary>
    public async Task<IReadOnlyList<ImportOutcome>> ImportManyAsync(
        IEnumerable<string> paths, string? consentPath, string? user, Action<ImportOutcome>? progress = null, CancellationToken ct = default)
    {
        var started = Hosting.MsmeMetrics.Start();
        using var activity = Hosting.MsmeActivities.Source.StartActivity("import");
        var outcomes = await ImportAllAsync(paths, consentPath, user, progress, ct);
        metrics.Imported(outcomes, Hosting.MsmeMetrics.Since(started));
        activity?.SetTag("msme.import.bundles", outcomes.Count);
        activity?.SetTag("msme.import.rejected", outcomes.Count(o => o.Status == ImportStatus.Rejected));
        activity?.SetTag("msme.import.transactions", outcomes.Sum(o => o.TransactionsAdded));
        return outcomes;
    }

    private async Task<List<ImportOutcome>> ImportAllAsync(
        IEnumerable<string> paths, string? consentPath, string? user, Action<ImportOutcome>? progress, CancellationToken ct)
    {
        var outcomes = new List<ImportOutcome>();
        if (DiskSpace.Shortfall(options.Value.ResolveDataDirectory(), options.Value.Import.MinFreeDiskBytes) is { } shortfall)
        {
            // Refused before anything is written: a store that fills its disk mid-batch fails in worse places than here.
            foreach (var path in paths)
            {
                var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
                var refused = ImportOutcome.Rejected(name, [new IngestionIssue(IssueSeverity.Error, name, null, "disk", null, shortfall)], TimeSpan.Zero);
                outcomes.Add(refused);
                progress?.Invoke(refused);
            }
            return outcomes;
        }
        using var spool = payloads.OpenSpool();
        using var feed = new BundleFeed(paths, consentPath, clock, spool);
        var auditedUpTo = 0;
        var next = feed.Next();
        while (next is not null)
        {
            await _writer.WaitAsync(ct);
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                await using var own = await writer.OpenBatchConnectionAsync(db.Database.GetDbConnection(), ct);
                if (own is null)
                {
                    await db.Database.OpenConnectionAsync(ct);
                }
                var connection = own ?? db.Database.GetDbConnection();
                try
                {
                await using var tx = await writer.BeginBatchAsync(connection, ct);
                using var batch = new ImportBatch(connection, tx, writer, clock);
                var started = Stopwatch.StartNew();
                var (rows, bundles) = (0, 0);
                var committed = new List<BundleFile>();
                // The feed reads ahead on another thread; batches keep commits rare.
                while (next is not null && rows < BatchRows && bundles < BatchBundles && started.Elapsed < BatchTime)
                {
                    ct.ThrowIfCancellationRequested();
                    var outcome = batch.Import(next, feed, user);
                    if (outcome.Status == ImportStatus.Imported)
                    {
                        committed.AddRange(next.Result.Bundle!.Files);
                    }
                    outcomes.Add(outcome);
                    progress?.Invoke(outcome);
                    log.LogDebug("{Outcome}", Hosting.LogSafe.Outcome(outcome));
                    rows += outcome.TransactionsAdded;
                    bundles++;
                    next = feed.Next();
                }
                await tx.CommitAsync(ct);
                // Only now do the bytes join the store: a rejected bundle's, or a batch that never commits, stay in the spool.
                spool.Promote(committed);
                }
                finally
                {
                    writer.EndBatch(connection);
                }
            }
            finally
            {
                _writer.Release();
            }
            await AuditBatchAsync(outcomes[auditedUpTo..], user, ct);
            auditedUpTo = outcomes.Count;
        }
        return outcomes;
    }

    /// <summary>One audit entry per committed batch: who imported, how many bundles, and what became of them.</summary>
    private Task AuditBatchAsync(List<ImportOutcome> batch, string? user, CancellationToken ct)
    {
        var imported = batch.Where(o => o.Status == ImportStatus.Imported).ToList();
        var details = $"bundles {batch.Count}: imported {imported.Count}, unchanged {batch.Count(o => o.Status == ImportStatus.Unchanged)}, " +
            $"rejected {batch.Count(o => o.Status == ImportStatus.Rejected)}; transactions added {imported.Sum(o => o.TransactionsAdded)}; " +
            $"sessions {string.Join(",", imported.Select(o => o.SessionId).Take(20))}{(imported.Count > 20 ? ",…" : "")}";
        return audit.AppendAsync(new Compliance.AuditEvent(null, user ?? "unknown", "", "import", "import", null, details), ct);
    }
}
