using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Msme.Domain;
using Msme.Domain.DemoData;
using Msme.Domain.Privacy;
using Msme.Portal.Features.Admin;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Exports;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Features.Risk;
using Msme.Portal.Hosting;

namespace Msme.Benchmarks;

/// <summary>
/// "export": the exports over the full demo store (200 customers, 18 months: about 586,000 transactions, imported through
/// the real bundle importer, with the demo loan book). Times, with the peak managed heap of each step: the Parquet lake
/// cold (the risk figures computed on the way) and warm (from the risk cache), then the whole admin collections queue
/// and the audit trail as CSV and Excel. Options: --customers N (200) --months N (18) --seed N (42).
/// </summary>
internal static class ExportBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var customers = BenchStore.Option(args, "--customers", 200);
        var months = BenchStore.Option(args, "--months", 18);
        var seed = BenchStore.Option(args, "--seed", 42);
        var demo = new DemoOptions(new DateOnly(2026, 9, 30), customers, months, seed);
        await using var store = await BenchStore.CreateAsync("export", demo, s => Msme.Portal.Features.Analytics.ConsentGateServiceCollectionExtensions.AddConsentGate(s).AddCollections().AddRisk().AddExports());
        var (services, dir) = (store.Services, store.Directory);
        var inv = CultureInfo.InvariantCulture;

        var setup = Stopwatch.StartNew();
        var outcomes = await store.ImportDemoBundlesAsync();
        await store.ImportDemoLoanBookAsync();
        Console.WriteLine(string.Create(inv, $"store: {outcomes.Count} bundles, {outcomes.Sum(o => o.TransactionsAdded):N0} transactions, built in {setup.Elapsed.TotalSeconds:0.0} s"));

        using var scope = services.CreateScope();
        var lake = scope.ServiceProvider.GetRequiredService<LakeExport>();
        var admin = DisclosurePolicy.For([Roles.Admin]);
        foreach (var run in new[] { "cold", "warm" })
        {
            var target = Path.Combine(dir.FullName, "lake-" + run);
            var (result, elapsed, peak) = await MeasureAsync(() => lake.WriteAsync(target, admin));
            var size = Directory.GetFiles(target).Sum(f => new FileInfo(f).Length);
            Console.WriteLine(string.Create(inv,
                $"lake ({run}): {result.Transactions:N0} transactions, {result.MonthlyRows:N0} monthly rows, {result.Anomalies:N0} anomalies, {size / 1024.0 / 1024:0.0} MiB in {elapsed.TotalSeconds:0.0} s (transactions {result.Phases[0].TotalSeconds:0.0} s, monthly {result.Phases[1].TotalSeconds:0.0} s, anomalies {result.Phases[2].TotalSeconds:0.0} s); peak managed heap {peak / 1024 / 1024:N0} MiB"));
            var zip = Path.Combine(dir.FullName, $"lake-{run}.zip");
            var zipTime = Stopwatch.StartNew();
            await LakeExport.ZipAsync(target, zip);
            Console.WriteLine(string.Create(inv, $"  zip: {new FileInfo(zip).Length / 1024.0 / 1024:0.0} MiB in {zipTime.Elapsed.TotalSeconds:0.0} s"));
        }

        var exports = scope.ServiceProvider.GetRequiredService<ReportExports>();
        var adminUser = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.NameIdentifier, "bench"), new(System.Security.Claims.ClaimTypes.Role, Roles.Admin)], "bench"));
        await exports.QueueAsync(adminUser, new QueueQuery()); // computes and caches every forecast: the export itself is timed below
        foreach (var format in new[] { ExportFormat.Csv, ExportFormat.Xlsx })
        {
            var path = Path.Combine(dir.FullName, "queue." + ExportWriter.Extension(format));
            var (rows, elapsed, peak) = await MeasureAsync(async () =>
            {
                await using var file = File.Create(path);
                return await ExportWriter.WriteAsync(await exports.QueueAsync(adminUser, new QueueQuery()), format, file);
            });
            Console.WriteLine(string.Create(inv, $"queue {format}: {rows:N0} rows, {new FileInfo(path).Length / 1024.0:0} KiB in {elapsed.TotalMilliseconds:0} ms; peak managed heap {peak / 1024 / 1024:N0} MiB"));
        }
        foreach (var format in new[] { ExportFormat.Csv, ExportFormat.Xlsx })
        {
            var path = Path.Combine(dir.FullName, "audit." + ExportWriter.Extension(format));
            var (rows, elapsed, peak) = await MeasureAsync(async () =>
            {
                await using var file = File.Create(path);
                return await ExportWriter.WriteAsync(await exports.AuditTrailAsync(), format, file);
            });
            Console.WriteLine(string.Create(inv, $"audit trail {format}: {rows:N0} rows in {elapsed.TotalMilliseconds:0} ms; peak managed heap {peak / 1024 / 1024:N0} MiB"));
        }
        Console.WriteLine(string.Create(inv, $"process peak working set (import included): {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024:N0} MiB"));
        return 0;
    }

    /// <summary>Runs the step after a full collection and samples the managed heap every 20 ms: its peak is the step's.</summary>
    private static async Task<(T Result, TimeSpan Elapsed, long PeakBytes)> MeasureAsync<T>(Func<Task<T>> step)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var peak = GC.GetTotalMemory(false);
        using var sampler = new Timer(_ => Interlocked.Exchange(ref peak, Math.Max(Interlocked.Read(ref peak), GC.GetTotalMemory(false))), null, 0, 20);
        var clock = Stopwatch.StartNew();
        var result = await step();
        clock.Stop();
        peak = Math.Max(peak, GC.GetTotalMemory(false));
        return (result, clock.Elapsed, peak);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

}
