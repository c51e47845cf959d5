using Microsoft.Extensions.DependencyInjection;
using Msme.Domain.Consent;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Compliance;

/// <summary>The consent registry's filters: status, purpose, expiry and DataLife due, all answered by the store.</summary>
public class ConsentRegistryTests : IAsyncLifetime
{
    /// <summary>The store these cases run on; the PostgreSQL subclass runs every one of them again there.</summary>
    protected virtual TestProvider Provider => TestProvider.Sqlite;

    private TestStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync(provider: Provider);
        var outcome = await _store.Importer.ImportAsync(TestConsents.Sample("setu_sandbox_deposit_3accounts_scrubbed.json"),
            TestConsents.Write(_store.Directory, purpose: "104", dataLifeUnit: "MONTH", dataLifeValue: 2), "test");
        Assert.Equal(ImportStatus.Imported, outcome.Status);
    }

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    private async Task<int> CountAsync(ConsentFilter filter) =>
        (await new ComplianceService(_store.DbFactory, _store.Clock).ConsentsAsync(filter, 0, 25, null, false)).TotalItems;

    [SkippableFact]
    public async Task Status_and_purpose_filter_in_the_store()
    {
        Assert.Equal(1, await CountAsync(ConsentFilter.All));
        Assert.Equal(1, await CountAsync(new ConsentFilter(ConsentStatus.Active, "104")));
        Assert.Equal(0, await CountAsync(new ConsentFilter(PurposeCode: "103")));
        Assert.Equal(0, await CountAsync(new ConsentFilter(ConsentStatus.Paused)));
        Assert.Equal(["104"], await new ComplianceService(_store.DbFactory, _store.Clock).PurposeCodesAsync());
    }

    [SkippableFact]
    public async Task Expiry_filter_follows_the_clock()
    {
        Assert.Equal(0, await CountAsync(new ConsentFilter(ExpiresWithinDays: 90)));

        _store.Clock.SetUtcNow(new DateTimeOffset(2029, 11, 15, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(1, await CountAsync(new ConsentFilter(ExpiresWithinDays: 90)));
        Assert.Equal(0, await CountAsync(new ConsentFilter(ExpiresWithinDays: 0)));

        _store.Clock.SetUtcNow(new DateTimeOffset(2030, 1, 2, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(1, await CountAsync(new ConsentFilter(ExpiresWithinDays: 0)));
    }

    [SkippableFact]
    public async Task DataLife_due_counts_only_data_still_held_and_ends_two_months_after_the_fetch()
    {
        Assert.Equal(0, await CountAsync(new ConsentFilter(DataLifeDueWithinDays: 30)));

        _store.Clock.Advance(TimeSpan.FromDays(45));
        Assert.Equal(1, await CountAsync(new ConsentFilter(DataLifeDueWithinDays: 30)));
        Assert.Equal(0, await CountAsync(new ConsentFilter(DataLifeDueWithinDays: 0)));

        _store.Clock.Advance(TimeSpan.FromDays(20));
        Assert.Equal(1, await CountAsync(new ConsentFilter(DataLifeDueWithinDays: 0)));

        await _store.Services.GetRequiredService<PurgeService>().PurgeAsync();
        Assert.Equal(0, await CountAsync(new ConsentFilter(DataLifeDueWithinDays: 30)));
    }
}

/// <summary>Every case of <see cref="ConsentRegistryTests"/> on PostgreSQL (skipped without a server; see <see cref="TestPostgres"/>).</summary>
public sealed class ConsentRegistryTestsOnPostgreSql : ConsentRegistryTests
{
    protected override TestProvider Provider => TestProvider.PostgreSql;
}
