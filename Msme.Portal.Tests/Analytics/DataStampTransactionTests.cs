using Microsoft.EntityFrameworkCore;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Analytics;

/// <summary>
/// PostgreSQL's data stamps move once per customer and transaction, however many rows the transaction writes (a row-level
/// bump of one row per write made a 400,000-instalment loan book quadratic there), and no bump is lost to a savepoint
/// rolled back. SQLite bumps per row (it updates in place, so it has no such cost); its stamp tests are the gate's.
/// </summary>
public sealed class DataStampTransactionTests : IAsyncLifetime
{
    private TestStore _store = null!;

    public async Task InitializeAsync() => _store = await TestStore.CreateAsync(provider: TestProvider.PostgreSql);

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task Many_rows_in_one_transaction_move_each_customer_stamp_once()
    {
        var (a, b) = (await CustomerAsync("a@test"), await CustomerAsync("b@test"));
        var before = await StampsAsync();

        await using (var db = await _store.DbAsync())
        {
            db.AnomalyReviews.AddRange(Enumerable.Range(0, 300).Select(i => Review(i % 3 == 0 ? b : a, $"k{i}")));
            await db.SaveChangesAsync(); // one transaction, 300 INSERT statements, 300 row triggers
        }

        var after = await StampsAsync();
        Assert.Equal(before.GetValueOrDefault(a) + 1, after[a]);
        Assert.Equal(before.GetValueOrDefault(b) + 1, after[b]);
        Assert.Equal(before.GetValueOrDefault(DataStamp.Global) + 1, after[DataStamp.Global]);

        // The next transaction moves them again: the record of what was stamped ends with its transaction.
        await using (var db = await _store.DbAsync())
        {
            db.AnomalyReviews.Add(Review(a, "next"));
            await db.SaveChangesAsync();
        }
        var next = await StampsAsync();
        Assert.Equal(after[a] + 1, next[a]);
        Assert.Equal(after[b], next[b]);
        Assert.Equal(after[DataStamp.Global] + 1, next[DataStamp.Global]);
    }

    [SkippableFact]
    public async Task A_savepoint_rolled_back_takes_its_bump_with_it_and_the_next_write_bumps_again()
    {
        var a = await CustomerAsync("a@test");
        var before = (await StampsAsync()).GetValueOrDefault(a);

        await using (var db = await _store.DbAsync())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await tx.CreateSavepointAsync("bundle");
            db.AnomalyReviews.Add(Review(a, "rolled-back"));
            await db.SaveChangesAsync();
            await tx.RollbackToSavepointAsync("bundle");
            db.ChangeTracker.Clear();
            db.AnomalyReviews.Add(Review(a, "kept"));
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }

        Assert.Equal(before + 1, (await StampsAsync())[a]);
        await using var check = await _store.DbAsync();
        Assert.Equal(["kept"], await check.AnomalyReviews.Where(r => r.CustomerId == a).Select(r => r.AnomalyKey).ToListAsync());
    }

    private async Task<int> CustomerAsync(string handle)
    {
        await using var db = await _store.DbAsync();
        var customer = new Customer { AaHandle = handle, CreatedAt = _store.Clock.GetUtcNow() };
        db.Customers.Add(customer);
        await db.SaveChangesAsync();
        return customer.Id;
    }

    private async Task<Dictionary<int, long>> StampsAsync()
    {
        await using var db = await _store.DbAsync();
        return await db.DataStamps.AsNoTracking().ToDictionaryAsync(s => s.CustomerId, s => s.Version);
    }

    private AnomalyReview Review(int customer, string key) => new()
    {
        AnomalyKey = key, CustomerId = customer, Scope = "customer", Detector = "test", Subject = "s", Period = "2026-11",
        ReviewerId = "u", ReviewerName = "U", ReviewedAt = _store.Clock.GetUtcNow(),
    };
}
