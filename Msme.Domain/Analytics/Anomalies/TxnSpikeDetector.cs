using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.Classification;
using Msme.Domain.Analytics.Patterns;
using Msme.Domain.Ingestion;
using static System.FormattableString;

namespace Msme.Domain.Analytics.Anomalies;

/// <summary>
/// <c>txn-spike</c>: a single credit or debit far outside the account's usual amounts of its type. Flagged when the
/// amount exceeds <see cref="MedianMultiple"/> × the median amount of its type AND its robust z-score on ln(amount)
/// (0.6745 (ln a − median ln) / MAD of ln) exceeds <see cref="LogZThreshold"/>: both, because a kirana's median UPI
/// ticket is tiny (10× is ordinary for its supplier payments) and a trader's amounts spread so widely that a z-score
/// alone lets nothing through. Logs, because money amounts are multiplicative: ₹5,000 → ₹50,000 is as far as
/// ₹50,000 → ₹5,00,000. The score is computed in double (a statistic, never money); amounts stay decimal.
/// A line above 10× the median that is also at least a typical month's total of its type (median monthly inflow or
/// outflow over complete months) is flagged too, whatever its z: a kirana's amounts spread so widely (₹200 UPI tickets,
/// ₹50,000 cash deposits) that a ₹35 lakh credit, 1,600× the median and two months of takings, scores z = 4.7.
/// Reversals and own-account transfers are left out (they are not dealings). Needs <see cref="MinimumCount"/> lines of the type.
/// Severity by multiple of the median: ≥ 50× High, ≥ 20× Medium, else Low.
/// </summary>
public static class TxnSpikeDetector
{
    public const string Name = "txn-spike";
    public const decimal MedianMultiple = 10m;
    public const double LogZThreshold = 5.0;
    public const int MinimumCount = 20;
    public const string Formula = "flag a > 10 × median(a) and (0.6745 (ln a − median ln a) / MAD(ln a) > 5 or a ≥ median monthly total of its type), per type";

    public static IReadOnlyList<AnomalyFinding> Detect(IReadOnlyList<ClassifiedTransaction> txns, out Explanation summary) =>
        Detect(txns, null, null, out summary);

    /// <param name="medianMonthlyInflow">The contract's median monthly inflow (complete months); null to use the z test alone.</param>
    /// <param name="medianMonthlyOutflow">The median monthly outflow over complete months; null to use the z test alone.</param>
    public static IReadOnlyList<AnomalyFinding> Detect(IReadOnlyList<ClassifiedTransaction> txns, decimal? medianMonthlyInflow, decimal? medianMonthlyOutflow, out Explanation summary)
    {
        var why = new ExplanationBuilder();
        var found = Detect(txns, medianMonthlyInflow, medianMonthlyOutflow, why);
        summary = why.Build(Name, Formula, Invariant($"{found.Count} flagged"));
        return found;
    }

    /// <summary>The findings, with the summary's inputs and narrative written to <paramref name="why"/> when one is given.</summary>
    internal static IReadOnlyList<AnomalyFinding> Detect(IReadOnlyList<ClassifiedTransaction> txns, decimal? medianMonthlyInflow, decimal? medianMonthlyOutflow, ExplanationBuilder? why)
    {
        ArgumentNullException.ThrowIfNull(txns);
        var found = new List<AnomalyFinding>();
        foreach (var type in (ReadOnlySpan<TxnType>)[TxnType.Credit, TxnType.Debit])
        {
            var lines = txns.Where(t => t.Type == type && t.Amount > 0m && t.Class.Category is not (Category.Reversal or Category.OwnTransfer)).ToList();
            var label = type == TxnType.Credit ? "credit" : "debit";
            why?.Input(Invariant($"{label} lines"), lines.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (lines.Count < MinimumCount) continue;
            var median = RecurringDetector.MedianAmount(lines);
            var logs = lines.Select(t => Math.Log((double)t.Amount)).ToArray();
            var medianLog = Median(logs);
            var mad = MedianInPlace(logs.Select(l => Math.Abs(l - medianLog)).ToArray());
            var scale = mad > 0 ? mad / 0.6745 : logs.Select(l => Math.Abs(l - medianLog)).Average() * 1.253314;
            why?.Input(Invariant($"median {label}"), median);
            var monthly = type == TxnType.Credit ? medianMonthlyInflow : medianMonthlyOutflow;
            why?.Input(Invariant($"median monthly {(type == TxnType.Credit ? "inflow" : "outflow")}"), ExplanationBuilder.Format(monthly));
            why?.Input(Invariant($"MAD of ln({label})"), Invariant($"{mad:0.######}"));
            foreach (var t in lines)
            {
                if (t.Amount <= median * MedianMultiple) continue;
                var z = scale > 0 ? (Math.Log((double)t.Amount) - medianLog) / scale : double.PositiveInfinity;
                var aMonth = monthly is > 0m and var mm && t.Amount >= mm;
                if (z <= LogZThreshold && !aMonth) continue;
                var multiple = t.Amount / median;
                var severity = multiple >= 50m ? Severity.High : multiple >= 20m ? Severity.Medium : Severity.Low;
                var score = double.IsFinite(z) ? Rounding.Ratio((decimal)z) : 999_999m;
                var one = new ExplanationBuilder();
                one.Input("amount", t.Amount);
                one.Input(Invariant($"median {label} ({lines.Count} lines)"), median);
                one.Input("multiple of the median", Rounding.Ratio(multiple));
                one.Input("robust z of ln(amount)", score);
                one.Input(Invariant($"median monthly {(type == TxnType.Credit ? "inflow" : "outflow")}"), ExplanationBuilder.Format(monthly));
                one.Input("narration", t.Txn.Narration ?? "");
                one.Input("classified", Invariant($"{t.Class.Channel} / {t.Class.Category}"));
                one.Narrate(Invariant($"A {label} of {t.Amount} on {t.Date:yyyy-MM-dd} is {multiple:0.#}× the account's median {label} of {median}{(aMonth ? ", and as much as a typical month's total" : "")} ({severity})."));
                found.Add(new AnomalyFinding(Name, Invariant($"txn {t.Txn.TxnId}"), t.Month, t.Date, t.Amount, Rounding.Money(median), score,
                    Rounding.Ratio((t.Amount - median) / median * 100m), severity,
                    one.Build(Invariant($"{Name}.{t.Txn.TxnId}"), Formula, Invariant($"{multiple:0.#}× median, z = {score}"))));
            }
        }
        why?.Narrate(found.Count == 0 ? "No single credit or debit stands far outside the account's usual amounts."
            : Invariant($"{found.Count} transaction(s) stand far outside the account's usual amounts."));
        return found;
    }

    private static double Median(double[] values) => MedianInPlace((double[])values.Clone());

    /// <summary>The median of values the caller no longer needs in their order: sorts them where they are.</summary>
    private static double MedianInPlace(double[] values)
    {
        Array.Sort(values);
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
