using System.Globalization;

namespace Msme.Domain.Collections;

/// <summary>The named features of the fitted presentment model (docs/smart-collect-model.md, "Features").</summary>
public static class PresentmentFeatures
{
    public const int Count = 9;

    /// <summary>Names in coefficient order; what each feature measures is in <see cref="Describe"/>.</summary>
    public static readonly string[] Names =
    [
        "monthsCovered", "bounceRecord", "inflowTrend", "latestBalance", "creditDayDistance", "stabilityTier", "odHeadroom", "festivalProximity", "historyDepth",
    ];

    public static string Describe(int feature) => feature switch
    {
        0 => "months covered at the day: logit((k+1)/(n+2)), k of n complete months with the requirement on that day of month",
        1 => "bounce record: logit((m−b+1)/(m+2)) over the loan's last 6 presentments before the cut",
        2 => "inflow trend: ln(inflow last 3 / prior 3 complete months), clamped to [−1, 0.5]; 0 under 6 months",
        3 => "latest balance relative to EMI: ln(available on the last statement day / requirement), clamped to [−3, 3]",
        4 => "distance from the typical credit day: days after it (negative: before), /15, clamped to [−1, 1]",
        5 => "stability tier: High 0, Medium 1, Low 2, VeryLow 3, Unknown 2 (÷3)",
        6 => "OD headroom: ln(1 + OD limit / EMI)",
        7 => "festival proximity: 1 − days to the next Diwali / 40 within the 40 days before it, else 0",
        8 => "history depth: complete months / 12, at most 1",
        _ => throw new ArgumentOutOfRangeException(nameof(feature)),
    };
}

/// <summary>One feature's part in a probability: its value, its standardised coefficient and the log-odds it adds.</summary>
public sealed record FeatureContribution(string Feature, double Value, double Coefficient, double LogOdds);

/// <summary>
/// A regularised logistic regression over <see cref="PresentmentFeatures"/>, with the version and training window it
/// was fitted on. Coefficients apply to standardised features ((x − mean) / scale), so the intercept is the log-odds
/// of an average presentment and each contribution says how far this one is from average.
/// </summary>
public sealed record FittedPresentmentModel(
    string Version,
    DateOnly TrainedFrom,
    DateOnly TrainedTo,
    int Rows,
    double Lambda,
    double Intercept,
    IReadOnlyList<double> Coefficients,
    IReadOnlyList<double> Means,
    IReadOnlyList<double> Scales)
{
    public double LogOdds(ReadOnlySpan<double> x)
    {
        var z = Intercept;
        for (var j = 0; j < Coefficients.Count; j++) z += Coefficients[j] * (x[j] - Means[j]) / Scales[j];
        return z;
    }

    /// <summary>σ(log-odds), bounded to [0.02, 0.98] like every probability Smart Collect reports.</summary>
    public double Probability(ReadOnlySpan<double> x) =>
        Math.Clamp(PresentmentModel.Sigmoid(LogOdds(x)), ForecastOptions.Floor, ForecastOptions.Ceiling);

    public IReadOnlyList<FeatureContribution> Contributions(ReadOnlySpan<double> x)
    {
        var list = new FeatureContribution[Coefficients.Count];
        for (var j = 0; j < list.Length; j++)
            list[j] = new(PresentmentFeatures.Names[j], x[j], Coefficients[j], Coefficients[j] * (x[j] - Means[j]) / Scales[j]);
        return list;
    }

    /// <summary>"why 0.62": the intercept and each feature's log-odds, largest first.</summary>
    public string Explain(ReadOnlySpan<double> x)
    {
        var inv = CultureInfo.InvariantCulture;
        var parts = Contributions(x).OrderByDescending(c => Math.Abs(c.LogOdds))
            .Select(c => string.Create(inv, $"{c.Feature} {c.Value:0.00} → {c.LogOdds:+0.00;-0.00;0.00}"));
        var z = LogOdds(x);
        return string.Create(inv, $"model {Version}: average {Intercept:+0.00;-0.00} log-odds; {string.Join("; ", parts)}; sum {z:+0.00;-0.00} → p = σ = {Probability(x):0.00}");
    }
}

/// <summary>
/// Ridge-penalised logistic regression by Newton's method (iteratively reweighted least squares) on standardised
/// features. Nine features and a few thousand rows: a 10×10 solve per step, converged in under ten steps, exact and
/// deterministic, with no native dependency in the pure domain project (ML.NET's trainers would bring both).
/// </summary>
public static class LogisticRegression
{
    public static FittedPresentmentModel Fit(IReadOnlyList<double[]> rows, IReadOnlyList<bool> labels, double lambda, string version, DateOnly trainedFrom, DateOnly trainedTo)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(labels);
        if (rows.Count != labels.Count) throw new ArgumentException("one label per row", nameof(labels));
        if (rows.Count == 0) throw new ArgumentException("no rows to fit", nameof(rows));
        var p = rows[0].Length;
        var means = new double[p];
        var scales = new double[p];
        for (var j = 0; j < p; j++)
        {
            var mean = 0.0;
            foreach (var r in rows) mean += r[j];
            mean /= rows.Count;
            var v = 0.0;
            foreach (var r in rows) v += (r[j] - mean) * (r[j] - mean);
            means[j] = mean;
            scales[j] = Math.Sqrt(v / rows.Count) is > 1e-9 and var s ? s : 1.0;
        }
        var d = p + 1; // intercept first
        var beta = new double[d];
        var z = new double[d];
        for (var iteration = 0; iteration < 50; iteration++)
        {
            var h = new double[d, d];
            var g = new double[d];
            for (var i = 0; i < rows.Count; i++)
            {
                z[0] = 1;
                for (var j = 0; j < p; j++) z[j + 1] = (rows[i][j] - means[j]) / scales[j];
                var eta = 0.0;
                for (var j = 0; j < d; j++) eta += beta[j] * z[j];
                var mu = PresentmentModel.Sigmoid(eta);
                var w = Math.Max(mu * (1 - mu), 1e-9);
                var y = labels[i] ? 1.0 : 0.0;
                for (var a = 0; a < d; a++)
                {
                    g[a] += (y - mu) * z[a];
                    for (var b = a; b < d; b++) h[a, b] += w * z[a] * z[b];
                }
            }
            for (var a = 1; a < d; a++)
            {
                g[a] -= lambda * beta[a];
                h[a, a] += lambda; // the intercept is not penalised
            }
            for (var a = 0; a < d; a++)
                for (var b = 0; b < a; b++) h[a, b] = h[b, a];
            var step = Solve(h, g);
            var max = 0.0;
            for (var j = 0; j < d; j++)
            {
                beta[j] += step[j];
                max = Math.Max(max, Math.Abs(step[j]));
            }
            if (max < 1e-8) break;
        }
        return new FittedPresentmentModel(version, trainedFrom, trainedTo, rows.Count, lambda, beta[0], beta[1..], means, scales);
    }

    /// <summary>Gaussian elimination with partial pivoting (the matrix is symmetric positive definite with the ridge).</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (var c = 0; c < n; c++)
        {
            var pivot = c;
            for (var r = c + 1; r < n; r++) if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c])) pivot = r;
            if (pivot != c)
            {
                for (var k = 0; k < n; k++) (m[c, k], m[pivot, k]) = (m[pivot, k], m[c, k]);
                (x[c], x[pivot]) = (x[pivot], x[c]);
            }
            for (var r = c + 1; r < n; r++)
            {
                var f = m[r, c] / m[c, c];
                if (f == 0) continue;
                for (var k = c; k < n; k++) m[r, k] -= f * m[c, k];
                x[r] -= f * x[c];
            }
        }
        for (var r = n - 1; r >= 0; r--)
        {
            var s = x[r];
            for (var k = r + 1; k < n; k++) s -= m[r, k] * x[k];
            x[r] = s / m[r, r];
        }
        return x;
    }
}
