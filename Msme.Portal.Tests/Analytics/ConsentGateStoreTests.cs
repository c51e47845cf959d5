using Microsoft.Extensions.DependencyInjection;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Ingestion;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Analytics;

public class ConsentGateStoreTests : IAsyncLifetime
{
    /// <summary>The store these cases run on; the PostgreSQL subclass runs every one of them again there.</summary>
    protected virtual TestProvider Provider => TestProvider.Sqlite;

    private TestStore _store = null!;
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("msme-account-data-");

    public async Task InitializeAsync() => _store = await TestStore.CreateAsync(provider: Provider);

    public async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
        _work.Delete(recursive: true);
    }

    [SkippableTheory]
    [InlineData("Paused")]
    [InlineData("Revoked")]
    [InlineData("Expired")]
    public async Task A_consent_that_is_not_active_hides_its_data_at_once(string status)
    {
        await ImportSampleAsync("104");
        var service = new ConsentGate(_store.DbFactory, new AnalysisCache(), _store.Clock);
        Assert.Equal(3, (await service.LoadCustomerAsync(1)).Count);

        await using (var db = await _store.DbAsync())
        {
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlAsync(db.Database, $"UPDATE \"Consents\" SET \"Status\" = {status};");
        }

        Assert.Empty(await service.LoadCustomerAsync(1));
        Assert.Empty(await service.LoadCustomerAsync(1, Msme.Domain.Consent.DataUse.Underwriting));
    }

    [SkippableFact]
    public async Task One_scope_loads_a_customer_once_and_a_consent_change_is_a_new_load()
    {
        await ImportSampleAsync("104");
        var service = new ConsentGate(_store.DbFactory, new AnalysisCache(), _store.Clock);

        // The customer page's panels ask at once (analytics, collections, what-if) and later: one load serves them all.
        var together = await Task.WhenAll(service.LoadCustomerAsync(1), service.LoadCustomerAsync(1));
        var later = await service.LoadCustomerAsync(1);

        Assert.Equal(3, later.Count);
        Assert.Same(together[0], together[1]);
        Assert.Same(together[0], later);
        Assert.NotSame(later, await new ConsentGate(_store.DbFactory, new AnalysisCache(), _store.Clock).LoadCustomerAsync(1));

        await using (var db = await _store.DbAsync())
        {
            await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlAsync(db.Database, $"UPDATE \"Consents\" SET \"Status\" = 'Revoked';");
        }
        // Still held by the caller, yet not served: the revoked consent's sessions are no longer usable, so it is another load.
        Assert.Empty(await service.LoadCustomerAsync(1));
        GC.KeepAlive(together);
    }

    [SkippableFact]
    public async Task Data_past_the_consent_expiry_is_not_used()
    {
        await ImportSampleAsync("104");
        var service = new ConsentGate(_store.DbFactory, new AnalysisCache(), _store.Clock);

        _store.Clock.SetUtcNow(new DateTimeOffset(2030, 1, 2, 0, 0, 0, TimeSpan.Zero));

        Assert.Empty(await service.LoadCustomerAsync(1));
    }

    [SkippableTheory]
    [InlineData("104", Msme.Domain.Consent.DataUse.Monitoring, 3)]
    [InlineData("103", Msme.Domain.Consent.DataUse.Monitoring, 0)]
    [InlineData("103", Msme.Domain.Consent.DataUse.Underwriting, 3)]
    [InlineData("101", Msme.Domain.Consent.DataUse.Underwriting, 0)]
    public async Task Data_is_used_only_for_a_purpose_its_consent_allows(string purpose, Msme.Domain.Consent.DataUse use, int accounts)
    {
        await ImportSampleAsync(purpose);

        var stored = await new ConsentGate(_store.DbFactory, new AnalysisCache(), _store.Clock).LoadCustomerAsync(1, use);

        Assert.Equal(accounts, stored.Count);
    }

    [SkippableFact]
    public async Task Data_outside_the_consents_FIDataRange_is_not_used()
    {
        await ImportSampleAsync("104");
        var gate = new ConsentGate(_store.DbFactory, new AnalysisCache(), _store.Clock);
        var all = (await gate.LoadCustomerAsync(1)).SelectMany(a => a.Account.Transactions).Select(t => t.Timestamp).Order().ToList();
        var cut = all[all.Count / 2];

        await using (var db = await _store.DbAsync())
        {
            var consent = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Consents);
            consent.FiDataTo = cut;
            await db.SaveChangesAsync();
        }
        var inside = (await gate.LoadCustomerAsync(1)).SelectMany(a => a.Account.Transactions).ToList();

        Assert.Equal(all.Count(t => t <= cut), inside.Count);
        Assert.All(inside, t => Assert.True(t.Timestamp <= cut));
    }

    [SkippableFact]
    public async Task Another_customers_sessions_and_ranges_reuse_the_compiled_queries()
    {
        await ImportSampleAsync("104");
        await new ConsentGate(_store.DbFactory, new AnalysisCache(), _store.Clock).LoadCustomerAsync(1);
        await using (var db = await _store.DbAsync())
        {
            // What differs between customers: other session ids, another FIDataRange.
            var consent = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Consents);
            consent.FiDataFrom = consent.FiDataFrom!.Value.AddDays(1);
            consent.FiDataTo = consent.FiDataTo!.Value.AddDays(-1);
            await db.SaveChangesAsync();
        }
        using var compilations = new QueryCompilations(_store.Directory);

        Assert.Equal(3, (await new ConsentGate(_store.DbFactory, new AnalysisCache(), _store.Clock).LoadCustomerAsync(1)).Count);

        // Values sent as SQL parameters, so the second customer's statements compile nothing (a constant in the
        // expression tree made each customer a new query, compiled and emitted as a dynamic method on every cold page).
        Assert.Empty(compilations.Queries);
    }

    /// <summary>EF Core's "query compilation starting" events from contexts on one store (a cache miss each).</summary>
    private sealed class QueryCompilations : IObserver<System.Diagnostics.DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly string _store;
        private readonly IDisposable _all;
        private readonly List<IDisposable> _listeners = [];

        public QueryCompilations(string store)
        {
            _store = store;
            _all = System.Diagnostics.DiagnosticListener.AllListeners.Subscribe(this);
        }

        public System.Collections.Concurrent.ConcurrentQueue<string> Queries { get; } = new();

        public void OnNext(System.Diagnostics.DiagnosticListener listener)
        {
            if (listener.Name == Microsoft.EntityFrameworkCore.DbLoggerCategory.Name)
            {
                lock (_listeners)
                {
                    _listeners.Add(listener.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> e)
        {
            if (e.Key == Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.QueryCompilationStarting.Name
                && e.Value is Microsoft.EntityFrameworkCore.Diagnostics.QueryExpressionEventData data
                && Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetConnectionString(data.Context!.Database)?.Contains(_store, StringComparison.Ordinal) == true)
            {
                Queries.Enqueue(data.Expression.ToString());
            }
        }

        public void OnCompleted() { }

        public void OnError(Exception error) { }

        public void Dispose()
        {
            _all.Dispose();
            lock (_listeners)
            {
                _listeners.ForEach(l => l.Dispose());
            }
        }
    }

    [SkippableFact]
    public async Task Every_scope_shares_one_analysis_of_a_customer_until_another_connection_changes_its_consent()
    {
        await ImportSampleAsync("104");
        await using var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection()
            .AddSingleton(_store.DbFactory).AddSingleton<TimeProvider>(_store.Clock).AddConsentGate().AddScoped<InsightsService>()
            .BuildServiceProvider();
        async Task<CustomerInsightsView?> InsightsInANewScopeAsync()
        {
            await using var scope = services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<InsightsService>().GetAsync(1, "sample");
        }

        // The prerender and the circuit that follows are two scopes: the second finds what the first computed.
        var prerender = await InsightsInANewScopeAsync();
        var circuit = await InsightsInANewScopeAsync();
        Assert.NotNull(prerender);
        Assert.Same(prerender, circuit);

        // Another process pauses the consent on the same file: the triggers bump the stamp, the next request sees it.
        await using (var connection = await _store.OpenOutsideConnectionAsync())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE \"Consents\" SET \"Status\" = 'Paused'";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }
        Assert.Null(await InsightsInANewScopeAsync());
    }

    private async Task ImportSampleAsync(string purpose)
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Fixtures", "aa", "setu_sandbox_deposit_3accounts_scrubbed.json");
        var consent = TestConsents.Write(_work.FullName, purpose: purpose);
        Assert.Equal(ImportStatus.Imported, (await _store.Importer.ImportAsync(file, consent, "test")).Status);
    }

    [SkippableFact]
    public async Task Analytics_from_the_store_equal_analytics_from_the_file_received()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Fixtures", "aa", "setu_sandbox_deposit_3accounts_scrubbed.json");
        var consent = TestConsents.Write(_work.FullName);
        Assert.Equal(ImportStatus.Imported, (await _store.Importer.ImportAsync(file, consent, "test")).Status);
        using var stream = File.OpenRead(file);
        var received = DepositDocumentReader.ReadAll(stream, "x").Accounts;

        var stored = await new ConsentGate(_store.DbFactory, new AnalysisCache(), _store.Clock).LoadCustomerAsync(1);

        Assert.Equal(3, stored.Count);
        var fromStore = ContractJson.ToJsonString(stored.Select(s => CashflowAnalyzer.Analyze(s.Account)).OrderBy(a => a.Statement.TransactionCount));
        var fromFile = ContractJson.ToJsonString(received.Select(CashflowAnalyzer.Analyze).OrderBy(a => a.Statement.TransactionCount));
        Assert.Equal(fromFile, fromStore);
        Assert.All(stored, s =>
        {
            var lineage = Assert.Single(s.Lineage);
            Assert.Equal("ACTIVE", lineage.ConsentStatus);
            Assert.Equal(s.Account.Transactions.Count, lineage.Transactions);
        });
    }
}

/// <summary>Every case of <see cref="ConsentGateStoreTests"/> on PostgreSQL (skipped without a server; see <see cref="TestPostgres"/>).</summary>
public sealed class ConsentGateStoreTestsOnPostgreSql : ConsentGateStoreTests
{
    protected override TestProvider Provider => TestProvider.PostgreSql;
}
