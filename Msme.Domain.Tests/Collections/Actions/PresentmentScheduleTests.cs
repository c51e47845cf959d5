using Msme.Domain.Collections;
using Msme.Domain.Collections.Actions;

namespace Msme.Domain.Tests.Collections.Actions;

public class PresentmentScheduleTests
{
    private const string Code = "NACH00000000000001";
    private static readonly DateOnly AsOf = new(2026, 12, 7); // a Monday

    private static Loan LoanWith(LoanInstalment i, Mandate mandate = Mandate.ENach, string? umrn = "UMRN1") =>
        LoanBuilder.Loan(10_000m, i.DueDate.Day, i) with { Mandate = mandate, MandateRef = umrn };

    private static PresentmentCandidate Candidate(LoanInstalment i, double? p = 0.5, PresentmentWindow? w = null, double? cure = null, DateOnly? confirmed = null, Loan? loan = null) =>
        new(loan ?? LoanWith(i), i, "Shah Traders", Code, p, w, cure, confirmed);

    private static LoanInstalment Pending(DateOnly due) => new(3, due, null, 10_000m, InstalmentOutcome.Pending, 0);

    private static LoanInstalment Returned(DateOnly due, params DateOnly[] returns) =>
        new(3, due, returns[0], 10_000m, InstalmentOutcome.Bounced, 0)
        {
            Attempts = [.. returns.Select(d => new LoanAttempt(d, true, true, 10_000m, null, "C1"))],
        };

    [Fact]
    public void First_presentment_moves_to_the_window_when_it_gains_at_least_the_shift_threshold()
    {
        var due = new DateOnly(2026, 12, 10);
        var window = new PresentmentWindow(new DateOnly(2026, 12, 12), new DateOnly(2026, 12, 14), 0.81, 0.8, 9, 10, 20_000m);
        var s = PresentmentScheduler.Build([Candidate(Pending(due), 0.55, window)], AsOf, AsOf, AsOf.AddDays(14));

        var line = Assert.Single(s.Lines);
        Assert.Equal(new DateOnly(2026, 12, 12), line.Date);
        Assert.Equal(1, line.Sequence);
        Assert.Equal(0.81, line.Probability);
        Assert.Equal("LN1/3", line.Reference);
        Assert.Contains("recommended window 2026-12-12", line.Reason);
    }

    [Fact]
    public void First_presentment_stays_on_the_due_date_when_the_window_gains_too_little()
    {
        var due = new DateOnly(2026, 12, 10);
        var window = new PresentmentWindow(new DateOnly(2026, 12, 12), new DateOnly(2026, 12, 14), 0.60, 0.6, 6, 10, 20_000m);
        var line = Assert.Single(PresentmentScheduler.Build([Candidate(Pending(due), 0.55, window)], AsOf, AsOf, AsOf.AddDays(14)).Lines);
        Assert.Equal(due, line.Date);
        Assert.Equal(0.55, line.Probability);
    }

    [Fact]
    public void A_Sunday_moves_to_the_Monday()
    {
        var sunday = new DateOnly(2026, 12, 13);
        Assert.Equal(DayOfWeek.Sunday, sunday.DayOfWeek);
        var line = Assert.Single(PresentmentScheduler.Build([Candidate(Pending(sunday))], AsOf, AsOf, AsOf.AddDays(14)).Lines);
        Assert.Equal(new DateOnly(2026, 12, 14), line.Date);
    }

    [Fact]
    public void Re_presentment_waits_three_days_after_the_return_and_needs_a_confirmed_balance()
    {
        var due = new DateOnly(2026, 12, 5);
        var returned = Returned(due, new DateOnly(2026, 12, 5));

        var unconfirmed = PresentmentScheduler.Build([Candidate(returned, cure: 0.7)], AsOf, AsOf, AsOf.AddDays(14));
        Assert.Empty(unconfirmed.Lines);
        Assert.Contains("confirm the balance", Assert.Single(unconfirmed.Held).Reason);

        // A confirmation before the return does not count: the balance must be confirmed after it.
        var stale = PresentmentScheduler.Build([Candidate(returned, cure: 0.7, confirmed: new DateOnly(2026, 12, 4))], AsOf, AsOf, AsOf.AddDays(14));
        Assert.Empty(stale.Lines);

        var confirmed = PresentmentScheduler.Build([Candidate(returned, cure: 0.7, confirmed: new DateOnly(2026, 12, 6))], AsOf, AsOf, AsOf.AddDays(14));
        var line = Assert.Single(confirmed.Lines);
        Assert.Equal(new DateOnly(2026, 12, 8), line.Date); // 5th + 3 days
        Assert.Equal(2, line.Sequence);
        Assert.Equal("LN1/3/R1", line.Reference);
        Assert.Equal(0.7, line.Probability);
    }

    [Fact]
    public void Re_presentment_is_never_before_the_as_of_date()
    {
        var returned = Returned(new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 20));
        var line = Assert.Single(PresentmentScheduler.Build([Candidate(returned, cure: 0.4, confirmed: new DateOnly(2026, 11, 25))], AsOf, AsOf, AsOf.AddDays(14)).Lines);
        Assert.Equal(AsOf, line.Date);
    }

    [Fact]
    public void After_two_re_presentations_the_mandate_is_not_presented_again()
    {
        var i = Returned(new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 24), new DateOnly(2026, 11, 28));
        var s = PresentmentScheduler.Build([Candidate(i, cure: 0.9, confirmed: new DateOnly(2026, 12, 1))], AsOf, AsOf, AsOf.AddDays(14));
        Assert.Empty(s.Lines);
        Assert.Contains("re-presented 2 times", Assert.Single(s.Held).Reason);
    }

    [Fact]
    public void Second_re_presentment_is_sequence_three()
    {
        var i = Returned(new DateOnly(2026, 11, 28), new DateOnly(2026, 11, 28), new DateOnly(2026, 12, 3));
        var line = Assert.Single(PresentmentScheduler.Build([Candidate(i, cure: 0.5, confirmed: new DateOnly(2026, 12, 4))], AsOf, AsOf, AsOf.AddDays(14)).Lines);
        Assert.Equal(3, line.Sequence);
        Assert.Equal("LN1/3/R2", line.Reference);
        Assert.Equal(AsOf, line.Date); // 3rd + 3 = 6th, a Sunday, and before the as-of date anyway
    }

    [Fact]
    public void Partial_payment_presents_the_remainder_and_paid_instalments_are_left_out()
    {
        var partial = new LoanInstalment(3, new DateOnly(2026, 12, 10), null, 10_000m, InstalmentOutcome.Partial, 4_000m);
        var paid = new LoanInstalment(4, new DateOnly(2026, 12, 11), null, 10_000m, InstalmentOutcome.Paid, 10_000m);
        var s = PresentmentScheduler.Build([Candidate(partial), Candidate(paid)], AsOf, AsOf, AsOf.AddDays(14));
        Assert.Equal(6_000m, Assert.Single(s.Lines).Amount);
    }

    [Fact]
    public void Loans_without_mandate_or_reference_are_held_and_outside_the_period_left_out()
    {
        var due = new DateOnly(2026, 12, 10);
        var none = Candidate(Pending(due), loan: LoanWith(Pending(due), Mandate.None, null));
        var noRef = Candidate(Pending(due), loan: LoanWith(Pending(due), Mandate.ENach, null));
        var later = Candidate(Pending(new DateOnly(2027, 1, 10)));
        var s = PresentmentScheduler.Build([none, noRef, later], AsOf, AsOf, AsOf.AddDays(14));
        Assert.Empty(s.Lines);
        Assert.Equal(2, s.Held.Count);
        Assert.Contains(s.Held, h => h.Reason.StartsWith("no mandate", StringComparison.Ordinal));
        Assert.Contains(s.Held, h => h.Reason.Contains("no mandate reference", StringComparison.Ordinal));
    }

    [Fact]
    public void Expected_returns_count_an_unknown_probability_as_a_return()
    {
        var s = PresentmentScheduler.Build([Candidate(Pending(new DateOnly(2026, 12, 10)), 0.8), Candidate(Pending(new DateOnly(2026, 12, 11)) with { Number = 4 }, null)],
            AsOf, AsOf, AsOf.AddDays(14));
        Assert.Equal(2, s.Lines.Count);
        Assert.Equal(1.2, s.ExpectedReturns, 10);
        Assert.Equal(20_000m, s.Total);
    }

    [Fact]
    public void Bulk_debit_file_has_header_details_and_trailer_with_control_totals()
    {
        var s = PresentmentScheduler.Build([Candidate(Pending(new DateOnly(2026, 12, 10)), 0.8)], AsOf, AsOf, AsOf.AddDays(14));
        var header = new BulkDebitHeader("PB-7", Code, "DEMO SPONSOR BANK", new DateTimeOffset(2026, 12, 7, 4, 30, 0, TimeSpan.Zero));
        var file = BulkDebitFile.Write(header, [.. s.Lines, s.Lines[0] with { CustomerName = "=Shah, \"Traders\"", Amount = 1234.5m, Instalment = 4 }]);
        var rows = file.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, rows.Length);
        Assert.Equal("H,MSME-BULKDEBIT-1,PB-7,NACH00000000000001,DEMO SPONSOR BANK,2026-12-07T10:00:00+05:30,2,11234.50", rows[0]);
        Assert.Equal("D,1,UMRN1,E_NACH,2026-12-10,10000.00,LN1/3,1,Shah Traders,XXXX1234", rows[1]);
        Assert.Equal("D,2,UMRN1,E_NACH,2026-12-10,1234.50,LN1/4,1,\"'=Shah, \"\"Traders\"\"\",XXXX1234", rows[2]);
        Assert.Equal("T,2,11234.50", rows[3]);
    }

    [Fact]
    public void Bulk_debit_file_refuses_a_line_of_another_utility_code()
    {
        var s = PresentmentScheduler.Build([Candidate(Pending(new DateOnly(2026, 12, 10)))], AsOf, AsOf, AsOf.AddDays(14));
        var header = new BulkDebitHeader("PB-1", "NACH00000000000002", "X", DateTimeOffset.UnixEpoch);
        Assert.Throws<ArgumentException>(() => BulkDebitFile.Write(header, s.Lines));
    }
}
