using Msme.Domain.Collections;
using Msme.Domain.DemoData;
using Xunit.Abstractions;

namespace Msme.Domain.Tests.Collections;

/// <summary>A demo portfolio generated once for the Smart Collect tests that need many loans.</summary>
public sealed class CollectionsPortfolio
{
    public static readonly DemoOptions Options = new(new DateOnly(2026, 9, 30), Customers: 30, Months: 18, Seed: 21);

    public IReadOnlyList<DemoCustomer> Customers { get; } = DemoGenerator.Generate(Options).ToList();

    public IReadOnlyList<(Loan Loan, Msme.Domain.Ingestion.DepositAccount Account)> Loans => [.. DemoLoanBook.Portfolio(Customers)];
}

public sealed class BacktestTests(CollectionsPortfolio portfolio, ITestOutputHelper output) : IClassFixture<CollectionsPortfolio>
{
    [Fact]
    public void Model_beats_the_base_rate_on_30_demo_customers()
    {
        var result = Backtest.Run(portfolio.Loans);
        var unadjusted = Backtest.Run(portfolio.Loans, ForecastOptions.Default with { Adjust = false });
        output.WriteLine(result.Describe());
        output.WriteLine($"unadjusted base only: Brier {unadjusted.Brier:0.0000}");
        var ahead = Backtest.Run(portfolio.Loans, cut: Backtest.Cut.BeforeDueMonth);
        output.WriteLine("cut before the due month:");
        output.WriteLine(ahead.Describe());
        var aheadBase = Backtest.Run(portfolio.Loans, ForecastOptions.Default with { Adjust = false }, cut: Backtest.Cut.BeforeDueMonth);
        output.WriteLine($"cut before the due month, unadjusted: Brier {aheadBase.Brier:0.0000}");

        Assert.True(result.Count >= 100, $"only {result.Count} presentments");
        Assert.InRange(result.BaseRate, 0.05, 0.99);
        Assert.Equal(result.BaseRate * (1 - result.BaseRate), result.BaseRateBrier, 10);
        Assert.True(result.Brier < result.BaseRateBrier, result.Describe());
        Assert.Equal(result.Count, result.Reliability.Sum(b => b.Count));
        // The honest forecast, made up to a month ahead without the latest balance, must beat the base rate too.
        Assert.True(ahead.Brier < ahead.BaseRateBrier, ahead.Describe());
    }

    [Fact]
    public void Brier_and_reliability_are_computed_as_defined()
    {
        var r = Backtest.Score(
        [
            new("L", 1, default, 0.9, true, 6), new("L", 2, default, 0.9, false, 6),
            new("L", 3, default, 0.15, false, 6), new("L", 4, default, 1.0, true, 6),
        ], skipped: 2);
        Assert.Equal(0.5, r.BaseRate);
        Assert.Equal((0.01 + 0.81 + 0.0225 + 0) / 4, r.Brier, 12);
        Assert.Equal(0.25, r.BaseRateBrier, 12);
        Assert.Equal(3, r.Reliability[9].Count); // 0.9, 0.9 and 1.0
        Assert.Equal(2.0 / 3, r.Reliability[9].ObservedRate!.Value, 12);
        Assert.Equal(1, r.Reliability[1].Count);
        Assert.Equal(2, r.Skipped);
    }
}
