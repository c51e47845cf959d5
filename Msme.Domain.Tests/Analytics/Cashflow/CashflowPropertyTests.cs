using CsCheck;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Analytics.Cashflow;

public class CashflowPropertyTests
{
    private static readonly DateTimeOffset Origin = new(2021, 1, 1, 0, 0, 0, IndianTime.Offset);

    // (second after Origin, kind 0-9: 0-3 credit, 4-8 debit, 9 reversal, amount in paise)
    private static readonly Gen<(int Second, int Kind, int Paise)> GenTxn =
        Gen.Select(Gen.Int[0, 220 * 86_400], Gen.Int[0, 9], Gen.Int[0, 5_000_000]);

    /// <summary>
    /// Accounts over ~7 months with distinct timestamps (so order never depends on position), in a random document
    /// order, balances running in time order from a random opening, and optional declared start/end dates.
    /// </summary>
    private static readonly Gen<DepositAccount> GenAccount = Gen.Select(
            GenTxn.Array[0, 80], Gen.Int[0, 10_000_000], Gen.Int[-10, 60], Gen.Int[150, 240], Gen.Bool, Gen.Bool)
        .Select((specs, openingPaise, startDay, endDay, hasStart, hasEnd) =>
        {
            var distinct = specs.DistinctBy(s => s.Second).ToArray();
            var balances = new Dictionary<int, decimal>();
            var balance = openingPaise / 100m;
            foreach (var s in distinct.OrderBy(s => s.Second))
            {
                var amount = s.Paise / 100m;
                balance += s.Kind switch { <= 3 => amount, <= 8 => -amount, _ => amount }; // reversal gives money back
                balances[s.Second] = balance;
            }
            return new DepositAccount
            {
                MaskedAccNumber = "XX1",
                StartDate = hasStart ? DateOnly.FromDateTime(Origin.DateTime).AddDays(startDay) : null,
                EndDate = hasEnd ? DateOnly.FromDateTime(Origin.DateTime).AddDays(endDay) : null,
                Transactions = distinct.Select((s, i) => new Transaction
                {
                    TxnId = $"T{i}",
                    Type = s.Kind switch { <= 3 => TxnType.Credit, <= 8 => TxnType.Debit, _ => TxnType.Reversal },
                    Amount = s.Paise / 100m,
                    Balance = balances[s.Second],
                    Timestamp = Origin.AddSeconds(s.Second),
                    Position = i,
                }).ToArray(),
            };
        });

    [Fact]
    public void Shuffling_the_document_order_changes_nothing()
    {
        Gen.Select(GenAccount, Gen.Int).Sample((account, seed) =>
        {
            var shuffled = account.Transactions.ToArray();
            new Random(seed).Shuffle(shuffled);
            var renumbered = account with { Transactions = shuffled.Select((t, i) => t with { Position = i }).ToArray() };

            AssertSameAnalysis(CashflowAnalyzer.Analyze(account), CashflowAnalyzer.Analyze(renumbered));
        }, iter: 300);
    }

    [Fact]
    public void Scaling_every_amount_and_balance_by_k_scales_money_and_keeps_ratios_days_and_flags()
    {
        Gen.Select(GenAccount, Gen.Int[1, 50]).Sample((account, k) =>
        {
            var scaled = account with
            {
                Transactions = account.Transactions.Select(t => t with { Amount = t.Amount * k, Balance = t.Balance * k }).ToArray(),
            };
            var a = CashflowAnalyzer.Analyze(account);
            var b = CashflowAnalyzer.Analyze(scaled);

            Assert.Equal(a.Coverage, b.Coverage);
            Assert.Equal(a.InsufficientHistory, b.InsufficientHistory);
            // Sums of 2-place amounts are exact, so they scale exactly.
            Assert.Equal(a.Monthly.Select(m => m with
            {
                Inflow = m.Inflow * k, Outflow = m.Outflow * k, Net = m.Net * k, ClosingBalance = m.ClosingBalance * k, LargestCredit = m.LargestCredit * k,
            }), b.Monthly);
            Assert.Equal(a.DailyBalances.Values.ToArray().Select(v => v * k), b.DailyBalances.Values.ToArray());
            // Means and medians are rounded to 2 places after dividing: k × round(x) and round(k × x) may differ by
            // up to 0.005 × k + 0.005.
            var tolerance = 0.005m * k + 0.005m;
            AssertScaled(a.Metrics.AvgMonthlyInflow, b.Metrics.AvgMonthlyInflow, k, tolerance);
            AssertScaled(a.Metrics.MedianMonthlyInflow, b.Metrics.MedianMonthlyInflow, k, tolerance);
            AssertScaled(a.Metrics.AverageBalance, b.Metrics.AverageBalance, k, tolerance);
            Assert.Equal(a.Metrics.IncomeCv, b.Metrics.IncomeCv);
            Assert.Equal(a.Metrics.SurplusRatio, b.Metrics.SurplusRatio);
            Assert.Equal(a.Metrics.BalanceVolatility, b.Metrics.BalanceVolatility);
            Assert.Equal(a.Metrics.TypicalCreditDay, b.Metrics.TypicalCreditDay);
            Assert.Equal(a.Metrics.StabilityTier, b.Metrics.StabilityTier);
            Assert.Equal(
                a.Anomalies.Select(x => (x.Series, x.Month, x.Score, x.DeviationPct, x.Value * k)),
                b.Anomalies.Select(x => (x.Series, x.Month, x.Score, x.DeviationPct, x.Value)));
        }, iter: 300);
    }

    [Fact]
    public void Analysis_never_throws_and_monthly_flows_add_up_to_the_transactions()
    {
        GenAccount.Sample(account =>
        {
            var analysis = CashflowAnalyzer.Analyze(account);
            if (analysis.Coverage is not { } c) return;
            var touched = account.Transactions.Where(t => t.Date >= c.From.AddDays(1 - c.From.Day) && CalendarMonth.Of(t.Date).CompareTo(CalendarMonth.Of(c.To)) <= 0);
            Assert.Equal(touched.Where(t => t.Type == TxnType.Credit).Sum(t => t.Amount), analysis.Monthly.Sum(m => m.Inflow));
            Assert.Equal(touched.Where(t => t.Type == TxnType.Debit).Sum(t => t.Amount), analysis.Monthly.Sum(m => m.Outflow));
            Assert.Equal(c.To.DayNumber - c.From.DayNumber + 1, analysis.DailyBalances.Count);
            Assert.All(analysis.ExplainAll(), e => Assert.NotNull(e.Result));
        }, iter: 300);
    }

    private static void AssertScaled(decimal? unscaled, decimal? scaled, int k, decimal tolerance)
    {
        Assert.Equal(unscaled is null, scaled is null);
        if (unscaled is { } u && scaled is { } s) Assert.True(Math.Abs(s - u * k) <= tolerance, $"{s} vs {u} × {k}");
    }

    private static void AssertSameAnalysis(AccountAnalysis a, AccountAnalysis b)
    {
        Assert.Equal(a.Coverage, b.Coverage);
        Assert.Equal(a.InsufficientHistory, b.InsufficientHistory);
        Assert.Equal(a.Monthly, b.Monthly);
        Assert.Equal(a.Metrics, b.Metrics);
        Assert.Equal(a.Anomalies, b.Anomalies);
        Assert.Equal(a.DailyBalances.Values.ToArray(), b.DailyBalances.Values.ToArray());
        Assert.Equal(a.DailyBalances.OpeningBalance, b.DailyBalances.OpeningBalance);
    }
}
