using Msme.Domain.Analytics;
using Msme.Domain.Analytics.Anomalies;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Tests.Analytics.Cashflow;

namespace Msme.Domain.Tests.Analytics.Insights;

public class AnomalyDetectorTests
{
    private static readonly int[] Noise = [0, 3, -2, 1, -3, 2, -1, 0, 2, -2, 1, -1, 3, -3, 0, 1, -1, 2, -2, 0, 1, -1, 2, 0];

    private static IReadOnlyList<MonthlyFigures> Complete(decimal[] inflows) =>
        [.. Accounts.Analyze("2023-04", inflows).Monthly.Where(m => m.Complete)];

    private static (IReadOnlyList<AnomalyFinding> Seasonal, IReadOnlyList<MonthlyAnomaly> RobustZ) Both(decimal[] inflows) =>
        (SeasonalResidualDetector.Detect(Complete(inflows), "inflow", out _), Accounts.Analyze("2023-04", inflows).Anomalies);

    [Fact]
    public void Seasonal_residual_scores_a_collapsed_month_against_the_trend()
    {
        // 8 months on the line 100,000 + 10,000 t, except t = 5 at 40,000 (150,000 expected).
        // Pairwise slopes among the 7 good months are all 10,000, so the median slope b = 10,000 and the median
        // intercept a = 100,000 (7 of 8 offsets). Residuals: 0 × 7 and −110,000: median 0, MAD 0, so the meanAD fallback
        // = 110,000 / 8 = 13,750 and M = −110,000 / (1.253314 × 13,750) = −6.383077; deviation = −110,000 / 150,000 = −73.33%.
        // Medium: |dev| ≥ 50% (not 100%), |M| ≥ 6 (not 10).
        decimal[] inflows = [100_000m, 110_000m, 120_000m, 130_000m, 140_000m, 40_000m, 160_000m, 170_000m];

        var finding = Assert.Single(SeasonalResidualDetector.Detect(Complete(inflows), "inflow", out var summary));

        Assert.Equal(("seasonal-residual", "inflow", new CalendarMonth(2023, 9), 40_000m, 150_000m), (finding.Detector, finding.Subject, finding.Month!.Value, finding.Value, finding.Expected!.Value));
        Assert.Equal((-6.383077m, -73.333333m, Severity.Medium), (finding.Score, finding.DeviationPct!.Value, finding.Severity));
        Assert.Contains(finding.Explanation.Inputs, i => i.Label == "expected" && i.Value == "150000.00");
        Assert.Equal("2023-09 (M = -6.383077)", summary.Result);
    }

    [Fact]
    public void A_steadily_growing_business_is_not_flagged_by_seasonal_residual()
    {
        // 18 months growing 4,000 a month (±3,000 noise): the trend explains every month.
        var inflows = Enumerable.Range(0, 18).Select(i => 100_000m + 4_000m * i + 1_000m * Noise[i]).ToArray();

        var (seasonal, robustZ) = Both(inflows);

        Assert.Empty(seasonal);
        Assert.Empty(robustZ);
    }

    [Fact]
    public void Growth_after_a_flat_year_trips_robust_z_but_not_seasonal_residual()
    {
        // Flat 100,000 (±3%) for 12 months, then +15,000 a month for 6: robust-z measures distance from the median and
        // flags every growth month from the second on; the Theil–Sen trend absorbs the growth.
        var inflows = Enumerable.Range(0, 18).Select(i => (i < 12 ? 100_000m : 100_000m + 15_000m * (i - 11)) + 1_000m * Noise[i]).ToArray();

        var (seasonal, robustZ) = Both(inflows);

        Assert.True(robustZ.Count >= 5, $"robust-z flagged {robustZ.Count}");
        Assert.Empty(seasonal);
    }

    [Fact]
    public void A_festive_season_seen_last_year_is_expected_this_year()
    {
        // 24 months from Apr 2023, growing 3,000 a month, October and November at 1.8×. Robust-z flags the second
        // year's festive months; seasonal-residual expects them from the year before (factor ≈ 1.8 over the local level)
        // and flags only the first year's, for which there was no history.
        var inflows = Enumerable.Range(0, 24)
            .Select(i => Math.Round((100_000m + 3_000m * i) * (i % 12 is 6 or 7 ? 1.8m : 1m) * (1 + Noise[i] / 100m), 2)).ToArray();

        var (seasonal, robustZ) = Both(inflows);

        Assert.Equal([new CalendarMonth(2024, 10), new CalendarMonth(2024, 11)], robustZ.Select(a => a.Month));
        Assert.Equal([new CalendarMonth(2023, 10), new CalendarMonth(2023, 11)], seasonal.Select(a => a.Month!.Value));
    }

    [Fact]
    public void A_one_off_credit_of_30_9_lakh_is_a_txn_spike()
    {
        // 60 receipts from 20,000 to 79,000 (1,000 apart) and one RTGS of 30,90,000: 61 credits, median = the 31st
        // smallest = 50,000. 30,90,000 = 61.8× the median (≥ 50×: High), and its ln is far beyond 5 robust deviations.
        var b = new StatementBuilder();
        for (var i = 0; i < 60; i++)
            b.Credit(new DateOnly(2024, 1, 1).AddDays(i * 5).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                20_000m + 1_000m * ((i * 37) % 60), $"NEFT-HDFCN24001{i:D6}-BUYER {i % 7} PVT LTD-INV{i}-HDFC0001234");
        b.Credit("2024-06-15", 3_090_000m, "RTGS/UTIBR20240615123456789/RAJ PHARMA LTD/SALE OF PROPERTY");

        var spikes = TxnSpikeDetector.Detect(b.Classified(), out _);

        var spike = Assert.Single(spikes);
        Assert.Equal((3_090_000m, 50_000m, Severity.High), (spike.Value, spike.Expected!.Value, spike.Severity));
        Assert.Equal(6080m, spike.DeviationPct); // (3,090,000 − 50,000) / 50,000 × 100
        Assert.True(spike.Score > 5m);
        Assert.Contains("61.8× the account's median credit", spike.Explanation.Narrative, StringComparison.Ordinal);
    }

    [Fact]
    public void A_credit_as_large_as_a_months_takings_is_a_spike_even_where_amounts_spread_too_widely_for_the_z_test()
    {
        // Jan–Mar: ten ₹200 UPI receipts and five ₹20,000 cash deposits a month (1,02,000), plus ₹3,00,000 on 20 Feb.
        // 46 credits: median ₹200, so 3,00,000 is 1,500× it. But over half the ln amounts sit on the median (MAD 0), the
        // meanAD fallback is (15 ln 100 + ln 1,500) / 46 = 1.66, and z = ln 1,500 / (1.253314 × 1.66) ≈ 3.5 < 5.
        // Median monthly inflow = 1,02,000 (Jan, Mar) against 4,02,000 (Feb): the credit is ≥ a typical month, so flagged.
        var b = new StatementBuilder();
        foreach (var m in new[] { "01", "02", "03" })
        {
            for (var d = 1; d <= 10; d++) b.Credit($"2024-{m}-{d:D2}", 200m, $"UPI/1{m}{d:D2}/RAVI KUMAR/ravi@ybl/Axis Bank");
            for (var d = 11; d <= 15; d++) b.Credit($"2024-{m}-{d:D2}", 20_000m, "CASH DEP/PUNE MG ROAD/123456", mode: "CASH");
            b.Debit($"2024-{m}-{(m == "02" ? 29 : 31)}", 100m, "CHRG/SMS ALERT CHGS");
        }
        b.Credit("2024-02-20", 300_000m, "RTGS/UTIBR20240220123456789/RAJ PHARMA LTD/CAPITAL INTRODUCED");
        var account = b.Build();

        var spike = Assert.Single(AccountInsights.Build(account).Anomalies.Of("txn-spike"));
        Assert.Equal((300_000m, 200m, Severity.High), (spike.Value, spike.Expected!.Value, spike.Severity));
        Assert.True(spike.Score < 5m, $"z = {spike.Score}");
        Assert.Contains("as much as a typical month's total", spike.Explanation.Narrative, StringComparison.Ordinal);
        // Without the monthly total, the z test alone lets it through.
        Assert.Empty(TxnSpikeDetector.Detect(b.Classified(), out _));
    }

    [Fact]
    public void A_large_but_ordinary_amount_is_not_a_spike()
    {
        // Credits spread 5,000 .. 5,00,000: 9.9× the median is under 10×, whatever its z.
        var b = new StatementBuilder();
        for (var i = 0; i < 40; i++) b.Credit("2024-01-01", 50_000m, $"NEFT-X{i}-BUYER PVT LTD-INV-HDFC0001234");
        b.Credit("2024-01-02", 495_000m, "NEFT-Y-BIG BUYER PVT LTD-INV-HDFC0001234");

        Assert.Empty(TxnSpikeDetector.Detect(b.Classified(), out _));
    }

    [Fact]
    public void Money_out_to_a_party_and_back_within_a_week_is_a_round_trip()
    {
        // 2,50,000 paid to SHREE TRADERS on 3 Mar, 2,48,000 back from them on 8 Mar: 5 days, 0.8% apart (≤ 2%).
        // Against an average monthly inflow of 4,00,000: 2,50,000 ≥ 50% of it, High.
        var b = new StatementBuilder();
        b.Debit("2024-03-03", 250_000m, "NEFT DR-SBIN0001234-SHREE TRADERS-NETBANK, MUM-SBINN24063123456-PAYMENT");
        b.Credit("2024-03-08", 248_000m, "NEFT-SBINN24068654321-SHREE TRADERS-GOODS-SBIN0001234");
        // Not round trips: back after 9 days; 3% off; a UPI payment reversed.
        b.Debit("2024-04-01", 100_000m, "NEFT DR-SBIN0001234-AMUL DISTRIBUTORS-NETBANK, MUM-SBINN24092123456-PAYMENT");
        b.Credit("2024-04-10", 100_000m, "NEFT-SBINN24101654321-AMUL DISTRIBUTORS-GOODS-SBIN0001234");
        b.Debit("2024-05-01", 100_000m, "NEFT DR-SBIN0001234-SAI RICE MILL-NETBANK, MUM-SBINN24122123456-PAYMENT");
        b.Credit("2024-05-02", 97_000m, "NEFT-SBINN24123654321-SAI RICE MILL-GOODS-SBIN0001234");
        b.Debit("2024-06-01", 20_000m, "UPI/111021316458/KRISHNA OIL MILLS/krishna@ybl/Axis Bank");
        b.Credit("2024-06-01", 20_000m, "UPI/RVSL111021316458/KRISHNA OIL MILLS/krishna@ybl/Axis Bank");

        var trip = Assert.Single(RoundTripDetector.Detect(b.Classified(), 400_000m, out _));

        Assert.Equal(("round-trip", new DateOnly(2024, 3, 3), 248_000m, 250_000m, 5m, -0.8m, Severity.High),
            (trip.Detector, trip.Date!.Value, trip.Value, trip.Expected!.Value, trip.Score, trip.DeviationPct!.Value, trip.Severity));
        Assert.Contains("SHREE TRADERS", trip.Explanation.Narrative, StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_keeps_the_contracts_robust_z_findings_as_they_are_and_adds_the_other_detectors()
    {
        var account = Accounts.CompleteMonths("2021-01", [100m, 110m, 90m, 105m, 95m, 500m]);
        var insights = AccountInsights.Build(account);

        var robust = Assert.Single(insights.Anomalies.Of("robust-z"));
        var contract = Assert.Single(insights.Contract.Anomalies);
        Assert.Equal((contract.Month, contract.Value, contract.Median, contract.Score, contract.DeviationPct),
            (robust.Month!.Value, robust.Value, robust.Expected!.Value, robust.Score, robust.DeviationPct));
        Assert.Equal(Severity.High, robust.Severity); // deviation 387.8% ≥ 100%
        Assert.Equal(["robust-z.inflow", "robust-z.outflow", "seasonal-residual.inflow", "seasonal-residual.outflow", "txn-spike", "round-trip"],
            insights.Anomalies.Summaries.Select(s => s.Figure));
    }
}

public class AnomalySummaryTests
{
    /// <summary>
    /// The detectors run without their summaries; a report makes them when they are first read, by running each detector
    /// again with its explanation. Over a demo book with findings of every kind, what is read must be exactly what
    /// each detector's own summary says, in the report's order, and the findings exactly the summarised run's.
    /// </summary>
    [Fact]
    public void Summaries_made_when_read_are_each_detectors_own_and_the_findings_are_unchanged()
    {
        var accounts = Msme.Domain.DemoData.DemoGenerator.Generate(new Msme.Domain.DemoData.DemoOptions(new DateOnly(2025, 3, 31), Customers: 40, Months: 12, Seed: 5))
            .SelectMany(c => c.Accounts).ToList();
        var kinds = new HashSet<string>();
        foreach (var account in accounts)
        {
            var contract = CashflowAnalyzer.Analyze(account);
            var lines = Msme.Domain.Analytics.Patterns.ClassifiedTransaction.Of(account);
            var report = AnomalyDetectors.Build(contract, lines);

            var complete = contract.Monthly.Where(m => m.Complete).ToList();
            decimal? medianOutflow = complete.Count == 0 ? null : DecimalMath.Median(complete.Select(m => m.Outflow).ToArray());
            var seasonalIn = SeasonalResidualDetector.Detect(complete, RobustZDetector.Inflow, out var sIn);
            var seasonalOut = SeasonalResidualDetector.Detect(complete, RobustZDetector.Outflow, out var sOut);
            var spikes = TxnSpikeDetector.Detect(lines, contract.Metrics.MedianMonthlyInflow, medianOutflow, out var spikeWhy);
            var trips = RoundTripDetector.Detect(lines, contract.Metrics.AvgMonthlyInflow, out var tripWhy);
            Explanation[] expected = [contract.Explain(RobustZDetector.InflowFigure), contract.Explain(RobustZDetector.OutflowFigure), sIn, sOut, spikeWhy, tripWhy];

            Assert.Equal(expected.Select(Text), report.Summaries.Select(Text));
            Assert.Equal([.. seasonalIn, .. seasonalOut, .. spikes, .. trips], report.Findings.Where(f => f.Detector != RobustZDetector.Name), FindingComparer.Instance);
            kinds.UnionWith(report.Findings.Select(f => f.Detector));
        }
        Assert.Superset(new HashSet<string> { "seasonal-residual", "txn-spike", "round-trip" }, kinds);
    }

    private static string Text(Explanation e) =>
        $"{e.Figure}|{e.Formula}|{string.Join(";", e.Inputs.Select(i => $"{i.Label}={i.Value}"))}|{e.Narrative}|{e.Result}";

    private sealed class FindingComparer : IEqualityComparer<AnomalyFinding>
    {
        public static readonly FindingComparer Instance = new();

        public bool Equals(AnomalyFinding? x, AnomalyFinding? y) =>
            x is not null && y is not null && (x with { Explanation = y.Explanation }) == y && Text(x.Explanation) == Text(y.Explanation);

        public int GetHashCode(AnomalyFinding obj) => obj.Subject.GetHashCode(StringComparison.Ordinal);
    }
}
