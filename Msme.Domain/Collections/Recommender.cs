using System.Globalization;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Collections.Actions;

namespace Msme.Domain.Collections;

public enum RecommendedAction { PresentOnDueDate, ShiftPresentment, UpiLinkBeforeCreditDay, Reminder, Call, FieldVisit, ReferForRestructuring }

public enum CollectionChannel { Mandate, UpiLink, SmsWhatsApp, Call, FieldVisit, Restructuring }

/// <summary>One suggested action for an upcoming instalment.</summary>
/// <param name="Date">When to act (the presentment day for a shift, the send day for a link or reminder); null for no fixed day.</param>
/// <param name="ExpectedEffect">Change in collection probability the action is expected to make (measured from the statement where it can be, else the documented assumption).</param>
public sealed record Recommendation(RecommendedAction Action, CollectionChannel Channel, DateOnly? Date, double ExpectedEffect, IReadOnlyList<string> Reasons)
{
    /// <summary>Logged outcomes behind the effect of a contact action (reminder, call, field visit, UPI link); null for presentment and restructuring.</summary>
    public int? Outcomes { get; init; }

    /// <summary>Whether the effect is measured from at least 30 logged outcomes; false while it is the documented assumption.</summary>
    public bool Measured { get; init; }
}

/// <summary>Rules that turn a forecast, the loan's delinquency and the account's figures into actions (docs/smart-collect-model.md).</summary>
public static class Recommender
{
    /// <summary>Least gain in probability worth moving a presentment for.</summary>
    public const double MinShiftGain = 0.10;
    /// <summary>Share of customers assumed to pay a UPI link that reaches them the day before money lands (an assumption, not measured).</summary>
    public const double UpiLinkTakeUp = 0.5;
    /// <summary>Assumed effects of contact actions until outcomes are logged and measured.</summary>
    public const double ReminderEffect = 0.03, CallEffect = 0.05, FieldVisitEffect = 0.10;
    /// <summary>An EMI above this share of median monthly inflow is unaffordable on its face.</summary>
    public const decimal UnaffordableEmiShare = 0.5m;

    /// <param name="effects">Measured effects of contact actions; null or unmeasured: the documented assumptions, labelled "assumed".</param>
    public static IReadOnlyList<Recommendation> Recommend(UpcomingCollection upcoming, Loan loan, AccountAnalysis analysis, DelinquencyStatus history, ActionEffects? effects = null)
    {
        effects ??= ActionEffects.Assumed;
        ArgumentNullException.ThrowIfNull(upcoming);
        ArgumentNullException.ThrowIfNull(loan);
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(history);
        var list = new List<Recommendation>();
        if (upcoming.Status == CollectionStatus.Collected) return list;
        var p = upcoming.DueDateProbability;
        var dueText = $"due-date probability {F(p)} on {upcoming.DueDate:yyyy-MM-dd}";
        var w = upcoming.Window;
        var hasMandate = loan.Mandate != Mandate.None;
        var gain = w is null ? 0 : w.Probability - p;

        if (hasMandate && w is not null && gain >= MinShiftGain && w.From != upcoming.DueDate)
            list.Add(new(RecommendedAction.ShiftPresentment, CollectionChannel.Mandate, w.From, gain,
            [
                $"present on {w.From:yyyy-MM-dd} (day {w.From.Day}) instead of {upcoming.DueDate:yyyy-MM-dd}: probability {F(w.Probability)} vs {F(p)} ({Signed(gain)})",
                $"window {CollectionForecaster.Span(w)} was covered on every day in {w.MonthsCovered} of {w.Months} months; the due date in {upcoming.DueDateEstimate.MonthsCovered} of {upcoming.DueDateEstimate.Months}",
            ]));
        else if (hasMandate && p >= CollectionForecaster.ScheduledFrom && upcoming.Status != CollectionStatus.Overdue)
            list.Add(new(RecommendedAction.PresentOnDueDate, CollectionChannel.Mandate, upcoming.DueDate, 0,
            [
                $"{dueText} ≥ {F(CollectionForecaster.ScheduledFrom)}",
                w is null ? "no other allowed day left" : $"best window {CollectionForecaster.Span(w)} adds {Signed(gain)} (< {F(MinShiftGain)})",
            ]));

        var typical = analysis.Metrics.TypicalCreditDay;
        if (typical is { } day && (!hasMandate || p < CollectionForecaster.ScheduledFrom))
        {
            var (k, n) = CoverageOnDay(analysis, day, upcoming.Amount);
            var onCredit = (k + 1.0) / (n + 2.0);
            var measured = effects.For(ActionKind.UpiLink);
            var effect = measured.Measured ? measured.Effect : UpiLinkTakeUp * Math.Max(0, onCredit - p);
            // The day before the first typical credit day in the fortnight before the due date; today if that day has passed.
            var send = Max(NextDayOfMonth(upcoming.DueDate.AddDays(-15), day).AddDays(-1), history.AsOf);
            list.Add(new(RecommendedAction.UpiLinkBeforeCreditDay, CollectionChannel.UpiLink, send, effect,
            [
                $"typical credit day {day}: the balance covered ₹{M(upcoming.Amount)} on day {day} in {k} of {n} complete months ({F(onCredit)})",
                measured.Measured
                    ? $"send the link on {send:yyyy-MM-dd}; expected effect {Signed(effect)}, {measured.Basis}"
                    : $"send the link on {send:yyyy-MM-dd}; expected effect {UpiLinkTakeUp:0.0} take-up (assumed) × ({F(onCredit)} − {F(p)}) = {Signed(effect)}; {measured.Basis}",
                hasMandate ? dueText : "no mandate: the customer must pay by hand",
            ]) { Outcomes = measured.Outcomes, Measured = measured.Measured });
        }

        if (p is >= CollectionForecaster.AtRiskFrom and < CollectionForecaster.LikelyFrom || history.Dpd is > 0 and <= 30)
        {
            var e = effects.For(ActionKind.Reminder);
            list.Add(new(RecommendedAction.Reminder, CollectionChannel.SmsWhatsApp, Max(upcoming.DueDate.AddDays(-3), history.AsOf), e.Effect,
            [
                history.Dpd > 0 ? $"DPD {history.Dpd} (bucket {Delinquency.Name(history.Bucket)})" : $"{dueText} in [{F(CollectionForecaster.AtRiskFrom)}, {F(CollectionForecaster.LikelyFrom)})",
                $"SMS/WhatsApp 3 days before the due date; effect {Signed(e.Effect)}, {e.Basis}",
            ]) { Outcomes = e.Outcomes, Measured = e.Measured });
        }

        if (p < CollectionForecaster.AtRiskFrom || history.Dpd is > 0 and <= 60)
        {
            var e = effects.For(ActionKind.Call);
            list.Add(new(RecommendedAction.Call, CollectionChannel.Call, history.AsOf, e.Effect,
            [
                p < CollectionForecaster.AtRiskFrom ? $"{dueText} < {F(CollectionForecaster.AtRiskFrom)}" : $"DPD {history.Dpd}, ₹{M(history.Overdue)} overdue over {history.UnpaidInstalments} instalment(s)",
                $"{upcoming.Adjustments.RecentBounces} bounces in the last {upcoming.Adjustments.RecentPresentments} presentments; effect {Signed(e.Effect)}, {e.Basis}",
            ]) { Outcomes = e.Outcomes, Measured = e.Measured });
        }

        if (history.Dpd > 30 || (p < 0.20 && upcoming.Adjustments.RecentBounces >= 3))
        {
            var e = effects.For(ActionKind.FieldVisit);
            list.Add(new(RecommendedAction.FieldVisit, CollectionChannel.FieldVisit, history.AsOf, e.Effect,
            [
                history.Dpd > 30 ? $"DPD {history.Dpd} > 30 (bucket {Delinquency.Name(history.Bucket)})" : $"{dueText} < 0.20 and {upcoming.Adjustments.RecentBounces} bounces in the last {upcoming.Adjustments.RecentPresentments} presentments",
                $"effect {Signed(e.Effect)}, {e.Basis}",
            ]) { Outcomes = e.Outcomes, Measured = e.Measured });
        }

        var median = analysis.Metrics.MedianMonthlyInflow;
        var unaffordable = median is > 0 && upcoming.Amount > median.Value * UnaffordableEmiShare;
        var noDayWorks = upcoming.HistoryMonths >= 6 && (w?.Probability ?? p) < CollectionForecaster.AtRiskFrom;
        if (history.Dpd > 60 || unaffordable || noDayWorks)
        {
            var reasons = new List<string>();
            if (history.Dpd > 60) reasons.Add($"DPD {history.Dpd} > 60, ₹{M(history.Overdue)} overdue");
            if (unaffordable) reasons.Add($"EMI ₹{M(upcoming.Amount)} is {upcoming.Amount / median!.Value:P0} of median monthly inflow ₹{M(median.Value)} (> {UnaffordableEmiShare:P0})");
            if (noDayWorks) reasons.Add($"no allowed presentment day reaches {F(CollectionForecaster.AtRiskFrom)}: best {F(w?.Probability ?? p)} over {upcoming.HistoryMonths} complete months");
            reasons.Add("restructuring changes the EMI, not this instalment's probability: effect 0.00");
            list.Add(new(RecommendedAction.ReferForRestructuring, CollectionChannel.Restructuring, null, 0, reasons));
        }
        return list;
    }

    /// <summary>Complete months whose closing balance on the day of month (clamped) was at least the amount.</summary>
    internal static (int Covered, int Months) CoverageOnDay(AccountAnalysis analysis, int day, decimal amount)
    {
        var k = 0;
        var months = analysis.CompleteMonths();
        foreach (var m in months)
        {
            var d = new DateOnly(m.Month.Year, m.Month.Month, Math.Min(day, DateTime.DaysInMonth(m.Month.Year, m.Month.Month)));
            if (analysis.DailyBalances.TryGet(d, out var b) && b >= amount) k++;
        }
        return (k, months.Length);
    }

    internal static DateOnly NextDayOfMonth(DateOnly from, int day)
    {
        var d = new DateOnly(from.Year, from.Month, Math.Min(day, DateTime.DaysInMonth(from.Year, from.Month)));
        if (d >= from) return d;
        var next = from.AddMonths(1);
        return new DateOnly(next.Year, next.Month, Math.Min(day, DateTime.DaysInMonth(next.Year, next.Month)));
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static string F(double p) => p.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Signed(double v) => CollectionForecaster.Signed(v);

    private static string M(decimal v) => CollectionForecaster.Money(v);
}
