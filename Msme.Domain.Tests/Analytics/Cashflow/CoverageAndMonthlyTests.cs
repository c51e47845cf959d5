using Msme.Domain.Analytics.Cashflow;

namespace Msme.Domain.Tests.Analytics.Cashflow;

public class CoverageAndMonthlyTests
{
    [Fact]
    public void Coverage_is_narrowed_to_the_transactions_when_the_declared_period_is_wider()
    {
        // Declared 2021-01-01..2021-12-31, transactions 2021-04-10..2021-06-20:
        // from = max(01-01, 04-10) = 04-10; to = min(12-31, 06-20) = 06-20.
        var analysis = CashflowAnalyzer.Analyze(new AccountBuilder()
            .Statement("2021-01-01", "2021-12-31")
            .Opening(1000m)
            .Credit("2021-04-10", 500m)   // 1500
            .Debit("2021-05-15", 200m)    // 1300
            .Debit("2021-06-20", 100m)    // 1200
            .Build());

        Assert.Equal(new Coverage(new(2021, 4, 10), new(2021, 6, 20)), analysis.Coverage);
        Assert.Equal(["2021-04", "2021-05", "2021-06"], analysis.Monthly.Select(m => m.Month.ToString()));
        Assert.Equal([false, true, false], analysis.Monthly.Select(m => m.Complete));
    }

    [Fact]
    public void Coverage_is_narrowed_to_the_declared_period_when_transactions_spill_over()
    {
        // Declared 2021-04-15..2021-06-10, transactions 2021-04-01..2021-06-30:
        // from = max(04-15, 04-01) = 04-15; to = min(06-10, 06-30) = 06-10.
        var analysis = CashflowAnalyzer.Analyze(new AccountBuilder()
            .Statement("2021-04-15", "2021-06-10")
            .Opening(1000m)
            .Credit("2021-04-01", 100m)
            .Debit("2021-06-30", 100m)
            .Build());

        Assert.Equal(new Coverage(new(2021, 4, 15), new(2021, 6, 10)), analysis.Coverage);
        Assert.Equal([false, true, false], analysis.Monthly.Select(m => m.Complete));
    }

    [Fact]
    public void Missing_statement_dates_are_ignored()
    {
        var analysis = CashflowAnalyzer.Analyze(new AccountBuilder()
            .Statement(null, null)
            .Credit("2021-04-03", 100m)
            .Debit("2021-04-28", 50m)
            .Build());

        Assert.Equal(new Coverage(new(2021, 4, 3), new(2021, 4, 28)), analysis.Coverage);
    }

    [Fact]
    public void Incomplete_first_and_last_months_are_in_the_series_but_not_in_the_figures()
    {
        // Opening 10000. April (from 04-20, incomplete): credit 1000 -> 11000, debit 300 -> 10700.
        // May (complete): credit 5000 -> 15700, debit 2000 -> 13700.
        // June (to 06-05, incomplete): credit 9000 -> 22700.
        var analysis = CashflowAnalyzer.Analyze(new AccountBuilder()
            .Opening(10_000m)
            .Credit("2021-04-20", 1000m)
            .Debit("2021-04-25", 300m)
            .Credit("2021-05-07", 5000m)
            .Debit("2021-05-20", 2000m)
            .Credit("2021-06-05", 9000m)
            .Build());

        Assert.Equal(
            [
                new MonthlyFigures(new(2021, 4), false, 1000m, 300m, 700m, 1, 1, 10_700m, 1000m, 20),
                new MonthlyFigures(new(2021, 5), true, 5000m, 2000m, 3000m, 1, 1, 13_700m, 5000m, 7),
                new MonthlyFigures(new(2021, 6), false, 9000m, 0m, 9000m, 1, 0, 22_700m, 9000m, 5),
            ],
            analysis.Monthly);
        // Only May counts: avg = median = 5000; surplus = (5000 - 2000) / 5000 = 0.6.
        Assert.Equal(5000m, analysis.Metrics.AvgMonthlyInflow);
        Assert.Equal(5000m, analysis.Metrics.MedianMonthlyInflow);
        Assert.Equal(0.6m, analysis.Metrics.SurplusRatio);
        Assert.True(analysis.InsufficientHistory);
    }

    [Fact]
    public void A_UTC_timestamp_late_in_the_evening_falls_on_the_next_IST_day()
    {
        // 2021-04-30T20:00:00Z + 05:30 = 2021-05-01T01:30 IST: the credit is May's, and April is not touched at all.
        var analysis = CashflowAnalyzer.Analyze(new AccountBuilder()
            .Opening(0m)
            .Credit("2021-04-30T20:00:00Z", 500m)
            .Debit("2021-05-31T12:00:00+05:30", 100m)
            .Build());

        Assert.Equal(new Coverage(new(2021, 5, 1), new(2021, 5, 31)), analysis.Coverage);
        var may = Assert.Single(analysis.Monthly);
        Assert.Equal((new CalendarMonth(2021, 5), true, 500m, 100m, 1), (may.Month, may.Complete, may.Inflow, may.Outflow, may.LargestCreditDay));
    }

    [Fact]
    public void A_timestamp_without_offset_is_taken_as_IST()
    {
        // "2021-04-30T23:30:00" read as IST stays on 04-30 (read as UTC it would be 05-01 05:00 IST).
        var analysis = CashflowAnalyzer.Analyze(new AccountBuilder()
            .Opening(0m)
            .Credit("2021-04-30T23:30:00", 500m)
            .Debit("2021-05-02", 100m)
            .Build());

        Assert.Equal(new DateOnly(2021, 4, 30), analysis.Coverage!.From);
        Assert.Equal(500m, analysis.Monthly[0].Inflow);
        Assert.Equal(new CalendarMonth(2021, 4), analysis.Monthly[0].Month);
    }

    [Fact]
    public void Reversal_counts_in_neither_inflow_nor_outflow_but_sets_the_closing_balance()
    {
        // May: credit 1000 (bal 1000), debit 300 (bal 700), reversal of that debit 300 (bank says bal 1000).
        // inflow 1000, outflow 300, 1 credit, 1 debit; the close of 05-31 is the reversal's 1000, because that is
        // what the account held: the reversal moved money even if the contract keeps it out of both flows.
        var analysis = CashflowAnalyzer.Analyze(new AccountBuilder()
            .Opening(0m)
            .Credit("2021-05-01T10:00:00+05:30", 1000m)
            .Debit("2021-05-10", 300m)
            .Reversal("2021-05-31", 300m, 1000m)
            .Build());

        var may = Assert.Single(analysis.Monthly);
        Assert.Equal(new MonthlyFigures(new(2021, 5), true, 1000m, 300m, 700m, 1, 1, 1000m, 1000m, 1), may);
        Assert.Equal(1000m, analysis.DailyBalances[new DateOnly(2021, 5, 31)]);
    }

    [Fact]
    public void An_account_without_transactions_has_no_coverage_and_empty_figures()
    {
        var analysis = CashflowAnalyzer.Analyze(new AccountBuilder().Statement("2021-04-01", "2021-06-30").Build());

        Assert.Null(analysis.Coverage);
        Assert.Empty(analysis.Monthly);
        Assert.Empty(analysis.Anomalies);
        Assert.Equal(0, analysis.DailyBalances.Count);
        Assert.True(analysis.InsufficientHistory);
        Assert.Equal(AccountMetrics.None, analysis.Metrics);
        Assert.Equal(StabilityTier.Unknown, analysis.Metrics.StabilityTier);
        Assert.All(analysis.ExplainAll(), e => Assert.NotEmpty(e.Narrative));
    }

    [Fact]
    public void A_declared_period_that_misses_every_transaction_gives_no_coverage()
    {
        // Declared 2021-07-01..2021-07-31, transactions in May: from = 07-01 > to = 05-20.
        var analysis = CashflowAnalyzer.Analyze(new AccountBuilder()
            .Statement("2021-07-01", "2021-07-31")
            .Credit("2021-05-10", 100m)
            .Debit("2021-05-20", 10m)
            .Build());

        Assert.Null(analysis.Coverage);
        Assert.Empty(analysis.Monthly);
    }
}
