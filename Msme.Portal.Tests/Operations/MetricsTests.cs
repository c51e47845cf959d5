using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain.Consent;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Hosting;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Operations;

/// <summary>The Msme meter counts what the services do: imports, the gate's denials, audit appends, the cache, the purge, circuits.</summary>
public sealed class MetricsTests : IAsyncLifetime
{
    private const string ThreeAccounts = "setu_sandbox_deposit_3accounts_scrubbed.json";
    private const int ThreeAccountsTransactions = 30 + 252 + 389;

    private TestStore _store = null!;
    private MetricsCapture _metrics = null!;
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("msme-metrics-tests-");

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        _metrics = new MetricsCapture(_store.Services);
    }

    public async Task DisposeAsync()
    {
        _metrics.Dispose();
        await _store.DisposeAsync();
        _work.Delete(recursive: true);
    }

    private MsmeMetrics Metrics => _store.Services.GetRequiredService<MsmeMetrics>();

    private Task<ImportOutcome> ImportSampleAsync() =>
        _store.Importer.ImportAsync(TestConsents.Sample(ThreeAccounts), TestConsents.Write(_work.FullName), "test");

    [Fact]
    public async Task An_import_counts_its_bundles_transactions_and_duration_and_a_repeat_or_a_rejection_counts_as_such()
    {
        var outcome = await ImportSampleAsync();

        Assert.Equal(ImportStatus.Imported, outcome.Status);
        Assert.Equal(1, _metrics.Sum("msme.import.bundles", ("outcome", "imported")));
        Assert.Equal(ThreeAccountsTransactions, _metrics.Sum("msme.import.transactions"));
        Assert.Equal(1, _metrics.Count("msme.import.duration"));
        Assert.Equal(0, _metrics.Sum("msme.import.rejections"));
        // The batch's audit entry.
        Assert.Equal(1, _metrics.Sum("msme.audit.appends"));
        Assert.Equal(1, _metrics.Count("msme.audit.append.duration"));

        Assert.Equal(ImportStatus.Unchanged, (await ImportSampleAsync()).Status);
        Assert.Equal(1, _metrics.Sum("msme.import.bundles", ("outcome", "unchanged")));
        Assert.Equal(ThreeAccountsTransactions, _metrics.Sum("msme.import.transactions"));

        var rejected = await _store.Importer.ImportAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "broken", "bundle-consent-revoked"), null, "test");
        Assert.Equal(ImportStatus.Rejected, rejected.Status);
        Assert.Equal(1, _metrics.Sum("msme.import.rejections"));
        Assert.Equal(1, _metrics.Sum("msme.import.bundles", ("outcome", "rejected")));
        Assert.Equal(3, _metrics.Count("msme.import.duration"));
        Assert.Equal(3, _metrics.Sum("msme.import.bundles"));
    }

    [Fact]
    public async Task The_gate_counts_each_session_it_withholds_by_use_and_reason_and_the_purge_counts_its_run_and_rows()
    {
        await ImportSampleAsync();
        var gate = new ConsentGate(_store.DbFactory, new AnalysisCache(metrics: Metrics), _store.Clock);

        Assert.Equal(3, (await gate.LoadCustomerAsync(1)).Count);
        Assert.Equal(1, _metrics.Sum("msme.analysis_cache.recomputes", ("level", "stamp")));
        Assert.Equal(1, _metrics.Sum("msme.analysis_cache.recomputes", ("level", "part")));
        Assert.Equal(3, (await gate.LoadCustomerAsync(1)).Count);
        Assert.Equal(1, _metrics.Sum("msme.analysis_cache.hits", ("level", "stamp")));
        Assert.Equal(1, _metrics.Sum("msme.analysis_cache.hits", ("level", "part")));
        Assert.Equal(0, _metrics.Sum("msme.consent_gate.denials"));

        await using (var db = await _store.DbAsync())
        {
            await db.Database.ExecuteSqlAsync($"UPDATE Consents SET Status = 'Revoked';");
        }
        Assert.Empty(await gate.LoadCustomerAsync(1, DataUse.Underwriting));

        Assert.Equal(1, _metrics.Sum("msme.consent_gate.denials", ("use", "underwriting"), ("reason", "revoked")));
        Assert.Equal(1, _metrics.Sum("msme.consent_gate.denials"));
        Assert.Equal(2, _metrics.Sum("msme.analysis_cache.recomputes", ("level", "stamp")));

        var purged = await _store.Services.GetRequiredService<PurgeService>().PurgeAsync();

        Assert.Equal(ThreeAccountsTransactions, purged.TransactionsDeleted);
        Assert.Equal(1, _metrics.Sum("msme.purge.runs", ("outcome", "ok")));
        Assert.Equal(1, _metrics.Sum("msme.purge.sessions"));
        Assert.Equal(ThreeAccountsTransactions, _metrics.Sum("msme.purge.rows"));

        // The statement views (Accounts tab, API) count what they withhold under "view"; purged outranks the status.
        await gate.AccountsAsync(1);
        Assert.Equal(1, _metrics.Sum("msme.consent_gate.denials", ("use", "view"), ("reason", "purged")));
    }

    [Fact]
    public async Task A_purge_with_nothing_due_is_still_a_run()
    {
        await _store.Services.GetRequiredService<PurgeService>().PurgeAsync();

        Assert.Equal(1, _metrics.Sum("msme.purge.runs", ("outcome", "ok")));
        Assert.Equal(0, _metrics.Sum("msme.purge.rows"));
    }

    [Fact]
    public async Task Circuits_open_counts_up_on_open_and_down_on_close()
    {
        var handler = new CircuitMetricsHandler(Metrics);

        await handler.OnCircuitOpenedAsync(null!, default);
        await handler.OnCircuitOpenedAsync(null!, default);
        await handler.OnCircuitClosedAsync(null!, default);

        Assert.Equal(1, _metrics.Sum("msme.circuits.open"));
        Assert.Equal(3, _metrics.Count("msme.circuits.open"));
    }
}
