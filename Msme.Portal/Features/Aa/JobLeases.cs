using Microsoft.EntityFrameworkCore;
using Msme.Portal.Data;

namespace Msme.Portal.Features.Aa;

/// <summary>
/// Named leases in the shared database, so that a job runs on one instance at a time however many run: taking a lease
/// is one conditional statement (insert it, or take it over when it is this holder's or has expired), which the
/// database serialises.
/// </summary>
public sealed class JobLeases(IDbContextFactory<ApplicationDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>This process's holder name: machine, process id and a random part (two hosts in one test process differ).</summary>
    public string Holder { get; } = Limit($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}");

    private static string Limit(string s) => s.Length <= 128 ? s : s[^128..];

    /// <summary>True when <paramref name="holder"/> holds <paramref name="name"/> until now + <paramref name="ttl"/>.</summary>
    public async Task<bool> TryAcquireAsync(string name, string holder, TimeSpan ttl, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO "JobLeases" ("Name", "Holder", "ExpiresAt") VALUES ({0}, {1}, {2})
            ON CONFLICT ("Name") DO UPDATE SET "Holder" = excluded."Holder", "ExpiresAt" = excluded."ExpiresAt"
            WHERE "JobLeases"."Holder" = excluded."Holder" OR "JobLeases"."ExpiresAt" < {3};
            """, [name, holder, DateTimeOffsetStorage.ToProvider(now + ttl), DateTimeOffsetStorage.ToProvider(now)], ct);
        var current = await db.JobLeases.AsNoTracking().Where(l => l.Name == name).Select(l => l.Holder).FirstOrDefaultAsync(ct);
        return current == holder;
    }

    /// <summary>Gives the lease up (when the job is done early or the instance stops).</summary>
    public async Task ReleaseAsync(string name, string holder, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.JobLeases.Where(l => l.Name == name && l.Holder == holder).ExecuteDeleteAsync(ct);
    }
}
