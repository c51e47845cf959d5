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
    /// Changes a consent's status with a reason. PAUSED hides its data until resumed; REVOKED and EXPIRED hide it at once
    /// and the purge deletes it. A REVOKED or EXPIRED consent never becomes usable again.
    /// </summary>
    /// <param name="actor">Who made the change, for the audit entry's user id and roles (the admin, or the AA's API client); none for system changes.</param>
    public async Task<string?> ChangeStatusAsync(int consentRowId, ConsentStatus to, string source, string user, string? note, CancellationToken ct = default,
        System.Security.Claims.ClaimsPrincipal? actor = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var consent = await db.Consents.FirstOrDefaultAsync(c => c.Id == consentRowId, ct);
        if (consent is null)
        {
            return "no such consent";
        }
        if (consent.Status == to)
        {
            return $"the consent is already {to.ToString().ToUpperInvariant()}";
        }
        if (consent.Status is ConsentStatus.Revoked or ConsentStatus.Expired)
        {
            return $"a {consent.Status.ToString().ToUpperInvariant()} consent is final; the customer must give a new consent";
        }
        if (string.IsNullOrWhiteSpace(note))
        {
            return "say why (the note is kept in the consent's status history)";
        }
        var from = consent.Status;
        consent.Status = to;
        db.ConsentStatusChanges.Add(new ConsentStatusChange
        {
            ConsentRecordId = consent.Id, FromStatus = from, ToStatus = to, ChangedAt = clock.GetUtcNow(), Source = source, ChangedBy = user, Note = note.Trim(),
        });
        await db.SaveChangesAsync(ct);
        var details = $"{consent.ConsentId}: {from.ToString().ToUpperInvariant()} -> {to.ToString().ToUpperInvariant()} ({source}): {note.Trim()}";
        var target = $"/compliance/consents/{consent.Id}";
        await audit.AppendAsync(actor is null
            ? new AuditEvent(null, user, "", "consent-change", target, consent.CustomerId, details)
            : AuditEvent.For(actor, "consent-change", target, consent.CustomerId, details) with { UserName = user }, ct);
        return null;
    }
}
