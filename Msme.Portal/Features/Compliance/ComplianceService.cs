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
    public string? DataLife => DataLifeUnit switch
    {
        null => null,
        "INF" => "INF",
        _ => DataLifeValue is { } v ? $"{v} {DataLifeUnit}" : DataLifeUnit,
    };
}

/// <summary>Consents for compliance staff: paged, sorted and filtered in the database.</summary>
public sealed class ComplianceService(IDbContextFactory<ApplicationDbContext> dbFactory)
{
    /// <param name="customerId">Only this customer's consents (the API's filter).</param>
    /// <param name="purposeCode">Only consents for this purpose code (the API's filter).</param>
    public async Task<Page<ConsentListRow>> ConsentsAsync(ConsentStatus? status, int page, int pageSize, string? sortBy, bool descending, CancellationToken ct = default,
        int? customerId = null, string? purposeCode = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Consents.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(c => c.Status == s);
        }
        if (customerId is { } customer)
        {
            query = query.Where(c => c.CustomerId == customer);
        }
        if (!string.IsNullOrWhiteSpace(purposeCode))
        {
            query = query.Where(c => c.PurposeCode == purposeCode.Trim());
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
