using Msme.Domain.Collections;
using Msme.Domain.DemoData;
using InstalmentOutcome = Msme.Domain.Collections.InstalmentOutcome;

namespace Msme.Domain.Tests.Collections;

public sealed class ReconciliationAndDelinquencyTests
{
    private static readonly DateOnly Jan5 = new(2026, 1, 5);

    [Fact]
    public void Paid_debit_bounce_and_charge_are_matched_per_instalment()
    {
        var account = new StatementBuilder(50_000m).Period(new(2026, 1, 1), new(2026, 4, 30))
            .Debit(new(2026, 1, 6), 10_000m, "ACH/BAJAJ FINANCE LTD/UMRN1")            // #1 paid, a day after presentment
            .Debit(new(2026, 2, 6), 590m, "ACH RTN CHRG/BAJAJ FINANCE LTD/UMRN1")      // #2 bounced, charged next day
            .Debit(new(2026, 3, 5), 10_000.50m, "NACH-DR-BAJAJ FINANCE LTD-UMRN1")    // #3 book says BOUNCED: bank disagrees
            .Debit(new(2026, 4, 6), 295m, "NACH RETURN CHARGES/UMRN1 INCL GST")        // #4 book says PAID, bank: charge only
            .Debit(new(2026, 4, 7), 10_000m, "ACH/OTHER LENDER/UMRN9")                 // another lender: not ours
            .Build();
        var loan = LoanBuilder.Loan(10_000m, 5, LoanBuilder.Schedule(10_000m, 5, Jan5, 5, (n, _) => n switch
        {
            2 or 3 => InstalmentOutcome.Bounced,
            5 => InstalmentOutcome.Pending,
            _ => InstalmentOutcome.Paid,
        }));

        var r = LoanReconciler.Reconcile(loan, account);

        Assert.Equal(
            [ReconciliationStatus.Agrees, ReconciliationStatus.Agrees, ReconciliationStatus.BankShowsPaidBookSaysNot,
             ReconciliationStatus.BookSaysPaidBankShowsNone, ReconciliationStatus.OutsideStatement],
            r.Instalments.Select(i => i.Status));
        Assert.Equal(["T1"], r.Instalments[0].DebitTxnIds);
        Assert.Equal(["T2"], r.Instalments[1].ChargeTxnIds);
        Assert.Equal(["T3"], r.Instalments[2].DebitTxnIds);
        Assert.Equal(10_000.50m, r.Instalments[2].BankDebited);
        Assert.Contains(r.Instalments[2].Reasons, s => s.Contains("₹10000.50", StringComparison.Ordinal) && s.Contains("BOUNCED", StringComparison.Ordinal));
        Assert.Equal(["T4"], r.Instalments[3].ChargeTxnIds);
        Assert.Equal(2, r.Disagreements);
        Assert.Empty(r.UnassignedLines);
    }

    [Fact]
    public void Bounce_charge_without_a_book_bounce_is_flagged()
    {
        var account = new StatementBuilder(50_000m).Period(new(2026, 1, 1), new(2026, 1, 31))
            .Debit(new(2026, 1, 5), 10_000m, "ACH/BAJAJ FINANCE LTD/UMRN1")
            .Debit(new(2026, 1, 7), 590m, "ACH RTN CHRG/BAJAJ FINANCE LTD/UMRN1")
            .Build();
        var loan = LoanBuilder.Loan(10_000m, 5, LoanBuilder.Schedule(10_000m, 5, Jan5, 1, (_, _) => InstalmentOutcome.Paid));
        var i = Assert.Single(LoanReconciler.Reconcile(loan, account).Instalments);
        Assert.Equal(ReconciliationStatus.BounceChargeWithoutBookBounce, i.Status);
    }

    [Fact]
    public void Demo_loan_books_agree_with_their_statements()
    {
        var customers = DemoGenerator.Generate(new DemoOptions(new DateOnly(2026, 9, 30), Customers: 12, Months: 12, Seed: 11)).ToList();
        int agree = 0, other = 0;
        var problems = new List<string>();
        foreach (var (loan, account) in DemoLoanBook.Portfolio(customers))
        {
            var r = LoanReconciler.Reconcile(loan, account);
            foreach (var i in r.Instalments.Where(i => i.Status != ReconciliationStatus.OutsideStatement))
            {
                if (i.Status == ReconciliationStatus.Agrees) agree++;
                else { other++; problems.Add($"{loan.LoanId} #{i.Number} {i.Status}: {string.Join("; ", i.Reasons)}"); }
            }
        }
        Assert.True(agree > 50, $"only {agree} instalments compared");
        Assert.True(other == 0, string.Join(Environment.NewLine, problems.Take(10)));
    }

    [Fact]
    public void Dpd_counts_from_the_oldest_unpaid_due_instalment()
    {
        var loan = LoanBuilder.Loan(10_000m, 5, LoanBuilder.Schedule(10_000m, 5, Jan5, 6, (n, _) => n switch
        {
            1 => InstalmentOutcome.Paid,
            2 or 3 => InstalmentOutcome.Bounced,
            _ => InstalmentOutcome.Pending,
        }));
        var s = Delinquency.Compute(loan, new DateOnly(2026, 4, 10));
        Assert.Equal(64, s.Dpd); // 2026-02-05 .. 2026-04-10
        Assert.Equal(DpdBucket.Dpd61To90, s.Bucket);
        Assert.Equal(2, s.OldestUnpaid);
        Assert.Equal(3, s.UnpaidInstalments); // Feb, Mar, Apr (Apr 5 pending past due)
        Assert.Equal(30_000m, s.Overdue);
        Assert.Contains(s.Reasons, r => r.Contains("DPD 64", StringComparison.Ordinal));

        Assert.Equal(0, Delinquency.Compute(loan, new DateOnly(2026, 2, 5)).Dpd); // due that day: not yet past due
        Assert.Equal(DpdBucket.Dpd1To30, Delinquency.Compute(loan, new DateOnly(2026, 2, 6)).Bucket);
    }

    [Fact]
    public void Bucket_history_moves_month_end_by_month_end()
    {
        var loan = LoanBuilder.Loan(10_000m, 5, LoanBuilder.Schedule(10_000m, 5, Jan5, 6, (n, _) => n switch
        {
            1 => InstalmentOutcome.Paid,
            _ => InstalmentOutcome.Bounced,
        }));
        var moves = BucketHistory.Moves(loan, new DateOnly(2026, 1, 1), new DateOnly(2026, 6, 30));
        Assert.Equal(
            [DpdBucket.Current, DpdBucket.Dpd1To30, DpdBucket.Dpd31To60, DpdBucket.Dpd61To90, DpdBucket.Dpd90Plus, DpdBucket.Dpd90Plus],
            moves.Select(m => m.To));
        Assert.Equal([0, 23, 54, 84, 115, 145], moves.Select(m => m.Dpd));
        Assert.True(moves[1].Worse);
        Assert.False(moves[5].Worse);
    }

    [Fact]
    public void Paid_after_a_re_presentment_counts_as_paid_from_that_day()
    {
        var inst = new LoanInstalment(1, Jan5, Jan5, 10_000m, InstalmentOutcome.Paid, 10_000m)
        {
            Attempts = [new(Jan5, true, true, 10_000m, null, "C1"), new(new DateOnly(2026, 1, 14), true, false, 10_000m, "D1", null)],
        };
        var loan = LoanBuilder.Loan(10_000m, 5, inst);
        Assert.Equal(5, Delinquency.Compute(loan, new DateOnly(2026, 1, 10)).Dpd);
        Assert.Equal(0, Delinquency.Compute(loan, new DateOnly(2026, 1, 14)).Dpd);
    }
}
