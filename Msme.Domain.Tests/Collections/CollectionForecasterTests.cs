using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Collections;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Collections;

public sealed class CollectionForecasterTests
{
    /// <summary>These tests pin model 1's documented formula (hand-set adjustments), kept as the backtest's baseline; the fitted model has its own tests.</summary>
    private static readonly ForecastOptions ModelOne = ForecastOptions.Default with { Model = null };

    /// <summary>Twelve months (2025-01..2025-12) of one pattern, the statement ending the day before asOf.</summary>
    internal static DepositAccount Monthly(DateOnly asOf, decimal opening, Action<StatementBuilder, int, int> month, int months = 12)
    {
        var b = new StatementBuilder(opening);
        var first = new DateOnly(asOf.Year, asOf.Month, 1).AddMonths(-months);
        // Zero-amount lines on the first and last day make coverage span whole months (the contract's coverage
        // ends at the earlier of the declared end and the last transaction).
        b.Credit(first, 0m, "OPENING");
        for (var k = 0; k < months; k++)
        {
            var m = first.AddMonths(k);
            month(b, m.Year, m.Month);
        }
        b.Add(TxnType.Credit, asOf.AddDays(-1), 0m, "CLOSING", hour: 23);
        b.Period(first, asOf.AddDays(-1));
        var account = b.Build();
        return account with { Transactions = [.. account.Transactions.Where(t => t.Date < asOf)] };
    }

    private static Loan NewLoan(decimal emi, int dueDay, DateOnly firstDue) =>
        LoanBuilder.Loan(emi, dueDay, LoanBuilder.Schedule(emi, dueDay, firstDue, 3, (_, _) => InstalmentOutcome.Pending));

    [Fact]
    public void Always_covered_account_is_likely_near_the_top()
    {
        var asOf = new DateOnly(2026, 1, 1);
        var account = Monthly(asOf, 200_000m, (b, y, m) => b
            .Credit(new(y, m, 7), 100_000m).Debit(new(y, m, 12), 40_000m).Debit(new(y, m, 22), 60_000m));
        var analysis = CashflowAnalyzer.Analyze(account);
        var u = CollectionForecaster.Forecast(NewLoan(10_000m, 5, new(2026, 1, 5)), analysis, account, asOf, ModelOne)!;

        Assert.Equal(12, u.HistoryMonths);
        Assert.Equal(12, u.DueDateEstimate.MonthsCovered);
        Assert.Equal(13.0 / 14.0, u.DueDateEstimate.BaseProbability, 10);
        Assert.Equal(13.0 / 14.0, u.DueDateProbability, 10); // no presentments, flat inflow: no adjustment
        Assert.Equal(CollectionStatus.Likely, u.Status);
        Assert.Equal(ForecastConfidence.High, u.Confidence);
        Assert.Equal(200_000m, u.ExpectedBalanceOnDueDate);
        Assert.Contains("balance covered ₹10000.00 on day 5 in 12 of 12 complete months: base (12+1)/(12+2) = 0.93", u.Reasons);
        Assert.Contains("typical credit day 7", u.Reasons);
        Assert.Contains("income CV 0.00 (High stability)", u.Reasons);
    }

    [Fact]
    public void Money_on_the_10th_and_due_on_the_5th_moves_the_window_to_the_10th()
    {
        var asOf = new DateOnly(2026, 1, 1);
        var account = Monthly(asOf, 0m, (b, y, m) => b
            .Credit(new(y, m, 10), 50_000m).Debit(new(y, m, 15), 15_000m).Debit(new(y, m, 20), 15_000m)
            .Debit(new(y, m, 25), 15_000m).Debit(new(y, m, 28), 5_000m));
        var analysis = CashflowAnalyzer.Analyze(account);
        var u = CollectionForecaster.Forecast(NewLoan(20_000m, 5, new(2026, 1, 5)), analysis, account, asOf, new ForecastOptions(WindowAfter: 6) { Model = null })!;

        Assert.Equal(0, u.DueDateEstimate.MonthsCovered);
        Assert.Equal(1.0 / 14.0, u.DueDateProbability, 10);
        Assert.Equal(CollectionStatus.HighRisk, u.Status);
        Assert.Equal(0m, u.ExpectedBalanceOnDueDate);
        var w = u.Window!;
        Assert.Equal((new DateOnly(2026, 1, 10), new DateOnly(2026, 1, 11)), (w.From, w.To));
        Assert.Equal(12, w.MonthsCovered);
        Assert.Equal(13.0 / 14.0, w.Probability, 10);
        Assert.Equal(50_000m, w.ExpectedBalance);
        Assert.Contains("typical credit day 10", u.Reasons);
    }

    [Fact]
    public void Month_end_due_day_in_february_samples_month_ends_and_the_window_crosses_into_march()
    {
        var asOf = new DateOnly(2026, 2, 20);
        // Money lands on the 1st and is spent by the 20th: month ends are dry, the first days of a month are flush.
        var account = Monthly(asOf, 5_000m, (b, y, m) => b
            .Credit(new(y, m, 1), 60_000m).Debit(new(y, m, 4), 20_000m).Debit(new(y, m, 20), 40_000m));
        var analysis = CashflowAnalyzer.Analyze(account);
        var loan = NewLoan(25_000m, 31, new(2026, 2, 28));
        Assert.Equal(new DateOnly(2026, 2, 28), loan.Instalments[0].DueDate);

        var u = CollectionForecaster.Forecast(loan, analysis, account, asOf, ModelOne)!;

        Assert.Equal(new DateOnly(2026, 2, 28), u.DueDate);
        Assert.Equal(0, u.DueDateEstimate.MonthsCovered); // every month's last day: 5,000 left
        Assert.Equal(5_000m, u.ExpectedBalanceOnDueDate);
        var w = u.Window!;
        Assert.Equal((new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 3)), (w.From, w.To));
        Assert.Equal(12, w.MonthsCovered);
        Assert.Contains(u.Reasons, r => r.StartsWith("balance covered ₹25000.00 on the month's last day in 0 of 12", StringComparison.Ordinal));
    }

    [Fact]
    public void The_loans_own_emi_debits_are_added_back_when_sampling_later_days()
    {
        var asOf = new DateOnly(2026, 1, 1);
        var account = Monthly(asOf, 30_000m, (b, y, m) => b
            .Debit(new(y, m, 5), 20_000m, "ACH/BAJAJ FINANCE LTD/UMRN1").Credit(new(y, m, 20), 20_000m));
        var analysis = CashflowAnalyzer.Analyze(account);
        var u = CollectionForecaster.Forecast(NewLoan(20_000m, 9, new(2026, 1, 9)), analysis, account, asOf, ModelOne)!;
        // Closing balance on the 9th is 10,000, but presenting on the 9th instead of the 5th would have found 30,000.
        Assert.Equal(12, u.DueDateEstimate.MonthsCovered);
        Assert.Equal(30_000m, u.ExpectedBalanceOnDueDate);
    }

    [Fact]
    public void Recent_bounces_and_falling_inflow_lower_the_probability_and_say_by_how_much()
    {
        var asOf = new DateOnly(2026, 1, 1);
        var account = Monthly(asOf, 100_000m, (b, y, m) => b
            .Credit(new(y, m, 7), m >= 10 ? 50_000m : 100_000m).Debit(new(y, m, 25), m >= 10 ? 50_000m : 100_000m));
        var analysis = CashflowAnalyzer.Analyze(account);
        var schedule = LoanBuilder.Schedule(10_000m, 5, new(2025, 7, 5), 7, (n, _) => n == 7 ? InstalmentOutcome.Pending : n % 2 == 0 ? InstalmentOutcome.Bounced : InstalmentOutcome.Paid);
        var loan = LoanBuilder.Loan(10_000m, 5, schedule);
        var u = CollectionForecaster.Forecast(loan, analysis, account, asOf, ModelOne)!;

        Assert.Equal((6, 3), (u.Adjustments.RecentPresentments, u.Adjustments.RecentBounces));
        Assert.Equal(Math.Log(150_000.0 / 300_000.0), u.Adjustments.TrendLogOdds, 10); // Oct-Dec vs Jul-Sep
        // Statement ends 2025-12-31, 5 days before the due date: the latest balance does not count.
        Assert.Equal(0, PresentmentModelOf(u));
        var expected = PresentmentModel.Sigmoid(PresentmentModel.Logit((12 + 3 + 1) / 20.0) + Math.Log(0.5));
        Assert.Equal(expected, u.DueDateProbability, 10);
        Assert.Contains("3 bounces in the last 6 presentments: pooled with the months (12+3+1)/(12+6+2) = 0.80", u.Reasons);
        Assert.Contains(u.Reasons, r => r.StartsWith("inflow last 3 months ₹150000.00 vs prior 3 ₹300000.00 (-50.0%)", StringComparison.Ordinal));
    }

    private static int PresentmentModelOf(UpcomingCollection u) =>
        u.Reasons.Count(r => r.Contains("log-odds", StringComparison.Ordinal) && r.StartsWith("latest balance", StringComparison.Ordinal));

    [Fact]
    public void Latest_balance_just_before_the_due_date_moves_the_probability()
    {
        var asOf = new DateOnly(2026, 1, 3);
        var account = Monthly(asOf, 50_000m, (b, y, m) => b.Credit(new(y, m, 7), 30_000m).Debit(new(y, m, 22), 30_000m));
        var analysis = CashflowAnalyzer.Analyze(account);
        var loan = NewLoan(10_000m, 5, new(2026, 1, 5));
        var u = CollectionForecaster.Forecast(loan, analysis, account, asOf, ModelOne)!;
        Assert.Equal(new DateOnly(2026, 1, 2), u.Adjustments.LastStatementDay);
        Assert.Equal(50_000m, u.Adjustments.LatestBalance);
        Assert.Equal(ForecastOptions.Ceiling, u.DueDateProbability, 10); // sigmoid(logit(13/14) + 1.5) = 0.983, bounded
        Assert.Contains("latest balance ₹50000.00 on 2026-01-02 covers ₹10000.00: log-odds +1.50", u.Reasons);

        var short_ = CollectionForecaster.Forecast(NewLoan(60_000m, 5, new(2026, 1, 5)), analysis, account, asOf, ModelOne)!;
        Assert.Contains("latest balance ₹50000.00 on 2026-01-02 is short of ₹60000.00: log-odds -2.00", short_.Reasons);
    }

    [Fact]
    public void Paid_and_overdue_instalments_get_their_own_status()
    {
        var asOf = new DateOnly(2026, 1, 10);
        var account = Monthly(asOf, 200_000m, (b, y, m) => b.Credit(new(y, m, 7), 10_000m).Debit(new(y, m, 22), 10_000m));
        var analysis = CashflowAnalyzer.Analyze(account);
        var loan = LoanBuilder.Loan(10_000m, 5, LoanBuilder.Schedule(10_000m, 5, new(2025, 12, 5), 3, (n, _) => n switch
        {
            1 => InstalmentOutcome.Bounced,
            2 => InstalmentOutcome.Paid,
            _ => InstalmentOutcome.Pending,
        }));
        var all = CollectionForecaster.ForecastAll(loan, analysis, account, asOf, ModelOne);
        Assert.Equal([CollectionStatus.Overdue, CollectionStatus.Likely], all.Select(u => u.Status));
        Assert.Equal([1, 3], all.Select(u => u.InstalmentNumber)); // Jan 5 is paid and before asOf: not in the queue
        Assert.Contains(all[0].Reasons, r => r.Contains("36 days before 2026-01-10", StringComparison.Ordinal));
        Assert.Equal(1, CollectionForecaster.Forecast(loan, analysis, account, asOf, ModelOne)!.InstalmentNumber);
    }
}
