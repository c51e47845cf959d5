using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.Classification;
using Msme.Domain.Analytics.Patterns;
using Msme.Domain.Ingestion;
using static System.FormattableString;

namespace Msme.Domain.Analytics.Anomalies;

/// <summary>
/// <c>round-trip</c>: money that goes out to a party and comes back from the same party (or comes in and goes back)
/// within <see cref="DefaultWindowDays"/> days, the amounts within 2% of each other: the shape of turnover inflated by
/// circular transfers (accommodation entries). Each line is used in at most one pair, the nearest in time. Lines
/// classified Reversal, BounceCharges or OwnTransfer are left out (a failed UPI payment returned is not a round trip),
/// and so are amounts under <see cref="DefaultMinimumAmount"/> (₹1 account verifications and the like).
/// Severity by the amount against the average monthly inflow: ≥ 50% High, ≥ 10% Medium, else Low
/// (without that average: ≥ ₹10 lakh High, ≥ ₹1 lakh Medium).
/// </summary>
public static class RoundTripDetector
{
    public const string Name = "round-trip";
    public const int DefaultWindowDays = 7;
    public const decimal DefaultTolerance = 0.02m;
    public const decimal DefaultMinimumAmount = 10_000m;

    public static IReadOnlyList<AnomalyFinding> Detect(IReadOnlyList<ClassifiedTransaction> txns, decimal? avgMonthlyInflow, out Explanation summary,
        int windowDays = DefaultWindowDays, decimal tolerance = DefaultTolerance, decimal minimumAmount = DefaultMinimumAmount)
    {
        var why = new ExplanationBuilder();
        var found = Detect(txns, avgMonthlyInflow, why, windowDays, tolerance, minimumAmount);
        summary = why.Build(Name, Formula(windowDays, tolerance, minimumAmount), Invariant($"{found.Count} flagged"));
        return found;
    }

    /// <summary>The findings, with the summary's inputs and narrative written to <paramref name="why"/> when one is given.</summary>
    internal static IReadOnlyList<AnomalyFinding> Detect(IReadOnlyList<ClassifiedTransaction> txns, decimal? avgMonthlyInflow, ExplanationBuilder? why,
        int windowDays = DefaultWindowDays, decimal tolerance = DefaultTolerance, decimal minimumAmount = DefaultMinimumAmount)
    {
        ArgumentNullException.ThrowIfNull(txns);
        string? formula = null;
        var byParty = new Dictionary<string, List<ClassifiedTransaction>>();
        foreach (var t in txns)
        {
            if (t.Type == TxnType.Reversal || t.Amount < minimumAmount || t.Class.Counterparty is not { } party) continue;
            if (t.Class.Category is Category.Reversal or Category.BounceCharges or Category.OwnTransfer) continue;
            if (!byParty.TryGetValue(party, out var list)) byParty[party] = list = [];
            list.Add(t);
        }
        var found = new List<AnomalyFinding>();
        foreach (var (party, list) in byParty)
        {
            if (list.Count < 2) continue;
            var used = new bool[list.Count];
            for (var i = 0; i < list.Count; i++)
            {
                if (used[i]) continue;
                var first = list[i];
                for (var j = i + 1; j < list.Count && list[j].Date.DayNumber - first.Date.DayNumber <= windowDays; j++)
                {
                    var second = list[j];
                    if (used[j] || second.Type == first.Type) continue;
                    if (Math.Abs(first.Amount - second.Amount) > tolerance * Math.Max(first.Amount, second.Amount)) continue;
                    used[i] = used[j] = true;
                    found.Add(Finding(party, first, second, avgMonthlyInflow, formula ??= Formula(windowDays, tolerance, minimumAmount)));
                    break;
                }
            }
        }
        found.Sort((x, y) => (x.Date ?? default).CompareTo(y.Date ?? default));
        why?.Input("parties with lines ≥ minimum", byParty.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        why?.Input("window (days)", windowDays.ToString(System.Globalization.CultureInfo.InvariantCulture));
        why?.Narrate(found.Count == 0 ? "No money went out and came back (or in and back out) with the same party." : Invariant($"{found.Count} round trip(s) with the same party."));
        return found;
    }

    private static string Formula(int windowDays, decimal tolerance, decimal minimumAmount) =>
        Invariant($"same counterparty, opposite types, ≤ {windowDays} days apart, |a1 − a2| ≤ {tolerance:P0} × max(a1, a2), amounts ≥ {minimumAmount}");

    private static AnomalyFinding Finding(string party, ClassifiedTransaction first, ClassifiedTransaction second, decimal? avgInflow, string formula)
    {
        var days = second.Date.DayNumber - first.Date.DayNumber;
        var amount = Math.Max(first.Amount, second.Amount);
        var severity = avgInflow is > 0m and var avg
            ? (amount >= avg * 0.5m ? Severity.High : amount >= avg * 0.1m ? Severity.Medium : Severity.Low)
            : (amount >= 1_000_000m ? Severity.High : amount >= 100_000m ? Severity.Medium : Severity.Low);
        var direction = first.Type == TxnType.Debit ? "out to and back from" : "in from and back to";
        var why = new ExplanationBuilder();
        why.Input(Invariant($"first leg {first.Date:yyyy-MM-dd} {first.Type.ToString().ToUpperInvariant()} {first.Txn.TxnId}"), first.Amount);
        why.Input(Invariant($"second leg {second.Date:yyyy-MM-dd} {second.Type.ToString().ToUpperInvariant()} {second.Txn.TxnId}"), second.Amount);
        why.Input("counterparty", party);
        why.Input("average monthly inflow", ExplanationBuilder.Format(avgInflow));
        why.Narrate(Invariant($"{first.Amount} went {direction} {party} within {days} day(s) ({second.Amount} on the way back): turnover that may be circular ({severity})."));
        return new AnomalyFinding(Name, Invariant($"{first.Txn.TxnId} → {second.Txn.TxnId}"), CalendarMonth.Of(first.Date), first.Date,
            second.Amount, first.Amount, days, Rounding.Ratio((second.Amount - first.Amount) / first.Amount * 100m), severity,
            why.Build(Invariant($"{Name}.{first.Txn.TxnId}"), formula, Invariant($"{days} day(s), {party}")));
    }
}
