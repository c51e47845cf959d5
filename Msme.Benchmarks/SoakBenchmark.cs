using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Msme.Domain.Consent;
using Msme.Domain;
using Msme.Domain.DemoData;
using Msme.Portal.Data;
using Msme.Portal.Features.Admin;
using Msme.Portal.Features.Api;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Features.Risk;
using Msme.Portal.Hosting;
using Msme.Proxy;
using Npgsql;

namespace Msme.Benchmarks;

/// <summary>
/// Issue 16 §5's soak: two portal processes (Release build of Msme.Portal, Development environment for its static web
/// assets, demo users, no demo load) on one PostgreSQL database behind the shipped proxy (Msme.Proxy); K headless
/// Chromium circuits clicking through customer pages (a page, then three tabs over the circuit, then a pause), A API
/// clients polling the collections queue, an import of a new customer's bundle through the API every I seconds, and
/// every P seconds a consent revoked and the purge run (as the CLI would, from this process). Prints per minute:
/// errors, p95 of tab clicks, page loads and API calls, and each instance's resident memory.
/// Usage: soak [--minutes 30] [--circuits 50] [--api-clients 10] [--customers 200] [--months 6] [--import-every 60]
/// [--purge-every 300] [--pg CONNECTION] (default MSME_BENCH_POSTGRES, then MSME_TEST_POSTGRES)
/// [--heap DIR] [--heap-at 10] (a heap snapshot of each instance at that minute and at the end, and what grew between).
/// </summary>
internal static class SoakBenchmark
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly string[] Tabs = ["smart-collect", "insights", "history", "accounts", "upcoming", "explain"];

    public static async Task<int> RunAsync(string[] args)
    {
        var minutes = BenchStore.Option(args, "--minutes", 30);
        var circuits = BenchStore.Option(args, "--circuits", 50);
        var apiClients = BenchStore.Option(args, "--api-clients", 10);
        var customers = BenchStore.Option(args, "--customers", 200);
        var months = BenchStore.Option(args, "--months", 6);
        var importEvery = TimeSpan.FromSeconds(BenchStore.Option(args, "--import-every", 60));
        var purgeEvery = TimeSpan.FromSeconds(BenchStore.Option(args, "--purge-every", 300));
        var heap = ScaleBenchmark.Text(args, "--heap");
        var heapAt = BenchStore.Option(args, "--heap-at", 10);
        var server = BenchPostgres.Server(args)
            ?? throw new InvalidOperationException("soak runs on PostgreSQL: --pg, MSME_BENCH_POSTGRES or MSME_TEST_POSTGRES");
        var portalDll = FindPortal();
        var root = Directory.CreateTempSubdirectory("msme-soak-").FullName;
        var store = Path.Combine(root, "store");
        var database = await BenchPostgres.CreateDatabaseAsync(server, "msme_soak");
        var instances = new List<Process>();
        WebApplication? proxy = null;
        IPlaywright? playwright = null;
        var log = ScaleBenchmark.Log;
        log($"soak: {minutes} min, {circuits} circuits, {apiClients} API clients, {customers} customers × {months} months; portal {portalDll}; load {ScaleBenchmark.Load()}");
        try
        {
            // The store, through the real importers: the base book, and bundles of other customers for the periodic imports.
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Msme:DataDirectory"] = store,
                ["Msme:Database:Provider"] = "PostgreSQL",
                ["ConnectionStrings:Msme"] = database,
            }).Build();
            await using var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Warning)).AddMsmeData(configuration).AddCollections().AddRisk().BuildServiceProvider();
            await services.MigrateDatabaseAsync();
            var demo = new DemoOptions(DemoDataset.DefaultAsOf(TimeProvider.System), customers, months, 42);
            var outcomes = await services.GetRequiredService<BundleImporter>().ImportManyAsync(DemoDataset.Write(demo, Path.Combine(root, "base")), null, "bench-soak");
            var book = await services.GetRequiredService<LoanBookImporter>().ImportFileAsync(Path.Combine(root, "base", DemoDataset.LoanBookFile), "bench-soak");
            log($"store: {outcomes.Count} bundles, {outcomes.Sum(o => o.TransactionsAdded):N0} transactions, {book.Summary}");
            var extra = new Queue<string>(DemoDataset.Write(demo with { Customers = Math.Max(10, minutes * 60 / (int)importEvery.TotalSeconds + 2), Seed = 4242 }, Path.Combine(root, "extra")));

            // Two portal processes, then the proxy in front of them.
            var urls = new List<string>();
            for (var i = 0; i < 2; i++)
            {
                var port = FreePort();
                instances.Add(StartPortal(portalDll, port, store, database, i));
                urls.Add($"http://127.0.0.1:{port}");
                await WaitReadyAsync(urls[^1], instances[^1]); // one after the other: the first seeds the users
            }
            proxy = ProxyHost.Build(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", .. urls.Select((u, i) => $"--Msme:Proxy:Destinations:{i}={u}")]);
            await proxy.StartAsync();
            var proxyUrl = proxy.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("127.0.0.1", "localhost").TrimEnd('/');
            log($"instances {string.Join(", ", urls)} (pids {string.Join(", ", instances.Select(p => p.Id))}) behind {proxyUrl}");

            var clientsService = ActivatorUtilities.CreateInstance<ApiClientService>(services);
            var tokens = new List<string>();
            for (var i = 0; i < apiClients; i++)
            {
                tokens.Add((await clientsService.CreateAsync($"soak-{i}", Roles.RiskManager, null, "bench-soak")).Token ?? throw new InvalidOperationException("no token"));
            }
            var importToken = (await clientsService.CreateAsync("soak-ingest", Roles.Admin, null, "bench-soak")).Token!;
            List<int> ids;
            await using (var db = await services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync())
            {
                ids = await db.Customers.OrderBy(c => c.Id).Select(c => c.Id).ToListAsync();
            }

            var stats = new Stats();
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));
            playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
            });
            var tasks = new List<Task>();
            tasks.AddRange(Enumerable.Range(0, circuits).Select(i => CircuitAsync(browser, proxyUrl, ids, i, stats, stop.Token)));
            tasks.AddRange(tokens.Select((token, i) => ApiPollerAsync(proxyUrl, token, i, stats, stop.Token)));
            tasks.Add(ImportsAsync(proxyUrl, importToken, extra, importEvery, stats, stop.Token));
            tasks.Add(PurgesAsync(services, purgeEvery, stats, stop.Token));
            tasks.Add(ReportAsync(stats, instances, heap, heapAt, stop.Token));
            await Task.WhenAll(tasks);

            var (clickP95, pageP95, apiP95) = stats.Totals();
            log(string.Create(Inv, $"soak done: {stats.AllClicks:N0} tab clicks (p95 {clickP95:N0} ms), {stats.AllPages:N0} page loads (p95 {pageP95:N0} ms), {stats.AllApi:N0} API calls (p95 {apiP95:N0} ms), {stats.Imports} imports, {stats.Purges} purges ({stats.PurgedSessions} sessions, {stats.PurgedRows:N0} rows); errors {stats.AllErrors}"));
            foreach (var (error, count) in stats.ErrorKinds.OrderByDescending(e => e.Value).Take(10))
            {
                log($"  error x{count}: {error}");
            }
            return stats.AllErrors == 0 ? 0 : 1;
        }
        finally
        {
            if (proxy is not null)
            {
                await proxy.StopAsync();
                await proxy.DisposeAsync();
            }
            playwright?.Dispose();
            foreach (var instance in instances)
            {
                if (!instance.HasExited)
                {
                    instance.Kill(entireProcessTree: true);
                    await instance.WaitForExitAsync();
                }
                instance.Dispose();
            }
            NpgsqlConnection.ClearAllPools();
            await BenchPostgres.DropDatabaseAsync(database);
            Directory.Delete(root, recursive: true);
        }
    }

    // ---------------------------------------------------------------- the load

    private static async Task CircuitAsync(IBrowser browser, string proxyUrl, List<int> ids, int index, Stats stats, CancellationToken stop)
    {
        var rng = new Random(index);
        IBrowserContext? context = null;
        try
        {
            await Task.Delay(index * 500, stop); // the circuits open over the first minute, not all at once
            context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
            context.SetDefaultTimeout(60_000);
            var page = await context.NewPageAsync();
            page.PageError += (_, e) => stats.Error("page error: " + e[..Math.Min(100, e.Length)]);
            await page.GotoAsync($"{proxyUrl}/Account/Login");
            await page.FillAsync("#Input\\.Email", "risk@msme.local");
            await page.FillAsync("#Input\\.Password", RenderBenchmark.Password);
            await page.ClickAsync("button[type=submit]");
            await page.WaitForURLAsync(u => !u.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase), new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
            while (!stop.IsCancellationRequested)
            {
                var id = ids[rng.Next(ids.Count)];
                var clock = Stopwatch.StartNew();
                try
                {
                    await page.GotoAsync($"{proxyUrl}/customers/{id}/smart-collect");
                    await page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
                    stats.Page(clock.Elapsed.TotalMilliseconds);
                    foreach (var tab in Tabs.OrderBy(_ => rng.Next()).Take(3))
                    {
                        clock.Restart();
                        await page.Locator($"[data-testid=tab-{tab}]").ClickAsync();
                        await page.Locator($"[data-testid=customer-tab-content][data-tab={tab}]").WaitForAsync();
                        stats.Click(clock.Elapsed.TotalMilliseconds);
                        if (await page.Locator("[data-testid=tab-error]").CountAsync() > 0)
                        {
                            stats.Error($"tab {tab} shows its error boundary");
                        }
                        await Task.Delay(rng.Next(1000, 3000), stop);
                    }
                }
                catch (Exception e) when (e is PlaywrightException or TimeoutException && !stop.IsCancellationRequested)
                {
                    stats.Error("circuit: " + e.Message.Split('\n')[0][..Math.Min(120, e.Message.Split('\n')[0].Length)]);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            stats.Error("circuit set-up: " + e.Message.Split('\n')[0]);
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            if (context is not null)
            {
                await context.DisposeAsync();
            }
        }
    }

    private static async Task ApiPollerAsync(string proxyUrl, string token, int index, Stats stats, CancellationToken stop)
    {
        using var client = new HttpClient { BaseAddress = new Uri(proxyUrl), Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var filters = new[] { "", "?filter=BrokenPromises", "?status=Overdue", "?filter=CallbacksDue" };
        try
        {
            await Task.Delay(index * 200, stop);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var clock = Stopwatch.StartNew();
                try
                {
                    using var response = await client.GetAsync("/api/v1/collections/queue" + filters[i % filters.Length], stop);
                    await response.Content.ReadAsStringAsync(stop);
                    stats.Api(clock.Elapsed.TotalMilliseconds);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        stats.Error($"queue API: HTTP {(int)response.StatusCode}");
                    }
                }
                catch (HttpRequestException e)
                {
                    stats.Error("queue API: " + e.Message);
                }
                catch (TaskCanceledException) when (!stop.IsCancellationRequested)
                {
                    // HttpClient's own timeout: an error of the run, not the end of this client.
                    stats.Error($"queue API: no answer in {client.Timeout.TotalSeconds:N0} s");
                }
                await Task.Delay(2000, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static async Task ImportsAsync(string proxyUrl, string token, Queue<string> bundles, TimeSpan every, Stats stats, CancellationToken stop)
    {
        using var client = new HttpClient { BaseAddress = new Uri(proxyUrl), Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            while (!stop.IsCancellationRequested && bundles.TryDequeue(out var bundle))
            {
                await Task.Delay(every, stop);
                using var zip = new MemoryStream();
                using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
                {
                    foreach (var file in Directory.GetFiles(bundle, "*", SearchOption.AllDirectories))
                    {
                        await using var entry = archive.CreateEntry(Path.Combine(Path.GetFileName(bundle), Path.GetRelativePath(bundle, file))).Open();
                        await using var source = File.OpenRead(file);
                        await source.CopyToAsync(entry, stop);
                    }
                }
                using var content = new ByteArrayContent(zip.ToArray());
                content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
                var clock = Stopwatch.StartNew();
                using var response = await client.PostAsync("/api/v1/imports", content, stop);
                var body = await response.Content.ReadAsStringAsync(stop);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref stats.Imports);
                    ScaleBenchmark.Log($"  import {Path.GetFileName(bundle)}: HTTP {(int)response.StatusCode} in {clock.Elapsed.TotalMilliseconds:N0} ms");
                }
                else
                {
                    stats.Error($"import: HTTP {(int)response.StatusCode} {body[..Math.Min(160, body.Length)]}");
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Revokes the consent of the customer imported last (as the AA's notification would) and runs the purge, as the CLI or the leader would.</summary>
    private static async Task PurgesAsync(IServiceProvider services, TimeSpan every, Stats stats, CancellationToken stop)
    {
        var lineage = ActivatorUtilities.CreateInstance<ConsentLineageService>(services);
        var purge = ActivatorUtilities.CreateInstance<PurgeService>(services);
        var factory = services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(every, stop);
                int? consent;
                await using (var db = await factory.CreateDbContextAsync(stop))
                {
                    consent = await db.Consents.Where(c => c.Status == ConsentStatus.Active).OrderByDescending(c => c.Id).Select(c => (int?)c.Id).FirstOrDefaultAsync(stop);
                }
                if (consent is { } id && await lineage.ChangeStatusAsync(id, ConsentStatus.Revoked, ConsentTransitions.Staff, "bench-soak", "soak: purge drill", stop) is { } error)
                {
                    stats.Error("revoke: " + error);
                }
                var clock = Stopwatch.StartNew();
                var result = await purge.PurgeAsync(stop);
                Interlocked.Increment(ref stats.Purges);
                Interlocked.Add(ref stats.PurgedSessions, result.SessionsPurged);
                Interlocked.Add(ref stats.PurgedRows, result.TransactionsDeleted);
                ScaleBenchmark.Log($"  purge: consent {consent} revoked; {result.SessionsPurged} sessions, {result.TransactionsDeleted:N0} rows in {clock.Elapsed.TotalMilliseconds:N0} ms{(result.SessionsFailed > 0 ? $", {result.SessionsFailed} FAILED" : "")}");
                if (result.SessionsFailed > 0)
                {
                    stats.Error("purge: sessions failed");
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private static async Task ReportAsync(Stats stats, List<Process> instances, string? heap, int heapAt, CancellationToken stop)
    {
        var snapshots = new List<Dictionary<string, (long Bytes, long Count)>?>();
        Console.WriteLine("| minute | page loads | p95 page (ms) | tab clicks | p95 click (ms) | API calls | p95 API (ms) | errors | RSS instance 1 (MiB) | RSS instance 2 (MiB) | load |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        for (var minute = 1; ; minute++)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMinutes(1), stop);
            }
            catch (OperationCanceledException)
            {
                minute = -minute; // the last, partial minute
            }
            var (pages, clicks, api, errors) = stats.Take();
            string P95(List<double> xs) => xs.Count == 0 ? "—" : xs.Order().ElementAt(Math.Clamp((int)Math.Ceiling(0.95 * xs.Count) - 1, 0, xs.Count - 1)).ToString("N0", Inv);
            Console.WriteLine(string.Create(Inv,
                $"| {(minute < 0 ? $"{-minute} (partial)" : minute)} | {pages.Count} | {P95(pages)} | {clicks.Count} | {P95(clicks)} | {api.Count} | {P95(api)} | {errors} | {string.Join(" | ", instances.Select(Rss))} | {ScaleBenchmark.Load()} |"));
            if (heap is not null && (minute == heapAt || (minute < 0 && snapshots.Count > 0)))
            {
                // Whether a rise in resident memory is the managed heap, and of what: each instance at minute N and at the end.
                for (var i = 0; i < instances.Count; i++)
                {
                    Dictionary<string, (long Bytes, long Count)>? snapshot = null;
                    try
                    {
                        snapshot = await HeapSnapshot.CollectAsync(heap, $"instance{i + 1}-{(minute < 0 ? "end" : $"minute{minute}")}", instances[i].Id);
                    }
                    catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
                    {
                        // A failed snapshot is reported, not a failed soak.
                        Console.WriteLine($"  instance {i + 1}: heap snapshot failed: {e.Message}");
                    }
                    if (minute > 0)
                    {
                        snapshots.Add(snapshot);
                    }
                    else if (snapshots[i] is { } earlier && snapshot is not null)
                    {
                        Console.WriteLine($"  instance {i + 1}: {earlier.Values.Sum(x => x.Bytes) / 1048576.0:N0} MiB of managed objects at minute {heapAt}, {snapshot.Values.Sum(x => x.Bytes) / 1048576.0:N0} MiB at the end");
                        HeapSnapshot.PrintGrowth(earlier, snapshot, 1, $"instance {i + 1}, growth from minute {heapAt} to the end");
                    }
                }
            }
            if (minute < 0)
            {
                return;
            }
        }
    }

    private static string Rss(Process process)
    {
        try
        {
            var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return (long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], Inv) / 1024.0).ToString("N0", Inv);
        }
        catch (IOException)
        {
            return "exited";
        }
    }

    private sealed class Stats
    {
        private readonly object _gate = new();
        private List<double> _pages = [], _clicks = [], _api = [];
        private int _errors;
        private readonly List<double> _allPages = [], _allClicks = [], _allApi = [];
        public readonly ConcurrentDictionary<string, int> ErrorKinds = new();
        public int Imports, Purges, PurgedSessions, AllErrors;
        public long PurgedRows;

        public int AllPages => _allPages.Count;
        public int AllClicks => _allClicks.Count;
        public int AllApi => _allApi.Count;

        public void Page(double ms) { lock (_gate) { _pages.Add(ms); _allPages.Add(ms); } }
        public void Click(double ms) { lock (_gate) { _clicks.Add(ms); _allClicks.Add(ms); } }
        public void Api(double ms) { lock (_gate) { _api.Add(ms); _allApi.Add(ms); } }

        public void Error(string what)
        {
            lock (_gate) { _errors++; AllErrors++; }
            ErrorKinds.AddOrUpdate(what, 1, (_, n) => n + 1);
        }

        public (List<double> Pages, List<double> Clicks, List<double> Api, int Errors) Take()
        {
            lock (_gate)
            {
                var taken = (_pages, _clicks, _api, _errors);
                (_pages, _clicks, _api, _errors) = ([], [], [], 0);
                return taken;
            }
        }

        public (double Click, double Page, double Api) Totals()
        {
            static double P95(List<double> xs) => xs.Count == 0 ? double.NaN : xs.Order().ElementAt(Math.Clamp((int)Math.Ceiling(0.95 * xs.Count) - 1, 0, xs.Count - 1));
            lock (_gate)
            {
                return (P95(_allClicks), P95(_allPages), P95(_allApi));
            }
        }
    }

    // ---------------------------------------------------------------- the processes

    /// <summary>Msme.Portal's own Release build output (its static web assets manifest lives there), found from this benchmark's folder.</summary>
    private static string FindPortal()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "Msme.Portal", "bin", "Release", "net10.0", "Msme.Portal.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("Msme.Portal/bin/Release/net10.0/Msme.Portal.dll not found: dotnet build -c Release Msme.Portal");
    }

    private static Process StartPortal(string dll, int port, string store, string database, int index)
    {
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development", // the build's static web assets (blazor.web.js, MudBlazor) as in Development
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["DOTNET_gcServer"] = "1", // as the Web SDK deploys it
            ["Msme__DataDirectory"] = store,
            ["Msme__Database__Provider"] = "PostgreSQL",
            ["ConnectionStrings__Msme"] = database,
            ["Msme__SeedDemoData"] = "true",
            ["Msme__DemoCustomers"] = "0",
            ["Msme__DemoPassword"] = RenderBenchmark.Password,
            ["Msme__RequireHttps"] = "false",
            ["Msme__Aa__PeriodicFetch"] = "false",
            ["Msme__RateLimits__SignInPerIpPerMinute"] = "100000",
            ["Msme__RateLimits__SignInPerNamePerMinute"] = "100000",
            ["Msme__RateLimits__ApiPerClientPerMinute"] = "100000",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Error",
        })
        {
            info.Environment[key] = value;
        }
        var process = Process.Start(info)!;
        var name = $"instance {index + 1}";
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line && (line.Contains("fail", StringComparison.OrdinalIgnoreCase) || line.Contains("crit", StringComparison.Ordinal))) Console.WriteLine($"  [{name}] {line}"); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.WriteLine($"  [{name} stderr] {line}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitReadyAsync(string url, Process process)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the portal at {url} exited with {process.ExitCode}");
            }
            try
            {
                if ((await client.GetAsync(url + "/health/ready")).IsSuccessStatusCode)
                {
                    ScaleBenchmark.Log($"  {url} ready in {clock.Elapsed.TotalSeconds:N0} s");
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(1000);
        }
        throw new TimeoutException($"{url} not ready in 5 minutes");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

}
