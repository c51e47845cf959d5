using System.Diagnostics;
using System.Globalization;
using Msme.Domain;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Ingestion;

namespace Msme.Benchmarks;

/// <summary>
/// Times CashflowAnalyzer.Analyze over synthetic accounts (default 2,000 × 500 transactions over ~24 months),
/// single-threaded, after a warm-up pass. Target: 1,000,000 transactions in at most 1 s.
/// Options: --accounts N, --transactions N, --seed N.
/// </summary>
internal static class AnalyticsBenchmark
{
    public static Task<int> Run(string[] args)
    {
        var accounts = Option(args, "--accounts", 2_000);
        var perAccount = Option(args, "--transactions", 500);
        var seed = Option(args, "--seed", 20_210_401);

        var data = Build(new Random(seed), accounts, perAccount);
        var transactions = (long)accounts * perAccount;

        // Cold pass first (includes JIT), reported for honesty; then the timed pass on warm code.
        var cold = Stopwatch.StartNew();
        var checksum = Pass(data);
        cold.Stop();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Thread.Sleep(200); // lets tiered compilation finish promoting the hot methods

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var gen0Before = GC.CollectionCount(0);
        var timer = Stopwatch.StartNew();
        var checksum2 = Pass(data);
        timer.Stop();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        if (checksum != checksum2) throw new InvalidOperationException("the two passes disagree");

        var ms = timer.Elapsed.TotalMilliseconds;
        Console.WriteLine($"analytics: {accounts:N0} accounts × {perAccount:N0} transactions = {transactions:N0} transactions (seed {seed})");
        Console.WriteLine($"  cold pass (with JIT): {cold.Elapsed.TotalMilliseconds:N0} ms");
        Console.WriteLine($"  warm pass:            {ms:N0} ms, {transactions / timer.Elapsed.TotalSeconds:N0} transactions/s, {ms * 1000 / accounts:N1} µs/account");
        Console.WriteLine($"  allocated:            {allocated:N0} bytes ({allocated / accounts:N0} per account), gen0 GCs {GC.CollectionCount(0) - gen0Before}");
        Console.WriteLine($"  checksum:             {checksum}");
        Console.WriteLine($"  target ≤ 1,000 ms per 1,000,000 transactions: {(ms * 1_000_000 / transactions <= 1000 ? "met" : "MISSED")}");
        return Task.FromResult(0);
    }

    // Sums figures so the work cannot be optimised away and two passes can be compared.
    private static decimal Pass(DepositAccount[] data)
    {
        var checksum = 0m;
        foreach (var account in data)
        {
            var analysis = CashflowAnalyzer.Analyze(account);
            checksum += (analysis.Metrics.AverageBalance ?? 0m) + analysis.Anomalies.Count + analysis.Monthly.Count;
        }
        return checksum;
    }

    /// <summary>Deterministic accounts: a monthly salary-like credit, scattered UPI-sized debits and credits, rare reversals.</summary>
    private static DepositAccount[] Build(Random random, int accounts, int perAccount)
    {
        var start = new DateTimeOffset(2022, 4, 1, 0, 0, 0, IndianTime.Offset);
        const int days = 730;
        var result = new DepositAccount[accounts];
        var seconds = new long[perAccount];
        for (var a = 0; a < accounts; a++)
        {
            for (var i = 0; i < perAccount; i++) seconds[i] = random.NextInt64(days * 86_400L);
            Array.Sort(seconds);
            var balance = random.Next(5_000, 500_000) + random.Next(100) / 100m;
            var salary = random.Next(20_000, 200_000);
            var txns = new Transaction[perAccount];
            for (var i = 0; i < perAccount; i++)
            {
                var roll = random.Next(100);
                var (type, amount) = roll switch
                {
                    < 5 => (TxnType.Credit, salary + random.Next(-2_000, 2_000) + 0m),
                    < 30 => (TxnType.Credit, random.Next(10, 20_000) + random.Next(100) / 100m),
                    < 99 => (TxnType.Debit, random.Next(10, 15_000) + random.Next(100) / 100m),
                    _ => (TxnType.Reversal, random.Next(10, 5_000) + 0m),
                };
                balance += type == TxnType.Debit ? -amount : amount;
                txns[i] = new Transaction
                {
                    TxnId = $"B{a}-{i}",
                    Type = type,
                    Mode = "UPI",
                    Amount = amount,
                    Balance = balance,
                    Timestamp = start.AddSeconds(seconds[i]),
                    Position = i,
                };
            }
            result[a] = new DepositAccount
            {
                MaskedAccNumber = $"XXXXXX{a:D4}",
                LinkedAccRef = $"bench-{a}",
                StartDate = DateOnly.FromDateTime(start.DateTime),
                EndDate = DateOnly.FromDateTime(start.DateTime).AddDays(days - 1),
                Transactions = txns,
            };
        }
        return result;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
