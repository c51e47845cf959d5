using Microsoft.EntityFrameworkCore;
using Msme.Domain.Consent;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Features.Compliance;

/// <summary>One fetch session as lineage: what it delivered, whether its data is still held, and the files' hashes.</summary>
public sealed record SessionLineage(string SessionId, string? FipId, DateTimeOffset FetchedAt, int TransactionsAdded, int TransactionsOverlapping,
    int TransactionsFilteredOut, int TransactionsHeld, DateOnly? FirstDate, DateOnly? LastDate, DateTimeOffset? PurgedAt, string? PurgeReason,
    DateTimeOffset? DataLifeEnds, IReadOnlyList<RawPayload> Payloads);

/// <summary>Everything a compliance officer asks of one consent: what it allowed, what it brought, who saw it, whether it is deleted.</summary>
public sealed record ConsentLineage(ConsentRecord Consent, Customer Customer, IReadOnlyList<ConsentStatusChange> History,
    IReadOnlyList<SessionLineage> Sessions, IReadOnlyList<ConsentLinkedAccount> Accounts, IReadOnlyList<AuditEntry> Views);

/// <summary>Reads a consent's lineage and changes its status (admin screen and, later, the AA's Consent/Notification).</summary>
public sealed class ConsentLineageService(IDbContextFactory<ApplicationDbContext> dbFactory, AuditLog audit, TimeProvider clock)
{
    public async Task<ConsentLineage?> GetAsync(int consentRowId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var consent = await db.Consents.AsNoTracking().Include(c => c.LinkedAccounts).Include(c => c.StatusHistory)
            .FirstOrDefaultAsync(c => c.Id == consentRowId, ct);
        if (consent is null)
        {
            return null;
        }
        var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == consent.CustomerId, ct);
        var sessions = await db.FetchSessions.AsNoTracking().Include(s => s.Payloads).Where(s => s.ConsentRecordId == consent.Id)
            .OrderBy(s => s.FetchedAt).ToListAsync(ct);
        var accountIds = await db.Accounts.Where(a => a.CustomerId == consent.CustomerId).Select(a => a.Id).ToListAsync(ct);
        var held = new Dictionary<int, int>();
        foreach (var s in sessions)
        {
            held[s.Id] = await db.Transactions.CountAsync(t => accountIds.Contains(t.AccountId) && t.FetchSessionId == s.Id, ct);
        }
        var views = await db.AuditEntries.AsNoTracking().Where(e => e.CustomerId == consent.CustomerId)
            .OrderByDescending(e => e.Id).Take(200).ToListAsync(ct);
        return new ConsentLineage(consent, customer, [.. consent.StatusHistory.OrderBy(h => h.Id)],
            [.. sessions.Select(s => new SessionLineage(s.SessionId, s.FipId, s.FetchedAt, s.TransactionsAdded, s.TransactionsOverlapping,
                s.TransactionsFilteredOut, held[s.Id], s.FirstTransactionDate, s.LastTransactionDate, s.PurgedAt, s.PurgeReason,
                ConsentRules.DataLifeEnds(consent.DataLifeUnit, consent.DataLifeValue, s.FetchedAt, s.ImportedAt), s.Payloads))],
            consent.LinkedAccounts, views);
    }

    /// <summary>
    /// Changes a consent's status with a reason (staff on the lineage screen). Staff may only restrict a consent
    /// (<see cref="ConsentTransitions.StaffTargets"/>); REVOKED and EXPIRED are final. Returns why not, or null.
    /// </summary>
    /// <param name="actor">Who made the change, for the audit entry's user id and roles (the admin, or the AA's API client); none for system changes.</param>
    public async Task<string?> ChangeStatusAsync(int consentRowId, ConsentStatus to, string source, string user, string? note, CancellationToken ct = default,
        System.Security.Claims.ClaimsPrincipal? actor = null) =>
        (await ChangeAsync(consentRowId, to, source, user, note, actor, null, ct)).Error;

    /// <summary>
    /// The one way a consent's status changes (staff, the AA's notification, expiry). In one transaction that holds
    /// SQLite's write lock from the start: the checks, a conditional update (<c>WHERE Status = @from</c>, so a change
    /// decided on a status that no longer holds changes nothing: a PAUSED racing a REVOKED cannot undo the
    /// revocation), the status history row, the notification's receipt and the audit entry. All commit, or none.
    /// <para>
    /// For a notification (<paramref name="notice"/>), a txnid seen before is refused as a replay, and a timestamp older
    /// than the last one applied to this consent as stale; a notification of the current status is acknowledged,
    /// recorded and changes nothing. (The AA's JWS signature, with the AA connector, is checked before this is called.)
    /// </para>
    /// </summary>
    public async Task<ConsentChangeResult> ChangeAsync(int consentRowId, ConsentStatus to, string source, string user, string? note,
        System.Security.Claims.ClaimsPrincipal? actor, AaNotice? notice, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The consent's lock from the first read (SQLite: BEGIN IMMEDIATE), so the checks see the status the update changes.
        await using var tx = await audit.Locks.BeginConsentChangeAsync(db, consentRowId, ct);
        var consent = await db.Consents.AsNoTracking().Where(c => c.Id == consentRowId)
            .Select(c => new { c.Id, c.ConsentId, c.CustomerId, c.Status }).FirstOrDefaultAsync(ct);
        if (consent is null)
        {
            return new(ConsentChangeOutcome.NotFound, "no such consent");
        }
        var from = consent.Status;
        var target = $"/compliance/consents/{consent.Id}";
        AuditEvent Event(string action, string details) => actor is null
            ? new AuditEvent(null, user, "", action, target, consent.CustomerId, details)
            : AuditEvent.For(actor, action, target, consent.CustomerId, details) with { UserName = user };
        if (notice is not null)
        {
            if (await db.AaNotificationReceipts.AnyAsync(r => r.Txnid == notice.Txnid, ct))
            {
                return new(ConsentChangeOutcome.Replayed, $"txnid {notice.Txnid} was received before; a replayed notification is not applied");
            }
            var last = await db.AaNotificationReceipts.Where(r => r.ConsentRecordId == consent.Id && !r.Status.StartsWith("FI:")).OrderByDescending(r => r.Timestamp)
                .Select(r => (DateTimeOffset?)r.Timestamp).FirstOrDefaultAsync(ct);
            if (last is { } l && notice.Timestamp < l)
            {
                return new(ConsentChangeOutcome.Stale,
                    $"timestamp {notice.Timestamp.UtcDateTime:O} is older than the last notification applied to this consent ({l.UtcDateTime:O})");
            }
            db.AaNotificationReceipts.Add(new AaNotificationReceipt
            {
                Txnid = notice.Txnid, ConsentRecordId = consent.Id, Timestamp = notice.Timestamp.ToUniversalTime(), ReceivedAt = clock.GetUtcNow(),
                NotifierId = notice.NotifierId, ApiClientId = notice.ApiClientId, Status = Upper(to),
            });
            if (from == to)
            {
                // The AA may tell us the same status again (a new txnid): recorded, acknowledged, nothing changes.
                await db.SaveChangesAsync(ct);
                await audit.AppendAsync(db, Event("consent-notification", $"{consent.ConsentId}: already {Upper(from)}, no change ({note})"), ct);
                await tx.CommitAsync(ct);
                return new(ConsentChangeOutcome.Unchanged, null);
            }
        }
        if (from == to)
        {
            return new(ConsentChangeOutcome.Refused, $"the consent is already {Upper(to)}");
        }
        if (ConsentTransitions.Refusal(from, to, source) is { } refusal)
        {
            return new(ConsentChangeOutcome.Refused, refusal);
        }
        if (string.IsNullOrWhiteSpace(note))
        {
            return new(ConsentChangeOutcome.Refused, "say why (the note is kept in the consent's status history)");
        }
        var updated = await db.Consents.Where(c => c.Id == consent.Id && c.Status == from).ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, to), ct);
        if (updated == 0)
        {
            return new(ConsentChangeOutcome.Conflict, $"the consent is no longer {Upper(from)}: it changed meanwhile; reload and decide again");
        }
        db.ConsentStatusChanges.Add(new ConsentStatusChange
        {
            ConsentRecordId = consent.Id, FromStatus = from, ToStatus = to, ChangedAt = clock.GetUtcNow(), Source = source, ChangedBy = user, Note = note.Trim(),
        });
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, Event("consent-change", $"{consent.ConsentId}: {Upper(from)} -> {Upper(to)} ({source}): {note.Trim()}"), ct);
        await tx.CommitAsync(ct);
        return new(ConsentChangeOutcome.Changed, null);
    }

    private static string Upper(ConsentStatus s) => s.ToString().ToUpperInvariant();
}

/// <summary>An AA's Consent/Notification as the status change checks it: its txnid and timestamp, the AA, and the API client it came through.</summary>
public sealed record AaNotice(string Txnid, DateTimeOffset Timestamp, string NotifierId, int? ApiClientId);

public enum ConsentChangeOutcome { Changed, Unchanged, NotFound, Refused, Conflict, Replayed, Stale }

/// <summary>What a status change did; <see cref="Error"/> says why not when it did nothing.</summary>
public sealed record ConsentChangeResult(ConsentChangeOutcome Outcome, string? Error);
