using Microsoft.EntityFrameworkCore;
using Msme.Domain.Consent;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Features.Compliance;

/// <summary>One consent in a customer's passport: what it allowed, what it brought, what is still held.</summary>
public sealed record PassportConsent(int Id, string ConsentId, ConsentStatus Status, string? PurposeCode, string? PurposeText, string FiTypes,
    string? FetchType, DateTimeOffset? FiDataFrom, DateTimeOffset? FiDataTo, DateTimeOffset? Expiry, string? DataLife, bool UsableNow,
    IReadOnlyList<DataUse> Uses, int Sessions, int SessionsPurged, int TransactionsFetched, int TransactionsFilteredOut, int TransactionsHeld,
    DateOnly? FirstDate, DateOnly? LastDate, DateTimeOffset? NextDataLifeEnd, int PayloadsHeld, int PayloadsDeleted);

/// <summary>One use of AA data: which consents allow it now, and what the portal derives under it.</summary>
public sealed record PassportUse(DataUse Use, IReadOnlyList<string> PurposeCodes, IReadOnlyList<string> AllowedNowBy, IReadOnlyList<string> Derives);

/// <summary>One person (or API client) who looked at or acted on the customer's data.</summary>
public sealed record PassportViewer(string UserName, string Roles, int Entries, DateTimeOffset First, DateTimeOffset Last, IReadOnlyList<string> Actions);

/// <summary>
/// A customer's data passport: every consent and what it allowed, what was fetched under it and whether it is still
/// held, what the portal derives from it, and who saw it. Answers "who saw this customer's bank data, under which
/// consent, and is it deleted now?" on one page.
/// </summary>
public sealed record DataPassport(Customer Customer, IReadOnlyList<PassportConsent> Consents, IReadOnlyList<PassportUse> Uses,
    int TransactionsHeld, int AccountsHeld, int StoredBucketMoves, int StoredAnomalyReviews, IReadOnlyList<PassportViewer> Viewers,
    IReadOnlyList<AuditEntry> Latest, int AuditEntries);

public sealed class DataPassportService(IDbContextFactory<ApplicationDbContext> dbFactory, TimeProvider clock)
{
    public const int LatestEntries = 100;

    public async Task<DataPassport?> GetAsync(int customerId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == customerId, ct);
        if (customer is null)
        {
            return null;
        }
        var now = clock.GetUtcNow();
        var consents = await db.Consents.AsNoTracking().Where(c => c.CustomerId == customerId).OrderBy(c => c.ReceivedAt).ThenBy(c => c.Id).ToListAsync(ct);
        var consentIds = consents.Select(c => c.Id).ToList();
        var sessions = await db.FetchSessions.AsNoTracking().Include(s => s.Payloads).Where(s => consentIds.Contains(s.ConsentRecordId)).ToListAsync(ct);
        var accountIds = await db.Accounts.Where(a => a.CustomerId == customerId).Select(a => a.Id).ToListAsync(ct);
        var heldBySession = await db.Transactions.Where(t => accountIds.Contains(t.AccountId))
            .GroupBy(t => t.FetchSessionId).Select(g => new { Session = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Session, g => g.Count, ct);
        var accountsHeld = await db.Transactions.Where(t => accountIds.Contains(t.AccountId)).Select(t => t.AccountId).Distinct().CountAsync(ct);

        var rows = consents.Select(c =>
        {
            var own = sessions.Where(s => s.ConsentRecordId == c.Id).ToList();
            var live = own.Where(s => s.PurgedAt is null).ToList();
            var nextEnd = live.Select(s => ConsentRules.DataLifeEnds(c.DataLifeUnit, c.DataLifeValue, s.FetchedAt, s.ImportedAt)).Where(e => e is not null).Min();
            return new PassportConsent(c.Id, c.ConsentId, c.Status, c.PurposeCode, c.PurposeText, c.FiTypes, c.FetchType, c.FiDataFrom, c.FiDataTo,
                c.ConsentExpiry, ConsentListRow.DataLifeText(c.DataLifeUnit, c.DataLifeValue), ConsentPurposes.Usable(c.Status, c.ConsentExpiry, now), ConsentPurposes.UsesOf(c.PurposeCode),
                own.Count, own.Count(s => s.PurgedAt is not null), own.Sum(s => s.TransactionsAdded), own.Sum(s => s.TransactionsFilteredOut),
                own.Sum(s => heldBySession.GetValueOrDefault(s.Id)), own.Min(s => s.FirstTransactionDate), own.Max(s => s.LastTransactionDate), nextEnd,
                own.Sum(s => s.Payloads.Count(p => p.ContentHeld)), own.Sum(s => s.Payloads.Count(p => !p.ContentHeld)));
        }).ToList();

        var uses = Enum.GetValues<DataUse>().Select(u => new PassportUse(u, ConsentPurposes.Allowed[u],
            [.. rows.Where(r => r.UsableNow && r.Uses.Contains(u) && r.TransactionsHeld > 0).Select(r => r.ConsentId)],
            ConsentPurposes.Derives[u])).ToList();

        var loanKeys = await db.Loans.Where(l => l.CustomerId == customerId).Select(l => l.Id).ToListAsync(ct);
        var bucketMoves = await db.BucketMoves.CountAsync(m => loanKeys.Contains(m.LoanKey), ct);
        var reviews = await db.AnomalyReviews.CountAsync(r => r.CustomerId == customerId, ct);

        var audit = db.AuditEntries.AsNoTracking().Where(e => e.CustomerId == customerId);
        var total = await audit.CountAsync(ct);
        // Grouped in memory: the audit trail of one customer is small, and DateTimeOffset is stored as binary.
        var all = await audit.Select(e => new { e.UserName, e.Roles, e.Action, e.At }).ToListAsync(ct);
        var viewers = all.GroupBy(e => e.UserName)
            .Select(g => new PassportViewer(g.Key, g.Last().Roles, g.Count(), g.Min(e => e.At), g.Max(e => e.At), [.. g.Select(e => e.Action).Distinct().Order()]))
            .OrderByDescending(v => v.Last).ToList();
        var latest = await audit.OrderByDescending(e => e.Id).Take(LatestEntries).ToListAsync(ct);

        return new DataPassport(customer, rows, uses, heldBySession.Values.Sum(), accountsHeld, bucketMoves, reviews, viewers, latest, total);
    }
}
