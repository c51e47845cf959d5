using Msme.Domain.Ingestion;

namespace Msme.Domain.Analytics.Cashflow;

/// <summary>Computes the analytics contract (version 1) for one DEPOSIT account: coverage, monthly series, metrics, anomalies.</summary>
/// <remarks>
/// Readings of the contract where it is silent (shared/ANALYTICS-CONTRACT.md):
/// <list type="bullet">
/// <item>A declared period that does not overlap the transactions (from &gt; to) gives no coverage, like an empty statement.</item>
/// <item>inflow/outflow of a month are summed over every transaction dated in it, as written, even the few dated
/// outside coverage in a partial first or last month; complete months are unaffected.</item>
/// <item>Figures are computed at full decimal precision from the 2-place monthly sums and daily balances and rounded
/// once; the stability tier and the robust-z flag are decided on the reported 6-place value so they never contradict
/// the printed number.</item>
/// <item>Figures over no complete month (avg, median, averageBalance) are null: a mean of nothing is not 0.</item>
/// <item>balanceVolatility divides by averageBalance as written, so an overdrawn account gets a negative value.</item>
/// </list>
/// Single pass over the transactions (sorted only when the feed is out of order) and one over the covered days;
/// about 80 µs for 500 transactions over two years (Msme.Benchmarks analytics).
/// </remarks>
public static class CashflowAnalyzer
{
    public static AccountAnalysis Analyze(DepositAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var ordered = OrderedTransactions.Of(account.Transactions);
        var days = ordered.Days;
        var facts = new StatementFacts(
            account.StartDate,
            account.EndDate,
            days.Length > 0 ? DateOnly.FromDayNumber(days[0]) : null,
            days.Length > 0 ? DateOnly.FromDayNumber(days[^1]) : null,
            days.Length);
        var coverage = CashflowFigures.CoverageOf(facts, why: null);
        if (coverage is null)
        {
            return new AccountAnalysis
            {
                MaskedAccNumber = account.MaskedAccNumber,
                LinkedAccRef = account.LinkedAccRef,
                Statement = facts,
                InsufficientHistory = true,
            };
        }

        var daily = DailyBalanceSeries.Build(ordered, coverage.From.DayNumber, coverage.To.DayNumber);
        var monthly = MonthlySeries(ordered, coverage, daily);
        var analysis = new AccountAnalysis
        {
            MaskedAccNumber = account.MaskedAccNumber,
            LinkedAccRef = account.LinkedAccRef,
            Coverage = coverage,
            Statement = facts,
            Monthly = monthly,
            DailyBalances = daily,
        };
        var complete = analysis.CompleteMonths();
        var anomalies = new List<MonthlyAnomaly>();
        RobustZDetector.Detect(complete, RobustZDetector.Inflow, anomalies, why: null);
        RobustZDetector.Detect(complete, RobustZDetector.Outflow, anomalies, why: null);
        return analysis with
        {
            InsufficientHistory = CashflowFigures.InsufficientHistory(complete, why: null),
            Metrics = CashflowFigures.Metrics(complete, daily),
            Anomalies = anomalies,
        };
    }

    /// <summary>
    /// Daily closing balances over any range of days, by the contract's rule; days before the first transaction get
    /// the opening balance (see <see cref="DailyBalanceSeries"/>). Analyze uses the same code over the coverage.
    /// </summary>
    public static DailyBalanceSeries DailyBalances(DepositAccount account, DateOnly from, DateOnly to)
    {
        ArgumentNullException.ThrowIfNull(account);
        return DailyBalanceSeries.Build(OrderedTransactions.Of(account.Transactions), from.DayNumber, to.DayNumber);
    }

    /// <summary>One entry per month coverage touches. Money is summed over every transaction dated in the month.</summary>
    private static MonthlyFigures[] MonthlySeries(OrderedTransactions ordered, Coverage coverage, DailyBalanceSeries daily)
    {
        var firstIndex = CalendarMonth.Of(coverage.From).Index;
        var count = CalendarMonth.Of(coverage.To).Index - firstIndex + 1;
        var inflow = new decimal[count];
        var outflow = new decimal[count];
        var credits = new int[count];
        var debits = new int[count];
        var largest = new decimal[count];
        var largestDay = new int[count]; // 0 = no credit yet

        var items = ordered.Items;
        var days = ordered.Days;
        // Items come in day order, so the month only has to be worked out when the day leaves the current month.
        int monthStart = int.MaxValue, monthEnd = int.MinValue, slot = -1, dayOfMonthBase = 0;
        for (var i = 0; i < items.Length; i++)
        {
            var day = days[i];
            if (day < monthStart || day > monthEnd)
            {
                var date = DateOnly.FromDayNumber(day);
                var month = CalendarMonth.Of(date);
                monthStart = month.FirstDay.DayNumber;
                monthEnd = month.LastDay.DayNumber;
                slot = month.Index - firstIndex;
                dayOfMonthBase = monthStart - 1;
            }
            if ((uint)slot >= (uint)count) continue; // a month coverage does not touch
            var txn = items[i];
            switch (txn.Type)
            {
                case TxnType.Credit:
                    inflow[slot] += txn.Amount;
                    credits[slot]++;
                    // Strictly greater: on a tie the earlier transaction (in contract order) keeps the place.
                    if (largestDay[slot] == 0 || txn.Amount > largest[slot])
                    {
                        largest[slot] = txn.Amount;
                        largestDay[slot] = day - dayOfMonthBase;
                    }
                    break;
                case TxnType.Debit:
                    outflow[slot] += txn.Amount;
                    debits[slot]++;
                    break;
                // REVERSAL: neither inflow nor outflow (contract); its balance still counts in the daily series.
            }
        }

        var result = new MonthlyFigures[count];
        for (var s = 0; s < count; s++)
        {
            var month = CalendarMonth.FromIndex(firstIndex + s);
            var lastCovered = month.LastDay < coverage.To ? month.LastDay : coverage.To;
            var inM = Rounding.Money(inflow[s]);
            var outM = Rounding.Money(outflow[s]);
            result[s] = new MonthlyFigures(
                month,
                coverage.ContainsMonth(month),
                inM,
                outM,
                Rounding.Money(inM - outM),
                credits[s],
                debits[s],
                Rounding.Money(daily[lastCovered]),
                largestDay[s] == 0 ? null : Rounding.Money(largest[s]),
                largestDay[s] == 0 ? null : largestDay[s]);
        }
        return result;
    }
}
