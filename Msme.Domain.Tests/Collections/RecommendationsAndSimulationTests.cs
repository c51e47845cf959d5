using System.Text.RegularExpressions;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Collections;
using Msme.Domain.Ingestion;
using Xunit.Abstractions;

namespace Msme.Domain.Tests.Collections;

public sealed partial class RecommendationsAndSimulationTests(CollectionsPortfolio portfolio, ITestOutputHelper output) : IClassFixture<CollectionsPortfolio>
{
    /// <summary>These tests pin model 1's documented formula (hand-set adjustments), kept as the backtest's baseline; the fitted model has its own tests.</summary>
    private static readonly ForecastOptions ModelOne = ForecastOptions.Default with { Model = null };

    private static readonly DateOnly AsOf = new(2026, 1, 1);

    [GeneratedRegex(@"\d")]
    private static partial Regex Digit();

    private static (DepositAccount Account, AccountAnalysis Analysis) TenthOfMonthAccount()
    {
        var account = CollectionForecasterTests.Monthly(AsOf, 0m, (b, y, m) => b
            .Credit(new(y, m, 10), 50_000m).Debit(new(y, m, 15), 15_000m).Debit(new(y, m, 20), 15_000m)
            .Debit(new(y, m, 25), 15_000m).Debit(new(y, m, 28), 5_000m));
        return (account, CashflowAnalyzer.Analyze(account));
    }

    private static Loan Loan(decimal emi, int dueDay, Mandate mandate = Mandate.ENach) =>
        LoanBuilder.Loan(emi, dueDay, LoanBuilder.Schedule(emi, dueDay, new(2026, 1, dueDay), 3, (_, _) => InstalmentOutcome.Pending)) with { Mandate = mandate };

    [Fact]
    public void Money_on_the_10th_recommends_shifting_to_the_10th_and_a_link_before_the_credit_day()
    {
        var (account, analysis) = TenthOfMonthAccount();
        var loan = Loan(20_000m, 5);
        var u = CollectionForecaster.Forecast(loan, analysis, account, AsOf, new ForecastOptions(WindowAfter: 6) { Model = null })!;
        var recs = Recommender.Recommend(u, loan, analysis, Delinquency.Compute(loan, AsOf));

        var shift = Assert.Single(recs, r => r.Action == RecommendedAction.ShiftPresentment);
        Assert.Equal(new DateOnly(2026, 1, 10), shift.Date);
        Assert.Equal(13.0 / 14 - 1.0 / 14, shift.ExpectedEffect, 10);
        Assert.Contains("present on 2026-01-10 (day 10) instead of 2026-01-05: probability 0.93 vs 0.07 (+0.86)", shift.Reasons);
        var link = Assert.Single(recs, r => r.Action == RecommendedAction.UpiLinkBeforeCreditDay);
        Assert.Equal(new DateOnly(2026, 1, 9), link.Date);
        Assert.Contains(recs, r => r.Action == RecommendedAction.Call);
        Assert.DoesNotContain(recs, r => r.Action == RecommendedAction.PresentOnDueDate);
        // No canned sentence: every reason quotes a number.
        Assert.All(recs.SelectMany(r => r.Reasons), reason => Assert.Matches(Digit(), reason));
    }

    [Fact]
    public void Contact_effects_are_labelled_assumed_until_thirty_outcomes_and_then_read_the_measured_effect()
    {
        var (account, analysis) = TenthOfMonthAccount();
        var loan = Loan(20_000m, 5);
        var u = CollectionForecaster.Forecast(loan, analysis, account, AsOf, new ForecastOptions(WindowAfter: 6) { Model = null })!;
        var history = Delinquency.Compute(loan, AsOf);

        var assumed = Recommender.Recommend(u, loan, analysis, history);
        var call = Assert.Single(assumed, r => r.Action == RecommendedAction.Call);
        Assert.Equal(Recommender.CallEffect, call.ExpectedEffect);
        Assert.False(call.Measured);
        Assert.Equal(0, call.Outcomes);
        Assert.Contains(call.Reasons, r => r.EndsWith("effect +0.05, assumed until 30 outcomes are logged (0 so far)", StringComparison.Ordinal));

        var logged = Enumerable.Range(0, 40).Select(k => new Msme.Domain.Collections.Actions.ActionOutcome(Msme.Domain.Collections.Actions.ActionKind.Call, AsOf.AddDays(-k), k < 20))
            .Concat(Enumerable.Range(0, 30).Select(k => new Msme.Domain.Collections.Actions.ActionOutcome(Msme.Domain.Collections.Actions.ActionKind.UpiLink, AsOf.AddDays(-k), k < 27)))
            .ToList();
        var effects = Msme.Domain.Collections.Actions.ActionEffects.Measure(logged, 30, 100);
        var measured = Recommender.Recommend(u, loan, analysis, history, effects);
        var measuredCall = Assert.Single(measured, r => r.Action == RecommendedAction.Call);
        Assert.Equal(0.5 - 0.3, measuredCall.ExpectedEffect, 10);
        Assert.True(measuredCall.Measured);
        Assert.Equal(40, measuredCall.Outcomes);
        Assert.Contains(measuredCall.Reasons, r => r.EndsWith("effect +0.20, measured over 40 outcomes: 20 paid within 7 days (0.50) vs 30 of 100 without an action (0.30)", StringComparison.Ordinal));
        var link = Assert.Single(measured, r => r.Action == RecommendedAction.UpiLinkBeforeCreditDay);
        Assert.Equal(0.9 - 0.3, link.ExpectedEffect, 10);
        Assert.True(link.Measured);
    }

    [Fact]
    public void The_upi_link_is_never_recommended_for_a_day_already_past()
    {
        var (account, analysis) = TenthOfMonthAccount();
        var loan = Loan(20_000m, 20, Mandate.None);
        // Due on the 20th: a fortnight before is the 5th, the next credit day the 10th, so the link "should" go on the 9th;
        // as of the 12th that day is gone, and the link goes today instead.
        var asOf = new DateOnly(AsOf.Year, AsOf.Month, 12);
        var u = CollectionForecaster.Forecast(loan, analysis, account, asOf, new ForecastOptions(WindowAfter: 6) { Model = null })!;

        var link = Recommender.Recommend(u, loan, analysis, Delinquency.Compute(loan, asOf)).Single(r => r.Action == RecommendedAction.UpiLinkBeforeCreditDay);

        Assert.Equal(asOf, link.Date);
    }

    [Fact]
    public void Covered_account_is_presented_on_the_due_date_and_nothing_else()
    {
        var account = CollectionForecasterTests.Monthly(AsOf, 200_000m, (b, y, m) => b.Credit(new(y, m, 7), 100_000m).Debit(new(y, m, 22), 100_000m));
        var analysis = CashflowAnalyzer.Analyze(account);
        var loan = Loan(10_000m, 5);
        var u = CollectionForecaster.Forecast(loan, analysis, account, AsOf, ModelOne)!;
        var rec = Assert.Single(Recommender.Recommend(u, loan, analysis, Delinquency.Compute(loan, AsOf)));
        Assert.Equal(RecommendedAction.PresentOnDueDate, rec.Action);
        Assert.Contains("due-date probability 0.93 on 2026-01-05 ≥ 0.60", rec.Reasons);
    }

    [Fact]
    public void Deep_delinquency_and_an_unaffordable_emi_go_to_field_visit_and_restructuring()
    {
        var (account, analysis) = TenthOfMonthAccount();
        var loan = LoanBuilder.Loan(40_000m, 5, LoanBuilder.Schedule(40_000m, 5, new(2025, 9, 5), 6, (n, _) => n <= 4 ? InstalmentOutcome.Bounced : InstalmentOutcome.Pending));
        var history = Delinquency.Compute(loan, AsOf);
        Assert.Equal(118, history.Dpd);
        var u = CollectionForecaster.Forecast(loan, analysis, account, AsOf, ModelOne)!;
        var recs = Recommender.Recommend(u, loan, analysis, history);
        Assert.Contains(recs, r => r.Action == RecommendedAction.FieldVisit && r.Reasons.Contains("DPD 118 > 30 (bucket 90+)"));
        var restructure = Assert.Single(recs, r => r.Action == RecommendedAction.ReferForRestructuring);
        Assert.Contains("DPD 118 > 60, ₹160000.00 overdue", restructure.Reasons);
        Assert.Contains(restructure.Reasons, r => r.StartsWith("EMI ₹40000.00 is 80", StringComparison.Ordinal));
    }

    [Fact]
    public void Risk_signals_quote_their_numbers()
    {
        var account = CollectionForecasterTests.Monthly(AsOf, 100_000m, (b, y, m) =>
        {
            var late = m >= 10;
            // Late months: less comes in and more goes out at once, so the balance drains and swings.
            b.Credit(new(y, m, 7), late ? 60_000m : 100_000m).Debit(new(y, m, 8), late ? 95_000m : 10_000m).Debit(new(y, m, 25), late ? 5_000m : 90_000m);
        });
        var analysis = CashflowAnalyzer.Analyze(account);
        var loan = LoanBuilder.Loan(10_000m, 5, LoanBuilder.Schedule(10_000m, 5, new(2025, 1, 5), 12, (n, _) => n >= 10 ? InstalmentOutcome.Bounced : InstalmentOutcome.Paid));
        var signals = RiskSignals.Detect(analysis, [loan], AsOf, unresolvedAnomalies: 2);
        var kinds = signals.Select(s => s.Kind).ToList();
        Assert.Equal([RiskSignalKind.FallingInflowTrend, RiskSignalKind.BalanceVolatilityUp, RiskSignalKind.RisingBounceRate, RiskSignalKind.UnresolvedAnomalies], kinds);
        Assert.Contains("inflow 2025-10..2025-12 ₹180000.00 vs 2025-07..2025-09 ₹300000.00 (-40.0%)", signals[0].Reasons);
        Assert.Contains("3 bounces in the last 6 presentments vs 0 in the 6 before", signals[2].Reasons);
        Assert.Contains("2 unresolved anomalies on the account", signals[3].Reasons);
        Assert.All(signals.SelectMany(s => s.Reasons), r => Assert.Matches(Digit(), r));
    }

    [Fact]
    public void What_if_backtests_the_chosen_day_against_the_due_date()
    {
        var (account, analysis) = TenthOfMonthAccount();
        var loan = Loan(20_000m, 5);
        var r = WhatIf.Simulate(loan, account, analysis, 10, PresentmentChannel.ENach, AsOf, ModelOne);
        Assert.Equal((12, 0, 12), (r.MonthsCollected, r.DueDateMonthsCollected, r.Months));
        Assert.Equal(new DateOnly(2026, 1, 10), r.Date);
        Assert.Equal(13.0 / 14, r.Probability, 10);
        Assert.Equal(Math.Round((decimal)(13.0 / 14) * 20_000m, 2), r.ExpectedAmount);
        Assert.Contains("presenting on day 10 would have collected 12 of 12 complete months; the due date (day 5) 0 of 12", r.Reasons);

        var link = WhatIf.Simulate(loan, account, analysis, 10, PresentmentChannel.UpiLink, AsOf, ModelOne);
        Assert.Equal(13.0 / 14 * 0.5, link.Probability, 10);
    }

    [Fact]
    public void Portfolio_simulation_reports_efficiency_by_bucket()
    {
        // The day after the demo window: the book's October instalments are still PENDING.
        var asOf = new DateOnly(2026, 10, 1);
        var items = portfolio.Loans.Select(x => (x.Loan, x.Account, CashflowAnalyzer.Analyze(x.Account))).ToList();
        var result = PortfolioSimulation.Run(items, asOf);
        foreach (var b in result.Buckets)
            output.WriteLine($"bucket {Delinquency.Name(b.Bucket)}: {b.Instalments} instalments, ₹{b.Due:N0} due, efficiency due date {b.EfficiencyDueDate:P1}, recommended {b.EfficiencyRecommended:P1}");
        output.WriteLine($"total: {result.Total.Instalments} instalments, due date {result.Total.EfficiencyDueDate:P1}, recommended {result.Total.EfficiencyRecommended:P1}");
        Assert.True(result.Total.Instalments > 10);
        Assert.True(result.Total.ExpectedRecommended >= result.Total.ExpectedDueDate);
        Assert.InRange(result.Total.EfficiencyDueDate, 0.02, 0.98);
    }
}
