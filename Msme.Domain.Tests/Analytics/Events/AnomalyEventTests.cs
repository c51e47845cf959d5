using System.Globalization;
using Msme.Domain.Analytics;
using Msme.Domain.Analytics.Anomalies;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Ingestion;
using Msme.Domain.Tests.Analytics.Insights;

namespace Msme.Domain.Tests.Analytics.Events;

public class AnomalyEventTests
{
    private static readonly int[] Noise = [0, 3, -2, 1, -3, 2, -1, 0, 2, -2, 1, -1, 3, -3, 0, 1, -1, 2, -2, 0, 1, -1, 2, 0];

    /// <summary>
    /// A shop from 2025-06 to 2026-11 (18 months, Diwali 2025-10-20 and 2026-11-08 inside): three UPI receipts a day
    /// of about ₹1,000 × the month's factor (±3% month to month), and a supplier paid every third day 85% of it.
    /// <paramref name="extra"/> adds the lines a test plants.
    /// </summary>
    private static DepositAccount Shop(Func<CalendarMonth, decimal> factor, Action<StatementBuilder>? extra = null)
    {
        var b = new StatementBuilder("XXXXXXXX7788").Opening(500_000m).Period("2025-06-01", "2026-11-30");
        for (var day = new DateOnly(2025, 6, 1); day <= new DateOnly(2026, 11, 30); day = day.AddDays(1))
        {
            var month = CalendarMonth.Of(day);
            var i = (month.Year - 2025) * 12 + month.Month - 6;
            var f = factor(month) * (1m + Noise[i] / 100m);
            var date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            for (var k = 0; k < 3; k++)
                b.Credit(date, Math.Round((900m + 100m * ((day.Day + k * 7) % 3)) * f, 2), $"UPI/{day.DayNumber}{k}/CUSTOMER{(day.Day * 3 + k) % 40}/PAYMENT", time: $"{10 + k}:00");
            if (day.Day % 3 == 0) b.Debit(date, Math.Round(7_650m * f, 2), $"NEFT DR-HDFC0001234-SHREE WHOLESALE {day.Day % 4}-NETBANK, MUM-N{day.DayNumber}-GOODS", time: "18:00");
        }
        extra?.Invoke(b);
        return Reorder(b.Build());
    }

    /// <summary>Planted lines were added after the daily ones: put every line back in time order with running balances.</summary>
    private static DepositAccount Reorder(DepositAccount account)
    {
        var ordered = account.Transactions.OrderBy(t => t.Timestamp).ThenBy(t => t.Position).ToList();
        var balance = 500_000m;
        var lines = new Transaction[ordered.Count];
        for (var i = 0; i < ordered.Count; i++)
        {
            balance += ordered[i].Type == TxnType.Credit ? ordered[i].Amount : -ordered[i].Amount;
            lines[i] = ordered[i] with { Balance = balance, Position = i, TxnId = $"T{i + 1}" };
        }
        return account with { Transactions = lines };
    }

    private static decimal Festive(CalendarMonth m) => m == IndianCalendar.FestiveMonth(m.Year) ? 1.45m : 1m;

    private static AnomalyReport Report(DepositAccount account) => AccountInsights.Build(account).Anomalies;

    [Fact]
    public void The_calendar_aligns_a_moved_Diwali_on_last_years_festival_month()
    {
        // Diwali 2025-10-20 and 2026-11-08 (DoPT lists): this November's twin is last October, and this October,
        // whose calendar twin last year held Diwali, has none.
        Assert.Equal(new CalendarMonth(2025, 10), IndianCalendar.SeasonalTwin(new CalendarMonth(2026, 11), out var aligned, out var note));
        Assert.True(aligned);
        Assert.Contains("Diwali moved from 2025-10-20 to 2026-11-08", note, StringComparison.Ordinal);
        Assert.Equal(new CalendarMonth(2025, 9), IndianCalendar.SeasonalTwin(new CalendarMonth(2026, 10), out _, out _));
        Assert.Equal(new CalendarMonth(2025, 3), IndianCalendar.SeasonalTwin(new CalendarMonth(2026, 3), out _, out _));
        // 2024's Diwali fell on 31 October; a Diwali on the 1st-5th would carry its trade in the month before.
        Assert.Equal(new CalendarMonth(2024, 10), IndianCalendar.FestiveMonth(2024));
        Assert.Null(IndianCalendar.FestiveMonth(2030));
    }

    [Fact]
    public void A_moved_festival_raises_no_event()
    {
        // Festive uplift 45% in October 2025 and in November 2026, each Diwali's month.
        var report = Report(Shop(Festive));

        // The aligned seasonal baseline compares November 2026 with October 2025: no seasonal-residual finding there.
        Assert.DoesNotContain(report.Findings, f => f.Detector == SeasonalResidualDetector.Name && f.Month == new CalendarMonth(2026, 11));
        // And October 2026 (last year's festive month, not this year's) is no drop.
        Assert.DoesNotContain(report.Events, e => e.Month == new CalendarMonth(2026, 10));
        Assert.DoesNotContain(report.Events, e => e.Month == new CalendarMonth(2026, 11) || e.Month == new CalendarMonth(2025, 10));
        // Whatever the contract's robust-z says of the festive months is explained by the calendar, not raised.
        foreach (var e in report.Explained)
        {
            Assert.Equal(Severity.Low, e.Severity);
            Assert.Contains("Diwali", e.ExplainedBy, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_same_month_flagged_by_two_detectors_is_one_event()
    {
        // March 2026 trades 3×: robust-z and seasonal-residual both flag its inflow (and its outflow, which follows).
        var report = Report(Shop(m => m == new CalendarMonth(2026, 4) ? 3m : Festive(m)));

        var month = report.Findings.Where(f => f.Month == new CalendarMonth(2026, 4) && f.Date is null).ToList();
        Assert.Contains(month, f => f.Detector == "robust-z" && f.Subject == "inflow");
        Assert.Contains(month, f => f.Detector == SeasonalResidualDetector.Name && f.Subject == "inflow");
        var e = Assert.Single(report.Events, e => e.Month == new CalendarMonth(2026, 4));
        Assert.Equal(("2026-04", "inflow-spike"), (e.Period, e.KindName));
        Assert.Equal(["robust-z", "seasonal-residual"], e.Detectors);
        Assert.Equal(month.Count, e.Findings.Count);
        // Two months' takings out of line (the month's inflow 3× its usual): High, and the explanation says why.
        Assert.Equal(Severity.High, e.Severity);
        Assert.Contains("≥ 1", e.Explanation.Narrative, StringComparison.Ordinal);
    }

    [Fact]
    public void A_credit_passed_straight_through_is_one_event()
    {
        // ₹8 lakh in on 2026-07-10 from one party, ₹7.9 lakh out on 2026-07-13 to another (about 9 months' takings of
        // ₹90,000): txn-spike flags both lines, robust-z and seasonal-residual the month's inflow and outflow.
        var report = Report(Shop(Festive, b => b
            .Credit("2026-07-10", 800_000m, "RTGS/UTIB0000001/KAVERI TRADERS/ADVANCE", time: "11:00")
            .Debit("2026-07-13", 790_000m, "RTGS DR-SBIN0000002-NARMADA METALS PVT LTD-R2026-PURCHASE", time: "11:00")));

        var e = Assert.Single(report.Events, e => e.Month == new CalendarMonth(2026, 7));
        Assert.Equal("inflow-spike", e.KindName);
        Assert.Contains(TxnSpikeDetector.Name, e.Detectors);
        Assert.Contains(e.Findings, f => f.Detector == TxnSpikeDetector.Name && f.Value == 800_000m);
        Assert.Contains(e.Findings, f => f.Detector == TxnSpikeDetector.Name && f.Value == 790_000m);
        Assert.Contains(e.Findings, f => f.Subject == "outflow");
        Assert.Equal(Severity.High, e.Severity);
        Assert.Contains("went out again in the same month", e.Explanation.Narrative, StringComparison.Ordinal);
    }

    [Fact]
    public void The_three_crore_spike_is_one_High_event_at_the_top()
    {
        var report = Report(Shop(Festive, b => b.Credit("2026-05-18", 30_900_000m, "RTGS/HDFC0000003/SALE OF PROPERTY", time: "12:30")));

        var e = Assert.Single(report.Events, e => e.Month == new CalendarMonth(2026, 5));
        Assert.Equal(Severity.High, e.Severity);
        Assert.Equal("inflow-spike", e.KindName);
        Assert.Contains(e.Findings, f => f.Detector == TxnSpikeDetector.Name && f.Value == 30_900_000m);
        Assert.True(e.Amount >= 30_000_000m, $"amount {e.Amount}");
        // It is the only High event of the account, and the largest.
        Assert.Equal(e, report.Events.Where(x => x.Severity == Severity.High).MaxBy(x => x.Amount));
        Assert.Contains(e.Explanation.Inputs, i => i.Label == "size");
    }

    [Fact]
    public void Receipts_that_wrap_across_the_month_end_are_one_timing_shift_and_not_raised()
    {
        // A third of May 2026's receipts come in June (May × 0.7, June × 1.3): the two months together are as usual.
        // August 2026 trades at a third of its usual and September is as usual: a real drop, still raised.
        var report = Report(Shop(m => m == new CalendarMonth(2026, 5) ? 0.7m : m == new CalendarMonth(2026, 6) ? 1.3m : m == new CalendarMonth(2026, 8) ? 0.3m : Festive(m)));

        Assert.Contains(report.Findings, f => f.Month == new CalendarMonth(2026, 5) && f.Subject == "inflow" && f.Value < f.Expected);
        Assert.DoesNotContain(report.Events, e => e.Month == new CalendarMonth(2026, 5) || e.Month == new CalendarMonth(2026, 6));
        var shift = Assert.Single(report.Explained, e => e.Month == new CalendarMonth(2026, 5));
        Assert.Contains("timing shift across the month end", shift.ExplainedBy, StringComparison.Ordinal);
        Assert.Contains("2026-06", shift.ExplainedBy, StringComparison.Ordinal);
        Assert.Equal(Severity.Low, shift.Severity);
        var drop = Assert.Single(report.Events, e => e.Month == new CalendarMonth(2026, 8));
        Assert.Equal("inflow-drop", drop.KindName);
    }

    [Fact]
    public void A_lump_the_account_receives_most_months_is_its_own_cycle_not_an_event()
    {
        // A buyer pays a bill of about ₹1.1 lakh on the 10th of every month (more than the month's UPI takings): the
        // line recurs, so txn-spike's finding is explained. A ₹2.4 lakh one-off credit in a month without a lump is raised.
        var report = Report(Shop(Festive, b =>
        {
            for (var m = new DateOnly(2025, 6, 10); m <= new DateOnly(2026, 11, 10); m = m.AddMonths(1))
                b.Credit(m.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), 110_000m + 1_000m * m.Month, $"NEFT-SBINN{m.DayNumber}-KRISHNA PHARMA AND CO-BILL PAYMENT-BARB0634453", time: "13:00");
            b.Credit("2026-08-20", 240_000m, "RTGS/UTIB0000001/KAVERI TRADERS/ADVANCE", time: "11:00");
        }));

        Assert.Contains(report.Findings, f => f.Detector == TxnSpikeDetector.Name && f.Value < 200_000m);
        Assert.Empty(report.Events.Where(e => e.Findings.Any(f => f.Detector == TxnSpikeDetector.Name && f.Value < 200_000m) && e.Month != new CalendarMonth(2026, 8))
            .Select(e => $"{e.Period} {e.KindName} {string.Join(",", e.Detectors)} {e.Severity} {e.Amount} {e.Explanation.Narrative}"));
        Assert.Contains(report.Explained, e => e.ExplainedBy!.Contains("recurring line", StringComparison.Ordinal));
        Assert.Contains(report.Events, e => e.Findings.Any(f => f.Detector == TxnSpikeDetector.Name && f.Value == 240_000m));
    }

    [Fact]
    public void A_loan_disbursal_explains_its_spike_and_is_not_raised()
    {
        var report = Report(Shop(Festive, b => b.Credit("2026-08-05", 600_000m, "NEFT-ICICN26217000001-LENDINGKART FINANCE-LOAN DISB LN1234567890-ICIC0000001", time: "12:00")));

        Assert.DoesNotContain(report.Events, e => e.Month == new CalendarMonth(2026, 8));
        var explained = Assert.Single(report.Explained, e => e.Month == new CalendarMonth(2026, 8));
        Assert.Contains("loan disbursal", explained.ExplainedBy, StringComparison.Ordinal);
    }

    [Fact]
    public void Under_thirteen_months_the_explanations_say_there_are_no_seasonal_claims()
    {
        var account = Shop(m => m == new CalendarMonth(2026, 9) ? 3m : 1m);
        var short12 = account with
        {
            StartDate = new DateOnly(2025, 12, 1),
            Transactions = [.. account.Transactions.Where(t => t.Date >= new DateOnly(2025, 12, 1))],
        };
        var report = Report(short12);

        var e = Assert.Single(report.Events, e => e.Month == new CalendarMonth(2026, 9));
        Assert.Contains(e.Explanation.Inputs, i => i.Label == "season" && i.Value.Contains("no seasonal", StringComparison.Ordinal));
        var seasonal = Assert.Single(report.Findings, f => f.Detector == SeasonalResidualDetector.Name && f.Month == new CalendarMonth(2026, 9) && f.Subject == "inflow");
        Assert.Contains("no seasonal claims", seasonal.Explanation.Narrative, StringComparison.Ordinal);
    }
}
