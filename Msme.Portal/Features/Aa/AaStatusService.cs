using Microsoft.EntityFrameworkCore;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Features.Aa;

/// <summary>A consent request as the screens list it.</summary>
public sealed record AaConsentRequestRow(int Id, string CustomerHandle, int? CustomerId, string ConsentHandle, string Status, string? ConsentId,
    int? ConsentRecordId, string PurposeCode, string FetchType, DateTimeOffset FiDataFrom, DateTimeOffset FiDataTo, int DataLifeMonths,
    DateTimeOffset RequestedAt, string RequestedBy, DateTimeOffset? StatusChangedAt, string? Error, string AaId);

/// <summary>A fetch as the screens list it.</summary>
public sealed record AaFetchRow(int Id, string ConsentId, int ConsentRecordId, int CustomerId, string? SessionId, string Status, string? ErrorCode,
    string? ErrorMessage, DateTimeOffset RangeFrom, DateTimeOffset RangeTo, string Trigger, string RequestedBy, DateTimeOffset RequestedAt,
    DateTimeOffset UpdatedAt, int Accounts, int Transactions);

/// <summary>Reads the connector's records for the screens: consent requests and fetches, by customer, by consent, or the latest.</summary>
public sealed class AaStatusService(IDbContextFactory<ApplicationDbContext> dbFactory)
{
    public async Task<IReadOnlyList<AaConsentRequestRow>> RequestsAsync(int? customerId = null, int? consentRecordId = null, int take = 200, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.AaConsentRequests.AsNoTracking();
        if (customerId is { } c)
        {
            q = q.Where(r => r.CustomerId == c);
        }
        if (consentRecordId is { } r0)
        {
            q = q.Where(r => r.ConsentRecordId == r0);
        }
        return await q.OrderByDescending(r => r.Id).Take(take).Select(r => new AaConsentRequestRow(r.Id, r.CustomerHandle, r.CustomerId, r.ConsentHandle, r.Status,
            r.ConsentId, r.ConsentRecordId, r.PurposeCode, r.FetchType, r.FiDataFrom, r.FiDataTo, r.DataLifeMonths, r.RequestedAt, r.RequestedBy,
            r.StatusChangedAt, r.Error, r.AaId)).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<AaFetchRow>> FetchesAsync(int? customerId = null, int? consentRecordId = null, int take = 200, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.AaFetches.AsNoTracking();
        if (customerId is { } c)
        {
            q = q.Where(f => f.CustomerId == c);
        }
        if (consentRecordId is { } r0)
        {
            q = q.Where(f => f.ConsentRecordId == r0);
        }
        return await q.OrderByDescending(f => f.Id).Take(take).Select(f => new AaFetchRow(f.Id, f.ConsentId, f.ConsentRecordId, f.CustomerId, f.SessionId,
            f.Status, f.ErrorCode, f.ErrorMessage, f.RangeFrom, f.RangeTo, f.Trigger, f.RequestedBy, f.RequestedAt, f.UpdatedAt, f.Accounts, f.Transactions)).ToListAsync(ct);
    }

    /// <summary>Counts per fetch status, for the imports page's summary.</summary>
    public async Task<IReadOnlyDictionary<string, int>> FetchCountsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AaFetches.AsNoTracking().GroupBy(f => f.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
    }
}
