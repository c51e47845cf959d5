using Microsoft.EntityFrameworkCore;
using Msme.Domain.Consent;
using Msme.Portal.Data;
using Msme.Portal.Features.Customers;

namespace Msme.Portal.Features.Compliance;

/// <summary>One consent as the compliance list shows it.</summary>
public sealed record ConsentListRow(int Id, string ConsentId, int CustomerId, string? CustomerName, string CustomerHandle, ConsentStatus Status,
    string? PurposeCode, string? PurposeText, string? FetchType, DateTimeOffset? ConsentExpiry, string? DataLifeUnit, int? DataLifeValue, int Sessions)
{
    /// <summary>"3 MONTH", "INF", or null when the artefact gave none.</summary>
    public string? DataLife => DataLifeText(DataLifeUnit, DataLifeValue);

    public static string? DataLifeText(string? unit, int? value) => unit switch
    {
        null => null,
        "INF" => "INF",
        _ => value is { } v ? $"{v} {unit}" : unit,
    };
}

/// <summary>
/// What the consent registry filters on. <paramref name="ExpiresWithinDays"/>: consents that expire within that many days
/// from now (0 = already expired by date). <paramref name="DataLifeDueWithinDays"/>: consents with data still held whose
/// DataLife ends within that many days (0 = overdue, awaiting the purge). <paramref name="CustomerId"/>: one customer's
/// consents (the API's filter).
/// </summary>
public sealed record ConsentFilter(ConsentStatus? Status = null, string? PurposeCode = null, int? ExpiresWithinDays = null, int? DataLifeDueWithinDays = null,
    int? CustomerId = null)
{
    public static ConsentFilter All { get; } = new();
}

/// <summary>Consents for compliance staff: paged, sorted and filtered in the database.</summary>
public sealed class ComplianceService(IDbContextFactory<ApplicationDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>The purpose codes present in the store, for the registry's filter.</summary>
    public async Task<IReadOnlyList<string>> PurposeCodesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Consents.Where(c => c.PurposeCode != null).Select(c => c.PurposeCode!).Distinct().OrderBy(c => c).ToListAsync(ct);
    }

    public async Task<Page<ConsentListRow>> ConsentsAsync(ConsentFilter filter, int page, int pageSize, string? sortBy, bool descending, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var query = db.Consents.AsNoTracking();
        if (filter.Status is { } s)
        {
            query = query.Where(c => c.Status == s);
        }
        if (filter.CustomerId is { } customer)
        {
            query = query.Where(c => c.CustomerId == customer);
        }
        if (!string.IsNullOrWhiteSpace(filter.PurposeCode))
        {
            var purpose = filter.PurposeCode.Trim();
            query = query.Where(c => c.PurposeCode == purpose);
        }
        if (filter.ExpiresWithinDays is { } days)
        {
            var by = now.AddDays(days);
            query = query.Where(c => c.ConsentExpiry != null && c.ConsentExpiry <= by);
        }
        if (filter.DataLifeDueWithinDays is { } lifeDays)
        {
            // DataLife runs from each fetch, in the consent's own unit: computed per session with the same rule the purge uses.
            var by = now.AddDays(lifeDays);
            var live = await query.SelectMany(c => c.Sessions.Where(x => x.PurgedAt == null), (c, x) => new { c.Id, c.DataLifeUnit, c.DataLifeValue, x.FetchedAt, x.ImportedAt })
                .ToListAsync(ct);
            var due = live.Where(x => ConsentRules.DataLifeEnds(x.DataLifeUnit, x.DataLifeValue, x.FetchedAt, x.ImportedAt) is { } end && end <= by).Select(x => x.Id).Distinct().ToList();
            query = query.Where(c => due.Contains(c.Id));
        }
        var total = await query.CountAsync(ct);
        query = (sortBy, descending) switch
        {
            ("customer", false) => query.OrderBy(c => c.Customer!.LegalName).ThenBy(c => c.Id),
            ("customer", true) => query.OrderByDescending(c => c.Customer!.LegalName).ThenBy(c => c.Id),
            ("status", false) => query.OrderBy(c => c.Status).ThenBy(c => c.Id),
            ("status", true) => query.OrderByDescending(c => c.Status).ThenBy(c => c.Id),
            ("purpose", false) => query.OrderBy(c => c.PurposeCode).ThenBy(c => c.Id),
            ("purpose", true) => query.OrderByDescending(c => c.PurposeCode).ThenBy(c => c.Id),
            ("expiry", true) => query.OrderByDescending(c => c.ConsentExpiry).ThenBy(c => c.Id),
            // Soonest expiry first: what compliance must act on next.
            _ => query.OrderBy(c => c.ConsentExpiry).ThenBy(c => c.Id),
        };
        var rows = await query.Skip(page * pageSize).Take(pageSize)
            .Select(c => new ConsentListRow(c.Id, c.ConsentId, c.CustomerId, c.Customer!.LegalName, c.Customer.AaHandle, c.Status, c.PurposeCode,
                c.PurposeText, c.FetchType, c.ConsentExpiry, c.DataLifeUnit, c.DataLifeValue, c.Sessions.Count))
            .ToListAsync(ct);
        return new Page<ConsentListRow>(rows, total);
    }
}
