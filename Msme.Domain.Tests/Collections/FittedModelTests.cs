using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Collections;

namespace Msme.Domain.Tests.Collections;

public sealed class FittedModelTests
{
    [Fact]
    public void Newton_fit_recovers_the_coefficients_that_generated_the_labels()
    {
        // y ~ Bernoulli(σ(0.5 + 2 x0 − 1 x1)), x ~ N(0, 1) by Box–Muller from a seeded Random: the fit finds 0.5, 2, −1.
        var random = new Random(11);
        var rows = new List<double[]>();
        var labels = new List<bool>();
        for (var i = 0; i < 20_000; i++)
        {
            var x = new[] { Normal(random), Normal(random) };
            rows.Add(x);
            labels.Add(random.NextDouble() < 1 / (1 + Math.Exp(-(0.5 + 2 * x[0] - x[1]))));
        }
        var m = LogisticRegression.Fit(rows, labels, lambda: 0.001, "test", default, default);
        // Coefficients are on standardised features: back on the raw scale they are β / scale.
        // 20,000 rows: the standard errors are about 0.03, so ±0.1 is three of them.
        Assert.InRange(m.Coefficients[0] / m.Scales[0], 1.9, 2.1);
        Assert.InRange(m.Coefficients[1] / m.Scales[1], -1.1, -0.9);
        var rawIntercept = m.Intercept - m.Coefficients[0] * m.Means[0] / m.Scales[0] - m.Coefficients[1] * m.Means[1] / m.Scales[1];
        Assert.InRange(rawIntercept, 0.4, 0.6);
    }

    [Fact]
    public void The_ridge_shrinks_coefficients_towards_zero()
    {
        var random = new Random(3);
        var rows = Enumerable.Range(0, 500).Select(_ => new[] { Normal(random) }).ToList();
        var labels = rows.Select(r => random.NextDouble() < 1 / (1 + Math.Exp(-3 * r[0]))).ToList();
        var loose = LogisticRegression.Fit(rows, labels, 0.01, "a", default, default);
        var tight = LogisticRegression.Fit(rows, labels, 500, "b", default, default);
        Assert.True(Math.Abs(tight.Coefficients[0]) < Math.Abs(loose.Coefficients[0]) / 2, $"{tight.Coefficients[0]} vs {loose.Coefficients[0]}");
    }

    [Fact]
    public void Contributions_add_up_to_the_log_odds_and_the_explanation_names_every_feature()
    {
        var model = FittedCoefficients.Current;
        double[] x = [0.5, 1.2, -0.3, 0.8, 0.2, 1 / 3.0, 0, 0.5, 1];
        var sum = model.Intercept + model.Contributions(x).Sum(c => c.LogOdds);
        Assert.Equal(model.LogOdds(x), sum, 12);
        var why = model.Explain(x);
        Assert.All(PresentmentFeatures.Names, n => Assert.Contains(n, why));
        Assert.Contains(FittedCoefficients.Version, why);
        Assert.Equal(PresentmentFeatures.Count, model.Coefficients.Count);
    }

    [Fact]
    public void Money_on_the_10th_and_due_on_the_5th_the_fitted_model_presents_the_day_after_and_says_why()
    {
        var asOf = new DateOnly(2026, 1, 1);
        var account = CollectionForecasterTests.Monthly(asOf, 0m, (b, y, m) => b
            .Credit(new(y, m, 10), 50_000m).Debit(new(y, m, 15), 15_000m).Debit(new(y, m, 20), 15_000m)
            .Debit(new(y, m, 25), 15_000m).Debit(new(y, m, 28), 5_000m));
        var analysis = CashflowAnalyzer.Analyze(account);
        var loan = LoanBuilder.Loan(20_000m, 5, LoanBuilder.Schedule(20_000m, 5, new(2026, 1, 5), 3, (_, _) => InstalmentOutcome.Pending));
        var u = CollectionForecaster.Forecast(loan, analysis, account, asOf, new ForecastOptions(WindowAfter: 6))!;

        Assert.True(u.DueDateProbability < 0.1, $"due date {u.DueDateProbability}");
        Assert.Equal(CollectionStatus.HighRisk, u.Status);
        // The day after the credit: the credit-day feature prefers days after the typical credit day (a NACH run at
        // dawn does not see a credit that lands that afternoon), and the balance still covers the EMI until the 15th.
        Assert.Equal(new DateOnly(2026, 1, 11), u.Window!.From);
        Assert.True(u.Window.Probability > 0.8, $"window {u.Window.Probability}");
        Assert.Contains(u.Reasons, r => r.StartsWith($"why {u.DueDateProbability:0.00}: model {FittedCoefficients.Version}", StringComparison.Ordinal));
    }

    private static double Normal(Random r) => Math.Sqrt(-2 * Math.Log(1 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());
}
