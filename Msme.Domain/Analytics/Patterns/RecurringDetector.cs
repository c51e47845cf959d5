using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.Classification;
using Msme.Domain.Ingestion;
using static System.FormattableString;

namespace Msme.Domain.Analytics.Patterns;

/// <summary>A payment that comes back every month: same party (or purpose), similar amount, similar day of month.</summary>
/// <param name="Key">The counterparty, or the category name when the lines name no party (GST, charges).</param>
/// <param name="TypicalAmount">Median of the occurrences' amounts.</param>
/// <param name="TypicalDay">Day of month with the least total circular distance to the occurrences' days (as typicalCreditDay).</param>
public sealed record RecurringSeries(
    string Key,
    string? Counterparty,
    Category Category,
    TxnType Type,
    decimal TypicalAmount,
    int TypicalDay,
    IReadOnlyList<CalendarMonth> MonthsSeen,
    IReadOnlyList<string> TxnIds,
    Explanation Explanation)
{
    public int Occurrences => TxnIds.Count;
}

/// <summary>
/// Finds recurring transactions. Lines are grouped by (type, counterparty) or, without a counterparty, (type, category)
/// for categories that are themselves a payee (GST, insurance, SIP, rent, EMI). In each group amounts are clustered
/// within ±10% of the cluster's median; a cluster is a series when it is seen in at least 3 different months on a day
/// within ±<see cref="DayTolerance"/> days (circular) of its typical day. One occurrence per month counts (the one
/// nearest the typical day), so a weekly supplier is not mistaken for a monthly one three times over, and a cluster
/// with more than <see cref="MaxPerMonth"/> lines per month it appears in is frequent trade and is not a series; nor is
/// one whose on-day months are under 3 in 4 of the months it appears in (similar sums on random days), or under 2 in 3
/// of the months from its first to its last occurrence (scattered coincidences).
/// </summary>
public static class RecurringDetector
{
    public const int MinimumMonths = 3;
    public const decimal AmountTolerance = 0.10m;
    public const int DayTolerance = 5;
    /// <summary>More lines than this per month in the cluster and it is frequent trade, not a monthly series.</summary>
    public const int MaxPerMonth = 2;

    private static readonly Category[] PayeeCategories =
        [Category.GstTax, Category.InsurancePremium, Category.SipInvestment, Category.Rent, Category.LoanEmi, Category.SalaryCredit, Category.SalaryPayout, Category.Utilities];

    public static IReadOnlyList<RecurringSeries> Detect(IReadOnlyList<ClassifiedTransaction> txns)
    {
        ArgumentNullException.ThrowIfNull(txns);
        var groups = new Dictionary<(TxnType, string), List<ClassifiedTransaction>>();
        foreach (var t in txns)
        {
            if (t.Type == TxnType.Reversal || t.Class.Category is Category.Reversal or Category.BounceCharges) continue;
            var key = t.Class.Counterparty ?? (Array.IndexOf(PayeeCategories, t.Class.Category) >= 0 ? t.Class.Category.ToString() : null);
            if (key is null) continue;
            if (!groups.TryGetValue((t.Type, key), out var list)) groups[(t.Type, key)] = list = [];
            list.Add(t);
        }

        var result = new List<RecurringSeries>();
        foreach (var ((type, key), list) in groups)
        {
            if (list.Count < MinimumMonths) continue;
            foreach (var cluster in AmountClusters(list))
                if (Series(key, type, cluster) is { } series) result.Add(series);
        }
        result.Sort((a, b) => b.TypicalAmount.CompareTo(a.TypicalAmount));
        return result;
    }

    /// <summary>Groups amounts so that every member is within ±10% of its cluster's median.</summary>
    internal static IEnumerable<List<ClassifiedTransaction>> AmountClusters(List<ClassifiedTransaction> group) => AmountClustersOf(group, MinimumMonths);

    internal static IEnumerable<List<ClassifiedTransaction>> AmountClustersOf(List<ClassifiedTransaction> group, int minimum)
    {
        var sorted = group.OrderBy(t => t.Amount).ToList();
        var start = 0;
        while (start < sorted.Count)
        {
            // Grow while the newcomer is within 2 × 10% of the smallest: then the median sits within 10% of both ends
            // (near enough; members outside ±10% of the median are dropped below).
            var end = start + 1;
            while (end < sorted.Count && sorted[end].Amount <= sorted[start].Amount * (1 + 2 * AmountTolerance)) end++;
            var cluster = sorted.GetRange(start, end - start);
            var median = MedianAmount(cluster);
            var kept = cluster.Where(t => Math.Abs(t.Amount - median) <= median * AmountTolerance).ToList();
            if (kept.Count >= minimum) yield return kept;
            start = end;
        }
    }

    private static RecurringSeries? Series(string key, TxnType type, List<ClassifiedTransaction> cluster)
    {
        var days = cluster.Select(t => t.Date.Day).ToArray();
        var typicalDay = CircularMedoid(days);
        // One per month: the occurrence nearest the typical day, and only if it is within the tolerance.
        var perMonth = new SortedDictionary<CalendarMonth, ClassifiedTransaction>();
        foreach (var t in cluster)
        {
            var distance = CashflowFigures.CircularDistance(t.Date.Day, typicalDay);
            if (distance > DayTolerance) continue;
            if (!perMonth.TryGetValue(t.Month, out var existing) || distance < CashflowFigures.CircularDistance(existing.Date.Day, typicalDay))
                perMonth[t.Month] = t;
        }
        if (perMonth.Count < MinimumMonths) return null;
        // A monthly payment happens about once a month: a regular kirana customer paying similar sums several times
        // a month is trade, not a recurring obligation or income.
        var monthsSpanned = cluster.Select(t => t.Month).Distinct().Count();
        if (cluster.Count > MaxPerMonth * monthsSpanned) return null;
        // And on about the same day: at least 3 in 4 of the months it appears in have an occurrence near the typical
        // day. Similar amounts on random days (a regular shopper) pass the ±5-day test in a third of months by chance.
        if (perMonth.Count * 4 < monthsSpanned * 3) return null;
        // And steadily: the on-day months fill at least 2 in 3 of the stretch from the first to the last. Three
        // coincidences scattered over two years are not a habit.
        var stretch = perMonth.Keys.Last().Index - perMonth.Keys.First().Index + 1;
        if (perMonth.Count * 3 < stretch * 2) return null;
        var chosen = perMonth.Values.ToList();
        var amount = Rounding.Money(MedianAmount(chosen));
        var first = chosen[0];
        var why = new ExplanationBuilder();
        foreach (var t in chosen) why.Input(Invariant($"{t.Date:yyyy-MM-dd} {t.Txn.TxnId}"), t.Amount);
        why.Input("typical day", typicalDay.ToString(System.Globalization.CultureInfo.InvariantCulture));
        why.Narrate(Invariant($"{(type == TxnType.Credit ? "Received from" : "Paid to")} {key} in {chosen.Count} months, about {amount} around day {typicalDay} (amounts within ±10% of the median, days within ±{DayTolerance})."));
        return new RecurringSeries(key, first.Class.Counterparty, first.Class.Category, type, amount, typicalDay,
            [.. perMonth.Keys], [.. chosen.Select(t => t.Txn.TxnId)],
            why.Build("recurring", "≥ 3 months; |amount − median| ≤ 10% median; circular |day − typical day| ≤ 5", Invariant($"{amount} on day {typicalDay}")));
    }

    internal static decimal MedianAmount(IReadOnlyList<ClassifiedTransaction> items)
    {
        Span<decimal> amounts = items.Count <= 256 ? stackalloc decimal[items.Count] : new decimal[items.Count];
        for (var i = 0; i < items.Count; i++) amounts[i] = items[i].Amount;
        return DecimalMath.Median(amounts);
    }

    /// <summary>The observed day with the least total circular distance to all (the contract's typicalCreditDay rule).</summary>
    internal static int CircularMedoid(IReadOnlyList<int> days)
    {
        int best = 0, bestCost = int.MaxValue;
        foreach (var candidate in days)
        {
            var cost = 0;
            foreach (var other in days) cost += CashflowFigures.CircularDistance(candidate, other);
            if (cost < bestCost || (cost == bestCost && candidate < best))
            {
                best = candidate;
                bestCost = cost;
            }
        }
        return best;
    }
}
