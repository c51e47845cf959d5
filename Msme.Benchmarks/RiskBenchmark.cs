using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.EntityFrameworkCore;
using Msme.Domain.Analytics;
using Msme.Domain.Consent;
using Msme.Domain.DemoData;
using Msme.Portal.Data;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Admin;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Features.Risk;
using Msme.Portal.Hosting;

namespace Msme.Benchmarks;

/// <summary>
/// "risk": the risk dashboard's portfolio (RiskService.GetPortfolioAsync: every customer's AA data loaded from the store
/// and CustomerInsights.Build on it) over a real SQLite store of demo customers imported through the real importer,
/// cold (empty cache, JIT warm after one throw-away pass over another cache), warm (served from the cache), and the
/// background warm-up (RiskCacheWarmer) from start to a full cache. Also times the loan book figures (DPD distribution,
/// roll rates, collection efficiency) the dashboard shows. Options: --customers N (200) --months N (18) --seed N (42).
/// </summary>
internal static class RiskBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var customers = BenchStore.Option(args, "--customers", 200);
        var months = BenchStore.Option(args, "--months", 18);
        var seed = BenchStore.Option(args, "--seed", 42);
        var demo = new DemoOptions(new DateOnly(2026, 9, 30), customers, months, seed);
        await using var store = await BenchStore.CreateAsync("risk", demo, s => s.AddCollections().AddRisk());
        var (services, dir) = (store.Services, store.Directory);
        var inv = CultureInfo.InvariantCulture;

        var setup = Stopwatch.StartNew();
        var bundles = await store.ImportDemoBundlesAsync();
        var book = await store.ImportDemoLoanBookAsync();
        setup.Stop();
        var transactions = bundles.Sum(b => b.TransactionsAdded);

        var cache = services.GetRequiredService<RiskCache>();
        using var scope = services.CreateScope();
        var risk = scope.ServiceProvider.GetRequiredService<RiskService>();

        // One throw-away pass so the timed cold pass measures the work, not the JIT.
        await risk.GetPortfolioAsync();
        cache.Clear();
        services.GetRequiredService<AnalysisCache>().Clear();
        GC.Collect();

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var cold = Stopwatch.StartNew();
        var first = await risk.GetPortfolioAsync();
        cold.Stop();
        var coldCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        // Where the cold pass goes, one customer after another: loading the accounts, then the insights over them.
        var accountData = scope.ServiceProvider.GetRequiredService<ConsentGate>();
        var loaded = new List<(string? Name, IReadOnlyList<StoredAccount> Accounts)>();
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        foreach (var c in first.Customers) loaded.Add((c.Figures.Name, await accountData.LoadCustomerAsync(c.Figures.CustomerId, DataUse.Underwriting)));
        var loadCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        foreach (var (name, accounts) in loaded) if (accounts.Count > 0) CustomerInsights.Build([.. accounts.Select(a => a.Account)], name);
        var buildCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        // Reading every transaction row through EF's projection (as ConsentGate does) vs a plain data reader: what materialising costs.
        var factory = services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>();
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        await using (var db = await factory.CreateDbContextAsync())
        {
            var all = await db.Transactions.AsNoTracking().OrderBy(t => t.AccountId).ThenBy(t => t.TimestampUnixMs).ThenBy(t => t.FetchSessionId).ThenBy(t => t.Position)
                .Select(t => new { t.TxnId, t.Type, t.Mode, t.AmountPaise, t.BalancePaise, t.TimestampUnixMs, t.ValueDate, t.Narration, t.Reference, t.FetchSessionId }).ToListAsync();
            if (all.Count != transactions) throw new InvalidOperationException("row count");
        }
        var efCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "SELECT TxnId, Type, Mode, AmountPaise, BalancePaise, TimestampUnixMs, ValueDate, Narration, Reference, FetchSessionId FROM Transactions ORDER BY AccountId, TimestampUnixMs, FetchSessionId, Position";
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<(string, string, string?, long, long, long, DateOnly?, string?, string?, int)>();
            while (await reader.ReadAsync())
                rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5),
                    reader.IsDBNull(6) ? null : reader.GetFieldValue<DateOnly>(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8), reader.GetInt32(9)));
            if (rows.Count != transactions) throw new InvalidOperationException("row count");
        }
        var rawCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        var warmTimes = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            var t = Stopwatch.StartNew();
            var again = await risk.GetPortfolioAsync();
            warmTimes.Add(t.Elapsed.TotalMilliseconds);
            if (again.Computed != 0 || again.Customers.Count != first.Customers.Count) throw new InvalidOperationException("the warm call recomputed");
        }
        warmTimes.Sort();

        // The hosted warm-up's pass from an empty cache (risk figures and loan book figures), as after start-up.
        cache.Clear();
        services.GetRequiredService<AnalysisCache>().Clear();
        var warmer = new RiskCacheWarmer(services.GetRequiredService<IServiceScopeFactory>(), cache, services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<RiskCacheWarmer>>());
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var warmUp = Stopwatch.StartNew();
        await warmer.WarmOnceAsync(CancellationToken.None);
        warmUp.Stop();
        var warmUpCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        if (!cache.State.Warm) throw new InvalidOperationException("the warm-up did not fill the cache");
        var afterWarmUp = Stopwatch.StartNew();
        var served = await risk.GetPortfolioAsync();
        afterWarmUp.Stop();

        var collections = scope.ServiceProvider.GetRequiredService<CollectionsService>();
        var bookWarm = Stopwatch.StartNew();
        var health = await collections.LoanBookFiguresAsync();
        bookWarm.Stop();
        services.GetRequiredService<AnalysisCache>().Clear();
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var bookTimer = Stopwatch.StartNew();
        await collections.LoanBookFiguresAsync();
        bookTimer.Stop();
        var bookCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

        Console.WriteLine(string.Create(inv, $"risk: load average {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?")} at the end (wall times on a shared machine stretch; CPU times do not)"));
        Console.WriteLine(string.Create(inv, $"risk: {customers} demo customers × {months} months (seed {seed}), {transactions:N0} transactions, {book.LoansAdded:N0} loans; setup {setup.Elapsed.TotalSeconds:F1} s"));
        Console.WriteLine(string.Create(inv, $"  cold portfolio (empty cache, JIT warm): {cold.Elapsed.TotalMilliseconds:N0} ms wall, {coldCpu.TotalMilliseconds:N0} ms CPU, {first.Computed} customers computed, mean {first.MeanComputeMs:N1} ms each (load + insights, overlapping), {Environment.ProcessorCount} cores"));
        Console.WriteLine(string.Create(inv, $"  profile, one customer after another: loading accounts {loadCpu.TotalMilliseconds:N0} ms CPU, CustomerInsights.Build {buildCpu.TotalMilliseconds:N0} ms CPU"));
        Console.WriteLine(string.Create(inv, $"  reading all {transactions:N0} transaction rows: EF projection (as ConsentGate reads) {efCpu.TotalMilliseconds:N0} ms CPU, plain data reader {rawCpu.TotalMilliseconds:N0} ms CPU"));
        Console.WriteLine(string.Create(inv, $"  warm portfolio (10 calls from the cache): median {warmTimes[warmTimes.Count / 2]:N1} ms, max {warmTimes[^1]:N1} ms"));
        Console.WriteLine(string.Create(inv, $"  warm-up pass from an empty cache (RiskCacheWarmer.WarmOnceAsync: risk + loan book): {warmUp.Elapsed.TotalMilliseconds:N0} ms wall, {warmUpCpu.TotalMilliseconds:N0} ms CPU; the next dashboard call: {afterWarmUp.Elapsed.TotalMilliseconds:N1} ms ({served.FromCache} from the cache, {served.Computed} computed)"));
        Console.WriteLine(string.Create(inv, $"  loan book figures (DPD, roll rates, efficiency over {health.Figures.Loans:N0} loans): cold {bookTimer.Elapsed.TotalMilliseconds:N0} ms wall, {bookCpu.TotalMilliseconds:N0} ms CPU; from the cache {bookWarm.Elapsed.TotalMilliseconds:N1} ms"));
        return 0;
    }


}
