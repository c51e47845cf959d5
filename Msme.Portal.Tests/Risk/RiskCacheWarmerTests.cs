using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Msme.Domain.Consent;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Risk;
using Msme.Portal.Tests.Collections;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Risk;

/// <summary>The hosted warm-up over a real store: it fills the cache, and a data change (or time passing a consent's expiry) recomputes.</summary>
public sealed class RiskCacheWarmerTests : IAsyncLifetime
{
    private TestStore _store = null!;
    private ServiceProvider _services = null!;

    private RiskCache Cache => _services.GetRequiredService<RiskCache>();

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        _services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<TimeProvider>(_store.Clock)
            .AddSingleton(_store.DbFactory)
            .AddConsentGate()
            .AddCollections()
            .AddRisk()
            .BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _store.DisposeAsync();
    }

    private RiskCacheWarmer Warmer() => (RiskCacheWarmer)_services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Single(s => s is RiskCacheWarmer);

    /// <summary>Completes when a pass finishes (Running false) after <paramref name="after"/>, with that state.</summary>
    private Task<RiskCacheState> NextPassAsync(DateTimeOffset after)
    {
        var done = new TaskCompletionSource<RiskCacheState>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(RiskCacheState s)
        {
            if (!s.Running && s.WarmAt is { } at && at >= after && done.TrySetResult(s)) Cache.Changed -= OnChanged;
        }
        Cache.Changed += OnChanged;
        return done.Task;
    }

    private async Task<PortfolioRisk> PortfolioAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RiskService>().GetPortfolioAsync();
    }

    [Fact]
    public async Task The_hosted_warm_up_fills_the_cache_and_an_import_recomputes_only_the_new_customer()
    {
        await RiskTestData.ImportAsync(_store, customers: 3, months: 8);
        var warmer = Warmer();
        var first = NextPassAsync(_store.Clock.GetUtcNow());

        await warmer.StartAsync(CancellationToken.None);
        var warm = await first.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(warm.Warm);
        Assert.Equal((3, 3), (warm.Done, warm.Total));
        var served = await PortfolioAsync();
        Assert.Equal((0, 3), (served.Computed, served.FromCache));

        // A fourth customer arrives (another bundle, seed 6): the signal wakes the warm-up, which computes that one only.
        var computed = new List<int>();
        Cache.Changed += s => { if (s.Running) lock (computed) computed.Add(s.Done); };
        await RiskTestData.ImportAsync(_store, customers: 1, months: 8, seed: 6);
        var second = NextPassAsync(_store.Clock.GetUtcNow());
        Cache.Invalidate();
        var after = await second.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal((4, 4), (after.Done, after.Total));
        lock (computed) Assert.Equal([3, 4], computed);
        var again = await PortfolioAsync();
        Assert.Equal((0, 4), (again.Computed, again.FromCache));
        await warmer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_revoked_consent_changes_the_stamp_and_the_next_check_drops_that_customers_figures()
    {
        await RiskTestData.ImportAsync(_store, customers: 2, months: 8);
        var warmer = Warmer();
        var first = NextPassAsync(_store.Clock.GetUtcNow());
        await warmer.StartAsync(CancellationToken.None);
        await first.WaitAsync(TimeSpan.FromMinutes(2));
        var before = await PortfolioAsync();
        Assert.All(before.Customers, c => Assert.NotEmpty(c.Figures.Monthly));

        int revoked;
        await using (var db = await _store.DbAsync())
        {
            revoked = await db.Consents.OrderBy(c => c.Id).Select(c => c.CustomerId).FirstAsync();
            foreach (var consent in await db.Consents.Where(c => c.CustomerId == revoked).ToListAsync())
            {
                consent.Status = ConsentStatus.Revoked;
            }
            await db.SaveChangesAsync();
        }
        // Nobody signals: the warm-up sees the change at its next check, on the app's clock.
        var next = NextPassAsync(_store.Clock.GetUtcNow().Add(Cache.CheckInterval));
        while (!next.IsCompleted)
        {
            _store.Clock.Advance(Cache.CheckInterval);
            await Task.WhenAny(next, Task.Delay(50));
        }
        await next;

        var after = await PortfolioAsync();
        Assert.Equal((0, 2), (after.Computed, after.FromCache));
        Assert.Empty(after.Customers.Single(c => c.Figures.CustomerId == revoked).Figures.Monthly);
        Assert.NotEmpty(after.Customers.Single(c => c.Figures.CustomerId != revoked).Figures.Monthly);
        await warmer.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task The_warm_up_also_fills_the_loan_book_figures()
    {
        var book = await CollectionsData.ImportDemoBundlesAsync(_store, customers: 2, months: 6);
        await _services.GetRequiredService<LoanBookImporter>().ImportFileAsync(book, "test");
        var analyses = _services.GetRequiredService<AnalysisCache>();

        await Warmer().WarmOnceAsync(CancellationToken.None);

        await using var db = await _store.DbAsync();
        var loans = await db.Loans.CountAsync();
        var cached = analyses.LastPortfolio<LoanBookSummary>("loan-book");
        Assert.NotNull(cached);
        Assert.Equal(new DateOnly(2026, 11, 1), cached.AsOf);
        Assert.Equal(loans, cached.Figures.Loans);
    }
}
