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
        // Per type: the lines' positions, amounts, ln(amount) and a scratch array, from the pool (this runs for every
        // account; its lists and copies were most of the detector's allocations).
        var pool = System.Buffers.ArrayPool<int>.Shared;
        var index = pool.Rent(txns.Count);
        var amounts = System.Buffers.ArrayPool<decimal>.Shared.Rent(txns.Count);
        var logs = System.Buffers.ArrayPool<double>.Shared.Rent(txns.Count);
        var scratch = System.Buffers.ArrayPool<double>.Shared.Rent(txns.Count);
        try
        {
            foreach (var type in (ReadOnlySpan<TxnType>)[TxnType.Credit, TxnType.Debit])
            {
                var count = 0;
                for (var i = 0; i < txns.Count; i++)
                {
                    var t = txns[i];
                    if (t.Type != type || t.Amount <= 0m || t.Class.Category is Category.Reversal or Category.OwnTransfer) continue;
                    index[count] = i;
                    amounts[count++] = t.Amount;
                }
                var label = type == TxnType.Credit ? "credit" : "debit";
                why?.Input(Invariant($"{label} lines"), count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (count < MinimumCount) continue;
                // The median amount: the lines' amounts in their order, sorted (as RecurringDetector.MedianAmount does).
                var median = DecimalMath.MedianInPlace(amounts.AsSpan(0, count));
                for (var k = 0; k < count; k++) logs[k] = Math.Log((double)txns[index[k]].Amount);
                logs.AsSpan(0, count).CopyTo(scratch);
                var medianLog = MedianInPlace(scratch.AsSpan(0, count));
                // Deviations summed in the lines' order (the mean's fallback), then sorted for their median.
                var deviationSum = 0d;
                for (var k = 0; k < count; k++) deviationSum += scratch[k] = Math.Abs(logs[k] - medianLog);
                var mad = MedianInPlace(scratch.AsSpan(0, count));
                var scale = mad > 0 ? mad / 0.6745 : deviationSum / count * 1.253314;
                why?.Input(Invariant($"median {label}"), median);
                var monthly = type == TxnType.Credit ? medianMonthlyInflow : medianMonthlyOutflow;
                why?.Input(Invariant($"median monthly {(type == TxnType.Credit ? "inflow" : "outflow")}"), ExplanationBuilder.Format(monthly));
                why?.Input(Invariant($"MAD of ln({label})"), Invariant($"{mad:0.######}"));
                var threshold = median * MedianMultiple;
                for (var k = 0; k < count; k++)
                {
                    var t = txns[index[k]];
                    if (t.Amount <= threshold) continue;
                    var z = scale > 0 ? (logs[k] - medianLog) / scale : double.PositiveInfinity;
                    var aMonth = monthly is > 0m and var mm && t.Amount >= mm;
                    if (z <= LogZThreshold && !aMonth) continue;
                    found.Add(Finding(t, label, type, median, count, z, monthly, aMonth));
                }
            }
        }
        finally
        {
            pool.Return(index);
            System.Buffers.ArrayPool<decimal>.Shared.Return(amounts);
            System.Buffers.ArrayPool<double>.Shared.Return(logs);
            System.Buffers.ArrayPool<double>.Shared.Return(scratch);
        }
        why?.Narrate(found.Count == 0 ? "No single credit or debit stands far outside the account's usual amounts."
            : Invariant($"{found.Count} transaction(s) stand far outside the account's usual amounts."));
        return found;
    }

    private static AnomalyFinding Finding(ClassifiedTransaction t, string label, TxnType type, decimal median, int count, double z, decimal? monthly, bool aMonth)
    {
        var multiple = t.Amount / median;
        var severity = multiple >= 50m ? Severity.High : multiple >= 20m ? Severity.Medium : Severity.Low;
        var score = double.IsFinite(z) ? Rounding.Ratio((decimal)z) : 999_999m;
        var one = new ExplanationBuilder();
        one.Input("amount", t.Amount);
        one.Input(Invariant($"median {label} ({count} lines)"), median);
        one.Input("multiple of the median", Rounding.Ratio(multiple));
        one.Input("robust z of ln(amount)", score);
        one.Input(Invariant($"median monthly {(type == TxnType.Credit ? "inflow" : "outflow")}"), ExplanationBuilder.Format(monthly));
        one.Input("narration", t.Txn.Narration ?? "");
        one.Input("classified", Invariant($"{t.Class.Channel} / {t.Class.Category}"));
        one.Narrate(Invariant($"A {label} of {t.Amount} on {t.Date:yyyy-MM-dd} is {multiple:0.#}× the account's median {label} of {median}{(aMonth ? ", and as much as a typical month's total" : "")} ({severity})."));
        return new AnomalyFinding(Name, Invariant($"txn {t.Txn.TxnId}"), t.Month, t.Date, t.Amount, Rounding.Money(median), score,
            Rounding.Ratio((t.Amount - median) / median * 100m), severity,
            one.Build(Invariant($"{Name}.{t.Txn.TxnId}"), Formula, Invariant($"{multiple:0.#}× median, z = {score}")));
    }

    /// <summary>The median of values the caller no longer needs in their order: sorts them where they are.</summary>
    private static double MedianInPlace(Span<double> values)
    {
        values.Sort();
        var mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
