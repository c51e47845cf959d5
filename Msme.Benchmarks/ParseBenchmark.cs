using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using Msme.Domain.Ingestion;

namespace Msme.Benchmarks;

/// <summary>
/// Issue 17, target 1: the deposit reader's throughput over the analyze set (20 ReBIT v1 JSON files, 2,000 accounts,
/// 1,000,000 transactions, ~260 MB, generated deterministically in memory) and over the same accounts as ReBIT XML.
/// Beside it, in the same run, the ceiling: a bare Utf8JsonReader (XmlReader) pass over the same bytes that only
/// tokenises. Prints MB/s, transactions/s and bytes allocated per transaction, single-threaded and across all cores.
/// Usage: parse [--files 20] [--accounts 2000] [--txns 500] [--xml-accounts 400] [--runs 3].
/// </summary>
internal static class ParseBenchmark
{
    public static Task<int> Run(string[] args)
    {
        var files = ImportBenchmark.IntArg(args, "--files", 20);
        var accounts = ImportBenchmark.IntArg(args, "--accounts", 2000);
        var perAccount = ImportBenchmark.IntArg(args, "--txns", 500);
        var xmlAccounts = ImportBenchmark.IntArg(args, "--xml-accounts", 400);
        var runs = ImportBenchmark.IntArg(args, "--runs", 3);

        var clock = Stopwatch.StartNew();
        var json = AnalyzeSet.Json(files, accounts, perAccount);
        var xml = AnalyzeSet.Xml(xmlAccounts, perAccount);
        var jsonBytes = json.Sum(b => (long)b.Length);
        var xmlBytes = xml.Sum(b => (long)b.Length);
        Console.WriteLine($"parse: {files} JSON files, {accounts:N0} accounts x {perAccount} = {accounts * (long)perAccount:N0} transactions, {jsonBytes / 1e6:N1} MB; " +
                          $"{xml.Length} XML documents, {xmlAccounts * (long)perAccount:N0} transactions, {xmlBytes / 1e6:N1} MB (generated in {clock.Elapsed.TotalSeconds:N1} s)");
        Console.WriteLine($"cores: {Environment.ProcessorCount}; load: {Load()}");

        // Warm-up: JIT and tiering for every path measured.
        Tokenise(json[..1]); ReadAll(json[..1], "warm.json"); TokeniseXml(xml[..1]); ReadAll(xml[..1], "warm.xml");
        Thread.Sleep(300);

        for (var run = 1; run <= runs; run++)
        {
            Console.WriteLine($"run {run}:");
            var ceiling = Time(() => Tokenise(json));
            var read = Time(() => ReadAll(json, "bench.json"));
            var parallel = Time(() => ReadParallel(json, "bench.json"));
            Report("JSON Utf8JsonReader only (ceiling)", jsonBytes, ceiling, null);
            Report("JSON deposit reader, 1 thread", jsonBytes, read, ceiling);
            Report($"JSON deposit reader, {Environment.ProcessorCount} threads", jsonBytes, parallel, ceiling);

            var xmlCeiling = Time(() => TokeniseXml(xml));
            var xmlRead = Time(() => ReadAll(xml, "bench.xml"));
            Report("XML XmlReader only (ceiling)", xmlBytes, xmlCeiling, null);
            Report("XML deposit reader, 1 thread", xmlBytes, xmlRead, xmlCeiling);
        }
        Console.WriteLine($"load after: {Load()}");
        return Task.FromResult(0);
    }

    private sealed record Measure(TimeSpan Elapsed, TimeSpan Cpu, long Transactions, long Allocated);

    // Wall time and the process's CPU time (every thread: the GC's and the JIT's too). On a machine shared with other
    // builds the CPU time is the steadier figure: MB per CPU-second is MB/s per core.
    private static Measure Time(Func<long> pass)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var count = pass();
        clock.Stop();
        process.Refresh();
        return new Measure(clock.Elapsed, process.TotalProcessorTime - cpu, count, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    private static void Report(string what, long bytes, Measure m, Measure? ceiling)
    {
        var seconds = m.Elapsed.TotalSeconds;
        var cpu = m.Cpu.TotalSeconds;
        var perTxn = m.Transactions > 0 ? $"{m.Transactions / cpu,11:N0} txn/cpu-s  {(double)m.Allocated / m.Transactions,7:N1} B allocated/txn" : "";
        var ratio = ceiling is null ? "" : $"  {cpu / ceiling.Cpu.TotalSeconds:N2}x the ceiling's CPU";
        Console.WriteLine($"  {what,-40} wall {seconds,7:N3} s {bytes / 1e6 / seconds,6:N0} MB/s | cpu {cpu,7:N3} s {bytes / 1e6 / cpu,6:N0} MB/cpu-s {perTxn}{ratio}");
    }

    /// <summary>Tokens only: what any reader of these bytes pays at least.</summary>
    private static long Tokenise(byte[][] documents)
    {
        long tokens = 0;
        foreach (var doc in documents)
        {
            var reader = new Utf8JsonReader(doc);
            while (reader.Read())
            {
                tokens++;
            }
        }
        return 0 * tokens;
    }

    private static long TokeniseXml(byte[][] documents)
    {
        long attributes = 0;
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true };
        foreach (var doc in documents)
        {
            using var reader = XmlReader.Create(new MemoryStream(doc), settings);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.MoveToFirstAttribute())
                {
                    do
                    {
                        attributes += reader.Value.Length;
                    }
                    while (reader.MoveToNextAttribute());
                }
            }
        }
        return 0 * attributes;
    }

    private static long ReadAll(byte[][] documents, string name)
    {
        var sink = new CountingSink();
        foreach (var doc in documents)
        {
            var issues = DepositDocumentReader.Read(new MemoryStream(doc), name, sink);
            if (issues.Count > 0)
            {
                throw new InvalidOperationException(issues[0].ToString());
            }
        }
        return sink.Count;
    }

    private static long ReadParallel(byte[][] documents, string name)
    {
        long total = 0;
        Parallel.ForEach(documents, doc => Interlocked.Add(ref total, ReadAll([doc], name)));
        return total;
    }

    internal static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "n/a";

    private sealed class CountingSink : IDepositSink
    {
        public long Count { get; private set; }
        public void BeginAccount(AccountKey key) { }
        public void OnTransaction(AccountKey key, Transaction txn) => Count++;
        public void EndAccount(DepositAccount header) { }
    }
}

/// <summary>
/// The analyze benchmark set: accounts of 500 statement lines each (a daily rhythm of UPI receipts and NEFT payments over
/// about a year, a consistent running balance), 100 accounts to a Setu-shaped <c>{"FI":{"DEPOSIT":[...]}}</c> file. Seeded per
/// account, so every run and every machine writes the same bytes.
/// </summary>
internal static class AnalyzeSet
{
    private static readonly DateTimeOffset Start = new(2024, 4, 1, 9, 0, 0, TimeSpan.FromHours(5.5));

    public static byte[][] Json(int files, int accounts, int perAccount)
    {
        var perFile = (accounts + files - 1) / files;
        var result = new byte[files][];
        Parallel.For(0, files, f =>
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream))
            {
                w.WriteStartObject();
                w.WriteStartObject("FI");
                w.WriteStartArray("DEPOSIT");
                for (var a = f * perFile; a < Math.Min(accounts, (f + 1) * perFile); a++)
                {
                    WriteJsonAccount(w, a, perAccount);
                }
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteEndObject();
            }
            result[f] = stream.ToArray();
        });
        return result;
    }

    /// <summary>The same accounts as ReBIT v1 XML, one document per account (as FIPs send it).</summary>
    public static byte[][] Xml(int accounts, int perAccount)
    {
        var result = new byte[accounts][];
        Parallel.For(0, accounts, a =>
        {
            using var stream = new MemoryStream();
            using (var x = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) }))
            {
                const string ns = "http://api.rebit.org.in/FISchema/deposit";
                x.WriteStartElement("Account", ns);
                x.WriteAttributeString("linkedAccRef", $"ref-{a}");
                x.WriteAttributeString("maskedAccNumber", Masked(a));
                x.WriteAttributeString("type", "deposit");
                x.WriteAttributeString("version", "1.1");
                x.WriteStartElement("Transactions", ns);
                var rows = Rows(a, perAccount).ToList();
                x.WriteAttributeString("startDate", Day(rows[0].When));
                x.WriteAttributeString("endDate", Day(rows[^1].When));
                foreach (var r in rows)
                {
                    x.WriteStartElement("Transaction", ns);
                    x.WriteAttributeString("txnId", r.TxnId);
                    x.WriteAttributeString("type", r.Credit ? "CREDIT" : "DEBIT");
                    x.WriteAttributeString("mode", r.Mode);
                    x.WriteAttributeString("amount", Money(r.Amount));
                    x.WriteAttributeString("currentBalance", Money(r.Balance));
                    x.WriteAttributeString("transactionTimestamp", Timestamp(r.When));
                    x.WriteAttributeString("valueDate", Day(r.When));
                    x.WriteAttributeString("narration", r.Narration);
                    x.WriteAttributeString("reference", r.Reference);
                    x.WriteEndElement();
                }
                x.WriteEndElement();
                x.WriteEndElement();
            }
            result[a] = stream.ToArray();
        });
        return result;
    }

    /// <summary>Writes the JSON set as files in a folder (for the analyze process and pandas); returns their paths.</summary>
    public static IReadOnlyList<string> WriteFiles(string dir, int files, int accounts, int perAccount)
    {
        Directory.CreateDirectory(dir);
        var docs = Json(files, accounts, perAccount);
        var paths = new List<string>();
        for (var f = 0; f < docs.Length; f++)
        {
            var path = Path.Combine(dir, $"deposit-{f:D2}.json");
            File.WriteAllBytes(path, docs[f]);
            paths.Add(path);
        }
        return paths;
    }

    private static void WriteJsonAccount(Utf8JsonWriter w, int a, int perAccount)
    {
        var rows = Rows(a, perAccount).ToList();
        w.WriteStartObject();
        w.WriteString("linkedAccRef", $"ref-{a}");
        w.WriteString("maskedAccNumber", Masked(a));
        w.WriteString("type", "deposit");
        w.WriteString("version", "1.1");
        w.WriteStartObject("transactions");
        w.WriteString("startDate", Day(rows[0].When));
        w.WriteString("endDate", Day(rows[^1].When));
        w.WriteStartArray("transaction");
        foreach (var r in rows)
        {
            w.WriteStartObject();
            w.WriteString("txnId", r.TxnId);
            w.WriteString("type", r.Credit ? "CREDIT" : "DEBIT");
            w.WriteString("mode", r.Mode);
            w.WriteString("amount", Money(r.Amount));
            w.WriteString("currentBalance", Money(r.Balance));
            w.WriteString("transactionTimestamp", Timestamp(r.When));
            w.WriteString("valueDate", Day(r.When));
            w.WriteString("narration", r.Narration);
            w.WriteString("reference", r.Reference);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private sealed record Row(string TxnId, bool Credit, string Mode, decimal Amount, decimal Balance, DateTimeOffset When, string Narration, string Reference);

    private static IEnumerable<Row> Rows(int a, int perAccount)
    {
        var random = new Random(a);
        var balance = 50_000m + a;
        var when = Start;
        for (var i = 0; i < perAccount; i++)
        {
            var credit = random.Next(100) < 45;
            var amount = Math.Round((decimal)random.Next(100, 2_000_000) / 100m, 2);
            balance += credit ? amount : -amount;
            when = when.AddMinutes(random.Next(60, 2_000));
            yield return new Row($"T{a}-{i}", credit, credit ? "UPI" : "FT", amount, balance, when,
                credit ? $"UPI/{random.NextInt64(100_000_000_000, 999_999_999_999)}/PAYER {i % 97}/payer{i % 97}@okbank/Bank" : $"NEFT-N{random.Next():D10}-SUPPLIER {i % 13}",
                $"RFN{random.Next():D10}");
        }
    }

    private static string Masked(int a) => "XXXXXX" + a.ToString("D4", CultureInfo.InvariantCulture);
    private static string Money(decimal v) => v.ToString("0.00", CultureInfo.InvariantCulture);
    private static string Day(DateTimeOffset t) => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private static string Timestamp(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
