using Msme.Domain.Collections;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Collections;

public sealed class FollowUpsTests
{
    private static readonly DateOnly Today = new(2026, 5, 20);

    // EMI ₹10,000 due on the 5th: Jan–Mar paid, Apr bounced, May pending (due before today, so overdue).
    private static Loan Book() => LoanBuilder.Loan(10_000m, 5, LoanBuilder.Schedule(10_000m, 5, new DateOnly(2026, 1, 5), 6,
        (n, _) => n <= 3 ? InstalmentOutcome.Paid : n == 4 ? InstalmentOutcome.Bounced : InstalmentOutcome.Pending));

    private static DepositAccount Statement(Action<StatementBuilder>? extra = null)
    {
        var s = new StatementBuilder(50_000m).Period(new(2026, 1, 1), Today.AddDays(-1))
            .Credit(new(2026, 5, 12), 40_000m, "NEFT-SALES");
        extra?.Invoke(s);
        return s.Build();
    }

    private static ContactRecord Promise(long id, DateOnly day, DateOnly ptp, decimal amount = 10_000m, string? loan = "LN1") =>
        new(id, day, loan, true, ptp, amount, null);

    [Fact]
    public void A_promise_whose_date_passed_without_a_payment_is_broken_with_the_evidence()
    {
        var f = Assert.Single(FollowUps.Due([Promise(1, new(2026, 5, 14), new(2026, 5, 17))], [Book()], [Statement()], Today));

        Assert.Equal(FollowUpKind.BrokenPromise, f.Kind);
        Assert.Equal(new DateOnly(2026, 5, 17), f.Date);
        Assert.Equal("LN1", f.LoanId);
        Assert.Equal("promise of 2026-05-14: ₹10000.00 by 2026-05-17 on LN1", f.Reasons[0]);
        Assert.Contains(f.Reasons, r => r.StartsWith("PTP date 2026-05-17 has passed (3 days before 2026-05-20)", StringComparison.Ordinal));
        Assert.Contains(f.Reasons, r => r.StartsWith("no payment of ≥ ₹10000.00 to the loan within 2026-05-14..2026-05-17", StringComparison.Ordinal));
    }

    [Fact]
    public void A_promise_kept_by_a_payment_to_the_loan_in_its_span_is_no_follow_up()
    {
        var paid = Statement(s => s.Debit(new(2026, 5, 16), 10_000m, "ACH/BAJAJ FINANCE LTD/UMRN1"));

        Assert.Empty(FollowUps.Due([Promise(1, new(2026, 5, 14), new(2026, 5, 17))], [Book()], [paid], Today));
    }

    [Fact]
    public void A_part_payment_below_the_promised_amount_leaves_the_promise_broken()
    {
        var part = Statement(s => s.Debit(new(2026, 5, 16), 4_000m, "UPI/BAJAJ FINANCE LTD/LN1"));

        var f = Assert.Single(FollowUps.Due([Promise(1, new(2026, 5, 14), new(2026, 5, 17))], [Book()], [part], Today));
        Assert.Equal(FollowUpKind.BrokenPromise, f.Kind);
    }

    [Fact]
    public void A_promise_due_today_and_not_yet_kept_is_due_today_and_a_later_promise_replaces_an_earlier_one()
    {
        var f = Assert.Single(FollowUps.Due([Promise(1, new(2026, 5, 10), new(2026, 5, 15)), Promise(2, new(2026, 5, 16), Today)], [Book()], [Statement()], Today));

        Assert.Equal(FollowUpKind.PromiseDueToday, f.Kind);
        Assert.Equal(2, f.ContactId);
        Assert.Contains(f.Reasons, r => r == "PTP date 2026-05-20 is 0 days away");
    }

    [Fact]
    public void Promises_ahead_and_promises_broken_longer_ago_than_the_lookback_are_not_follow_ups()
    {
        Assert.Empty(FollowUps.Due([Promise(1, Today, Today.AddDays(2))], [Book()], [Statement()], Today));
        var old = Today.AddDays(-FollowUps.BrokenLookbackDays - 1);
        Assert.Empty(FollowUps.Due([Promise(1, old.AddDays(-2), old)], [Book()], [Statement()], Today));
        var edge = Today.AddDays(-FollowUps.BrokenLookbackDays);
        Assert.Equal(FollowUpKind.BrokenPromise, Assert.Single(FollowUps.Due([Promise(1, edge.AddDays(-2), edge)], [Book()], [Statement()], Today)).Kind);
    }

    [Fact]
    public void A_callback_is_due_on_its_day_stays_due_when_missed_and_is_answered_by_any_later_contact()
    {
        ContactRecord Callback(long id, DateOnly day, DateOnly next) => new(id, day, null, false, null, null, next);

        var due = Assert.Single(FollowUps.Due([Callback(1, new(2026, 5, 17), Today)], [Book()], [Statement()], Today));
        Assert.Equal(FollowUpKind.CallbackDue, due.Kind);
        Assert.Equal("contact of 2026-05-17 asked for a follow-up today (2026-05-20)", due.Reasons[0]);

        var missed = Assert.Single(FollowUps.Due([Callback(1, new(2026, 5, 12), new(2026, 5, 18))], [Book()], [Statement()], Today));
        Assert.Equal("contact of 2026-05-12 asked for a follow-up on 2026-05-18: 2 day(s) late", missed.Reasons[0]);

        Assert.Empty(FollowUps.Due([Callback(1, new(2026, 5, 17), Today.AddDays(1))], [Book()], [Statement()], Today));
        // Called again the next day (not reachable): the earlier follow-up is answered; the new contact set none.
        Assert.Empty(FollowUps.Due([Callback(1, new(2026, 5, 12), new(2026, 5, 18)), new(2, new(2026, 5, 19), null, false, null, null, null)], [Book()], [Statement()], Today));
    }
}

public sealed class CollectionSummaryTests
{
    private static readonly DateOnly AsOf = new(2026, 5, 1);

    [Fact]
    public void Summary_counts_presentments_bounces_on_time_collected_and_overdue_from_the_book_and_the_statement()
    {
        // #1 paid on the due date; #2 bounced then paid by re-presentment 4 days late; #3 bounced, unpaid; #4 partial ₹4,000; #5 due after as-of.
        var loan = LoanBuilder.Loan(10_000m, 5,
            new LoanInstalment(1, new(2026, 1, 5), new(2026, 1, 5), 10_000m, InstalmentOutcome.Paid, 10_000m),
            new LoanInstalment(2, new(2026, 2, 5), new(2026, 2, 5), 10_000m, InstalmentOutcome.Paid, 10_000m)
            {
                Attempts = [new(new(2026, 2, 5), true, true, 10_000m, null, null), new(new(2026, 2, 9), true, false, 10_000m, null, null)],
            },
            new LoanInstalment(3, new(2026, 3, 5), new(2026, 3, 5), 10_000m, InstalmentOutcome.Bounced, 0m),
            new LoanInstalment(4, new(2026, 4, 5), new(2026, 4, 5), 10_000m, InstalmentOutcome.Partial, 4_000m),
            new LoanInstalment(5, new(2026, 5, 5), null, 10_000m, InstalmentOutcome.Pending, 0m));
        var account = new StatementBuilder(80_000m).Period(new(2026, 1, 1), new(2026, 4, 30))
            .Debit(new(2026, 1, 5), 10_000m, "ACH/BAJAJ FINANCE LTD/UMRN1")
            .Debit(new(2026, 2, 6), 590m, "ACH RTN CHRG/BAJAJ FINANCE LTD/UMRN1")
            .Debit(new(2026, 2, 9), 10_000m, "ACH/BAJAJ FINANCE LTD/UMRN1")
            .Debit(new(2026, 4, 6), 4_000m, "UPI/BAJAJ FINANCE LTD/LN1")
            .Build();

        var s = CollectionSummaries.ForLoan(loan, LoanReconciler.Reconcile(loan, account), AsOf);

        Assert.Equal(4, s.InstalmentsDue);
        Assert.Equal(5, s.Presentments);           // #1, #2 twice, #3, #4
        Assert.Equal(3, s.Bounces);                // #2's first, #3, #4
        Assert.Equal(0.6m, s.BounceRate);
        Assert.Equal(1, s.OnTime);                 // only #1 was paid by its due date
        Assert.Equal(0.25m, s.OnTimeRate);
        Assert.Equal(40_000m, s.Due);
        Assert.Equal(24_000m, s.Collected);
        Assert.Equal(16_000m, s.Overdue);          // #3 in full, #4's remaining ₹6,000
        Assert.Equal(24_000m, s.BankDebited);
        Assert.Equal("4 instalment(s) due before 2026-05-01, ₹40000.00; the book records ₹24000.00 paid, ₹16000.00 overdue", s.Reasons[0]);
        Assert.Equal("1 of 4 paid in full by the due date (25%)", s.Reasons[2].Replace(" %", "%", StringComparison.Ordinal));
    }

    [Fact]
    public void Total_adds_the_loans_and_keeps_statement_figures_to_the_loans_that_have_one()
    {
        var a = LoanBuilder.Loan(10_000m, 5, LoanBuilder.Schedule(10_000m, 5, new DateOnly(2026, 1, 5), 6, (n, _) => n <= 4 ? InstalmentOutcome.Paid : InstalmentOutcome.Pending));
        var b = LoanBuilder.Loan(5_000m, 10, LoanBuilder.Schedule(5_000m, 10, new DateOnly(2026, 2, 10), 6, (n, _) => n == 2 ? InstalmentOutcome.Bounced : InstalmentOutcome.Paid)) with { LoanId = "LN2" };
        var statement = new StatementBuilder(100_000m).Period(new(2026, 1, 1), new(2026, 4, 30))
            .Debit(new(2026, 1, 5), 10_000m, "ACH/BAJAJ FINANCE LTD/UMRN1").Debit(new(2026, 2, 5), 10_000m, "ACH/BAJAJ FINANCE LTD/UMRN1")
            .Debit(new(2026, 3, 5), 10_000m, "ACH/BAJAJ FINANCE LTD/UMRN1").Debit(new(2026, 4, 5), 10_000m, "ACH/BAJAJ FINANCE LTD/UMRN1").Build();

        var summary = CollectionSummaries.Build([(a, LoanReconciler.Reconcile(a, statement)), (b, null)], AsOf);

        Assert.Equal(["LN1", "LN2"], summary.Loans.Select(l => l.LoanId));
        var t = summary.Total;
        Assert.Equal(CollectionSummaries.AllLoans, t.LoanId);
        Assert.Equal(4 + 3, t.InstalmentsDue);
        Assert.Equal(1, t.Bounces);
        Assert.Equal(40_000m + 10_000m, t.Collected);
        Assert.Equal(5_000m, t.Overdue);
        Assert.Equal(6, t.OnTime);
        Assert.Equal(Math.Round(6m / 7, 4), t.OnTimeRate);
        Assert.Equal(40_000m, t.BankDebited);      // LN2 has no statement: not counted as ₹0 debited
        Assert.Null(summary.Loans[1].BankDebited);
        Assert.Equal("no statement for the repayment account: the book's figures only", summary.Loans[1].Reasons[^1]);
    }

    [Fact]
    public void Unresolved_anomalies_count_new_events_and_open_escalations_only()
    {
        Assert.Null(RiskSignals.UnresolvedAnomalies(new AnomalyReviewTally(0, 3, 2, 0, 1)));
        var s = RiskSignals.UnresolvedAnomalies(new AnomalyReviewTally(New: 2, Acknowledged: 3, Dismissed: 4, EscalatedOpen: 1, EscalatedDone: 1))!;
        Assert.Equal(RiskSignalKind.UnresolvedAnomalies, s.Kind);
        Assert.Equal("3 unresolved anomalies: 2 not reviewed yet, 1 escalated and still open", s.Reasons[0]);
        Assert.Equal("11 anomaly events on the customer's data: 3 acknowledged, 4 dismissed, 1 escalated and done (resolved)", s.Reasons[1]);
    }
}
