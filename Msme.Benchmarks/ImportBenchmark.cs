using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Msme.Domain.Ingestion;
using Msme.Portal.Data;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Hosting;

namespace Msme.Benchmarks;

/// <summary>
/// Issue 2's figure: import N accounts × M transactions from folder bundles on disk into a fresh SQLite store,
/// end to end through the real importer; then a raw baseline inserting the same rows with one prepared statement in
/// one transaction; and the ratio. Usage: import [--accounts 2000] [--txns 500] [--keep] [--baseline-only] [--read-only].
/// </summary>
internal static class ImportBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var accounts = IntArg(args, "--accounts", 2000);
        var perAccount = IntArg(args, "--txns", 500);
        var root = Path.Combine(Path.GetTempPath(), "msme-bench-import-" + Environment.ProcessId);
        var bundles = Path.Combine(root, "bundles");
        Directory.CreateDirectory(bundles);
        try
        {
            if (args.Contains("--baseline-only"))
            {
                Baseline(Path.Combine(root, "baseline"), accounts, perAccount);
                return 0;
            }
            var written = Stopwatch.StartNew();
            var bytes = WriteBundles(bundles, accounts, perAccount);
            Console.WriteLine($"wrote {accounts:N0} bundles, {accounts * (long)perAccount:N0} transactions, {bytes / 1024 / 1024:N0} MiB in {written.Elapsed.TotalSeconds:N1} s");

            ParseOnly(bundles);
            if (args.Contains("--read-only"))
            {
                return 0;
            }
            var importSeconds = await ImportAsync(Path.Combine(root, "store"), bundles, accounts * (long)perAccount);
            var baselineSeconds = Baseline(Path.Combine(root, "baseline"), accounts, perAccount);
            Console.WriteLine($"ratio: import takes {importSeconds / baselineSeconds:N2}× the raw insert time (raw is {baselineSeconds / importSeconds:P0} of import)");
            return 0;
        }
        finally
        {
            if (!args.Contains("--keep"))
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static async Task<double> ImportAsync(string storeDir, string bundles, long expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Msme:DataDirectory"] = storeDir }).Build();
        await using var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddMsmeData(configuration)
            .BuildServiceProvider();
        await services.MigrateDatabaseAsync();
        var importer = services.GetRequiredService<BundleImporter>();
        var paths = BundleLocator.Expand([bundles]).ToList();

        GC.Collect();
        var peakManaged = 0L;
        using var sampler = new Timer(_ => peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false)), null, 0, 50);
        var exceptions = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        AppDomain.CurrentDomain.FirstChanceException += (_, e) => exceptions.AddOrUpdate(e.Exception.GetType().Name + ": " + e.Exception.Message[..Math.Min(80, e.Exception.Message.Length)], 1, (_, n) => n + 1);
        var clock = Stopwatch.StartNew();
        long added = 0;
        foreach (var outcome in await importer.ImportManyAsync(paths, null, "benchmark"))
        {
            if (outcome.Status != ImportStatus.Imported)
            {
                throw new InvalidOperationException(outcome.Summary);
            }
            added += outcome.TransactionsAdded;
        }
        clock.Stop();
        foreach (var (what, count) in exceptions)
        {
            Console.WriteLine($"  first-chance exception x{count}: {what}");
        }
        peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
        if (added != expected)
        {
            throw new InvalidOperationException($"imported {added} transactions, expected {expected}");
        }
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"import (parse + validate + consent gate + write, {paths.Count:N0} bundles): {added:N0} transactions in {seconds:N2} s = {added / seconds:N0} transactions/s");
        Console.WriteLine($"peak memory: managed heap {peakManaged / 1024 / 1024:N0} MiB, process working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024 / 1024:N0} MiB");

        await using var db = await services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync();
        Console.WriteLine($"store: {await db.Transactions.LongCountAsync():N0} transactions, {await db.Accounts.CountAsync():N0} accounts, {new FileInfo(Path.Combine(storeDir, "msme.db")).Length / 1024 / 1024:N0} MiB (plus WAL)");
        return seconds;
    }

    /// <summary>Reading alone (open, hash, parse, consent gate) into a sink that only counts: the parser's share of the import.</summary>
    private static void ParseOnly(string bundles)
    {
        var paths = BundleLocator.Expand([bundles]).ToList();
        var sink = new CountingSink();
        var clock = Stopwatch.StartNew();
        var open = TimeSpan.Zero;
        foreach (var path in paths)
        {
            var started = clock.Elapsed;
            var opened = BundleReader.Open(path, null, TimeProvider.System);
            open += clock.Elapsed - started;
            opened.Bundle!.ReadDocuments(sink);
        }
        clock.Stop();
        Console.WriteLine($"  of which opening bundles (manifest, consent, hashing): {open.TotalSeconds:N2} s");
        Console.WriteLine($"read only (open + hash + parse + consent gate, no store): {sink.Count:N0} transactions in {clock.Elapsed.TotalSeconds:N2} s = {sink.Count / clock.Elapsed.TotalSeconds:N0} transactions/s");
    }

    private sealed class CountingSink : IDepositSink
    {
        public long Count { get; private set; }
        public void BeginAccount(AccountKey key) { }
        public void OnTransaction(AccountKey key, Msme.Domain.Ingestion.Transaction txn) => Count++;
        public void EndAccount(DepositAccount header) { }
    }

    /// <summary>The same rows, pre-built in memory, inserted with one prepared statement in one transaction into the same schema.</summary>
    private static double Baseline(string storeDir, int accounts, int perAccount)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Msme:DataDirectory"] = storeDir }).Build();
        using var services = new ServiceCollection().AddLogging().AddMsmeData(configuration).BuildServiceProvider();
        services.MigrateDatabaseAsync().GetAwaiter().GetResult();
        using var connection = new SqliteConnection($"Data Source={Path.Combine(storeDir, "msme.db")}");
        connection.Open();
        Exec(connection, "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;");
        Exec(connection, """
            INSERT INTO Customers (AaHandle, CreatedAt) VALUES ('bench@aa', 0);
            INSERT INTO Consents (ConsentId, CustomerId, Status, ConsentTypes, FiTypes, DataFiltersJson, ReceivedAt) VALUES ('c', 1, 'Active', '', '', '[]', 0);
            INSERT INTO FetchSessions (SessionId, ConsentRecordId, FetchedAt, Status, ImportedAt, BundleName, TransactionsAdded, TransactionsOverlapping, TransactionsFilteredOut, TransactionsPurged) VALUES ('s', 1, 0, 'COMPLETED', 0, 'b', 0, 0, 0, 0);
            """);
        foreach (var index in (Environment.GetEnvironmentVariable("BENCH_DROP_INDEXES") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            Exec(connection, $"DROP INDEX {index};");
        }
        var rows = Rows(accounts, perAccount).ToList();
        var clock = Stopwatch.StartNew();
        using var tx = connection.BeginTransaction();
        using (var account = connection.CreateCommand())
        {
            account.Transaction = tx;
            account.CommandText = "INSERT INTO Accounts (CustomerId, FipId, LinkedAccRef, MaskedAccNumber, HoldersJson, LastFetchSessionId) VALUES (1, 'FIP', $r, $m, '[]', 1);";
            var r = account.Parameters.Add("$r", SqliteType.Text);
            var m = account.Parameters.Add("$m", SqliteType.Text);
            account.Prepare();
            for (var a = 0; a < accounts; a++)
            {
                (r.Value, m.Value) = ($"ref-{a}", Masked(a));
                account.ExecuteNonQuery();
            }
        }
        var multi = int.TryParse(Environment.GetEnvironmentVariable("BENCH_MULTIROW"), out var perInsert) ? perInsert : 0;
        if (multi > 1)
        {
            using var many = connection.CreateCommand();
            many.Transaction = tx;
            many.CommandText = "INSERT INTO Transactions (AccountId, FetchSessionId, TxnId, Type, Mode, AmountPaise, BalancePaise, TimestampUnixMs, Date, ValueDate, Narration, Reference, Position) VALUES "
                + string.Join(",", Enumerable.Range(0, multi).Select(i => $"($a{i}, 1, $id{i}, $type{i}, 'OTHERS', $amount{i}, $balance{i}, $ts{i}, $date{i}, $date{i}, $narr{i}, $ref{i}, $pos{i})")) + ";";
            var ps = Enumerable.Range(0, multi).Select(i => new[] { "$a", "$id", "$type", "$amount", "$balance", "$ts", "$date", "$narr", "$ref", "$pos" }
                .Select(n => many.Parameters.Add(new SqliteParameter { ParameterName = n + i })).ToArray()).ToArray();
            many.Prepare();
            for (var start = 0; start + multi <= rows.Count; start += multi)
            {
                for (var i = 0; i < multi; i++)
                {
                    var row = rows[start + i];
                    var q = ps[i];
                    q[0].Value = row.Account + 1; q[1].Value = row.TxnId; q[2].Value = row.Credit ? "CREDIT" : "DEBIT";
                    q[3].Value = (long)(row.Amount * 100); q[4].Value = (long)(row.Balance * 100); q[5].Value = row.Timestamp.ToUnixTimeMilliseconds();
                    q[6].Value = Msme.Domain.IndianTime.DateOf(row.Timestamp).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    q[7].Value = row.Narration; q[8].Value = row.Reference; q[9].Value = row.Position;
                }
                many.ExecuteNonQuery();
            }
            tx.Commit();
            Console.WriteLine($"raw baseline, {multi} rows per INSERT: {rows.Count:N0} rows in {clock.Elapsed.TotalSeconds:N2} s = {rows.Count / clock.Elapsed.TotalSeconds:N0} rows/s");
            return clock.Elapsed.TotalSeconds;
        }
        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = """
            INSERT INTO Transactions (AccountId, FetchSessionId, TxnId, Type, Mode, AmountPaise, BalancePaise, TimestampUnixMs, Date, ValueDate, Narration, Reference, Position)
            VALUES ($a, 1, $id, $type, 'OTHERS', $amount, $balance, $ts, $date, $date, $narr, $ref, $pos);
            """;
        var p = new[] { "$a", "$id", "$type", "$amount", "$balance", "$ts", "$date", "$narr", "$ref", "$pos" }.Select(n => insert.Parameters.Add(new SqliteParameter { ParameterName = n })).ToArray();
        insert.Prepare();
        foreach (var row in rows)
        {
            p[0].Value = row.Account + 1;
            p[1].Value = row.TxnId;
            p[2].Value = row.Credit ? "CREDIT" : "DEBIT";
            p[3].Value = (long)(row.Amount * 100);
            p[4].Value = (long)(row.Balance * 100);
            p[5].Value = row.Timestamp.ToUnixTimeMilliseconds();
            p[6].Value = Msme.Domain.IndianTime.DateOf(row.Timestamp).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            p[7].Value = row.Narration;
            p[8].Value = row.Reference;
            p[9].Value = row.Position;
            insert.ExecuteNonQuery();
        }
        tx.Commit();
        clock.Stop();
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"raw baseline (prepared INSERTs, one transaction, same schema and indexes): {rows.Count:N0} rows in {seconds:N2} s = {rows.Count / seconds:N0} rows/s");
        return seconds;
    }

    private sealed record Row(int Account, int Position, string TxnId, bool Credit, decimal Amount, decimal Balance, DateTimeOffset Timestamp, string Narration, string Reference);

    /// <summary>Deterministic statement lines: a daily rhythm of receipts and payments with a consistent running balance.</summary>
    private static IEnumerable<Row> Rows(int accounts, int perAccount)
    {
        var start = new DateTimeOffset(2024, 4, 1, 9, 0, 0, TimeSpan.FromHours(5.5));
        for (var a = 0; a < accounts; a++)
        {
            var random = new Random(a);
            var balance = 50_000m + a;
            var when = start;
            for (var i = 0; i < perAccount; i++)
            {
                var credit = random.Next(100) < 45;
                var amount = Math.Round((decimal)random.Next(100, 2_000_000) / 100m, 2);
                balance += credit ? amount : -amount;
                when = when.AddMinutes(random.Next(60, 2_000));
                yield return new Row(a, i, $"T{a}-{i}", credit, amount, balance, when,
                    credit ? $"UPI/{random.NextInt64(100_000_000_000, 999_999_999_999)}/PAYER {i % 97}/payer{i % 97}@okbank/Bank" : $"NEFT-N{random.Next():D10}-SUPPLIER {i % 13}",
                    $"RFN{random.Next():D10}");
            }
        }
    }

    private static string Masked(int account) => "XXXXXX" + account.ToString("D4", CultureInfo.InvariantCulture);

    private static long WriteBundles(string dir, int accounts, int perAccount)
    {
        long total = 0;
        // Rows come account by account; chunking (not GroupBy) keeps one account in memory, so the process's peak is the import's.
        foreach (var group in Rows(accounts, perAccount).Chunk(perAccount))
        {
            var a = group[0].Account;
            var bundle = Path.Combine(dir, $"bundle-{a:D5}");
            Directory.CreateDirectory(bundle);
            var handle = $"bench{a}@onemoney";
            File.WriteAllText(Path.Combine(bundle, "manifest.json"), $$"""
                { "bundleVersion": 1,
                  "customer": { "aaHandle": "{{handle}}", "legalName": "Bench Traders {{a}}", "businessCategory": "TRADING", "scale": "MICRO" },
                  "fetchSession": { "sessionId": "bench-session-{{a}}", "fipId": "BENCH-FIP", "fetchedAt": "2026-01-05T10:00:00+05:30", "status": "COMPLETED" },
                  "consent": "consent.json", "documents": [ "fi.json" ] }
                """);
            File.WriteAllText(Path.Combine(bundle, "consent.json"), $$"""
                { "consentStart": "2024-01-01T00:00:00+05:30", "consentExpiry": "2027-01-01T00:00:00+05:30", "consentMode": "STORE",
                  "fetchType": "PERIODIC", "consentTypes": ["PROFILE","SUMMARY","TRANSACTIONS"], "fiTypes": ["DEPOSIT"],
                  "DataConsumer": { "id": "msme-fiu" }, "Customer": { "id": "{{handle}}" },
                  "Purpose": { "code": "104", "text": "Explicit consent for monitoring of the accounts" },
                  "FIDataRange": { "from": "2024-01-01T00:00:00+05:30", "to": "2026-12-31T23:59:59+05:30" },
                  "DataLife": { "unit": "YEAR", "value": 1 }, "Frequency": { "unit": "MONTH", "value": 1 } }
                """);
            var fi = Path.Combine(bundle, "fi.json");
            using (var stream = File.Create(fi))
            using (var json = new Utf8JsonWriter(stream))
            {
                json.WriteStartObject();
                json.WriteString("linkedAccRef", $"ref-{a}");
                json.WriteString("maskedAccNumber", Masked(a));
                json.WriteString("type", "deposit");
                json.WriteString("version", "1.1");
                json.WriteStartObject("transactions");
                json.WriteStartArray("transaction");
                foreach (var row in group)
                {
                    json.WriteStartObject();
                    json.WriteString("txnId", row.TxnId);
                    json.WriteString("type", row.Credit ? "CREDIT" : "DEBIT");
                    json.WriteString("mode", "OTHERS");
                    json.WriteString("amount", row.Amount.ToString(CultureInfo.InvariantCulture));
                    json.WriteString("currentBalance", row.Balance.ToString(CultureInfo.InvariantCulture));
                    json.WriteString("transactionTimestamp", row.Timestamp.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
                    json.WriteString("valueDate", row.Timestamp.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    json.WriteString("narration", row.Narration);
                    json.WriteString("reference", row.Reference);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndObject();
            }
            total += new FileInfo(fi).Length;
        }
        return total;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static int IntArg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
