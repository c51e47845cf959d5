using System.Globalization;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Collections;

/// <summary>A contiguous run of presentment days and how likely a presentment on any day of it is to succeed.</summary>
/// <param name="MonthsCovered">Complete months in which every day of the run was covered.</param>
/// <param name="ExpectedBalance">Median over the months of the lowest available balance across the run.</param>
public sealed record PresentmentWindow(DateOnly From, DateOnly To, double Probability, double BaseProbability, int MonthsCovered, int Months, decimal? ExpectedBalance)
{
    public int Days => To.DayNumber - From.DayNumber + 1;
}

/// <summary>Where an upcoming instalment stands. See docs/smart-collect-model.md for the thresholds.</summary>
public enum CollectionStatus { Scheduled, Likely, AtRisk, HighRisk, Overdue, Collected }

/// <summary>How much history stands behind a forecast: complete months and income stability.</summary>
public enum ForecastConfidence { Low, Medium, High }

/// <summary>One instalment in the upcoming-collections queue, with its probabilities, window, status and reasons.</summary>
public sealed record UpcomingCollection
{
    public required string LoanId { get; init; }
    public required string Customer { get; init; }
    public required string MaskedAccNumber { get; init; }
    public required int InstalmentNumber { get; init; }
    public required DateOnly DueDate { get; init; }
    public required decimal Amount { get; init; }
    /// <summary>Success probability if presented on the due date.</summary>
    public required DayEstimate DueDateEstimate { get; init; }
    public double DueDateProbability => DueDateEstimate.Probability;
    public decimal? ExpectedBalanceOnDueDate => DueDateEstimate.ExpectedBalance;
    /// <summary>The best allowed window; null when no allowed day is left (overdue past the window).</summary>
    public required PresentmentWindow? Window { get; init; }
    public required CollectionStatus Status { get; init; }
    public required ForecastConfidence Confidence { get; init; }
    public required int HistoryMonths { get; init; }
    public required ModelAdjustments Adjustments { get; init; }
    /// <summary>Every reason quotes its numbers.</summary>
    public required IReadOnlyList<string> Reasons { get; init; }

    /// <summary>For an overdue instalment: the success probability at its next allowed presentment; null otherwise.</summary>
    public DayEstimate? CureEstimate { get; init; }

    /// <summary>What the queue ranks by: the cure probability when overdue (its due date has passed), else the due date's.</summary>
    public double RankingProbability => CureEstimate?.Probability ?? DueDateProbability;
}

/// <summary>Smart Collect: success probability, best presentment window, status and reasons for upcoming EMIs.</summary>
public static class CollectionForecaster
{
    public const double LikelyFrom = 0.80, ScheduledFrom = 0.60, AtRiskFrom = 0.35;

    /// <summary>
    /// The instalment that needs collecting next: the oldest overdue unpaid one, else the first due within the horizon
    /// (asOf .. asOf + HorizonDays); null when the loan has neither.
    /// </summary>
    public static UpcomingCollection? Forecast(Loan loan, AccountAnalysis analysis, DepositAccount account, DateOnly asOf, ForecastOptions? options = null) =>
        ForecastAll(loan, analysis, account, asOf, options).FirstOrDefault(u => u.Status != CollectionStatus.Collected);

    /// <summary>Every instalment that is overdue and unpaid, or due within the horizon (collected ones included, with status Collected).</summary>
    public static IReadOnlyList<UpcomingCollection> ForecastAll(Loan loan, AccountAnalysis analysis, DepositAccount account, DateOnly asOf, ForecastOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(loan);
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(account);
        options ??= ForecastOptions.Default;
        var horizon = asOf.AddDays(options.HorizonDays);
        PresentmentModel? model = null;
        var result = new List<UpcomingCollection>();
        foreach (var i in loan.Instalments)
        {
            var overdue = i.DueDate < asOf && i.Outcome != InstalmentOutcome.Paid;
            var upcoming = i.DueDate >= asOf && i.DueDate <= horizon;
            if (!overdue && !upcoming) continue;
            model ??= new PresentmentModel(loan, analysis, account, asOf, options);
            result.Add(Build(model, loan, i, asOf, options));
        }
        return result;
    }

    /// <summary>The forecast for one instalment with data up to <paramref name="asOf"/>.</summary>
    public static UpcomingCollection ForecastInstalment(Loan loan, LoanInstalment instalment, AccountAnalysis analysis, DepositAccount account, DateOnly asOf, ForecastOptions? options = null)
    {
        options ??= ForecastOptions.Default;
        return Build(new PresentmentModel(loan, analysis, account, asOf, options), loan, instalment, asOf, options);
    }

    internal static UpcomingCollection Build(PresentmentModel model, Loan loan, LoanInstalment i, DateOnly asOf, ForecastOptions options)
    {
        var due = model.Day(i.DueDate);
        var from = i.DueDate.AddDays(-options.WindowBefore);
        if (from < asOf) from = asOf; // a presentment cannot be made in the past
        var window = model.BestWindow(from, i.DueDate.AddDays(options.WindowAfter), i.DueDate);
        var n = model.HistoryMonths;
        var metrics = model.Analysis.Metrics;
        var status = i.Outcome == InstalmentOutcome.Paid ? CollectionStatus.Collected
            : i.DueDate < asOf ? CollectionStatus.Overdue
            : StatusOf(due.Probability, n);
        var confidence = ConfidenceOf(n, metrics.StabilityTier);

        var reasons = new List<string>();
        var emi = Money(i.Amount);
        if (status == CollectionStatus.Collected) reasons.Add($"the book says instalment {i.Number} is PAID (₹{Money(i.PaidAmount)})");
        if (status == CollectionStatus.Overdue) reasons.Add($"due {i.DueDate:yyyy-MM-dd}, {asOf.DayNumber - i.DueDate.DayNumber} days before {asOf:yyyy-MM-dd}, book says {LoanBookCodes.Of(i.Outcome)}");
        reasons.Add(n == 0
            ? "no complete month of statement: base probability 0.50 by Laplace smoothing"
            : $"balance covered ₹{Money(due.Requirement)} on {DayName(i.DueDate)} in {due.MonthsCovered} of {n} complete months: base ({due.MonthsCovered}+1)/({n}+2) = {PresentmentModel.P(due.BaseProbability)}");
        if (due.Requirement > i.Amount) reasons.Add($"requirement ₹{Money(due.Requirement)} = EMI ₹{emi} + known debits due by {DayName(i.DueDate)}");
        if (due.ExpectedBalance is { } eb) reasons.Add($"expected available balance on the due date ₹{Money(eb)} (median of {n} months) against EMI ₹{emi}");
        if (model.Overdraft > 0) reasons.Add($"available balance includes the OD limit ₹{Money(model.Overdraft)}");
        var adj = model.Adjustments;
        if (options.Adjust)
        {
            if (adj.RecentPresentments > 0)
            {
                var ok = adj.RecentPresentments - adj.RecentBounces;
                var pooled = (due.MonthsCovered + ok + 1.0) / (n + adj.RecentPresentments + 2.0);
                reasons.Add($"{adj.RecentBounces} bounces in the last {adj.RecentPresentments} presentments: pooled with the months ({due.MonthsCovered}+{ok}+1)/({n}+{adj.RecentPresentments}+2) = {PresentmentModel.P(pooled)}");
            }
            else reasons.Add("no past presentment of this loan: no bounce-record adjustment");
            if (adj is { LastStatementDay: { } lastDay, LatestBalance: { } latest })
            {
                var term = model.LatestLogOdds(i.DueDate, due.Requirement);
                reasons.Add(term == 0
                    ? $"latest balance ₹{Money(latest)} on {lastDay:yyyy-MM-dd} is {i.DueDate.DayNumber - lastDay.DayNumber} days before the due date (counts only within {ForecastOptions.LatestBalanceMaxGapDays})"
                    : $"latest balance ₹{Money(latest)} on {lastDay:yyyy-MM-dd} {(latest >= due.Requirement ? "covers" : "is short of")} ₹{Money(due.Requirement)}: log-odds {Signed(term)}");
            }
            if (adj.InflowPrior3 is { } prior && adj.InflowLast3 is { } last)
                reasons.Add(prior > 0
                    ? $"inflow last 3 months ₹{Money(last)} vs prior 3 ₹{Money(prior)} ({Pct(last / prior - 1)}): log-odds {Signed(adj.TrendLogOdds)}"
                    : $"no inflow in the prior 3 months: no trend adjustment");
            else reasons.Add($"{n} complete months (< 6): no inflow-trend adjustment");
        }
        if (model.ExplainFitted(i.DueDate) is { } why) reasons.Add($"why {PresentmentModel.P(due.Probability)}: {why}");
        reasons.Add($"due-date probability {PresentmentModel.P(due.Probability)} ({StatusName(status)})");
        DayEstimate? cure = null;
        if (status == CollectionStatus.Overdue)
        {
            var (date, how) = NextAllowedPresentment(loan, i, asOf);
            cure = model.Day(date);
            reasons.Add($"overdue: probability of cure {PresentmentModel.P(cure.Probability)} on {date:yyyy-MM-dd} ({how}); the queue ranks overdue rows by it");
        }
        if (metrics.TypicalCreditDay is { } tcd) reasons.Add($"typical credit day {tcd}");
        reasons.Add(metrics.IncomeCv is { } cv
            ? $"income CV {cv.ToString("0.00", CultureInfo.InvariantCulture)} ({metrics.StabilityTier} stability)"
            : "income CV unknown (fewer than 2 complete months)");
        if (window is not null)
            reasons.Add($"best window {Span(window)}: covered on every day in {window.MonthsCovered} of {window.Months} months, probability {PresentmentModel.P(window.Probability)}"
                + (window.ExpectedBalance is { } wb ? $", expected lowest balance ₹{Money(wb)}" : ""));
        reasons.Add($"confidence {confidence}: {n} complete months, {metrics.StabilityTier} stability");

        return new UpcomingCollection
        {
            LoanId = loan.LoanId,
            Customer = loan.Customer,
            MaskedAccNumber = loan.MaskedAccNumber,
            InstalmentNumber = i.Number,
            DueDate = i.DueDate,
            Amount = i.Amount,
            DueDateEstimate = due,
            Window = window,
            Status = status,
            Confidence = confidence,
            HistoryMonths = n,
            Adjustments = adj,
            Reasons = reasons,
            CureEstimate = cure,
        };
    }

    /// <summary>
    /// The next day an overdue instalment can be collected, and how: a mandate re-presentment at least 3 days after the
    /// last return while fewer than two re-presentations were made (NPCI NACH circulars 2023-24/007, /012, /014), else
    /// a payment the customer makes (UPI link) from asOf.
    /// </summary>
    public static (DateOnly Date, string How) NextAllowedPresentment(Loan loan, LoanInstalment instalment, DateOnly asOf)
    {
        ArgumentNullException.ThrowIfNull(loan);
        ArgumentNullException.ThrowIfNull(instalment);
        if (loan.Mandate == Mandate.None) return (asOf, "no mandate: a payment by UPI link from today");
        var presentations = instalment.Attempts.Count(a => a.Presentment);
        if (presentations == 0 && instalment.PresentedDate is not null) presentations = 1;
        if (presentations >= 3) return (asOf, "one presentation and two re-presentations used: a payment by UPI link from today");
        var lastReturn = instalment.Attempts.Where(a => a.Presentment && a.Bounced).Select(a => (DateOnly?)a.Date).Max() ?? instalment.PresentedDate;
        var date = lastReturn is { } r && r.AddDays(3) > asOf ? r.AddDays(3) : asOf;
        if (date.DayOfWeek == DayOfWeek.Sunday) date = date.AddDays(1); // NACH does not run on Sundays
        var left = Math.Max(0, 3 - presentations);
        return (date, presentations == 0
            ? "not presented yet: a presentment from today"
            : $"re-presentment {presentations} of 2, at least 3 days after the return{(lastReturn is { } lr ? $" on {lr:yyyy-MM-dd}" : "")}; {left} left");
    }

    public static CollectionStatus StatusOf(double probability, int historyMonths) =>
        historyMonths < CashflowFigures.MinimumCompleteMonths ? CollectionStatus.Scheduled
        : probability >= LikelyFrom ? CollectionStatus.Likely
        : probability >= ScheduledFrom ? CollectionStatus.Scheduled
        : probability >= AtRiskFrom ? CollectionStatus.AtRisk
        : CollectionStatus.HighRisk;

    public static ForecastConfidence ConfidenceOf(int months, StabilityTier tier) => months switch
    {
        >= 9 when tier is StabilityTier.High or StabilityTier.Medium => ForecastConfidence.High,
        >= 9 => ForecastConfidence.Medium,
        >= 6 when tier is not (StabilityTier.VeryLow or StabilityTier.Unknown) => ForecastConfidence.Medium,
        _ => ForecastConfidence.Low,
    };

    private static string StatusName(CollectionStatus s) => s switch
    {
        CollectionStatus.Likely => $"Likely: ≥ {LikelyFrom:0.00}",
        CollectionStatus.Scheduled => $"Scheduled: {ScheduledFrom:0.00}-{LikelyFrom:0.00}, or under 3 months of history",
        CollectionStatus.AtRisk => $"AtRisk: {AtRiskFrom:0.00}-{ScheduledFrom:0.00}",
        CollectionStatus.HighRisk => $"HighRisk: < {AtRiskFrom:0.00}",
        _ => s.ToString(),
    };

    /// <summary>"day 9", or "the last day" for a month end (sampled as every month's last day).</summary>
    internal static string DayName(DateOnly date) => PresentmentModel.SampleDay(date) == 31 ? "the month's last day" : $"day {date.Day}";

    internal static string Span(PresentmentWindow w) => w.From == w.To ? $"{w.From:yyyy-MM-dd}" : $"{w.From:yyyy-MM-dd}..{w.To:yyyy-MM-dd}";

    internal static string Money(decimal v) => v.ToString("0.00", CultureInfo.InvariantCulture);

    internal static string Signed(double v) => v.ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture);

    internal static string Pct(decimal v) => (v * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + "%";
}
