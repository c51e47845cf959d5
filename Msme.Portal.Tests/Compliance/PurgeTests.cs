using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain.Consent;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Compliance;

public class PurgeTests : IAsyncLifetime
{
    /// <summary>The store these cases run on; the PostgreSQL subclass runs every one of them again there.</summary>
    protected virtual TestProvider Provider => TestProvider.Sqlite;

    private TestStore _store = null!;
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("msme-purge-");

    public async Task InitializeAsync()
    {
        // The sample's consent: DataLife 6 months, expiry in 2030; fetched "now" = 1 Nov 2026.
        _store = await TestStore.CreateAsync(new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.FromHours(5.5)), Provider);
        var consent = TestConsents.Write(_work.FullName, dataLifeUnit: "MONTH", dataLifeValue: 6);
        var file = Path.Combine(AppContext.BaseDirectory, "Fixtures", "aa", "setu_sandbox_deposit_3accounts_scrubbed.json");
        Assert.Equal(ImportStatus.Imported, (await _store.Importer.ImportAsync(file, consent, "test")).Status);
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
        _work.Delete(recursive: true);
    }

    private PurgeService Purge => _store.Services.GetRequiredService<PurgeService>();

    [SkippableFact]
    public async Task Nothing_is_purged_while_the_data_life_lasts()
    {
        _store.Clock.Advance(TimeSpan.FromDays(150));

        var result = await Purge.PurgeAsync();

        Assert.Equal(0, result.SessionsPurged);
        Assert.Equal(671, (await _store.SnapshotAsync()).Transactions);
    }

    [SkippableFact]
    public async Task After_the_data_life_the_data_is_deleted_and_the_lineage_stays()
    {
        _store.Clock.Advance(TimeSpan.FromDays(200));

        var result = await Purge.PurgeAsync();

        Assert.Equal(new PurgeResult(0, 1, 671, 2, 3), result);
        await using var db = await _store.DbAsync();
        Assert.Equal(0, await db.Transactions.CountAsync());
        var session = await db.FetchSessions.Include(s => s.Payloads).SingleAsync();
        Assert.Equal(671, session.TransactionsAdded);
        Assert.Equal(671, session.TransactionsPurged);
        Assert.StartsWith("DataLife 6 MONTH ended 2027-05-01", session.PurgeReason);
        Assert.NotNull(session.FirstTransactionDate);
        Assert.All(session.Payloads, p =>
        {
            Assert.False(p.ContentHeld);
            Assert.Equal(64, p.Sha256.Length);
            Assert.False(File.Exists(_store.Services.GetRequiredService<PayloadStore>().PathOf(p.Sha256)));
        });
        Assert.Equal(1, await db.Consents.CountAsync());
        Assert.All(await db.Accounts.ToListAsync(), a => Assert.Equal("[]", a.HoldersJson));
        Assert.Contains(await db.AuditEntries.Select(e => e.Action).ToListAsync(), a => a == "purge");
    }

    [SkippableFact]
    public async Task A_revoked_consent_is_hidden_at_once_and_purged_on_the_next_run()
    {
        await using (var db = await _store.DbAsync())
        {
            await db.Consents.ExecuteUpdateAsync(c => c.SetProperty(x => x.Status, ConsentStatus.Revoked));
        }
        Assert.Empty(await new ConsentGate(_store.DbFactory, new AnalysisCache(), _store.Clock).LoadCustomerAsync(1));

        var result = await Purge.PurgeAsync();

        Assert.Equal(1, result.SessionsPurged);
        Assert.Equal(0, (await _store.SnapshotAsync()).Transactions);
    }

    [SkippableFact]
    public async Task A_consent_past_its_expiry_is_marked_expired_in_its_history_and_purged()
    {
        _store.Clock.SetUtcNow(new DateTimeOffset(2030, 1, 2, 0, 0, 0, TimeSpan.Zero));

        var result = await Purge.PurgeAsync();

        Assert.Equal(1, result.ConsentsExpired);
        await using var db = await _store.DbAsync();
        var history = await db.ConsentStatusChanges.OrderBy(h => h.Id).ToListAsync();
        Assert.Equal([ConsentStatus.Active, ConsentStatus.Expired], history.Select(h => h.ToStatus));
        Assert.Equal("purge", history[1].Source);
        Assert.Equal(0, await db.Transactions.CountAsync());
    }

    [SkippableFact]
    public async Task An_expiry_goes_through_the_one_status_change_with_its_own_audit_entry_and_is_final()
    {
        // The purge marks expiries through ConsentLineageService.ChangeAsync, like staff and the AA: conditional on the status it read.
        var lineage = new ConsentLineageService(_store.DbFactory, _store.Services.GetRequiredService<AuditLog>(), _store.Clock);
        _store.Clock.SetUtcNow(new DateTimeOffset(2030, 1, 2, 0, 0, 0, TimeSpan.Zero));

        var before = await Purge.PurgeAsync();

        await using var db = await _store.DbAsync();
        var entry = await db.AuditEntries.SingleAsync(e => e.Action == "consent-change" && e.Target == "/compliance/consents/1");
        Assert.Equal(("purge", 1), (entry.UserName, entry.CustomerId));
        Assert.StartsWith(await db.Consents.Select(c => c.ConsentId).SingleAsync() + ": ACTIVE -> EXPIRED (purge): consentExpiry ", entry.Details);
        Assert.Equal(1, before.ConsentsExpired);
        Assert.Equal("a EXPIRED consent is final; the customer must give a new consent",
            await lineage.ChangeStatusAsync(1, ConsentStatus.Revoked, ConsentTransitions.Notification, "api:aa", "late revocation"));
        Assert.True((await _store.Services.GetRequiredService<AuditLog>().VerifyAsync()).Intact);
    }
}

/// <summary>Every case of <see cref="PurgeTests"/> on PostgreSQL (skipped without a server; see <see cref="TestPostgres"/>).</summary>
public sealed class PurgeTestsOnPostgreSql : PurgeTests
{
    protected override TestProvider Provider => TestProvider.PostgreSql;
}
