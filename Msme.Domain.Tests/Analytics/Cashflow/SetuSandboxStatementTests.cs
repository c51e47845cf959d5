using Msme.Domain.Analytics.Cashflow;

namespace Msme.Domain.Tests.Analytics.Cashflow;

/// <summary>
/// Contract figures for the two longer accounts of Fixtures/aa/setu_sandbox_deposit_3accounts_scrubbed.json
/// (the first is the mock extract, covered by <see cref="SetuMockStatementTests"/>).
/// </summary>
/// <remarks>
/// Expected values come from contract_oracle.py (independent python3 re-derivation; see SetuMockStatementTests):
/// python3 contract_oracle.py ../../Fixtures/aa/setu_sandbox_deposit_3accounts_scrubbed.json
/// </remarks>
public class SetuSandboxStatementTests
{
    private static readonly IReadOnlyList<AccountAnalysis> Analyses =
        [.. FixtureAccounts.Load("setu_sandbox_deposit_3accounts_scrubbed.json").Select(CashflowAnalyzer.Analyze)];

    [Fact]
    public void Upi_heavy_account_XXXXXXX444()
    {
        var a = Analyses[1];

        // Declared 2021-04-02..2021-09-15 (05:30 IST), transactions on both ends: May..Aug complete.
        Assert.Equal(new Coverage(new(2021, 4, 2), new(2021, 9, 15)), a.Coverage);
        Assert.Equal(
            [
                ("2021-04", false, 214_271.59m, 130_125.97m, 84_145.62m, 9, 20, 431_834.41m),
                ("2021-05", true, 38_994.26m, 274_188.09m, -235_193.83m, 6, 25, 196_640.58m),
                ("2021-06", true, 115_896.00m, 155_138.28m, -39_242.28m, 9, 23, 157_398.30m),
                ("2021-07", true, 48_911.99m, 189_525.46m, -140_613.47m, 14, 55, 16_784.83m),
                ("2021-08", true, 87_755.49m, 94_460.32m, -6_704.83m, 16, 33, 10_080.00m),
                ("2021-09", false, 111_084.64m, 93_449.64m, 17_635.00m, 20, 22, 11_554.00m),
            ],
            a.Monthly.Select(m => (m.Month.ToString(), m.Complete, m.Inflow, m.Outflow, m.Net, m.CreditCount, m.DebitCount, m.ClosingBalance)));
        // avg = (38994.26 + 115896 + 48911.99 + 87755.49) / 4 = 291557.74 / 4 = 72889.435 -> 72889.44 (half away from zero)
        // median = (48911.99 + 87755.49) / 2 = 68333.74; cv = 0.487915 (Low)
        // surplus = (291557.74 - 713312.15) / 291557.74 = -1.446555: outflows were 2.4× inflows.
        // averageBalance over 123 days (May..Aug) = 138826.09; volatility 0.818893.
        // Largest-credit days 11, 3, 26, 17: costs 11: 0+8+15+6 = 29, 3: 8+0+8+14 = 30, 26: 15+8+0+9 = 32,
        // 17: 6+14+9+0 = 29 -> tie 11 / 17 -> 11.
        Assert.Equal(
            new AccountMetrics(72_889.44m, 68_333.74m, 0.487915m, -1.446555m, 138_826.09m, 0.818893m, 11, StabilityTier.Low),
            a.Metrics);
        // robust-z over 4 months: inflow med 68333.74, MAD 24380.615; outflow med 172331.87, MAD 47532.57: none beyond 3.5.
        Assert.Empty(a.Anomalies);
        Assert.False(a.InsufficientHistory);
    }

    [Fact]
    public void Salary_account_XXXXXXX456_with_two_inflow_anomalies()
    {
        var a = Analyses[2];

        Assert.Equal(new Coverage(new(2021, 1, 1), new(2021, 9, 15)), a.Coverage);
        Assert.Equal(
            [
                ("2021-01", true, 127_259.00m, 94_935.29m, 32_323.71m, 3, 32, 36_256.21m),
                ("2021-02", true, 130_098.00m, 124_519.65m, 5_578.35m, 2, 28, 41_834.56m),
                ("2021-03", true, 528_566.00m, 206_731.90m, 321_834.10m, 43, 34, 363_668.66m),
                ("2021-04", true, 200_500.75m, 292_901.23m, -92_400.48m, 17, 46, 271_268.18m),
                ("2021-05", true, 151_298.00m, 383_152.84m, -231_854.84m, 5, 35, 39_413.34m),
                ("2021-06", true, 457_876.00m, 149_200.90m, 308_675.10m, 13, 25, 348_088.44m),
                ("2021-07", true, 208_097.00m, 430_253.00m, -222_156.00m, 8, 31, 125_932.44m),
                ("2021-08", true, 165_596.00m, 196_731.00m, -31_135.00m, 4, 29, 94_797.44m),
                ("2021-09", false, 104_320.00m, 110_815.03m, -6_495.03m, 2, 32, 88_302.41m),
            ],
            a.Monthly.Select(m => (m.Month.ToString(), m.Complete, m.Inflow, m.Outflow, m.Net, m.CreditCount, m.DebitCount, m.ClosingBalance)));
        // 8 complete months. Σ inflow 1969290.75 / 8 = 246161.34375 -> 246161.34; median (165596 + 200500.75) / 2
        // = 183048.375 -> 183048.38; cv 0.635320 (Low); surplus 0.046141; averageBalance over 243 days 141671.15;
        // volatility 1.019974; largest credits on day 25 in six months and 23 in two -> 25.
        Assert.Equal(
            new AccountMetrics(246_161.34m, 183_048.38m, 0.635320m, 0.046141m, 141_671.15m, 1.019974m, 25, StabilityTier.Low),
            a.Metrics);
        // Inflow: med 183048.375; |x - med| sorted 17452.375 17452.375 25048.625 31750.375 52950.375 55789.375
        // 274827.625 345517.625 -> MAD = (31750.375 + 52950.375) / 2 = 42350.375.
        // M(2021-03) = 0.6745 × 345517.625 / 42350.375 = 5.502942, deviationPct = 345517.625 / 183048.375 × 100 = 188.757548;
        // M(2021-06) = 0.6745 × 274827.625 / 42350.375 = 4.377086, deviationPct 150.139342. Outflow: MAD 84190.79, none.
        Assert.Equal(
            [
                new MonthlyAnomaly("robust-z", "inflow", new(2021, 3), 528_566.00m, 183_048.38m, 5.502942m, 188.757548m),
                new MonthlyAnomaly("robust-z", "inflow", new(2021, 6), 457_876.00m, 183_048.38m, 4.377086m, 150.139342m),
            ],
            a.Anomalies);
    }
}
