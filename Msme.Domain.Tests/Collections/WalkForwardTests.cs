using Msme.Domain.Collections;
using Msme.Domain.DemoData;
using Xunit.Abstractions;

namespace Msme.Domain.Tests.Collections;

/// <summary>The demo book as the portal loads it (200 customers, 18 months, seed 42), generated once.</summary>
public sealed class DemoBook
{
    public static readonly DemoOptions Options = new(new DateOnly(2026, 11, 30), Customers: 200, Months: 18, Seed: 42);

    public IReadOnlyList<(Loan Loan, Msme.Domain.Ingestion.DepositAccount Account)> Loans { get; } = [.. DemoLoanBook.Portfolio(DemoGenerator.Generate(Options))];
}

public sealed class WalkForwardTests(DemoBook book, ITestOutputHelper output) : IClassFixture<DemoBook>
{
    [Fact]
    public void Fitted_model_meets_the_targets_on_the_demo_book_walk_forward()
    {
        var evaluateFrom = WalkForward.DefaultEvaluateFrom(book.Loans);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var model = WalkForward.Fit(book.Loans, evaluateFrom);
        output.WriteLine($"fit {sw.ElapsedMilliseconds} ms: {model.Rows} rows {model.TrainedFrom}..{model.TrainedTo} intercept {model.Intercept:0.000}");
        for (var j = 0; j < model.Coefficients.Count; j++) output.WriteLine($"  {PresentmentFeatures.Names[j],-18} {model.Coefficients[j],8:0.000}  mean {model.Means[j]:0.000} scale {model.Scales[j]:0.000}");
        output.WriteLine(string.Join(", ", model.Coefficients.Select(c => c.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
        output.WriteLine(string.Join(", ", model.Means.Select(c => c.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
        output.WriteLine(string.Join(", ", model.Scales.Select(c => c.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
        output.WriteLine(model.Intercept.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        var fitted = WalkForward.Run(book.Loans, evaluateFrom, ForecastOptions.Default with { Model = model });
        var handSet = WalkForward.Run(book.Loans, evaluateFrom, ForecastOptions.Default with { Model = null });
        foreach (var r in new[] { fitted, handSet })
            output.WriteLine($"{r.ModelVersion}: n {r.Presentments} due bounces {r.DueDateBounces} ({r.DueDateBounceRate:0.000}) rec {r.RecommendedBounces} ({r.RecommendedBounceRate:0.000}) reduction {r.BounceReduction:0.000} brier {r.Brier:0.0000} base {r.BaseRateBrier:0.0000} ratio {r.Brier / r.BaseRateBrier:0.000} auc {r.Auc:0.000}");
        Assert.True(fitted.Presentments >= 300, $"{fitted.Presentments} presentments");
        Assert.True(fitted.BounceReduction >= 0.60, $"bounce reduction {fitted.BounceReduction:0.000}");
        Assert.True(fitted.Brier <= 0.8 * fitted.BaseRateBrier, $"Brier {fitted.Brier:0.0000} vs base {fitted.BaseRateBrier:0.0000}");
        Assert.True(fitted.Auc >= 0.80, $"AUC {fitted.Auc:0.000}");
        Assert.True(fitted.Brier < handSet.Brier, $"fitted Brier {fitted.Brier:0.0000} vs hand-set {handSet.Brier:0.0000}");
    }
}
