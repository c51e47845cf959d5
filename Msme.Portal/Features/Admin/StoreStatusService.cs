using Microsoft.EntityFrameworkCore;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Features.Admin;

public sealed record StoreStatus(int Customers, int Accounts, long Transactions, int Consents, int Sessions, DateTimeOffset? LatestFetch);

/// <summary>Counts for the home page and the admin's system status.</summary>
public sealed class StoreStatusService(IDbContextFactory<ApplicationDbContext> dbFactory)
{
    public async Task<StoreStatus> GetAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var latest = await db.FetchSessions.OrderByDescending(s => s.FetchedAt).Select(s => (DateTimeOffset?)s.FetchedAt).FirstOrDefaultAsync(ct);
        return new StoreStatus(
            await db.Customers.CountAsync(ct),
            await db.Accounts.CountAsync(ct),
            await db.Transactions.LongCountAsync(ct),
            await db.Consents.CountAsync(ct),
            await db.FetchSessions.CountAsync(ct),
            latest);
    }

    public async Task<IReadOnlyList<ImportRun>> RecentImportsAsync(int count, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ImportRuns.AsNoTracking().OrderByDescending(r => r.Id).Take(count).ToListAsync(ct);
    }
}
