using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Msme.Domain.Consent;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Collections;
using Msme.Portal.Tests.Collections;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Security;

/// <summary>
/// The collections queue's persisted forecasts (issue 17): a restarted instance serves the queue from the store, and
/// only under the data stamp the rows were computed from. A consent revoked, paused, purged or expired (on the clock)
/// makes them unusable at the next read, and a stamp bump deletes them in its own transaction.
/// </summary>
public class PersistedForecastTests : IAsyncLifetime
{
    /// <summary>The store these cases run on; the PostgreSQL subclass runs every one of them again there.</summary>
    protected virtual TestProvider Provider => TestProvider.Sqlite;

    private static readonly CollectionsViewer Admin = new("admin", true);
    private TestStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync(provider: Provider);
        var book = await CollectionsData.ImportDemoBundlesAsync(_store);
        await new LoanBookImporter(_store.DbFactory, _store.Clock).ImportFileAsync(book, "test");
    }

    public async Task DisposeAsync()
    {
        if (_store is not null) await _store.DisposeAsync();
    }

    /// <summary>A fresh instance on the same store: its own analysis cache, gate and forecast store, as after a restart.</summary>
    private CollectionsService Instance()
    {
        var gate = new ConsentGate(_store.DbFactory, new AnalysisCache(), _store.Clock);
        return new CollectionsService(_store.DbFactory, gate, _store.Clock, store: new ForecastStore(_store.DbFactory));
    }

    private static string Rows(QueuePage page) => JsonSerializer.Serialize(page.Items);

    [SkippableFact]
    public async Task A_restarted_instance_serves_the_queue_from_the_store_with_the_same_rows()
    {
        var before = await Instance().QueueAsync(Admin, new QueueQuery(PageSize: 1000));
        Assert.Contains(before.Items, i => i.Probability is not null);
        await using (var db = await _store.DbAsync())
        {
            Assert.Equal(before.Items.Select(i => i.CustomerId).Distinct().Order(), (await db.ForecastSnapshots.Select(s => s.CustomerId).ToListAsync())
                .Where(id => before.Items.Any(i => i.CustomerId == id)).Order());
        }

        var restarted = await Instance().QueueAsync(Admin, new QueueQuery(PageSize: 1000));
        Assert.Equal(Rows(before), Rows(restarted));

        // The rows really come from the store: a marker written into one customer's row shows after the next restart.
        var top = before.Items.First(i => i.Probability is not null);
        await MarkAsync(top.CustomerId, top.LoanId);
        var marked = await Instance().QueueAsync(Admin, new QueueQuery(PageSize: 1000));
        Assert.Contains(marked.Items, i => i.LoanId == "FROM-THE-STORE");
        Assert.DoesNotContain(marked.Items, i => i.LoanId == top.LoanId);
    }

    public enum Change { RevokedBySecondConnection, PausedBySecondConnection, Purged, ExpiredByClock }

    [SkippableTheory]
    [InlineData(Change.RevokedBySecondConnection)]
    [InlineData(Change.PausedBySecondConnection)]
    [InlineData(Change.Purged)]
    [InlineData(Change.ExpiredByClock)]
    public async Task A_persisted_forecast_is_not_served_once_the_customers_data_is_withheld(Change change)
    {
        var first = await Instance().QueueAsync(Admin, new QueueQuery(PageSize: 1000));
        var customer = first.Items.Where(i => i.Probability is not null).GroupBy(i => i.CustomerId).OrderByDescending(g => g.Count()).First().Key;
        if (change == Change.ExpiredByClock)
        {
            // The customer's consents expire in three hours (a write, before the rows are persisted again below).
            await using var setup = await _store.DbAsync();
            var expiry = _store.Clock.GetUtcNow().AddHours(3);
            await setup.Consents.Where(c => c.CustomerId == customer).ExecuteUpdateAsync(u => u.SetProperty(c => c.ConsentExpiry, expiry));
        }
        var before = await Instance().QueueAsync(Admin, new QueueQuery(PageSize: 1000));
        Assert.Contains(before.Items, i => i.CustomerId == customer && i.Probability is not null);
        var loanIds = before.Items.Where(i => i.CustomerId == customer).Select(i => i.LoanId).Distinct().ToList();
        // Marked, so a row served from the store would be recognised whatever the recomputation gives.
        await MarkAsync(customer, loanIds[0]);
        Assert.Contains((await Instance().QueueAsync(Admin, new QueueQuery(PageSize: 1000))).Items, i => i.LoanId == "FROM-THE-STORE");

        await WithholdAsync(customer, change);

        var after = await Instance().QueueAsync(Admin, new QueueQuery(PageSize: 1000));
        Assert.DoesNotContain(after.Items, i => i.CustomerId == customer);
        Assert.DoesNotContain(after.Items, i => i.LoanId == "FROM-THE-STORE");
        Assert.Contains(after.Items, i => i.CustomerId != customer && i.Probability is not null);
        await using var db = await _store.DbAsync();
        var row = await db.ForecastSnapshots.AsNoTracking().SingleOrDefaultAsync(s => s.CustomerId == customer);
        if (change == Change.ExpiredByClock)
        {
            // Nothing was written, so nothing could delete it; the next read computed the customer again (no rows) and
            // replaced what was persisted with that.
            Assert.NotNull(row);
            Assert.DoesNotContain("FROM-THE-STORE", Encoding.UTF8.GetString(row.Payload));
            Assert.Equal("[]", Encoding.UTF8.GetString(row.Payload));
        }
        else
        {
            // The stamp's bump deleted the row in the write's own transaction; the recomputation persisted no rows.
            Assert.True(row is null || Encoding.UTF8.GetString(row.Payload) == "[]", row is null ? "" : Encoding.UTF8.GetString(row.Payload));
        }
    }

    [SkippableFact]
    public async Task A_stamp_bump_deletes_the_row_and_rows_computed_under_an_older_stamp_are_never_written()
    {
        await Instance().QueueAsync(Admin, new QueueQuery(PageSize: 1000));
        int customer;
        await using (var db = await _store.DbAsync())
        {
            customer = await db.ForecastSnapshots.Where(s => s.CustomerId != ForecastStore.EffectsRow && s.Payload.Length > 2).OrderBy(s => s.CustomerId).Select(s => s.CustomerId).FirstAsync();
        }
        var gate = new ConsentGate(_store.DbFactory, new AnalysisCache(), _store.Clock);
        var entry = await gate.AnalysisAsync(customer);
        var store = new ForecastStore(_store.DbFactory);
        var key = (await _store.DbAsync()).ForecastSnapshots.Where(s => s.CustomerId == customer).Select(s => s.Key).First();
        var persisted = await store.ReadAsync([entry], key, default);
        Assert.NotEmpty(persisted[customer]);

        await WithholdAsync(customer, Change.RevokedBySecondConnection);
        await using (var db = await _store.DbAsync())
        {
            Assert.False(await db.ForecastSnapshots.AnyAsync(s => s.CustomerId == customer));
        }
        // A computation that started under the old stamp and finishes after the revocation writes nothing.
        await store.WriteAsync([(entry, persisted[customer])], key, 0, default);
        await using (var db = await _store.DbAsync())
        {
            Assert.False(await db.ForecastSnapshots.AnyAsync(s => s.CustomerId == customer));
        }
        Assert.Empty(await store.ReadAsync([entry], key, default));
        Assert.Empty(await store.ReadAsync([await gate.AnalysisAsync(customer)], key, default));
    }

    /// <summary>Rewrites one customer's persisted rows so that one loan id reads FROM-THE-STORE (no stamp is bumped by this table).</summary>
    private async Task MarkAsync(int customerId, string loanId)
    {
        await using var db = await _store.DbAsync();
        var row = await db.ForecastSnapshots.SingleAsync(s => s.CustomerId == customerId);
        var json = Encoding.UTF8.GetString(row.Payload);
        Assert.Contains($"\"{loanId}\"", json);
        row.Payload = Encoding.UTF8.GetBytes(json.Replace($"\"{loanId}\"", "\"FROM-THE-STORE\"", StringComparison.Ordinal));
        await db.SaveChangesAsync();
    }

    private async Task WithholdAsync(int customerId, Change change)
    {
        switch (change)
        {
            case Change.RevokedBySecondConnection or Change.PausedBySecondConnection:
            {
                var status = change == Change.RevokedBySecondConnection ? nameof(ConsentStatus.Revoked) : nameof(ConsentStatus.Paused);
                await using var connection = await _store.OpenOutsideConnectionAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = $"UPDATE \"Consents\" SET \"Status\" = '{status}' WHERE \"CustomerId\" = {customerId}";
                Assert.True(await command.ExecuteNonQueryAsync() > 0);
                break;
            }
            case Change.Purged:
            {
                await using var db = await _store.DbAsync();
                var purgedAt = _store.Clock.GetUtcNow();
                Assert.True(await db.FetchSessions.Where(s => s.Consent!.CustomerId == customerId).ExecuteUpdateAsync(u => u.SetProperty(s => s.PurgedAt, purgedAt)) > 0);
                break;
            }
            case Change.ExpiredByClock:
                _store.Clock.Advance(TimeSpan.FromHours(4));
                break;
        }
    }
}

/// <summary>Every case of <see cref="PersistedForecastTests"/> on PostgreSQL (skipped without a server; see <see cref="TestPostgres"/>).</summary>
public sealed class PersistedForecastTestsOnPostgreSql : PersistedForecastTests
{
    protected override TestProvider Provider => TestProvider.PostgreSql;
}
