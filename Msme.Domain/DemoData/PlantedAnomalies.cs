using Msme.Domain.Analytics.Anomalies;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Ingestion;

namespace Msme.Domain.DemoData;

/// <summary>What the demo generator put into a customer's statements on purpose.</summary>
public enum PlantedKind
{
    /// <summary>A one-off credit (capital, property sale, claim, advance): an anomaly.</summary>
    OneOffCredit,
    /// <summary>A one-off credit spent days later on an asset: money passed through, an anomaly.</summary>
    PassThrough,
    /// <summary>A month whose business doubled or more: an anomaly.</summary>
    MonthSpike,
    /// <summary>A month whose business fell by two thirds or more: an anomaly.</summary>
    MonthDrop,
    /// <summary>Money in from a party and back to the same party within a week: an anomaly.</summary>
    RoundTrip,
    /// <summary>The last months of a declining business: a real signal, not a planted anomaly (neither counted for recall nor as false).</summary>
    Decline,
    /// <summary>The festive season (the month that carries Diwali's trade): normal seasonality, not an anomaly.</summary>
    FestiveSeason,
}

/// <summary>
/// One planted item with what it looks like in the statement: the month, the first line's date and the amount.
/// <see cref="IsAnomaly"/> says whether a detector should raise it (recall) or must not (seasonality).
/// </summary>
public sealed record PlantedAnomaly(PlantedKind Kind, CalendarMonth Month, DateOnly? Date, DateOnly? LastDate, decimal? Amount, string Note)
{
    public bool IsAnomaly => Kind is not (PlantedKind.Decline or PlantedKind.FestiveSeason);

    /// <summary>Whether an event stands for this planted item: the same month for monthly items, the lines' dates (± 3 days) or their month's event for line items.</summary>
    public bool Matches(AnomalyEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (Date is not { } first) return e.Month == Month;
        var last = LastDate ?? first;
        if (e.Date is { } d) return d.DayNumber >= first.DayNumber - 3 && d.DayNumber <= last.DayNumber + 3;
        return e.Month == Month || e.Month == CalendarMonth.Of(last);
    }
}

/// <summary>
/// The anomalies a demo customer gets, drawn from their own seeded stream (so the plan does not shift the rest of the
/// customer's draws), and the labels read back from the statement once it is simulated (a planned line the balance
/// did not allow is not labelled). Customer <see cref="ThreeCroreIndex"/> gets the ₹3.09 crore one-off credit.
/// </summary>
internal sealed class AnomalyPlan
{
    public const int ThreeCroreIndex = 7;
    public const decimal ThreeCrore = 30_900_000m;

    /// <summary>Month index (0-based in the window) whose business is multiplied by <see cref="MonthMultiplier"/>, or -1.</summary>
    public int Month { get; private init; } = -1;
    public double MonthMultiplier { get; private init; } = 1;
    /// <summary>Day (0-based in the window) of a round trip's first leg, or -1.</summary>
    public int RoundTripDay { get; private init; } = -1;
    public int RoundTripGap { get; private init; }
    public double RoundTripShare { get; private init; }
    /// <summary>Overrides the simulator's one-off credit: the ₹3.09 crore customer.</summary>
    public decimal? OneOffAmount { get; private init; }

    public static AnomalyPlan None { get; } = new();

    public static AnomalyPlan Draw(int seed, int index, int months, int days)
    {
        var rng = new DemoRandom(unchecked(seed * 7_919 + index * 104_729 + 17));
        var monthly = months >= 8 && rng.Chance(0.25);
        var spike = rng.Chance(0.4);
        var trip = days > 90 && rng.Chance(0.12);
        return new AnomalyPlan
        {
            // Not the first two months (no baseline yet) nor the last (the seasonal detector's trend is weakest there).
            Month = monthly ? rng.Next(2, months - 1) : -1,
            MonthMultiplier = monthly ? (spike ? rng.Between(2.4, 3.2) : rng.Between(0.2, 0.32)) : 1,
            RoundTripDay = trip ? rng.Next(30, days - 20) : -1,
            RoundTripGap = rng.Next(2, 7),
            RoundTripShare = rng.Between(0.5, 1.2),
            OneOffAmount = index == ThreeCroreIndex ? ThreeCrore : null,
        };
    }

    /// <summary>Reads back what was planted from the simulated lines (references mark the planted lines).</summary>
    public IReadOnlyList<PlantedAnomaly> Labels(DateOnly start, DateOnly end, IReadOnlyList<Transaction> lines, (int Day, bool SpentOnAsset, decimal Amount)? oneOff,
        Func<int, double> season, IncomeTrend trend, int declineMonths)
    {
        var labels = new List<PlantedAnomaly>();
        if (Month >= 0 && Took(start, lines))
        {
            var m = CalendarMonth.Of(start.AddMonths(Month));
            labels.Add(new(MonthMultiplier > 1 ? PlantedKind.MonthSpike : PlantedKind.MonthDrop, m, null, null, null,
                FormattableString.Invariant($"business × {MonthMultiplier:0.00} in {m}")));
        }
        if (oneOff is { } o)
        {
            var day = start.AddDays(o.Day);
            var credit = lines.FirstOrDefault(t => t.Type == TxnType.Credit && DateOf(t) == day && t.Amount == o.Amount);
            if (credit is not null)
            {
                var asset = o.SpentOnAsset ? lines.FirstOrDefault(t => t.Type == TxnType.Debit && DateOf(t) > day && DateOf(t) <= day.AddDays(14)
                    && t.Amount >= o.Amount * 0.5m && t.Amount <= o.Amount && t.Narration is { } n && n.StartsWith("RTGS DR-", StringComparison.Ordinal)) : null;
                labels.Add(new(asset is null ? PlantedKind.OneOffCredit : PlantedKind.PassThrough, CalendarMonth.Of(day), day, asset is null ? null : DateOf(asset),
                    o.Amount, o.Amount == ThreeCrore ? "the ₹3.09 crore one-off credit" : credit.Narration ?? ""));
            }
        }
        if (RoundTripDay >= 0)
        {
            var legs = lines.Where(t => t.Reference is { } r && r.StartsWith(RoundTripMark, StringComparison.Ordinal)).ToList();
            if (legs.Count == 2)
                labels.Add(new(PlantedKind.RoundTrip, CalendarMonth.Of(DateOf(legs[0])), DateOf(legs[0]), DateOf(legs[1]), legs[0].Amount, legs[0].Narration ?? ""));
        }
        var months = (end.Year - start.Year) * 12 + end.Month - start.Month + 1;
        for (var i = 0; i < months; i++)
        {
            var m = CalendarMonth.Of(start.AddMonths(i));
            if (season(i) >= 1.3) labels.Add(new(PlantedKind.FestiveSeason, m, null, null, null, FormattableString.Invariant($"festive season × {season(i):0.00}")));
            if (trend == IncomeTrend.Declining && i >= months - declineMonths) labels.Add(new(PlantedKind.Decline, m, null, null, null, "declining business"));
        }
        return labels;
    }

    /// <summary>
    /// Whether a month plant showed in the statement: the month's credits at most 0.6 (a drop) or at least 1.6 (a
    /// spike) times the median month. Some businesses' receipts do not follow the month's trade (a service firm's
    /// retainers): a plan that did not take is not labelled, rather than counted as missed.
    /// </summary>
    private bool Took(DateOnly start, IReadOnlyList<Transaction> lines)
    {
        var byMonth = lines.Where(t => t.Type == TxnType.Credit).GroupBy(t => CalendarMonth.Of(t.Date)).ToDictionary(g => g.Key, g => g.Sum(t => t.Amount));
        var planted = CalendarMonth.Of(start.AddMonths(Month));
        var others = byMonth.Where(kv => kv.Key != planted).Select(kv => kv.Value).Order().ToList();
        if (others.Count == 0 || !byMonth.TryGetValue(planted, out var value)) return false;
        var median = others[others.Count / 2];
        return MonthMultiplier > 1 ? value >= median * 1.6m : value <= median * 0.6m;
    }

    /// <summary>Planted round-trip lines carry references starting with this, so the labels find them.</summary>
    public const string RoundTripMark = "RT";

    private static DateOnly DateOf(Transaction t) => t.Date;
}
