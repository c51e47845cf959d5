using Msme.Domain.Analytics.Cashflow;
using static System.FormattableString;

namespace Msme.Domain.Analytics.Anomalies;

/// <summary>
/// <c>seasonal-residual</c>: a month that the business's own trend and season do not explain. Over complete months
/// (at least <see cref="MinimumMonths"/>): a Theil–Sen line (median of pairwise slopes, median intercept), robust to
/// the very outliers we look for; with 13 months or more, last year's twin month sets a seasonal factor (the same
/// calendar month, except around Diwali, where the twin is the month at the same place relative to last year's
/// festival: <see cref="IndianCalendar.SeasonalTwin"/>); its value
/// over the median of its ±3 neighbouring months (its own local level, so last year's noise and a compounding trend
/// do not leak in), clamped to [0.5, 2], and ignored when within ±15% of 1 (noise, not season). Expected = trend ×
/// factor. Residuals are scored like robust-z (0.6745 (r − median r) / MAD, meanAD fallback) and a month is flagged
/// when |score| &gt; 3.5 and it is at least 20% off what was expected. A steadily growing business is therefore not
/// flagged for growing, nor a kirana for its Diwali month once a year of history shows it.
/// Limit: the trend is a straight line, so compounding growth above ~6% a month can leave the latest months high.
/// </summary>
public static class SeasonalResidualDetector
{
    public const string Name = "seasonal-residual";
    public const int MinimumMonths = 6;
    public const int SeasonalMonths = 13;
    public const decimal MinimumDeviation = 0.20m;
    public const string Formula =
        "expected = (a + b·t) × f, b = median pairwise slope, a = median(y − b·t), f = y(twin) / median(y(twin±3) without twin) clamped [0.5, 2], 1 when within ±15%, twin = last year's month aligned on Diwali (IndianCalendar); " +
        "M = 0.6745 (r − med r) / MAD(r); flag |M| > 3.5 and |r| ≥ 20% expected";

    private const decimal Threshold = 3.5m;

    public static IReadOnlyList<AnomalyFinding> Detect(IReadOnlyList<MonthlyFigures> complete, string series, out Explanation summary)
    {
        var why = new ExplanationBuilder();
        var found = Detect(complete, series, why, out var result);
        summary = why.Build(Invariant($"{Name}.{series}"), Formula, result);
        return found;
    }

    /// <summary>The findings, with the summary's inputs and narrative written to <paramref name="why"/> when one is given (its result in <paramref name="result"/>).</summary>
    internal static IReadOnlyList<AnomalyFinding> Detect(IReadOnlyList<MonthlyFigures> complete, string series, ExplanationBuilder? why, out string result)
    {
        ArgumentNullException.ThrowIfNull(complete);
        var found = new List<AnomalyFinding>();
        var n = complete.Count;
        if (n < MinimumMonths)
        {
            why?.Narrate(Invariant($"Needs {MinimumMonths} complete months; there are {n}."));
            result = "not run";
            return found;
        }
        var y = new decimal[n];
        for (var i = 0; i < n; i++) y[i] = series == RobustZDetector.Inflow ? complete[i].Inflow : complete[i].Outflow;

        var slopes = new decimal[n * (n - 1) / 2];
        var k = 0;
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++) slopes[k++] = (y[j] - y[i]) / (j - i);
        var b = DecimalMath.Median(slopes);
        var offsets = new decimal[n];
        for (var i = 0; i < n; i++) offsets[i] = y[i] - b * i;
        var a = DecimalMath.Median(offsets);
        why?.Input("trend intercept a", Rounding.Money(a));
        why?.Input("trend slope b (per month)", Rounding.Money(b));

        var expected = new decimal[n];
        var factors = new decimal[n];
        var twins = new int[n];
        var notes = new string[n];
        var residuals = new decimal[n];
        var position = new Dictionary<CalendarMonth, int>(n);
        for (var i = 0; i < n; i++) position[complete[i].Month] = i;
        if (n < SeasonalMonths) why?.Input("season", Invariant($"fewer than {SeasonalMonths} complete months: no seasonal claims, trend only"));
        for (var i = 0; i < n; i++)
        {
            // Two candidate twins from last year: the same calendar month, and the month at the same place relative
            // to last year's Diwali (IndianCalendar.SeasonalTwin: a Diwali that moved from October to November
            // compares this November with last October). The one whose season explains this month better is kept: a
            // business whose season follows Diwali is aligned, one with a fixed calendar season is not misaligned.
            twins[i] = -1;
            notes[i] = "";
            factors[i] = 1m;
            if (n >= SeasonalMonths)
            {
                var trend = a + b * i;
                var aligned = IndianCalendar.SeasonalTwin(complete[i].Month, out var isAligned, out var note);
                var candidates = new List<(int Index, string Note)>(2);
                if (aligned is { } tw && position.TryGetValue(tw, out var j) && j < i) candidates.Add((j, note));
                if (position.TryGetValue(CalendarMonth.FromIndex(complete[i].Month.Index - 12), out var plain) && candidates.All(c => c.Index != plain))
                    candidates.Add((plain, "same month last year"));
                var best = double.MaxValue;
                foreach (var (index, reason) in candidates)
                {
                    var f = SeasonalFactor(y, index);
                    var miss = Math.Abs((double)(y[i] - trend * f));
                    if (miss >= best) continue;
                    (best, twins[i], factors[i], notes[i]) = (miss, index, f, candidates.Count > 1 ? reason + " (of two candidates, the closer)" : reason);
                }
                if (candidates.Count == 0) notes[i] = isAligned ? note : "no month a year before";
            }
            expected[i] = Math.Max(0m, (a + b * i) * factors[i]);
            residuals[i] = y[i] - expected[i];
            why?.Input(Invariant($"{complete[i].Month} {series} / expected"), Invariant($"{y[i]} / {Rounding.Money(expected[i])}"));
        }
        var medianResidual = DecimalMath.Median(residuals);
        var absDev = new decimal[n];
        for (var i = 0; i < n; i++) absDev[i] = Math.Abs(residuals[i] - medianResidual);
        var mad = DecimalMath.Median(absDev);
        var meanAd = mad == 0m ? DecimalMath.Mean(absDev) : 0m;
        why?.Input("median residual", Rounding.Money(medianResidual));
        why?.Input("MAD of residuals", Rounding.Money(mad));
        if (mad == 0m && meanAd == 0m)
        {
            why?.Narrate(Invariant($"Every month's {series} sits exactly on its trend and season."));
            result = "no month flagged";
            return found;
        }

        for (var i = 0; i < n; i++)
        {
            var deviation = residuals[i] - medianResidual;
            var score = Rounding.Ratio(mad > 0m ? 0.6745m * deviation / mad : deviation / (1.253314m * meanAd));
            decimal? pct = expected[i] == 0m ? null : Rounding.Ratio(residuals[i] / expected[i] * 100m);
            if (Math.Abs(score) <= Threshold) continue;
            if (pct is { } p && Math.Abs(p) < MinimumDeviation * 100m) continue;
            var month = complete[i].Month;
            var one = new ExplanationBuilder();
            one.Input(Invariant($"{series} {month}"), y[i]);
            one.Input("trend a + b·t", Invariant($"{Rounding.Money(a)} + {Rounding.Money(b)} × {i} = {Rounding.Money(a + b * i)}"));
            one.Input("seasonal factor", n < SeasonalMonths ? Invariant($"1 (fewer than {SeasonalMonths} complete months: no seasonal claims)")
                : twins[i] < 0 ? Invariant($"1 (no year-ago twin: {notes[i]})")
                : factors[i] == 1m ? Invariant($"1 ({complete[twins[i]].Month}, {notes[i]}, within ±15% of its level)")
                : Invariant($"{Rounding.Ratio(factors[i])} from {complete[twins[i]].Month} ({notes[i]})"));
            one.Input("expected", Rounding.Money(expected[i]));
            one.Input("residual", Rounding.Money(residuals[i]));
            one.Input("median residual", Rounding.Money(medianResidual));
            one.Input(mad > 0m ? "MAD" : "meanAD", Rounding.Money(mad > 0m ? mad : meanAd));
            var severity = SeverityBands.OfDeviation(pct, score);
            one.Narrate(Invariant($"{month} {series} was {y[i]} against {Rounding.Money(expected[i])} expected from the trend{(factors[i] == 1m ? "" : Invariant($" and last year's season ({complete[twins[i]].Month})"))}{(n < SeasonalMonths ? " (under 13 complete months: no seasonal claims)" : "")} ({pct:0.#}%), a residual {Math.Abs(score):0.##} robust standard deviations out ({severity})."));
            found.Add(new AnomalyFinding(Name, series, month, null, Rounding.Money(y[i]), Rounding.Money(expected[i]), score, pct, severity,
                one.Build(Invariant($"{Name}.{series}.{month}"), Formula, Invariant($"M = {score}"))));
        }
        why?.Narrate(found.Count == 0
            ? Invariant($"No month's {series} strays from its trend{(n >= SeasonalMonths ? " and season" : "")} by more than 3.5 robust standard deviations and 20%.")
            : Invariant($"{found.Count} month(s) of {series} stray from the trend{(n >= SeasonalMonths ? " and season" : "")}."));
        result = found.Count == 0 ? "no month flagged" : string.Join(", ", found.Select(f => Invariant($"{f.Month} (M = {f.Score})")));
        return found;
    }

    private static decimal SeasonalFactor(decimal[] y, int j)
    {
        var neighbours = new List<decimal>(6);
        for (var q = Math.Max(0, j - 3); q <= Math.Min(y.Length - 1, j + 3); q++)
            if (q != j) neighbours.Add(y[q]);
        var level = DecimalMath.Median(neighbours.ToArray());
        if (level <= 0m) return 1m;
        var f = Math.Clamp(y[j] / level, 0.5m, 2m);
        return Math.Abs(f - 1m) < 0.15m ? 1m : f;
    }
}
