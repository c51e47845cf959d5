using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Msme.Domain;
using Msme.Domain.DemoData;
using Msme.Domain.Privacy;
using Msme.Portal.Data;
using Msme.Portal.Features.Admin;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Exports;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Features.Risk;
using Msme.Portal.Hosting;
using Npgsql;

namespace Msme.Benchmarks;

/// <summary>
/// Issue 16 §5, "scale measured": one store of N demo customers and about M transactions per provider, built through
/// the real importer, then the four figures side by side:
/// <list type="number">
/// <item>import rate (bundles written to disk first, then timed through <see cref="BundleImporter"/>: binary COPY on
/// PostgreSQL) against a raw baseline of the same rows into a table of the same shape (PostgreSQL: binary COPY from a
/// file; SQLite: one prepared INSERT in one transaction), and the ratio;</item>
/// <item>the customer page's p95 under C concurrent clients spread over two portal instances on the one database
/// (PostgreSQL; SQLite has one writer on one disk, so one instance), after both finished their risk warm-up;</item>
/// <item>the risk dashboard's full recompute from empty caches (<see cref="RiskService.GetPortfolioAsync"/>);</item>
/// <item>the Parquet lake export (<see cref="LakeExport"/>).</item>
/// </list>
/// Usage: scale [--provider PostgreSQL|Sqlite|both] [--customers 10000] [--transactions 10000000] [--seed 42]
/// [--concurrency 32] [--requests 2000] [--pg CONNECTION] (default MSME_BENCH_POSTGRES, then MSME_TEST_POSTGRES; a
/// throwaway database is created there and dropped after).
/// </summary>
internal static class ScaleBenchmark
{
    /// <summary>Transactions per customer-month of the demo book (580,659 over 200 customers × 18 months).</summary>
    private const double TransactionsPerCustomerMonth = 161.3;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly Stopwatch Total = Stopwatch.StartNew();

    public static async Task<int> RunAsync(string[] args)
    {
        var provider = Text(args, "--provider") ?? "both";
        var customers = BenchStore.Option(args, "--customers", 10_000);
        var transactions = long.Parse(Text(args, "--transactions") ?? "10000000", Inv);
        var seed = BenchStore.Option(args, "--seed", 42);
        var concurrency = BenchStore.Option(args, "--concurrency", 32);
        var requests = BenchStore.Option(args, "--requests", 2_000);
        var months = Math.Max(1, (int)Math.Round(transactions / (double)customers / TransactionsPerCustomerMonth));
        var demo = new DemoOptions(DemoDataset.DefaultAsOf(TimeProvider.System), customers, months, seed);
        var server = BenchPostgres.Server(args);
        Log($"scale: {customers:N0} customers × {months} months (≈ {customers * months * TransactionsPerCustomerMonth:N0} transactions asked {transactions:N0}), seed {seed}, {Environment.ProcessorCount} cores, load {Load()}");

        var results = new List<Figures>();
        foreach (var p in provider.Equals("both", StringComparison.OrdinalIgnoreCase) ? ["PostgreSQL", "Sqlite"] : new[] { provider })
        {
            var postgres = p.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase);
            if (postgres && server is null)
            {
                Log("PostgreSQL skipped: no server (--pg, MSME_BENCH_POSTGRES or MSME_TEST_POSTGRES)");
                continue;
            }
            results.Add(await RunOneAsync(postgres ? server : null, demo, concurrency, requests));
        }

        Console.WriteLine();
        Console.WriteLine($"| figure | {string.Join(" | ", results.Select(r => r.Provider))} |");
        Console.WriteLine($"|---|{string.Concat(results.Select(_ => "---|"))}");
        foreach (var (label, value) in Figures.Rows)
        {
            Console.WriteLine($"| {label} | {string.Join(" | ", results.Select(value))} |");
        }
        Log("done");
        return 0;
    }

    private static async Task<Figures> RunOneAsync(string? server, DemoOptions demo, int concurrency, int requests)
    {
        var name = server is null ? "SQLite" : "PostgreSQL";
        var f = new Figures { Provider = name };
        var root = Directory.CreateTempSubdirectory($"msme-scale-{name.ToLowerInvariant()}-").FullName;
        var store = Path.Combine(root, "store");
        var database = server is null ? null : await BenchPostgres.CreateDatabaseAsync(server, "msme_scale", b => { b.MaxPoolSize = 100; b.CommandTimeout = 600; });
        try
        {
            // 1. The bundles on disk first, so the import is timed alone.
            var bundles = Path.Combine(root, "bundles");
            var written = Stopwatch.StartNew();
            var paths = new List<string>();
            foreach (var path in DemoDataset.Write(demo, bundles))
            {
                paths.Add(path);
                if (paths.Count % 1000 == 0)
                {
                    Log($"  {name}: {paths.Count:N0} bundles written");
                }
            }
            Log($"{name}: {paths.Count:N0} bundles written in {written.Elapsed.TotalSeconds:N0} s");

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Msme:DataDirectory"] = store,
                ["Msme:Database:Provider"] = server is null ? "Sqlite" : "PostgreSQL",
                ["ConnectionStrings:Msme"] = database,
            }).Build();
            await using (var services = new ServiceCollection()
                .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
                .AddMsmeData(configuration)
                .AddCollections()
                .AddRisk()
                .AddExports()
                .BuildServiceProvider())
            {
                await services.MigrateDatabaseAsync();
                var added = 0L;
                var done = 0;
                var import = Stopwatch.StartNew();
                await services.GetRequiredService<BundleImporter>().ImportManyAsync(paths, null, "bench-scale", outcome =>
                {
                    if (outcome.Status == ImportStatus.Rejected)
                    {
                        throw new InvalidOperationException(outcome.Summary);
                    }
                    added += outcome.TransactionsAdded;
                    if (++done % 1000 == 0)
                    {
                        Log($"  {name}: imported {done:N0} bundles, {added:N0} transactions, {added / import.Elapsed.TotalSeconds:N0} txn/s");
                    }
                });
                import.Stop();
                f.Transactions = added;
                f.ImportRate = added / import.Elapsed.TotalSeconds;
                Log($"{name}: import {added:N0} transactions in {import.Elapsed.TotalSeconds:N1} s = {f.ImportRate:N0} txn/s (load {Load()})");
                var book = await services.GetRequiredService<LoanBookImporter>().ImportFileAsync(Path.Combine(bundles, DemoDataset.LoanBookFile), "bench-scale");
                Log($"{name}: loan book {book.Summary}");
                Directory.Delete(bundles, recursive: true);

                // Raw baseline: the same rows into a table of the same shape, with nothing of the importer around them.
                f.BaselineRate = server is null ? SqliteBaseline(Path.Combine(store, "msme.db"), root) : await PostgresBaselineAsync(database!, root);
                Log($"{name}: raw baseline {f.BaselineRate:N0} rows/s; import is {f.ImportRate / f.BaselineRate:P0} of raw (load {Load()})");

                (f.StoreBytes, f.TransactionBytes) = server is null ? SqliteSize(Path.Combine(store, "msme.db")) : await PostgresSizeAsync(database!);
                Log($"{name}: store {f.StoreBytes / 1048576.0:N0} MiB, transactions table with indexes {f.TransactionBytes / 1048576.0:N0} MiB = {f.TransactionBytes / (double)added:N0} bytes per transaction");

                // The risk dashboard's full recompute: every customer from empty caches.
                services.GetRequiredService<RiskCache>().Clear();
                services.GetRequiredService<AnalysisCache>().Clear();
                GC.Collect();
                using (var scope = services.CreateScope())
                {
                    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                    var risk = Stopwatch.StartNew();
                    var portfolio = await scope.ServiceProvider.GetRequiredService<RiskService>().GetPortfolioAsync();
                    risk.Stop();
                    f.RiskSeconds = risk.Elapsed.TotalSeconds;
                    f.RiskCpuMsPerCustomer = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / Math.Max(1, portfolio.Computed);
                    Log($"{name}: risk recompute {portfolio.Computed:N0} customers in {f.RiskSeconds:N1} s, {f.RiskCpuMsPerCustomer:N1} ms CPU per customer (load {Load()})");

                    var lakeDir = Path.Combine(root, "lake");
                    var lake = Stopwatch.StartNew();
                    var result = await scope.ServiceProvider.GetRequiredService<LakeExport>().WriteAsync(lakeDir, DisclosurePolicy.For([Roles.Admin]));
                    lake.Stop();
                    f.LakeSeconds = lake.Elapsed.TotalSeconds;
                    f.LakeBytes = Directory.GetFiles(lakeDir).Sum(x => new FileInfo(x).Length);
                    Log($"{name}: lake export {result.Transactions:N0} transactions, {f.LakeBytes / 1048576.0:N0} MiB in {f.LakeSeconds:N1} s (load {Load()})");
                    Directory.Delete(lakeDir, recursive: true);
                }
                f.PeakWorkingSet = Process.GetCurrentProcess().PeakWorkingSet64;
            }
            SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();

            // 2. The customer page under load, spread over two instances (one on SQLite).
            (f.PageP95, f.PageP50, f.PageErrors, f.Instances) = await PagesAsync(store, database, concurrency, requests);
            Log($"{name}: customer page over {f.Instances} instance(s), {concurrency} clients: p50 {f.PageP50:N0} ms, p95 {f.PageP95:N0} ms, errors {f.PageErrors} (load {Load()})");
            f.Load = Load();
            return f;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            if (database is not null)
            {
                await BenchPostgres.DropDatabaseAsync(database);
            }
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<(double P95, double P50, int Errors, int Instances)> PagesAsync(string store, string? database, int concurrency, int requests)
    {
        var count = database is null ? 1 : 2;
        var portals = new List<RenderBenchmark.BenchPortal>();
        var clients = new List<HttpClient>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var portal = new RenderBenchmark.BenchPortal(store, database);
                portal.UseKestrel(0);
                portal.StartServer(); // the first migrates (nothing to do) and seeds the users; the second finds them
                portals.Add(portal);
            }
            // Both instances warm their risk cache at start-up, as deployed: measure pages after that, not during it.
            var warm = Stopwatch.StartNew();
            while (portals.Any(p => !p.Services.GetRequiredService<RiskCache>().State.Warm) && warm.Elapsed < TimeSpan.FromMinutes(10))
            {
                await Task.Delay(2000);
            }
            Log($"  risk warm-up on {count} instance(s): {warm.Elapsed.TotalSeconds:N0} s{(portals.All(p => p.Services.GetRequiredService<RiskCache>().State.Warm) ? "" : " (not finished after 10 min: pages measured while it runs)")}");
            var (ids, _, _) = await RenderBenchmark.PrepareAsync(portals[0].Services, 500);
            foreach (var portal in portals)
            {
                var url = portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("127.0.0.1", "localhost").TrimEnd('/');
                clients.Add(await RenderBenchmark.SignInAsync(url, "admin@msme.local", concurrency));
            }
            // The load client spread over the instances, as a proxy spreads browsers: C/N clients and R/N requests each.
            var runs = await Task.WhenAll(clients.Select((client, i) =>
                RenderBenchmark.LoadAsync(client, ids, requests / count, Math.Max(1, concurrency / count), 7 + i, warmup: 100)));
            var millis = runs.SelectMany(r => r.Millis).Order().ToArray();
            foreach (var (run, i) in runs.Select((r, i) => (r, i)))
            {
                run.Print($"instance {i + 1}");
            }
            double At(double p) => millis[Math.Clamp((int)Math.Ceiling(p * millis.Length) - 1, 0, millis.Length - 1)];
            return (At(0.95), At(0.50), runs.Sum(r => r.Errors), count);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
            foreach (var portal in portals)
            {
                await portal.DisposeAsync();
            }
        }
    }

    // ---------------------------------------------------------------- raw baselines

    /// <summary>PostgreSQL: the imported rows copied out in binary to a file, then timed binary COPY into a fresh table LIKE the transactions table (indexes included, not partitioned, no triggers).</summary>
    private static async Task<double> PostgresBaselineAsync(string database, string root)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        var columns = new List<string>();
        await using (var command = new NpgsqlCommand("""
            SELECT column_name FROM information_schema.columns
            WHERE table_name = 'Transactions' AND table_schema = current_schema() AND is_identity = 'NO' AND is_generated = 'NEVER'
            ORDER BY ordinal_position
            """, connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add($"\"{reader.GetString(0)}\"");
            }
        }
        var list = string.Join(", ", columns);
        var file = Path.Combine(root, "baseline.copy");
        long rows;
        await using (var output = File.Create(file))
        await using (var raw = await connection.BeginRawBinaryCopyAsync($"COPY (SELECT {list} FROM \"Transactions\") TO STDOUT (FORMAT BINARY)"))
        {
            await raw.CopyToAsync(output);
        }
        await using (var create = new NpgsqlCommand("DROP TABLE IF EXISTS bench_copy_baseline; CREATE TABLE bench_copy_baseline (LIKE \"Transactions\" INCLUDING DEFAULTS INCLUDING INDEXES INCLUDING IDENTITY);", connection))
        {
            await create.ExecuteNonQueryAsync();
        }
        var clock = Stopwatch.StartNew();
        await using (var input = File.OpenRead(file))
        await using (var raw = await connection.BeginRawBinaryCopyAsync($"COPY bench_copy_baseline ({list}) FROM STDIN (FORMAT BINARY)"))
        {
            await input.CopyToAsync(raw);
        }
        clock.Stop();
        await using (var count = new NpgsqlCommand("SELECT count(*) FROM bench_copy_baseline", connection))
        {
            rows = (long)(await count.ExecuteScalarAsync())!;
        }
        await using (var drop = new NpgsqlCommand("DROP TABLE bench_copy_baseline", connection))
        {
            await drop.ExecuteNonQueryAsync();
        }
        File.Delete(file);
        return rows / clock.Elapsed.TotalSeconds;
    }

    /// <summary>SQLite: the imported rows read back, then timed into an attached fresh file with the same table and indexes, one prepared INSERT in one transaction (no triggers).</summary>
    private static double SqliteBaseline(string db, string root)
    {
        var target = Path.Combine(root, "baseline.db");
        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly");
        connection.Open();
        var ddl = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT sql FROM sqlite_master WHERE tbl_name = 'Transactions' AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type DESC";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ddl.Add(reader.GetString(0));
            }
        }
        using var output = new SqliteConnection($"Data Source={target};Foreign Keys=False"); // the table alone: its foreign keys name tables not copied
        output.Open();
        using (var pragmas = output.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; " + string.Join(";\n", ddl) + ";";
            pragmas.ExecuteNonQuery();
        }
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT * FROM Transactions";
        using var rows = read.ExecuteReader();
        var names = Enumerable.Range(0, rows.FieldCount).Select(rows.GetName).ToArray();
        var clock = new Stopwatch();
        long count = 0;
        using var tx = output.BeginTransaction();
        using var insert = output.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = $"INSERT INTO Transactions ({string.Join(", ", names.Select(n => $"\"{n}\""))}) VALUES ({string.Join(", ", names.Select((_, i) => $"$p{i}"))})";
        var parameters = names.Select((_, i) => insert.Parameters.Add(new SqliteParameter { ParameterName = $"$p{i}" })).ToArray();
        insert.Prepare();
        var values = new object[names.Length];
        while (rows.Read())
        {
            rows.GetValues(values);
            clock.Start(); // only the inserts are timed, not reading them back from the store
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i];
            }
            insert.ExecuteNonQuery();
            clock.Stop();
            count++;
        }
        clock.Start();
        tx.Commit();
        clock.Stop();
        return count / clock.Elapsed.TotalSeconds;
    }

    private static (long Store, long Transactions) SqliteSize(string db)
    {
        var file = new FileInfo(db).Length + (File.Exists(db + "-wal") ? new FileInfo(db + "-wal").Length : 0);
        using var connection = new SqliteConnection($"Data Source={db};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        // dbstat (compiled into the bundled SQLite) sizes the table and its indexes; without it, the file.
        command.CommandText = "SELECT sum(pgsize) FROM dbstat WHERE name = 'Transactions' OR name IN (SELECT name FROM sqlite_master WHERE tbl_name = 'Transactions' AND type = 'index')";
        try
        {
            return (file, Convert.ToInt64(command.ExecuteScalar(), Inv));
        }
        catch (SqliteException)
        {
            return (file, file);
        }
    }

    private static async Task<(long Store, long Transactions)> PostgresSizeAsync(string database)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using (var vacuum = new NpgsqlCommand("VACUUM ANALYZE", connection) { CommandTimeout = 0 })
        {
            await vacuum.ExecuteNonQueryAsync();
        }
        // A partitioned table's size is its partitions' (pg_partition_tree), each with indexes and TOAST.
        await using var command = new NpgsqlCommand("""
            SELECT pg_database_size(current_database()),
                   (SELECT coalesce(sum(pg_total_relation_size(relid)), 0) FROM pg_partition_tree('"Transactions"'))::bigint
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    internal static string Load() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    internal static void Log(string line) => Console.WriteLine($"[{Total.Elapsed:hh\\:mm\\:ss}] {line}");

    internal static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private sealed class Figures
    {
        public string Provider { get; init; } = "";
        public long Transactions { get; set; }
        public double ImportRate { get; set; }
        public double BaselineRate { get; set; }
        public long StoreBytes { get; set; }
        public long TransactionBytes { get; set; }
        public double RiskSeconds { get; set; }
        public double RiskCpuMsPerCustomer { get; set; }
        public double LakeSeconds { get; set; }
        public long LakeBytes { get; set; }
        public long PeakWorkingSet { get; set; }
        public double PageP95 { get; set; }
        public double PageP50 { get; set; }
        public int PageErrors { get; set; }
        public int Instances { get; set; }
        public string Load { get; set; } = "";

        public static readonly (string, Func<Figures, string>)[] Rows =
        [
            ("transactions", f => f.Transactions.ToString("N0", Inv)),
            ("import (txn/s)", f => f.ImportRate.ToString("N0", Inv)),
            ("raw baseline (rows/s)", f => f.BaselineRate.ToString("N0", Inv)),
            ("import ÷ raw", f => (f.ImportRate / f.BaselineRate).ToString("P0", Inv)),
            ("store (MiB)", f => (f.StoreBytes / 1048576.0).ToString("N0", Inv)),
            ("bytes per transaction (table + indexes)", f => (f.TransactionBytes / (double)Math.Max(1, f.Transactions)).ToString("N0", Inv)),
            ("risk recompute (s)", f => f.RiskSeconds.ToString("N1", Inv)),
            ("risk CPU per customer (ms)", f => f.RiskCpuMsPerCustomer.ToString("N1", Inv)),
            ("lake export (s)", f => f.LakeSeconds.ToString("N1", Inv)),
            ("lake size (MiB)", f => (f.LakeBytes / 1048576.0).ToString("N0", Inv)),
            ("customer page p50 / p95 (ms)", f => string.Create(Inv, $"{f.PageP50:N0} / {f.PageP95:N0} ({f.Instances} instance{(f.Instances == 1 ? "" : "s")}, {f.PageErrors} errors)")),
            ("benchmark process peak working set (MiB)", f => (f.PeakWorkingSet / 1048576.0).ToString("N0", Inv)),
            ("load average at the end", f => f.Load),
        ];
    }
}
