using Msme.Domain.Analytics.Cashflow;

namespace Msme.Domain.Tests.Analytics.Cashflow;

public class RobustZTests
{
    [Fact]
    public void A_month_far_from_the_median_is_flagged_with_its_modified_z_score()
    {
        // Inflows 100 110 90 105 95 500 (Jan..Jun). Sorted 90 95 100 105 110 500: med = (100 + 105) / 2 = 102.5.
        // |x - med| = 2.5 7.5 12.5 2.5 7.5 397.5 -> sorted 2.5 2.5 7.5 7.5 12.5 397.5: MAD = (7.5 + 7.5) / 2 = 7.5.
        // M(500) = 0.6745 × 397.5 / 7.5 = 35.7485 > 3.5: flagged. M(90) = 0.6745 × -12.5 / 7.5 = -1.124167: not.
        // deviationPct = 397.5 / 102.5 × 100 = 387.804878...
        // Outflows are all 0: MAD = 0 and meanAD = 0, so nothing is flagged on outflow.
        var analysis = Accounts.Analyze("2021-01", [100m, 110m, 90m, 105m, 95m, 500m]);

        var anomaly = Assert.Single(analysis.Anomalies);
        Assert.Equal(new MonthlyAnomaly("robust-z", "inflow", new(2021, 6), 500m, 102.5m, 35.7485m, 387.804878m), anomaly);
    }

    [Fact]
    public void When_MAD_is_zero_the_mean_absolute_deviation_is_used()
    {
        // Inflows 100 100 100 100 1000: med = 100, |x - med| = 0 0 0 0 900, MAD = 0.
        // meanAD = 900 / 5 = 180; M(1000) = 900 / (1.253314 × 180) = 900 / 225.59652 = 3.989423 > 3.5: flagged.
        // deviationPct = 900 / 100 × 100 = 900.
        var analysis = Accounts.Analyze("2021-01", [100m, 100m, 100m, 100m, 1000m]);

        var anomaly = Assert.Single(analysis.Anomalies);
        Assert.Equal(new MonthlyAnomaly("robust-z", "inflow", new(2021, 5), 1000m, 100m, 3.989423m, 900m), anomaly);
    }

    [Fact]
    public void When_MAD_and_the_mean_absolute_deviation_are_both_zero_nothing_is_flagged()
    {
        var analysis = Accounts.Analyze("2021-01", [100m, 100m, 100m, 100m, 100m]);

        Assert.Empty(analysis.Anomalies);
        Assert.Equal("no month flagged", analysis.Explain("robust-z.inflow").Result);
    }

    [Fact]
    public void Outflow_is_checked_too_and_deviation_pct_is_null_when_the_median_is_zero()
    {
        // Outflows 0 0 0 0 700: med 0, MAD 0, meanAD = 700 / 5 = 140; M = 700 / (1.253314 × 140) = 3.989423: flagged,
        // deviationPct null because the median is 0. Inflows constant 1000: nothing.
        var analysis = Accounts.Analyze("2021-01", [1000m, 1000m, 1000m, 1000m, 1000m], [0m, 0m, 0m, 0m, 700m]);

        Assert.Equal([new MonthlyAnomaly("robust-z", "outflow", new(2021, 5), 700m, 0m, 3.989423m, null)], analysis.Anomalies);
    }

    [Fact]
    public void Fewer_than_four_complete_months_are_not_checked()
    {
        // Three complete months, the third 100 times the others: enough history (3) but not for the detector (4).
        var analysis = Accounts.Analyze("2021-01", [100m, 100m, 10_000m]);

        Assert.False(analysis.InsufficientHistory);
        Assert.Empty(analysis.Anomalies);
    }

    [Fact]
    public void Only_a_score_beyond_three_and_a_half_is_flagged()
    {
        // Inflows 0.01 0.01 10 10 10 y (y ≥ 20): med = (10 + 10) / 2 = 10; |x - med| = 9.99 9.99 0 0 0 (y - 10)
        // -> sorted 0 0 0 9.99 9.99 (y - 10): MAD = (0 + 9.99) / 2 = 4.995; M(y) = 0.6745 (y - 10) / 4.995.
        // M = 3.5 would need y - 10 = 3.5 × 4.995 / 0.6745 = 25.919199..., not a 2-place amount, so straddle it:
        // y = 35.91 -> M = 0.6745 × 25.91 / 4.995 = 3.498758 (kept); y = 35.92 -> 0.6745 × 25.92 / 4.995 = 3.500108 (flagged).
        Assert.DoesNotContain(Accounts.Analyze("2021-01", [0.01m, 0.01m, 10m, 10m, 10m, 35.91m]).Anomalies, a => a.Series == "inflow");
        var flagged = Assert.Single(Accounts.Analyze("2021-01", [0.01m, 0.01m, 10m, 10m, 10m, 35.92m]).Anomalies, a => a.Series == "inflow");
        Assert.Equal(3.500108m, flagged.Score);
    }
}
