using Msme.Domain.Analytics;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.IncomePattern;
using Msme.Domain.Analytics.Patterns;

namespace Msme.Domain.Tests.Analytics.Insights;

public class IncomeAndBalanceTests
{
    // Mar–Apr 2024 complete (lines on the first and last day). Mar: charge 1,000 on the 1st, cash 40,000 on the 5th,
    // NEFT 60,000 on the 12th. Apr: cash 10,000 on the 10th, NEFT 90,000 on the 20th, rent 30,000 out on the 25th,
    // card fee 1,000 on the 30th. Opening 50,000.
    private static AccountInsights Insights() => AccountInsights.Build(new StatementBuilder().Opening(50_000m).Period("2024-03-01", "2024-04-30")
        .Debit("2024-03-01", 1_000m, "CHRG/SMS ALERT CHGS OCT-DEC23")
        .Credit("2024-03-05", 40_000m, "CASH DEP/PUNE MG ROAD/123456", mode: "CASH")
        .Credit("2024-03-12", 60_000m, "NEFT-HDFCN24072000001-SHREE AUTO PARTS PVT LTD-INV1-HDFC0001234")
        .Credit("2024-04-10", 10_000m, "BY CASH DEPOSIT-PUNE MG ROAD", mode: "CASH")
        .Credit("2024-04-20", 90_000m, "NEFT-HDFCN24111000002-SHREE AUTO PARTS PVT LTD-INV2-HDFC0001234")
        .Debit("2024-04-25", 30_000m, "MMT/IMPS/412345678901/RENT APR/RAMESH DESAI/HDFC0001234")
        .Debit("2024-04-30", 1_000m, "CHRG/DEBIT CARD ANNUAL FEE 2024")
        .Build());

    [Fact]
    public void Cash_deposit_ratio_is_cash_credits_over_all_credits_over_complete_months()
    {
        // (40,000 + 10,000) / (100,000 + 100,000) = 0.25; per month 0.4 and 0.1.
        var cash = Insights().CashRatio;

        Assert.Equal((0.25m, 50_000m, 200_000m), (cash.Ratio!.Value, cash.CashCredits, cash.AllCredits));
        Assert.Equal([(new CalendarMonth(2024, 3), (decimal?)0.4m), (new CalendarMonth(2024, 4), 0.1m)], cash.Monthly);
    }

    [Fact]
    public void Checkpoint_balances_average_the_closing_balance_on_those_days()
    {
        // Closing balances: Mar 5 89,000, 10 89,000, 15 149,000, 20 149,000, 25 149,000, 31 149,000;
        // Apr 5 149,000, 10 159,000, 15 159,000, 20 249,000, 25 219,000, 30 218,000.
        var checkpoints = Insights().CheckpointBalances;

        Assert.Equal(
            [("day 5", 119_000m), ("day 10", 124_000m), ("day 15", 154_000m), ("day 20", 199_000m), ("day 25", 184_000m), ("month end", 183_500m)],
            checkpoints.Select(c => (c.Label, c.Average!.Value)));
        Assert.Equal(2, checkpoints[0].Explanation.Inputs.Count);
    }

    [Fact]
    public void Income_summary_reuses_the_contract_figures_and_shows_real_credits_from_the_top_months()
    {
        var insights = Insights();
        var income = insights.Income;
        var m = insights.Contract.Metrics;

        Assert.Equal((m.AvgMonthlyInflow, m.MedianMonthlyInflow, m.TypicalCreditDay, m.IncomeCv, m.StabilityTier),
            (income.AvgMonthlyInflow, income.MedianMonthlyInflow, income.TypicalCreditDay, income.IncomeCv, income.Consistency));
        // Two complete months: insufficient history, so confidence is VeryLow whatever the tier.
        Assert.Equal(Confidence.VeryLow, income.Confidence);
        // Both months took 100,000; the tie goes to the earlier month. Largest credits first, with their real dates.
        Assert.Equal([new CalendarMonth(2024, 3), new CalendarMonth(2024, 4)], income.TopMonths.Select(t => t.Month));
        Assert.Equal([(new DateOnly(2024, 3, 12), 60_000m), (new DateOnly(2024, 3, 5), 40_000m)], income.TopMonths[0].Credits.Select(c => (c.Date, c.Amount)));
        var fromContract = insights.Contract.Explain("avgMonthlyInflow");
        Assert.Equal((fromContract.Result, fromContract.Narrative), (income.Explanations[0].Result, income.Explanations[0].Narrative));
        Assert.Equal(fromContract.Inputs, income.Explanations[0].Inputs);
    }

    [Theory]
    [InlineData(StabilityTier.High, 12, false, Confidence.High)]
    [InlineData(StabilityTier.High, 4, false, Confidence.Medium)]
    [InlineData(StabilityTier.Low, 5, false, Confidence.VeryLow)]
    [InlineData(StabilityTier.VeryLow, 4, false, Confidence.VeryLow)]
    [InlineData(StabilityTier.Unknown, 12, false, Confidence.VeryLow)]
    [InlineData(StabilityTier.High, 2, true, Confidence.VeryLow)]
    public void Confidence_is_the_tier_lowered_for_short_history(StabilityTier tier, int months, bool insufficient, Confidence expected) =>
        Assert.Equal(expected, IncomePatternAnalyzer.ConfidenceOf(tier, months, insufficient, null));

    [Fact]
    public void Monthly_buckets_count_and_sum_by_category_and_channel()
    {
        var insights = Insights();

        Assert.Contains(new MonthlyBucket(new CalendarMonth(2024, 4), Msme.Domain.Ingestion.TxnType.Debit, "Rent", 1, 30_000m), insights.ByCategory);
        Assert.Contains(new MonthlyBucket(new CalendarMonth(2024, 3), Msme.Domain.Ingestion.TxnType.Credit, "Cash", 1, 40_000m), insights.ByChannel);
        Assert.Contains(new MonthlyBucket(new CalendarMonth(2024, 3), Msme.Domain.Ingestion.TxnType.Credit, "BusinessReceipts", 1, 60_000m), insights.ByCategory);
        Assert.Equal(insights.Transactions.Count, insights.ByCategory.Sum(b => b.Count));
        Assert.Equal("Imps / Rent / RAMESH DESAI", insights.ExplainTransaction("1234-6").Result);
    }
}
