using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Collections;
using InstalmentOutcome = Msme.Domain.Collections.InstalmentOutcome;

namespace Msme.Domain.Tests.Collections;

public sealed class LoanBookFiguresTests
{
    private static readonly DateOnly Jan5 = new(2026, 1, 5);

    [Fact]
    public void Dpd_distribution_counts_loans_outstanding_and_overdue_per_bucket_to_the_paisa()
    {
        var asOf = new DateOnly(2026, 4, 10);
        // A: April bounced, 5 days past due; three instalments left.
        var a = LoanBuilder.Loan(10_000m, 5, LoanBuilder.Schedule(10_000m, 5, Jan5, 6, (n, _) => n switch
        {
            4 => InstalmentOutcome.Bounced,
            > 4 => InstalmentOutcome.Pending,
            _ => InstalmentOutcome.Paid,
        })) with { LoanId = "A" };
        // B: February missed, March partly paid, April unpaid: 68 days past due.
        var b = LoanBuilder.Loan(12_345.67m, 1, [.. LoanBuilder.Schedule(12_345.67m, 1, new(2026, 1, 1), 6, (n, _) => n switch
        {
            1 => InstalmentOutcome.Paid,
            2 => InstalmentOutcome.Missed,
            3 => InstalmentOutcome.Partial,
            _ => InstalmentOutcome.Pending,
        }).Select(i => i.Number == 3 ? i with { PaidAmount = 5_000m } : i)]) with { LoanId = "B" };
        // C: paid to date, April not due yet.
        var c = LoanBuilder.Loan(7_500.50m, 15, LoanBuilder.Schedule(7_500.50m, 15, new(2026, 1, 15), 6, (n, _) => n <= 3 ? InstalmentOutcome.Paid : InstalmentOutcome.Pending)) with { LoanId = "C" };
        // D: fully paid in March; E: disbursed after the date. Neither is on the book.
        var d = LoanBuilder.Loan(1_000m, 5, LoanBuilder.Schedule(1_000m, 5, Jan5, 3, (_, _) => InstalmentOutcome.Paid)) with { LoanId = "D" };
        var e = LoanBuilder.Loan(2_000m, 5, LoanBuilder.Schedule(2_000m, 5, new(2026, 6, 5), 3, (_, _) => InstalmentOutcome.Pending)) with { LoanId = "E", StartDate = new(2026, 5, 1) };

        var dist = DpdDistribution.Build([a, b, c, d, e], asOf);

        Assert.Equal(
            [
                new DpdBucketTotal(DpdBucket.Current, 1, 22_501.50m, 0m),
                new DpdBucketTotal(DpdBucket.Dpd1To30, 1, 30_000.00m, 10_000.00m),
                new DpdBucketTotal(DpdBucket.Dpd31To60, 0, 0m, 0m),
                new DpdBucketTotal(DpdBucket.Dpd61To90, 1, 56_728.35m, 32_037.01m),
                new DpdBucketTotal(DpdBucket.Dpd90Plus, 0, 0m, 0m),
            ],
            dist.Buckets);
        Assert.Equal((3, 2, 109_229.85m, 42_037.01m), (dist.Loans, dist.LoansOffBook, dist.Outstanding, dist.Overdue));
        Assert.Contains(dist.Explanation.Inputs, i => i.Label.StartsWith("loans left out", StringComparison.Ordinal) && i.Value == "2");
        Assert.Equal("3", dist.Explanation.Result);
    }

    [Fact]
    public void Roll_rates_follow_each_loan_from_one_month_end_to_the_next()
    {
        var asOf = new DateOnly(2026, 4, 10);
        InstalmentOutcome PaidExcept(int n, int bounced) => n == bounced ? InstalmentOutcome.Bounced : n <= 3 ? InstalmentOutcome.Paid : InstalmentOutcome.Pending;
        var l1 = LoanBuilder.Loan(10_000m, 5, LoanBuilder.Schedule(10_000m, 5, Jan5, 6, (n, _) => PaidExcept(n, 0))) with { LoanId = "L1" };
        var l2 = LoanBuilder.Loan(10_000m, 5, LoanBuilder.Schedule(10_000m, 5, Jan5, 6, (n, _) => PaidExcept(n, 2))) with { LoanId = "L2" };
        var l3 = LoanBuilder.Loan(10_000m, 5, LoanBuilder.Schedule(10_000m, 5, Jan5, 6, (n, _) => PaidExcept(n, 1))) with { LoanId = "L3" };
        // L4: January returned, then re-presented and debited on 10 February: 1-30 at January's end, cured by February's.
        var l4Schedule = LoanBuilder.Schedule(10_000m, 5, Jan5, 6, (n, _) => PaidExcept(n, 0));
        l4Schedule[0] = l4Schedule[0] with
        {
            Attempts = [new LoanAttempt(Jan5, true, true, 10_000m, null, "C1"), new LoanAttempt(new(2026, 2, 10), true, false, 10_000m, "D1", null)],
        };
        var l4 = LoanBuilder.Loan(10_000m, 5, l4Schedule) with { LoanId = "L4" };

        var rolls = RollRates.Build([l1, l2, l3, l4], asOf, months: 2);

        Assert.Equal(new DateOnly(2026, 3, 31), rolls.LatestMonthEnd);
        Assert.Equal([new DateOnly(2026, 2, 28), new DateOnly(2026, 3, 31)], rolls.Months.Select(m => m.MonthEnd));
        var feb = rolls.Months[0].Buckets;
        Assert.Equal(new BucketRoll(DpdBucket.Current, 2, 1, 1, 0), feb[0]);
        Assert.Equal(new BucketRoll(DpdBucket.Dpd1To30, 2, 1, 0, 1), feb[1]);
        Assert.Equal((0.5m, (decimal?)null), (feb[0].RollRate, feb[0].CureRate));
        Assert.Equal((0.5m, (decimal?)0.5m), (feb[1].RollRate, feb[1].CureRate));
        Assert.Null(feb[2].RollRate);
        var mar = rolls.Months[1].Buckets;
        Assert.Equal(new decimal?[] { 0m, 1m, 1m, null, null }, mar.Select(r => r.RollRate));
        Assert.Equal([2, 1, 1, 0, 0], mar.Select(r => r.Loans));

        Assert.Equal(25, rolls.Matrix.Count);
        Assert.Equal(
            [
                new BucketTransition(DpdBucket.Current, DpdBucket.Current, 2, 80_000.00m),
                new BucketTransition(DpdBucket.Dpd1To30, DpdBucket.Dpd31To60, 1, 50_000.00m),
                new BucketTransition(DpdBucket.Dpd31To60, DpdBucket.Dpd61To90, 1, 50_000.00m),
            ],
            rolls.Matrix.Where(c => c.Loans > 0));
        Assert.Equal("4", rolls.Explanation.Result);
    }

    [Fact]
    public void A_90_plus_loan_that_stays_has_no_roll_rate_and_a_zero_cure_rate()
    {
        var loan = LoanBuilder.Loan(5_000m, 5, LoanBuilder.Schedule(5_000m, 5, new(2025, 10, 5), 9, (_, _) => InstalmentOutcome.Missed));

        var march = RollRates.Build([loan], new DateOnly(2026, 4, 1), months: 1).Months.Single().Buckets;

        Assert.Equal(new BucketRoll(DpdBucket.Dpd90Plus, 1, 0, 1, 0), march[4]);
        Assert.Null(march[4].RollRate);
        Assert.Equal(0m, march[4].CureRate);
    }

    [Fact]
    public void Collection_efficiency_sums_what_the_statement_shows_collected_against_what_fell_due()
    {
        var account = new StatementBuilder(80_000m).Period(new(2026, 1, 1), new(2026, 4, 30))
            .Credit(new(2026, 1, 2), 50_000m)
            .Debit(new(2026, 1, 5), 10_000m, "ACH/BAJAJ FINANCE LTD/UMRN1")                    // LN1 #1 paid
            .Debit(new(2026, 2, 6), 590m, "ACH RTN CHRG/BAJAJ FINANCE LTD/UMRN1")              // LN1 #2 returned
            .Debit(new(2026, 3, 6), 4_000.50m, "MMT/IMPS/612345/EMI LN1/BAJAJ FINANCE LTD/HDFC0001") // LN1 #3 part paid by hand
            .Debit(new(2026, 3, 28), 5_000m, "ACH/TATA CAPITAL/UMRN2")                          // LN2 #1 paid
            .Debit(new(2026, 4, 5), 10_000.40m, "ACH/BAJAJ FINANCE LTD/UMRN1")                 // LN1 #4 paid, 40 paise over
            .Credit(new(2026, 4, 30), 20_000m)                                                 // the statement's coverage runs to its last line
            .Build();
        var ln1 = LoanBuilder.Loan(10_000m, 5, LoanBuilder.Schedule(10_000m, 5, Jan5, 5, (n, _) => n switch
        {
            2 => InstalmentOutcome.Bounced,
            3 => InstalmentOutcome.Partial,
            5 => InstalmentOutcome.Pending,
            _ => InstalmentOutcome.Paid,
        }));
        // LN2's April instalment is presented on the 28th: its window runs to 1 May, past the statement's end.
        var ln2 = LoanBuilder.Loan(5_000m, 28, LoanBuilder.Schedule(5_000m, 28, new(2026, 3, 28), 2, (_, _) => InstalmentOutcome.Paid))
            with { LoanId = "LN2", Lender = "TATA CAPITAL", MandateRef = "UMRN2" };
        var noAccount = LoanBuilder.Loan(3_000m, 5, LoanBuilder.Schedule(3_000m, 5, Jan5, 3, (_, _) => InstalmentOutcome.Paid)) with { LoanId = "LN3" };

        var eff = CollectionEfficiency.Build([(ln1, account), (ln2, account), (noAccount, null)], new DateOnly(2026, 5, 1));

        Assert.Equal(
            [
                new EfficiencyMonth(new CalendarMonth(2026, 1), 1, 1, 10_000.00m, 10_000.00m),
                new EfficiencyMonth(new CalendarMonth(2026, 2), 1, 0, 10_000.00m, 0.00m),
                new EfficiencyMonth(new CalendarMonth(2026, 3), 2, 1, 15_000.00m, 9_000.50m),
                new EfficiencyMonth(new CalendarMonth(2026, 4), 1, 1, 10_000.00m, 10_000.00m),
            ],
            eff.Months);
        Assert.Equal(new decimal?[] { 1m, 0m, 0.600033m, 1m }, eff.Months.Select(m => m.AmountEfficiency));
        Assert.Equal(new decimal?[] { 1m, 0m, 0.5m, 1m }, eff.Months.Select(m => m.CountEfficiency));
        Assert.Equal((1, 1), (eff.Unobserved, eff.LoansWithoutAccount));

        var lastTwo = CollectionEfficiency.Build([(ln1, account), (ln2, account)], new DateOnly(2026, 5, 1), months: 2);
        Assert.Equal([new CalendarMonth(2026, 3), new CalendarMonth(2026, 4)], lastTwo.Months.Select(m => m.Month));
    }

    [Fact]
    public void Instalments_not_yet_due_on_the_date_do_not_count_as_uncollected()
    {
        var account = new StatementBuilder(50_000m).Period(new(2026, 1, 1), new(2026, 3, 31))
            .Credit(new(2026, 1, 1), 5_000m)
            .Debit(new(2026, 1, 5), 10_000m, "ACH/BAJAJ FINANCE LTD/UMRN1")
            .Credit(new(2026, 3, 31), 5_000m)
            .Build();
        var loan = LoanBuilder.Loan(10_000m, 5, LoanBuilder.Schedule(10_000m, 5, Jan5, 3, (n, _) => n == 1 ? InstalmentOutcome.Paid : InstalmentOutcome.Pending));

        var eff = CollectionEfficiency.Build([(loan, account)], new DateOnly(2026, 1, 20));

        var only = Assert.Single(eff.Months);
        Assert.Equal((1, 10_000m, (decimal?)1m), (only.Instalments, only.Collected, only.AmountEfficiency));
    }
}
