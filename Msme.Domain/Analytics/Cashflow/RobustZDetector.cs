using static System.FormattableString;

namespace Msme.Domain.Analytics.Cashflow;

/// <summary>The contract's <c>robust-z</c> monthly anomaly detector: modified z-scores around the median.</summary>
internal static class RobustZDetector
{
    public const string Name = "robust-z";
    public const string Inflow = "inflow";
    public const string Outflow = "outflow";
    public const string InflowFigure = "robust-z.inflow";
    public const string OutflowFigure = "robust-z.outflow";
    public const int MinimumMonths = 4;
    public const string Formula =
        "M = 0.6745 (x − med) / MAD when MAD > 0, else (x − med) / (1.253314 × meanAD) when meanAD > 0; flag |M| > 3.5";

    // 0.6745 makes MAD comparable to a standard deviation for normal data; 1.253314 (√(π/2)) does the same for the
    // mean absolute deviation, the fallback when over half the months sit exactly on the median.
    private const decimal MadConsistency = 0.6745m;
    private const decimal MeanAdConsistency = 1.253314m;
    private const decimal Threshold = 3.5m;

    public static void Detect(ReadOnlySpan<MonthlyFigures> months, string series, List<MonthlyAnomaly> flagged, ExplanationBuilder? why)
    {
        if (months.Length < MinimumMonths)
        {
            why?.Narrate(Invariant($"Needs {MinimumMonths} complete months; there are {months.Length}."));
            return;
        }
        // A statement spans a few dozen months at most; the heap is only a guard for absurd inputs.
        Span<decimal> values = months.Length <= 128 ? stackalloc decimal[months.Length] : new decimal[months.Length];
        Span<decimal> absDev = months.Length <= 128 ? stackalloc decimal[months.Length] : new decimal[months.Length];
        for (var i = 0; i < months.Length; i++)
        {
            values[i] = series == Inflow ? months[i].Inflow : months[i].Outflow;
            why?.Input(Invariant($"{series} {months[i].Month}"), values[i]);
        }
        var median = DecimalMath.Median(values);
        for (var i = 0; i < values.Length; i++) absDev[i] = Math.Abs(values[i] - median);
        var mad = DecimalMath.Median(absDev);
        why?.Input("median", median);
        why?.Input("MAD", mad);

        var meanAd = 0m;
        if (mad == 0m)
        {
            meanAd = DecimalMath.Mean(absDev);
            why?.Input("meanAD", meanAd);
            if (meanAd == 0m)
            {
                why?.Narrate(Invariant($"Every month's {series} equals the median: nothing stands out."));
                return;
            }
        }

        var before = flagged.Count;
        for (var i = 0; i < values.Length; i++)
        {
            var deviation = values[i] - median;
            var score = Rounding.Ratio(mad > 0m ? MadConsistency * deviation / mad : deviation / (MeanAdConsistency * meanAd));
            why?.Input(Invariant($"M {months[i].Month}"), score);
            // Decided on the printed 6-place score so the flag always agrees with the number shown.
            if (Math.Abs(score) <= Threshold) continue;
            flagged.Add(new MonthlyAnomaly(
                Name,
                series,
                months[i].Month,
                Rounding.Money(values[i]),
                Rounding.Money(median),
                score,
                median == 0m ? null : Rounding.Ratio(deviation / median * 100m)));
        }
        why?.Narrate(flagged.Count == before
            ? Invariant($"No month's {series} is more than 3.5 robust standard deviations from the median {median}.")
            : Invariant($"{flagged.Count - before} month(s) of {series} lie more than 3.5 robust standard deviations from the median {median}."));
    }
}
