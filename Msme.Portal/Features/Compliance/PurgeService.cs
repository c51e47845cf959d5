using Microsoft.EntityFrameworkCore;
using Msme.Domain.Consent;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Ingestion;

namespace Msme.Portal.Features.Compliance;

/// <summary>What one purge run did.</summary>
public sealed record PurgeResult(int ConsentsExpired, int SessionsPurged, int TransactionsDeleted, int PayloadsDeleted, int AccountsScrubbed);

/// <summary>
/// Deletes AA data that may no longer be kept: every session under a REVOKED or EXPIRED consent (an ACTIVE or PAUSED
/// consent past its expiry is first marked EXPIRED), and every session whose DataLife since fetch has ended. Deletes
/// the transactions, the payload bytes and the holders' personal data of accounts left with no data; keeps the
/// lineage: consents with their status history, sessions with their counts, date ranges and payload hashes.
/// Runs on the clock it is given, so tests advance time instead of waiting.
/// </summary>
public sealed class PurgeService(IDbContextFactory<ApplicationDbContext> dbFactory, PayloadStore payloads, AuditLog audit, TimeProvider clock)
{
    public async Task<PurgeResult> PurgeAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);

        var expiring = await db.Consents
            .Where(c => (c.Status == ConsentStatus.Active || c.Status == ConsentStatus.Paused) && c.ConsentExpiry != null && c.ConsentExpiry <= now)
            .ToListAsync(ct);
        foreach (var consent in expiring)
        {
            db.ConsentStatusChanges.Add(new ConsentStatusChange
            {
                ConsentRecordId = consent.Id, FromStatus = consent.Status, ToStatus = ConsentStatus.Expired, ChangedAt = now, Source = "purge",
                Note = $"consentExpiry {consent.ConsentExpiry:O} has passed",
            });
            consent.Status = ConsentStatus.Expired;
        }
        await db.SaveChangesAsync(ct);

        var candidates = await db.FetchSessions.Where(s => s.PurgedAt == null)
            .Select(s => new { Session = s, s.Consent!.Status, s.Consent.DataLifeUnit, s.Consent.DataLifeValue, s.Consent.CustomerId })
            .ToListAsync(ct);
        var due = candidates
            .Select(c => (c.Session, c.CustomerId, Reason: c.Status is ConsentStatus.Revoked or ConsentStatus.Expired
                ? $"consent {c.Status.ToString().ToUpperInvariant()}"
                : ConsentRules.DataLifeEnds(c.DataLifeUnit, c.DataLifeValue, c.Session.FetchedAt) is { } ends && ends <= now ? $"DataLife {c.DataLifeValue} {c.DataLifeUnit} ended {ends:yyyy-MM-dd}" : null))
            .Where(x => x.Reason is not null)
            .ToList();

        int transactions = 0, payloadFiles = 0, scrubbed = 0;
        foreach (var (session, customerId, reason) in due)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var accountIds = await db.Accounts.Where(a => a.CustomerId == customerId).Select(a => a.Id).ToListAsync(ct);
            // Reaches the session's rows through its accounts: (AccountId, ...) is the table's index.
            var deleted = await db.Transactions.Where(t => accountIds.Contains(t.AccountId) && t.FetchSessionId == session.Id).ExecuteDeleteAsync(ct);
            var files = await db.RawPayloads.Where(p => p.FetchSessionId == session.Id && p.ContentHeld).ToListAsync(ct);
            foreach (var file in files)
            {
                (file.ContentHeld, file.PurgedAt) = (false, now);
            }
            session.PurgedAt = now;
            session.PurgeReason = reason;
            session.TransactionsPurged = deleted;
            db.FetchSessions.Update(session);
            // An account with no transactions left keeps its identity (masked number) but not its holders' personal data.
            var emptied = await db.Accounts.Where(a => accountIds.Contains(a.Id) && a.HoldersJson != "[]" && !db.Transactions.Any(t => t.AccountId == a.Id)).ToListAsync(ct);
            foreach (var account in emptied)
            {
                account.HoldersJson = "[]";
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            transactions += deleted;
            scrubbed += emptied.Count;

            // Bytes go after the commit; a file another live session still references (same bytes) stays.
            foreach (var file in files)
            {
                if (!await db.RawPayloads.AnyAsync(p => p.Sha256 == file.Sha256 && p.ContentHeld, ct))
                {
                    payloads.Delete(file.Sha256);
                    payloadFiles++;
                }
            }
            await audit.AppendAsync(new AuditEvent(null, "purge", "", "purge", "purge", customerId,
                $"session {session.SessionId}: {reason}; {deleted} transactions and {files.Count} payloads deleted"), ct);
        }
        if (expiring.Count > 0)
        {
            await audit.AppendAsync(new AuditEvent(null, "purge", "", "consent-change", "purge", null,
                $"{expiring.Count} consent(s) past consentExpiry marked EXPIRED: {string.Join(",", expiring.Select(c => c.ConsentId).Take(20))}"), ct);
        }
        return new PurgeResult(expiring.Count, due.Count, transactions, payloadFiles, scrubbed);
    }
}

/// <summary>Runs the purge every hour on the app's clock.</summary>
public sealed class PurgeWorker(PurgeService purge, TimeProvider clock, ILogger<PurgeWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
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
