using Msme.Domain.Analytics.Cashflow;

namespace Msme.Domain.Tests.Analytics.Cashflow;

public class MetricsTests
{
    [Fact]
    public void Median_of_an_even_number_of_months_is_the_mean_of_the_two_middle_values()
    {
        // Inflows 100, 400, 200, 300 -> sorted 100 200 300 400 -> median (200 + 300) / 2 = 250; mean 1000 / 4 = 250.
        // Outflows 50 each: surplus (1000 - 200) / 1000 = 0.8.
        // Sample sd: deviations -150, 150, -50, 50 -> (22500 + 22500 + 2500 + 2500) / 3 = 16666.67 -> sd 129.099445;
        // cv = 129.099445 / 250 = 0.516397779 -> 0.516398 (Low: above 0.40, at most 0.70).
        var analysis = Accounts.Analyze("2021-01", [100m, 400m, 200m, 300m], [50m, 50m, 50m, 50m]);

        Assert.Equal(250m, analysis.Metrics.MedianMonthlyInflow);
        Assert.Equal(250m, analysis.Metrics.AvgMonthlyInflow);
        Assert.Equal(0.516398m, analysis.Metrics.IncomeCv);
        Assert.Equal(0.8m, analysis.Metrics.SurplusRatio);
        Assert.Equal(StabilityTier.Low, analysis.Metrics.StabilityTier);
        Assert.False(analysis.InsufficientHistory);
    }

    [Fact]
    public void Average_balance_and_volatility_use_every_day_of_the_complete_months()
    {
        // February 2021, 28 days. Opening 0; 02-01 credit 1000 -> 1000; 02-15 debit 500 -> 500; 02-28 credit 100 -> 600.
        // Daily closes: 14 days x 1000 (01..14), 13 days x 500 (15..27), 1 day x 600 (28).
        // Sum 14000 + 6500 + 600 = 21100; mean 21100 / 28 = 753.571428... -> 753.57.
        // Σx² = 14·1e6 + 13·250000 + 360000 = 17,610,000; n·mean² = 28·(5275/7)² = 15,900,357.142857;
        // sample var = 1,709,642.857143 / 27 = 63,320.105820; sd = 251.634866; vol = 251.634866 / 753.571429 = 0.333923.
        var analysis = CashflowAnalyzer.Analyze(new AccountBuilder()
            .Opening(0m)
            .Credit("2021-02-01", 1000m)
            .Debit("2021-02-15", 500m)
            .Credit("2021-02-28", 100m)
            .Build());

        Assert.Equal(753.57m, analysis.Metrics.AverageBalance);
        Assert.Equal(0.333923m, analysis.Metrics.BalanceVolatility);
        Assert.Equal(28, analysis.DailyBalances.Count);
    }

    [Fact]
    public void Balance_volatility_is_null_when_the_average_balance_is_zero()
    {
        // Opening 100; 05-01 debit 100 -> 0; 05-31 credit 0 -> 0: every close in May is 0.
        var analysis = CashflowAnalyzer.Analyze(new AccountBuilder()
            .Opening(100m).Debit("2021-05-01", 100m).Credit("2021-05-31", 0m).Build());

        Assert.Equal(0m, analysis.Metrics.AverageBalance);
        Assert.Null(analysis.Metrics.BalanceVolatility);
    }

    [Fact]
    public void Balance_volatility_of_an_overdrawn_account_is_negative_as_the_contract_is_written()
    {
        // February, opening -1000: 02-01 credit 0 (-1000), 02-15 debit 500 (-1500), 02-28 credit 0 (-1500).
        // 14 days at -1000 and 14 at -1500: mean -1250; deviations ±250: var = 28 × 62500 / 27 = 64814.814815,
        // sd = 254.587539; sd / mean = 254.587539 / -1250 = -0.203670. (Dividing by |mean| would say 0.203670.)
        var analysis = CashflowAnalyzer.Analyze(new AccountBuilder()
            .Opening(-1000m).Credit("2021-02-01", 0m).Debit("2021-02-15", 500m).Credit("2021-02-28", 0m).Build());

        Assert.Equal(-1250m, analysis.Metrics.AverageBalance);
        Assert.Equal(-0.203670m, analysis.Metrics.BalanceVolatility);
    }

    [Fact]
    public void Surplus_ratio_is_null_without_inflow_and_income_cv_is_null_with_one_month()
    {
        // One complete month (May) with only debits: Σ inflow = 0 -> surplusRatio null; 1 month -> incomeCv null.
        var analysis = CashflowAnalyzer.Analyze(new AccountBuilder()
            .Opening(5000m).Debit("2021-05-01", 100m).Debit("2021-05-31", 200m).Build());

        Assert.Null(analysis.Metrics.SurplusRatio);
        Assert.Null(analysis.Metrics.IncomeCv);
        Assert.Null(analysis.Metrics.TypicalCreditDay);
        Assert.Equal(StabilityTier.Unknown, analysis.Metrics.StabilityTier);
        Assert.Equal(0m, analysis.Metrics.AvgMonthlyInflow);
        Assert.True(analysis.InsufficientHistory);
    }

    [Fact]
    public void Income_cv_is_null_when_the_mean_inflow_is_zero()
    {
        var analysis = CashflowAnalyzer.Analyze(new AccountBuilder()
            .Opening(5000m).Debit("2021-05-01", 100m).Debit("2021-06-30", 200m).Build());

        Assert.Equal(2, analysis.CompleteMonthCount);
        Assert.Null(analysis.Metrics.IncomeCv);
    }

    [Fact]
    public void Fewer_than_three_complete_months_is_insufficient_history_but_figures_are_still_computed()
    {
        // Two complete months, 1000 and 3000: mean 2000, median 2000; sd = |3000 - 1000| / √2 = 1414.213562;
        // cv = 1414.213562 / 2000 = 0.707107 (VeryLow: above 0.70).
        var analysis = Accounts.Analyze("2021-01", [1000m, 3000m]);

        Assert.True(analysis.InsufficientHistory);
        Assert.Equal(2000m, analysis.Metrics.AvgMonthlyInflow);
        Assert.Equal(0.707107m, analysis.Metrics.IncomeCv);
        Assert.Equal(StabilityTier.VeryLow, analysis.Metrics.StabilityTier);
    }

    [Theory]
    // Three months m - d, m, m + d have sample sd exactly d (var = (d² + 0 + d²) / 2), so cv = d / m exactly.
    [InlineData(80, 100, 120, "0.2", StabilityTier.High)]        // 20 / 100 = 0.20, on the boundary: High
    [InlineData(79.99, 100, 120.01, "0.2001", StabilityTier.Medium)] // 20.01 / 100
    [InlineData(60, 100, 140, "0.4", StabilityTier.Medium)]      // 40 / 100 = 0.40: Medium
    [InlineData(59.99, 100, 140.01, "0.4001", StabilityTier.Low)]
    [InlineData(30, 100, 170, "0.7", StabilityTier.Low)]         // 70 / 100 = 0.70: Low
    [InlineData(29.99, 100, 170.01, "0.7001", StabilityTier.VeryLow)]
    // 2,000,001 / 10,000,000 = 0.2000001, reported as 0.200000: the tier follows the reported figure, so High.
    [InlineData(7_999_999, 10_000_000, 12_000_001, "0.2", StabilityTier.High)]
    public void Stability_tier_boundaries(double a, double b, double c, string cv, StabilityTier tier)
    {
        var analysis = Accounts.Analyze("2021-01", [(decimal)a, (decimal)b, (decimal)c]);

        Assert.Equal(decimal.Parse(cv, System.Globalization.CultureInfo.InvariantCulture), analysis.Metrics.IncomeCv);
        Assert.Equal(tier, analysis.Metrics.StabilityTier);
    }

    [Fact]
    public void Typical_credit_day_wraps_around_month_end_and_ties_go_to_the_smaller_day()
    {
        // Largest credits on May 30, Jul 31, Aug 1, Sep 2 (June has no credit and is skipped).
        // Total circular distances, d(a, b) = min(|a - b|, 31 - |a - b|):
        //   30: 0 + 1 + 2 + 3 = 6;   31: 1 + 0 + 1 + 2 = 4;   1: 2 + 1 + 0 + 1 = 4;   2: 3 + 2 + 1 + 0 = 6.
        // 31 and 1 tie at 4: the smaller day, 1, wins.
        var analysis = CashflowAnalyzer.Analyze(new AccountBuilder()
            .Opening(0m)
            .Debit("2021-05-01", 0m)
            .Credit("2021-05-30", 100m)
            .Credit("2021-07-31", 100m)
            .Credit("2021-08-01", 100m)
            .Credit("2021-09-02", 100m)
            .Debit("2021-09-30", 0m)
            .Build());

        Assert.Equal(5, analysis.CompleteMonthCount);
        Assert.Equal([30, null, 31, 1, 2], analysis.Monthly.Select(m => m.LargestCreditDay));
        Assert.Equal(1, analysis.Metrics.TypicalCreditDay);
    }

    [Fact]
    public void Typical_credit_day_takes_the_largest_credit_of_each_month_and_the_earliest_when_tied()
    {
        // Jan: 5000 on the 3rd and 5000 on the 15th (tie: the 3rd), 100 on the 25th. Feb: 7000 on the 15th.
        // Mar: 9000 on the 3rd. Days 3, 15, 3: cost(3) = 0 + 12 + 0 = 12, cost(15) = 12 + 0 + 12 = 24 -> 3.
        var analysis = CashflowAnalyzer.Analyze(new AccountBuilder()
            .Opening(0m)
            .Debit("2021-01-01", 0m)
            .Credit("2021-01-03", 5000m)
            .Credit("2021-01-15", 5000m)
            .Credit("2021-01-25", 100m)
            .Credit("2021-02-15", 7000m)
            .Credit("2021-03-03", 9000m)
            .Debit("2021-03-31", 0m)
            .Build());

        Assert.Equal([3, 15, 3], analysis.Monthly.Select(m => m.LargestCreditDay));
        Assert.Equal(3, analysis.Metrics.TypicalCreditDay);
    }

    [Fact]
    public void Typical_credit_day_between_two_equally_good_days_is_the_smaller()
    {
        // Days 20 and 10: cost(10) = cost(20) = 10 -> 10.
        var analysis = CashflowAnalyzer.Analyze(new AccountBuilder()
            .Opening(0m).Debit("2021-01-01", 0m).Credit("2021-01-20", 1m).Credit("2021-02-10", 1m).Debit("2021-02-28", 0m).Build());

        Assert.Equal(10, analysis.Metrics.TypicalCreditDay);
    }

    [Fact]
    public void Circular_distance_wraps_at_31()
    {
        Assert.Equal(1, Msme.Domain.Analytics.Cashflow.CashflowFigures.CircularDistance(31, 1));
        Assert.Equal(2, Msme.Domain.Analytics.Cashflow.CashflowFigures.CircularDistance(30, 1));
        Assert.Equal(15, Msme.Domain.Analytics.Cashflow.CashflowFigures.CircularDistance(1, 16));
        Assert.Equal(15, Msme.Domain.Analytics.Cashflow.CashflowFigures.CircularDistance(1, 17)); // 31 - 16
    }
}
