using Microsoft.EntityFrameworkCore;
using Msme.Domain.Consent;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Ingestion;

namespace Msme.Portal.Features.Compliance;

/// <summary>What one purge run did; <see cref="SessionsFailed"/> sessions could not be purged this time and are retried on the next run.</summary>
public sealed record PurgeResult(int ConsentsExpired, int SessionsPurged, int TransactionsDeleted, int PayloadsDeleted, int AccountsScrubbed, int SessionsFailed = 0);

/// <summary>
/// Deletes AA data that may no longer be kept: every session under a REVOKED or EXPIRED consent (an ACTIVE or PAUSED
/// consent past its expiry is first marked EXPIRED), and every session whose DataLife has ended (counted from the
/// earlier of its fetch and its import). Deletes the transactions and the payload bytes; an account left with no
/// transactions loses its summary (balances, limits, branch) and its holders' personal data, and a customer left with no
/// live session loses its profile (PAN, Udyam, category, scale). Keeps the lineage: consents with their status history,
/// sessions with their counts, date ranges and payload hashes, accounts by masked number, customers by handle and name.
/// Each session is purged in its own transaction: one that fails is logged, audited and retried on the next run, and
/// does not stop the others. Runs on the clock it is given, so tests advance time instead of waiting.
/// </summary>
public sealed class PurgeService(
    IDbContextFactory<ApplicationDbContext> dbFactory, PayloadStore payloads, AuditLog audit, TimeProvider clock, ILogger<PurgeService> log,
    Msme.Portal.Hosting.MsmeMetrics metrics)
{
    private sealed record Due(FetchSession Session, int CustomerId, string Reason);

    public async Task<PurgeResult> PurgeAsync(CancellationToken ct = default)
    {
        try
        {
            var result = await PurgeDueAsync(ct);
            metrics.Purged(result.SessionsFailed > 0 ? "partial" : "ok", result.SessionsPurged, result.TransactionsDeleted);
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            metrics.Purged("failed", 0, 0);
            throw;
        }
    }

    private async Task<PurgeResult> PurgeDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<ConsentRecord> expiring;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            expiring = await db.Consents.AsNoTracking()
                .Where(c => (c.Status == ConsentStatus.Active || c.Status == ConsentStatus.Paused) && c.ConsentExpiry != null && c.ConsentExpiry <= now)
                .ToListAsync(ct);
        }
        // Through the one status change (conditional on the status read, history and audit entry in its transaction): a
        // consent revoked meanwhile stays REVOKED instead of being overwritten as EXPIRED. Each change is its own audit entry.
        var statuses = new ConsentLineageService(dbFactory, audit, clock);
        var expired = 0;
        foreach (var consent in expiring)
        {
            var change = await statuses.ChangeAsync(consent.Id, ConsentStatus.Expired, ConsentTransitions.Expiry, "purge", $"consentExpiry {consent.ConsentExpiry:O} has passed",
                null, null, ct);
            if (change.Outcome == ConsentChangeOutcome.Changed)
            {
                expired++;
            }
        }

        List<Due> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            due = await DueAsync(db, now, ct);
        }

        int purged = 0, transactions = 0, payloadFiles = 0, scrubbed = 0, failed = 0;
        foreach (var item in due)
        {
            try
            {
                var (deleted, files, accounts) = await PurgeSessionAsync(item, now, ct);
                (purged, transactions, payloadFiles, scrubbed) = (purged + 1, transactions + deleted, payloadFiles + files, scrubbed + accounts);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failed++;
                log.LogError(e, "Purge of session {Session} failed; the other sessions go on and it is retried on the next run", item.Session.SessionId);
                await audit.AppendAsync(new AuditEvent(null, "purge", "", "purge-failed", "purge", item.CustomerId,
                    $"session {item.Session.SessionId}: {item.Reason}; not purged: {e.GetType().Name}: {e.Message}"), ct);
            }
        }
        return new PurgeResult(expired, purged, transactions, payloadFiles, scrubbed, failed);
    }

    /// <summary>
    /// Sessions whose data should already be gone: not purged, and under a REVOKED or EXPIRED consent, a consent past its
    /// expiry, or past DataLife. The admin and compliance homes show this count as "DataLife overdue" (0 right after a run).
    /// </summary>
    public async Task<int> OverdueAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await DueAsync(db, clock.GetUtcNow(), ct)).Count;
    }

    private static async Task<List<Due>> DueAsync(ApplicationDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var candidates = await db.FetchSessions.AsNoTracking().Where(s => s.PurgedAt == null)
            .Select(s => new { Session = s, s.Consent!.Status, s.Consent.ConsentExpiry, s.Consent.DataLifeUnit, s.Consent.DataLifeValue, s.Consent.CustomerId })
            .ToListAsync(ct);
        return candidates
            .Select(c => new Due(c.Session, c.CustomerId,
                c.Status is ConsentStatus.Revoked or ConsentStatus.Expired ? $"consent {c.Status.ToString().ToUpperInvariant()}"
                : c.ConsentExpiry is { } expiry && expiry <= now ? "consent EXPIRED"
                : ConsentRules.DataLifeEnds(c.DataLifeUnit, c.DataLifeValue, c.Session.FetchedAt, c.Session.ImportedAt) is { } ends && ends <= now
                    ? $"DataLife {c.DataLifeValue} {c.DataLifeUnit} ended {ends:yyyy-MM-dd}" : ""))
            .Where(x => x.Reason.Length > 0)
            .ToList();
    }

    /// <summary>One session in one transaction with a context of its own, so a failure leaves nothing half-done or half-tracked.</summary>
    private async Task<(int Transactions, int Files, int Accounts)> PurgeSessionAsync(Due item, DateTimeOffset now, CancellationToken ct)
    {
        var (session, customerId, reason) = item;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var accountIds = await db.Accounts.Where(a => a.CustomerId == customerId).Select(a => a.Id).ToListAsync(ct);
        // Reaches the session's rows through its accounts: (AccountId, ...) is the table's index.
        var deleted = await db.Transactions.Where(t => accountIds.Contains(t.AccountId) && t.FetchSessionId == session.Id).ExecuteDeleteAsync(ct);
        var files = await db.RawPayloads.Where(p => p.FetchSessionId == session.Id && p.ContentHeld).ToListAsync(ct);
        foreach (var file in files)
        {
            (file.ContentHeld, file.PurgedAt) = (false, now);
        }
        await db.FetchSessions.Where(s => s.Id == session.Id).ExecuteUpdateAsync(u => u
            .SetProperty(s => s.PurgedAt, now).SetProperty(s => s.PurgeReason, reason).SetProperty(s => s.TransactionsPurged, deleted), ct);
        // An account with no transactions left keeps its identity (masked number) but not its summary or holders.
        var scrubbed = await db.Accounts
            .Where(a => accountIds.Contains(a.Id) && !db.Transactions.Any(t => t.AccountId == a.Id)
                && (a.HoldersJson != "[]" || a.CurrentBalancePaise != null || a.BalanceDateTime != null || a.Branch != null || a.Ifsc != null
                    || a.HoldingType != null || a.OpeningDate != null || a.CurrentOdLimitPaise != null || a.DrawingLimitPaise != null))
            .ExecuteUpdateAsync(u => u
                .SetProperty(a => a.HoldersJson, "[]").SetProperty(a => a.HoldingType, (string?)null)
                .SetProperty(a => a.CurrentBalancePaise, (long?)null).SetProperty(a => a.CurrentOdLimitPaise, (long?)null)
                .SetProperty(a => a.DrawingLimitPaise, (long?)null).SetProperty(a => a.BalanceDateTime, (DateTimeOffset?)null)
                .SetProperty(a => a.Branch, (string?)null).SetProperty(a => a.Ifsc, (string?)null).SetProperty(a => a.OpeningDate, (DateOnly?)null)
                .SetProperty(a => a.Status, (string?)null).SetProperty(a => a.Facility, (string?)null), ct);
        // Once nothing is held under any consent, the profile the AA data brought goes too; handle and name stay as lineage.
        if (!await db.FetchSessions.AnyAsync(s => s.Consent!.CustomerId == customerId && s.PurgedAt == null, ct))
        {
            await db.Customers.Where(c => c.Id == customerId).ExecuteUpdateAsync(u => u
                .SetProperty(c => c.Pan, (string?)null).SetProperty(c => c.Udyam, (string?)null)
                .SetProperty(c => c.BusinessCategory, (string?)null).SetProperty(c => c.Scale, (string?)null), ct);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        // Bytes go after the commit; a file another live session still references (same bytes) stays.
        var filesDeleted = 0;
        foreach (var file in files)
        {
            if (!await db.RawPayloads.AnyAsync(p => p.Sha256 == file.Sha256 && p.ContentHeld, ct))
            {
                payloads.Delete(file.Sha256);
                filesDeleted++;
            }
        }
        await audit.AppendAsync(new AuditEvent(null, "purge", "", "purge", "purge", customerId,
            $"session {session.SessionId}: {reason}; {deleted} transactions and {files.Count} payloads deleted"), ct);
        return (deleted, filesDeleted, scrubbed);
    }
}

/// <summary>Runs the purge every hour on the app's clock.</summary>
public sealed class PurgeWorker(PurgeService purge, TimeProvider clock, Msme.Portal.Hosting.JobHeartbeats heartbeats, ILogger<PurgeWorker> log) : BackgroundService
{
    public const string JobName = "purge";
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var beat = heartbeats.Start(JobName, Interval);
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            beat.Beat();
            try
            {
                var result = await purge.PurgeAsync(stoppingToken);
                if (result.SessionsPurged > 0 || result.ConsentsExpired > 0)
                {
                    log.LogInformation("Purge: {Result}", result);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Purge failed; it runs again in an hour");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
