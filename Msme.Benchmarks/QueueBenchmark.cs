using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.DemoData;
using Msme.Portal.Features.Admin;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Hosting;

namespace Msme.Benchmarks;

/// <summary>
/// "queue": the agent queue's service call (CollectionsService.QueueAsync, first page of 25, sorted by risk × EMI)
/// for an admin who sees every loan, over a real SQLite store. The store gets demo customers through the real bundle
/// importer, their demo loan book, and synthetic loans (EMI 5-40% of the account's median monthly inflow, due days
/// 1-28) through the real loan book importer until the loan count is reached. Target: ≤ 300 ms server time.
/// Options: --loans N (10000) --customers N (300) --months N (18) --seed N (42) --calls N (20).
/// </summary>
internal static class QueueBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var loans = BenchStore.Option(args, "--loans", 10_000);
        var customers = BenchStore.Option(args, "--customers", 300);
        var months = BenchStore.Option(args, "--months", 18);
        var seed = BenchStore.Option(args, "--seed", 42);
        var calls = BenchStore.Option(args, "--calls", 20);
        var demo = new DemoOptions(new DateOnly(2026, 9, 30), customers, months, seed);
        await using var store = await BenchStore.CreateAsync("queue", demo, s => s.AddCollections());
        var (services, dir) = (store.Services, store.Directory);
        var inv = CultureInfo.InvariantCulture;

        var setup = Stopwatch.StartNew();
        var bundles = await store.ImportDemoBundlesAsync();
        var importBundles = setup.Elapsed;
        var importer = services.GetRequiredService<LoanBookImporter>();
        setup.Restart();
        var book = await store.ImportDemoLoanBookAsync();
        var demoLoans = book.LoansAdded;
        var synthetic = WriteSynthetic(demo, Math.Max(0, loans - demoLoans), seed, Path.Combine(dir.FullName, "synthetic.csv"));
        var extra = await importer.ImportFileAsync(synthetic, "bench");
        var importLoans = setup.Elapsed;
        if (book.Status == LoanImportStatus.Rejected || extra.Status == LoanImportStatus.Rejected)
            throw new InvalidOperationException(book.Summary + " / " + extra.Summary);

        using var scope = services.CreateScope();
        var service = scope.ServiceProvider.GetRequiredService<CollectionsService>();
        var admin = new CollectionsViewer("bench-admin", SeesAll: true);
        var query = new QueueQuery(PageSize: 25);

        var cold = Stopwatch.StartNew();
        var first = await service.QueueAsync(admin, query);
        cold.Stop();
        services.GetRequiredService<Msme.Portal.Features.Analytics.AnalysisCache>().Clear();
        await ForgetPersistedAsync(services); // as if every customer's data had changed: nothing to read from the store
        var recompute = Stopwatch.StartNew();
        await service.QueueAsync(admin, query);
        recompute.Stop();

        var times = new List<double>();
        for (var i = 0; i < calls; i++)
        {
            var t = Stopwatch.StartNew();
            var page = await service.QueueAsync(admin, query with { Page = i % 5, SortBy = i % 2 == 0 ? null : "due" });
            times.Add(t.Elapsed.TotalMilliseconds);
            if (page.TotalItems != first.TotalItems) throw new InvalidOperationException("the cached queue changed");
        }
        // A later book restates one loan: only its customer's forecasts are recomputed.
        var restated = await importer.ImportFileAsync(WriteSynthetic(demo, 1, seed, Path.Combine(dir.FullName, "restated.csv"), bounceLastPaid: true), "bench");
        var oneCustomer = Stopwatch.StartNew();
        var afterRestate = await service.QueueAsync(admin, query);
        oneCustomer.Stop();
        var filtered = Stopwatch.StartNew();
        var overdue = await service.QueueAsync(admin, query with { Filter = QueueFilter.Next7Days, Search = "LN" });
        filtered.Stop();
        times.Sort();

        // A restart: a new instance (its own analysis cache and gate) on the same store, first page for an admin. The old
        // path (nothing persisted: every customer's statements loaded and every loan forecast, then persisted) and the
        // new one (the rows read from the store under each customer's stamp), alternately, twice each. The JIT is warm in
        // both: a real process restart adds JIT to both (the first call above includes it).
        var restarts = new List<(string Path, double Ms, int Rows)>();
        for (var round = 0; round < 2; round++)
        {
            foreach (var persisted in new[] { false, true })
            {
                if (!persisted) await ForgetPersistedAsync(services);
                GC.Collect();
                var instance = store.NewInstance();
                using var restartScope = instance.CreateScope();
                var restarted = restartScope.ServiceProvider.GetRequiredService<CollectionsService>();
                var t = Stopwatch.StartNew();
                var page = await restarted.QueueAsync(admin, query);
                restarts.Add((persisted ? "from the store" : "recomputed", t.Elapsed.TotalMilliseconds, page.TotalItems));
                if (page.TotalItems != afterRestate.TotalItems || page.Items[0].LoanId != afterRestate.Items[0].LoanId)
                    throw new InvalidOperationException("the restarted instance's first page differs");
            }
        }

        Console.WriteLine(string.Create(inv, $"queue: {demoLoans + extra.LoansAdded:N0} loans ({demoLoans:N0} demo + {extra.LoansAdded:N0} synthetic) of {customers} demo customers × {months} months (seed {seed}), forecasts as of {first.AsOf:yyyy-MM-dd}"));
        Console.WriteLine(string.Create(inv, $"  setup: {bundles.Count:N0} bundles imported in {importBundles.TotalSeconds:F1} s; loan books imported in {importLoans.TotalSeconds:F1} s ({book.BucketMovesRecorded + extra.BucketMovesRecorded:N0} bucket moves)"));
        Console.WriteLine(string.Create(inv, $"  queue {first.TotalItems:N0} instalments, EMI ₹{first.TotalEmi:N0}, at risk ₹{first.TotalRiskAmount:N0}; top: {first.Items[0].LoanId} #{first.Items[0].InstalmentNumber} risk×EMI ₹{first.Items[0].RiskAmount:N2}"));
        Console.WriteLine(string.Create(inv, $"  first call (loads every account, analyses, forecasts all, JIT): {cold.Elapsed.TotalMilliseconds:N0} ms"));
        Console.WriteLine(string.Create(inv, $"  recompute after the data changed (cache dropped, JIT warm):     {recompute.Elapsed.TotalMilliseconds:N0} ms"));
        Console.WriteLine(string.Create(inv, $"  page calls over the computed queue ({calls}, pages 1-5, two sort orders): median {times[times.Count / 2]:N1} ms, max {times[^1]:N1} ms"));
        Console.WriteLine(string.Create(inv, $"  after a book restating one loan ({restated.InstalmentsChanged} instalment changed), the call recomputing that customer only: {oneCustomer.Elapsed.TotalMilliseconds:N0} ms ({afterRestate.TotalItems:N0} rows)"));
        Console.WriteLine(string.Create(inv, $"  a filtered call (next 7 days, search 'LN'): {filtered.Elapsed.TotalMilliseconds:N1} ms, {overdue.TotalItems:N0} rows"));
        foreach (var (path, ms, rows) in restarts)
            Console.WriteLine(string.Create(inv, $"  first page after a restart (new instance, same store), {path,-15}: {ms:N0} ms ({rows:N0} rows)"));
        var stored = restarts.Where(r => r.Path == "from the store").Select(r => r.Ms).ToList();
        var old = restarts.Where(r => r.Path != "from the store").Select(r => r.Ms).ToList();
        Console.WriteLine(string.Create(inv, $"  first page after a restart: from the store / recomputed = {stored.Average() / old.Average():0.00}; target ≤ 1,000 ms: {(stored.Max() <= 1000 ? "met" : "MISSED")}"));
        Console.WriteLine(string.Create(inv, $"  target ≤ 300 ms per page call: {(times[^1] <= 300 ? "met" : "MISSED")}; the recompute is {(recompute.Elapsed.TotalMilliseconds <= 300 ? "within" : "over")} it"));
        return 0;
    }

    private static async Task ForgetPersistedAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Msme.Portal.Data.ApplicationDbContext>>().CreateDbContextAsync();
        await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database, "DELETE FROM \"ForecastSnapshots\"");
    }

    /// <summary>Synthetic loans spread over the demo accounts, as a CSV loan book: 12 past instalments PAID, 2 upcoming PENDING.</summary>
    private static string WriteSynthetic(DemoOptions demo, int count, int seed, string path, bool bounceLastPaid = false)
    {
        var accounts = DemoGenerator.Generate(demo).SelectMany(c => c.Accounts.Select(a => (Handle: c.Customer.AaHandle, Account: a))).ToList();
        var medians = accounts.Select(a => CashflowAnalyzer.Analyze(a.Account).Metrics.MedianMonthlyInflow ?? 50_000m).ToList();
        var rng = new Random(seed);
        var asOf = demo.WindowEnd.AddDays(1);
        var first = new DateOnly(asOf.Year, asOf.Month, 1).AddMonths(-12);
        var inv = CultureInfo.InvariantCulture;
        var csv = new StringBuilder(string.Join(',', Msme.Domain.Collections.LoanBookReader.CsvColumns)).Append('\n');
        for (var k = 0; k < count; k++)
        {
            var a = k % accounts.Count;
            var emi = Math.Max(1_000m, Math.Round(medians[a] * (decimal)(0.05 + rng.NextDouble() * 0.35), 0));
            var dueDay = 1 + rng.Next(28);
            var id = $"SYN{k:D6}";
            var terms = string.Create(inv, $"{id},{accounts[a].Handle},BENCH FINANCE,Business Loan,{emi * 30},{emi},{dueDay},36,{first.AddDays(-20):yyyy-MM-dd},E_NACH,UMRN{id},{accounts[a].Account.MaskedAccNumber},");
            for (var n = 0; n < 14; n++)
            {
                var m = first.AddMonths(n);
                var due = new DateOnly(m.Year, m.Month, Math.Min(dueDay, DateTime.DaysInMonth(m.Year, m.Month)));
                var past = due < asOf;
                if (bounceLastPaid && n == 11)
                {
                    csv.Append(terms).Append(string.Create(inv, $",{n + 1},{due:yyyy-MM-dd},{due:yyyy-MM-dd},{emi},BOUNCED,0\n"));
                    continue;
                }
                csv.Append(terms).Append(string.Create(inv, $",{n + 1},{due:yyyy-MM-dd},{(past ? due.ToString("yyyy-MM-dd", inv) : "")},{emi},{(past ? "PAID" : "PENDING")},{(past ? emi : 0)}\n"));
            }
        }
        File.WriteAllText(path, csv.ToString());
        return path;
    }


}
