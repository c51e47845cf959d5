using System.Globalization;
using static System.FormattableString;

namespace Msme.Domain.Analytics.Cashflow;

/// <summary>
/// One function per contract figure. Each takes a nullable <see cref="ExplanationBuilder"/>: the analyzer passes null,
/// <see cref="Explain"/> passes a builder and re-runs the same function on the stored intermediates.
/// Figures are computed at full decimal precision and rounded once, at the end, as a spreadsheet would.
/// </summary>
internal static class CashflowFigures
{
    public const string Coverage = "coverage";
    public const string InsufficientHistoryName = "insufficientHistory";
    public const string AvgMonthlyInflowName = "avgMonthlyInflow";
    public const string MedianMonthlyInflowName = "medianMonthlyInflow";
    public const string IncomeCvName = "incomeCv";
    public const string SurplusRatioName = "surplusRatio";
    public const string AverageBalanceName = "averageBalance";
    public const string BalanceVolatilityName = "balanceVolatility";
    public const string TypicalCreditDayName = "typicalCreditDay";
    public const string StabilityTierName = "stabilityTier";

    public const int MinimumCompleteMonths = 3;

    public static readonly string[] Names =
    [
        Coverage, InsufficientHistoryName, AvgMonthlyInflowName, MedianMonthlyInflowName, IncomeCvName, SurplusRatioName,
        AverageBalanceName, BalanceVolatilityName, TypicalCreditDayName, StabilityTierName,
        RobustZDetector.InflowFigure, RobustZDetector.OutflowFigure,
    ];

    public static AccountMetrics Metrics(ReadOnlySpan<MonthlyFigures> complete, DailyBalanceSeries daily)
    {
        var cv = IncomeCv(complete, null);
        return new AccountMetrics(
            AvgMonthlyInflow(complete, null),
            MedianMonthlyInflow(complete, null),
            cv,
            SurplusRatio(complete, null),
            AverageBalance(complete, daily, null),
            BalanceVolatility(complete, daily, null),
            TypicalCreditDay(complete, null),
            Tier(cv, null));
    }

    public static Coverage? CoverageOf(StatementFacts facts, ExplanationBuilder? why)
    {
        why?.Input("statement startDate", Format(facts.DeclaredStart));
        why?.Input("statement endDate", Format(facts.DeclaredEnd));
        why?.Input("earliest transaction date (IST)", Format(facts.FirstTransactionDate));
        why?.Input("latest transaction date (IST)", Format(facts.LastTransactionDate));
        if (facts.FirstTransactionDate is not { } first || facts.LastTransactionDate is not { } last)
        {
            why?.Narrate("The statement has no transactions, so nothing is covered.");
            return null;
        }
        var from = facts.DeclaredStart is { } start && start > first ? start : first;
        var to = facts.DeclaredEnd is { } end && end < last ? end : last;
        if (from > to)
        {
            // The declared period and the transactions do not overlap: no day is both declared and evidenced.
            why?.Narrate(Invariant($"The declared period and the transactions do not overlap (from {from:yyyy-MM-dd} would be after to {to:yyyy-MM-dd}), so nothing is covered."));
            return null;
        }
        why?.Narrate(Invariant($"Covered from {from:yyyy-MM-dd} to {to:yyyy-MM-dd}: the statement is trusted only where it both declares the period and shows transactions."));
        return new Coverage(from, to);
    }

    public static bool InsufficientHistory(ReadOnlySpan<MonthlyFigures> complete, ExplanationBuilder? why)
    {
        why?.Input("complete months", complete.Length.ToString(CultureInfo.InvariantCulture));
        why?.Input("required", MinimumCompleteMonths.ToString(CultureInfo.InvariantCulture));
        var insufficient = complete.Length < MinimumCompleteMonths;
        why?.Narrate(insufficient
            ? Invariant($"Only {complete.Length} complete month(s); the figures need {MinimumCompleteMonths} to be relied on.")
            : Invariant($"{complete.Length} complete months: enough history."));
        return insufficient;
    }

    public static decimal? AvgMonthlyInflow(ReadOnlySpan<MonthlyFigures> months, ExplanationBuilder? why)
    {
        if (months.IsEmpty)
        {
            why?.Narrate("No complete month, so there is no monthly inflow to average.");
            return null;
        }
        var sum = 0m;
        foreach (var m in months)
        {
            sum += m.Inflow;
            why?.Input(Invariant($"inflow {m.Month}"), m.Inflow);
        }
        var mean = Rounding.Money(sum / months.Length);
        why?.Input("Σ inflow", sum);
        why?.Input("complete months", months.Length);
        why?.Narrate(Invariant($"On average {mean} came in per complete month ({sum} over {months.Length} months)."));
        return mean;
    }

    public static decimal? MedianMonthlyInflow(ReadOnlySpan<MonthlyFigures> months, ExplanationBuilder? why)
    {
        if (months.IsEmpty)
        {
            why?.Narrate("No complete month, so there is no median.");
            return null;
        }
        var inflows = Inflows(months, why);
        var median = Rounding.Money(DecimalMath.Median(inflows));
        why?.Narrate(months.Length % 2 == 0
            ? Invariant($"Median of {months.Length} monthly inflows (an even count, so the mean of the two middle values): {median}.")
            : Invariant($"Median of {months.Length} monthly inflows: {median}."));
        return median;
    }

    public static decimal? IncomeCv(ReadOnlySpan<MonthlyFigures> months, ExplanationBuilder? why)
    {
        if (months.Length < 2)
        {
            why?.Narrate("Needs at least 2 complete months to measure how income varies.");
            return null;
        }
        var inflows = Inflows(months, why);
        var mean = DecimalMath.Mean(inflows);
        why?.Input("mean inflow", mean);
        if (mean == 0m)
        {
            why?.Narrate("No inflow in the complete months, so income variation is undefined.");
            return null;
        }
        var sd = DecimalMath.SampleStandardDeviation(inflows, mean);
        why?.Input("sample standard deviation", sd);
        var cv = Rounding.Ratio(sd / mean);
        why?.Narrate(Invariant($"Monthly inflow typically strays {cv:P1} from its mean of {Rounding.Money(mean)}."));
        return cv;
    }

    public static decimal? SurplusRatio(ReadOnlySpan<MonthlyFigures> months, ExplanationBuilder? why)
    {
        decimal inflow = 0m, outflow = 0m;
        foreach (var m in months)
        {
            inflow += m.Inflow;
            outflow += m.Outflow;
        }
        why?.Input("Σ inflow", inflow);
        why?.Input("Σ outflow", outflow);
        if (inflow == 0m)
        {
            why?.Narrate("No inflow in the complete months, so the surplus ratio is undefined.");
            return null;
        }
        var ratio = Rounding.Ratio((inflow - outflow) / inflow);
        why?.Narrate(Invariant($"Of every rupee that came in, {ratio:0.######} was left after outflows."));
        return ratio;
    }

    public static decimal? AverageBalance(ReadOnlySpan<MonthlyFigures> months, DailyBalanceSeries daily, ExplanationBuilder? why)
    {
        if (months.IsEmpty)
        {
            why?.Narrate("No complete month, so there are no days to average.");
            return null;
        }
        var sum = 0m;
        var count = 0;
        foreach (var m in months)
        {
            // Per-month subtotals keep the explanation short yet let an auditor re-add it month by month.
            var monthSum = 0m;
            foreach (var b in daily.Slice(m.Month.FirstDay, m.Month.LastDay)) monthSum += b;
            var monthDays = m.Month.LastDay.DayNumber - m.Month.FirstDay.DayNumber + 1;
            why?.Input(Invariant($"Σ daily closing balance {m.Month} ({monthDays} days)"), monthSum);
            sum += monthSum;
            count += monthDays;
        }
        var mean = Rounding.Money(sum / count);
        why?.Input("Σ over all days", sum);
        why?.Input("days", count);
        why?.Narrate(Invariant($"The account closed the day at {mean} on average over {count} days of complete months."));
        return mean;
    }

    public static decimal? BalanceVolatility(ReadOnlySpan<MonthlyFigures> months, DailyBalanceSeries daily, ExplanationBuilder? why)
    {
        if (months.IsEmpty)
        {
            why?.Narrate("No complete month, so there are no days to measure.");
            return null;
        }
        var balances = daily.Slice(months[0].Month.FirstDay, months[^1].Month.LastDay);
        why?.Input("days", balances.Length);
        if (balances.Length < 2)
        {
            why?.Narrate("Fewer than 2 days.");
            return null;
        }
        var mean = DecimalMath.Mean(balances);
        why?.Input("mean daily closing balance", mean);
        if (mean == 0m)
        {
            why?.Narrate("The average balance is 0, so relative volatility is undefined.");
            return null;
        }
        var sd = DecimalMath.SampleStandardDeviation(balances, mean);
        why?.Input("sample standard deviation", sd);
        var volatility = Rounding.Ratio(sd / mean);
        why?.Narrate(Invariant($"Day-end balances typically stray {volatility:P1} from their average."));
        return volatility;
    }

    public static int? TypicalCreditDay(ReadOnlySpan<MonthlyFigures> months, ExplanationBuilder? why)
    {
        Span<int> days = months.Length <= 256 ? stackalloc int[months.Length] : new int[months.Length];
        var n = 0;
        foreach (var m in months)
        {
            if (m.LargestCreditDay is not { } day) continue;
            days[n++] = day;
            why?.Input(Invariant($"day of largest credit {m.Month} ({m.LargestCredit})"), day.ToString(CultureInfo.InvariantCulture));
        }
        if (n == 0)
        {
            why?.Narrate("No complete month has a credit.");
            return null;
        }
        days = days[..n];
        int best = 0, bestCost = int.MaxValue;
        foreach (var candidate in days)
        {
            var cost = 0;
            foreach (var other in days) cost += CircularDistance(candidate, other);
            if (cost < bestCost || (cost == bestCost && candidate < best))
            {
                best = candidate;
                bestCost = cost;
            }
        }
        why?.Input("least total circular distance", bestCost.ToString(CultureInfo.InvariantCulture));
        why?.Narrate(Invariant($"The largest credit usually lands around day {best} of the month (distances wrap around month end, so 30 and 2 are 3 days apart)."));
        return best;
    }

    internal static int CircularDistance(int a, int b)
    {
        var d = Math.Abs(a - b);
        return Math.Min(d, 31 - d);
    }

    /// <summary>Bands the reported (6-place) cv, so the tier always agrees with the number printed next to it.</summary>
    public static StabilityTier Tier(decimal? incomeCv, ExplanationBuilder? why)
    {
        why?.Input("incomeCv", ExplanationBuilder.Format(incomeCv));
        var tier = incomeCv switch
        {
            null => StabilityTier.Unknown,
            <= 0.20m => StabilityTier.High,
            <= 0.40m => StabilityTier.Medium,
            <= 0.70m => StabilityTier.Low,
            _ => StabilityTier.VeryLow,
        };
        why?.Narrate(tier == StabilityTier.Unknown
            ? "Income variation is unknown, so stability is Unknown."
            : Invariant($"incomeCv {incomeCv} falls in the {tier} band (≤ 0.20 High, ≤ 0.40 Medium, ≤ 0.70 Low, above VeryLow)."));
        return tier;
    }

    public static Explanation Explain(AccountAnalysis analysis, string figure)
    {
        var why = new ExplanationBuilder();
        var complete = analysis.CompleteMonths();
        var daily = analysis.DailyBalances;
        return figure switch
        {
            Coverage => why.Build(figure, "from = max(startDate, earliest txn date); to = min(endDate, latest txn date)",
                CoverageOf(analysis.Statement, why) is { } c ? Invariant($"{c.From:yyyy-MM-dd}..{c.To:yyyy-MM-dd}") : "null"),
            InsufficientHistoryName => why.Build(figure, Invariant($"complete months < {MinimumCompleteMonths}"),
                InsufficientHistory(complete, why) ? "true" : "false"),
            AvgMonthlyInflowName => why.Build(figure, "Σ inflow(m) / n over complete months",
                ExplanationBuilder.Format(AvgMonthlyInflow(complete, why))),
            MedianMonthlyInflowName => why.Build(figure, "median of inflow(m) over complete months",
                ExplanationBuilder.Format(MedianMonthlyInflow(complete, why))),
            IncomeCvName => why.Build(figure, "sample sd (n − 1) of inflow(m) / mean inflow(m)",
                ExplanationBuilder.Format(IncomeCv(complete, why))),
            SurplusRatioName => why.Build(figure, "(Σ inflow − Σ outflow) / Σ inflow",
                ExplanationBuilder.Format(SurplusRatio(complete, why))),
            AverageBalanceName => why.Build(figure, "Σ daily closing balance / days, over all days of complete months",
                ExplanationBuilder.Format(AverageBalance(complete, daily, why))),
            BalanceVolatilityName => why.Build(figure, "sample sd (n − 1) of daily closing balances / their mean",
                ExplanationBuilder.Format(BalanceVolatility(complete, daily, why))),
            TypicalCreditDayName => why.Build(figure, "argmin over observed days d of Σ min(|d − x|, 31 − |d − x|); ties to the smaller day",
                TypicalCreditDay(complete, why)?.ToString(CultureInfo.InvariantCulture) ?? "null"),
            StabilityTierName => why.Build(figure, "incomeCv ≤ 0.20 High, ≤ 0.40 Medium, ≤ 0.70 Low, else VeryLow; null Unknown",
                Tier(IncomeCv(complete, null), why).ToString()),
            RobustZDetector.InflowFigure or RobustZDetector.OutflowFigure => ExplainDetector(complete, figure, why),
            _ => throw new ArgumentException($"unknown figure '{figure}'; known: {string.Join(", ", Names)}", nameof(figure)),
        };
    }

    private static Explanation ExplainDetector(ReadOnlySpan<MonthlyFigures> complete, string figure, ExplanationBuilder why)
    {
        var series = figure == RobustZDetector.InflowFigure ? RobustZDetector.Inflow : RobustZDetector.Outflow;
        var flagged = new List<MonthlyAnomaly>();
        RobustZDetector.Detect(complete, series, flagged, why);
        return why.Build(figure, RobustZDetector.Formula,
            flagged.Count == 0 ? "no month flagged" : string.Join(", ", flagged.Select(a => Invariant($"{a.Month} (M = {a.Score})"))));
    }

    private static decimal[] Inflows(ReadOnlySpan<MonthlyFigures> months, ExplanationBuilder? why)
    {
        var inflows = new decimal[months.Length];
        for (var i = 0; i < months.Length; i++)
        {
            inflows[i] = months[i].Inflow;
            why?.Input(Invariant($"inflow {months[i].Month}"), months[i].Inflow);
        }
        return inflows;
    }

    private static string Format(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "none";
}
