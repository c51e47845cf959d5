using Msme.Domain.Analytics;
using Msme.Domain.Analytics.Patterns;
using Msme.Domain.DemoData;

namespace Msme.Domain.Tests.Analytics.Insights;

public class EmiDetectorTests
{
    [Fact]
    public void An_ach_return_charge_naming_the_lender_is_matched_to_that_lenders_series()
    {
        // Bajaj presents 12,500 on the 5th; Jan–Apr paid, May returned and charged 590 the same evening.
        var b = new StatementBuilder();
        foreach (var m in new[] { "01", "02", "03", "04" })
            b.Debit($"2024-{m}-05", 12_500m, "ACH/BAJAJ FINANCE LTD/HDFC1234567890123456", time: "06:00");
        b.Debit("2024-05-05", 590m, "ACH RTN CHRG/BAJAJ FINANCE LTD/HDFC1234567890123456", time: "20:00");

        var report = EmiDetector.Detect(b.Classified());

        var series = Assert.Single(report.Series);
        Assert.Equal(("BAJAJ FINANCE LTD", 12_500m, 5, 4), (series.Lender, series.Emi, series.DueDay, series.MonthsPaid.Count));
        var bounce = Assert.Single(series.Bounces);
        Assert.Equal(("lender", new DateOnly(2024, 5, 5), 590m), (bounce.MatchedBy, bounce.PresentmentDate!.Value, bounce.Amount));
        Assert.Empty(report.UnmatchedBounces);
    }

    [Fact]
    public void A_nach_return_charge_without_the_lender_is_matched_by_its_mandate_reference()
    {
        // The charge names only the UMRN; TATA's debits carry it, ICICI's (same due day) do not.
        var b = new StatementBuilder();
        foreach (var m in new[] { "01", "02", "03" })
        {
            b.Debit($"2024-{m}-10", 8_000m, "NACH-DR-TATA CAPITAL LTD-UTIB1234567890123456", time: "06:00");
            b.Debit($"2024-{m}-10", 20_000m, "NACH-DR-ICICI BANK LTD-ICIC9999999999999999", time: "06:30");
        }
        b.Debit("2024-04-11", 590m, "NACH RETURN CHARGES/UTIB1234567890123456 INCL GST");

        var report = EmiDetector.Detect(b.Classified());

        var tata = Assert.Single(report.Series, s => s.Lender == "TATA CAPITAL LTD");
        var bounce = Assert.Single(tata.Bounces);
        Assert.Equal(("mandate", new DateOnly(2024, 4, 10)), (bounce.MatchedBy, bounce.PresentmentDate!.Value));
        Assert.Empty(report.Series.Single(s => s.Lender == "ICICI BANK LTD").Bounces);
    }

    [Fact]
    public void An_anonymous_return_charge_is_matched_by_due_day_within_3_days_and_otherwise_left_unmatched()
    {
        // Series due on the 5th. "RETURN CHARGES" on the 7th: |7 − 5| = 2 ≤ 3, matched. On the 20th: 15 days, unmatched.
        // A charge naming a lender with no series here stays unmatched even on the due day: guessing would blame Bajaj.
        var b = new StatementBuilder();
        foreach (var m in new[] { "01", "02", "03" })
            b.Debit($"2024-{m}-05", 12_500m, "ACH/BAJAJ FINANCE LTD/HDFC1234567890123456");
        b.Debit("2024-04-07", 295m, "RETURN CHARGES");
        b.Debit("2024-04-20", 295m, "RETURN CHARGES");
        b.Debit("2024-04-05", 590m, "ACH RTN CHRG/FLEXILOANS/YESB1111111111111111");

        var report = EmiDetector.Detect(b.Classified());

        var bounce = Assert.Single(Assert.Single(report.Series).Bounces);
        Assert.Equal(("due-day", new DateOnly(2024, 4, 7)), (bounce.MatchedBy, bounce.Date));
        Assert.Equal([new DateOnly(2024, 4, 5), new DateOnly(2024, 4, 20)], report.UnmatchedBounces.Select(u => u.Date));
        Assert.Equal(3, report.BounceCount);
    }

    [Fact]
    public void Demo_bounce_charges_are_matched_to_the_loan_that_bounced()
    {
        // The generator knows which loan each charge belongs to (DemoAttempt.ChargeTxnId). Every charge whose loan has
        // a series here (≥ 2 paid months) must be matched to that loan's lender.
        int checkedCharges = 0, matched = 0;
        foreach (var customer in DemoGenerator.Generate(new DemoOptions(new DateOnly(2025, 3, 31), Customers: 60, Months: 12, Seed: 7)))
        {
            var insights = AccountInsights.Build(customer.Accounts[0]);
            foreach (var loan in customer.Loans)
            {
                var series = insights.Emi.Series.FirstOrDefault(s => s.Lender == loan.Lender && Math.Abs(s.Emi - loan.Emi) <= loan.Emi * 0.1m);
                if (series is null) continue;
                foreach (var attempt in loan.Instalments.SelectMany(i => i.Attempts).Where(a => a.ChargeTxnId is not null))
                {
                    checkedCharges++;
                    var all = insights.Emi.Series.SelectMany(s => s.Bounces).Concat(insights.Emi.UnmatchedBounces);
                    var bounce = Assert.Single(all, x => x.ChargeTxnId == attempt.ChargeTxnId);
                    if (bounce.Lender == loan.Lender) matched++;
                }
            }
        }
        Assert.True(checkedCharges >= 5, $"only {checkedCharges} charges to check");
        Assert.Equal(checkedCharges, matched);
    }
}
