using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Collections;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Features.Collections;

/// <summary>Who is asking: agents see their portfolio only; risk managers and admins see every customer.</summary>
public sealed record CollectionsViewer(string UserId, bool SeesAll)
{
    /// <summary>The signed-in user as the collections service sees them: their Identity user id, and whether their role sees every customer.</summary>
    public static CollectionsViewer From(System.Security.Claims.ClaimsPrincipal user) =>
        new(user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value ?? "", Customers.CustomerAccess.SeesEveryCustomer(user));
}

public enum QueueFilter { All, DueToday, Next7Days, Overdue, CallbacksDue, PromisesDueToday, BrokenPromises, Escalated }

/// <summary>Why a row needs the agent today, beyond its risk: a follow-up from the contact log or an escalation from risk.</summary>
public enum QueueFlagKind { CallbackDue, PromiseDueToday, BrokenPromise, Escalated }

/// <summary>A flag on a queue row, with the evidence.</summary>
/// <param name="Date">The follow-up or promise date; the escalation's day for an escalation.</param>
/// <param name="WorkItemId">The escalation's work item (the agent marks it done).</param>
/// <param name="Note">The reviewer's note on an escalation.</param>
public sealed record QueueFlag(QueueFlagKind Kind, DateOnly Date, IReadOnlyList<string> Reasons, long? WorkItemId = null, string? Note = null, string? By = null);

/// <summary>How many rows of the queue (after the status and search filters) each filter chip would show.</summary>
public sealed record QueueCounts(int All, int DueToday, int Next7Days, int Overdue, int CallbacksDue, int PromisesDueToday, int BrokenPromises, int Escalated)
{
    public static QueueCounts Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);

    public int Of(QueueFilter filter) => filter switch
    {
        QueueFilter.DueToday => DueToday,
        QueueFilter.Next7Days => Next7Days,
        QueueFilter.Overdue => Overdue,
        QueueFilter.CallbacksDue => CallbacksDue,
        QueueFilter.PromisesDueToday => PromisesDueToday,
        QueueFilter.BrokenPromises => BrokenPromises,
        QueueFilter.Escalated => Escalated,
        _ => All,
    };
}

public sealed record QueueQuery(
    QueueFilter Filter = QueueFilter.All,
    CollectionStatus? Status = null,
    string? Search = null,
    string? SortBy = null,
    bool Descending = true,
    int Page = 0,
    int PageSize = 25);

/// <summary>One instalment in the agent's queue, with every figure's reasons.</summary>
/// <param name="Probability">Due-date success probability; null when no AA account matches the loan.</param>
public sealed record QueueItem(
    int CustomerId, string CustomerName, int LoanKey, string LoanId, string Product, Mandate Mandate,
    int InstalmentNumber, DateOnly DueDate, decimal Emi,
    double? Probability, PresentmentWindow? Window, decimal? ExpectedBalance, CollectionStatus Status, ForecastConfidence? Confidence,
    int Dpd, DpdBucket Bucket, IReadOnlyList<Recommendation> Recommendations,
    IReadOnlyList<string> Reasons, IReadOnlyList<string> DelinquencyReasons)
{
    /// <summary>1 − probability (1 without a probability).</summary>
    public double Risk => 1 - (Probability ?? 0);

    /// <summary>The queue's order: risk × EMI, the rupees likely to be missed.</summary>
    public decimal RiskAmount => Math.Round((decimal)Risk * Emi, 2);

    /// <summary>Follow-ups and escalations on this row (each is shown on one row of its loan or customer: the earliest due).</summary>
    public IReadOnlyList<QueueFlag> Flags { get; init; } = [];

    public bool Has(QueueFlagKind kind) => Flags.Any(f => f.Kind == kind);

    /// <summary>A customer's follow-up with no instalment in the queue: no loan, no figures (LoanKey 0).</summary>
    public bool FollowUpOnly { get; init; }

    /// <summary>The action with the largest expected effect; the earlier rule on a tie.</summary>
    public Recommendation? Top => Recommendations.Count == 0 ? null
        : Recommendations.Aggregate((best, r) => r.ExpectedEffect > best.ExpectedEffect ? r : best);
}

/// <summary>A page of the queue plus the as-of date every figure is computed for, and why that date.</summary>
public sealed record QueuePage(IReadOnlyList<QueueItem> Items, int TotalItems, DateOnly AsOf, string AsOfReason, decimal TotalEmi, decimal TotalRiskAmount)
{
    /// <summary>Rows whose repayment account has no usable statement: listed after the scored rows, as their own group.</summary>
    public int WithoutStatement { get; init; }

    /// <summary>The filter chips' counts.</summary>
    public QueueCounts Counts { get; init; } = QueueCounts.Empty;

    /// <summary>The agent's calendar day (IST) the follow-up filters use; the forecasts use <see cref="AsOf"/>.</summary>
    public DateOnly Today { get; init; }
}

public sealed record BucketMoveView(DateOnly MonthEnd, DpdBucket From, DpdBucket To, int Dpd, string Reason, DateTimeOffset RecordedAt);

public sealed record ContactView(long Id, DateTimeOffset At, string AgentName, Disposition Disposition, string? LoanId,
    DateOnly? PtpDate, decimal? PtpAmount, string? Notes, DateOnly? NextFollowUp, PtpVerdict? Ptp);

/// <summary>One loan on the customer's collections panel.</summary>
/// <param name="TypicalCreditDay">That account's typical credit day, from the analysis the forecasts used.</param>
/// <param name="Balances">
/// The collection account's daily closing balances the balance chart draws, not the account itself: a circuit keeps its
/// tab's data for as long as it is open, and the account held every transaction of the statement (issue 17). Null when
/// no AA account the consents allow is the loan's (<paramref name="AccountNote"/> says why).
/// </param>
/// <param name="HolderMobile">The first mobile number the account's AA profile gives (the outbox messages it), if any.</param>
public sealed record LoanView(
    int LoanKey, Msme.Domain.Collections.Loan Loan, DelinquencyStatus Delinquency, IReadOnlyList<QueueItem> Upcoming,
    ReconciliationResult? Reconciliation, string? AccountNote, IReadOnlyList<BucketMoveView> BucketMoves,
    BalanceHistory? Balances = null, int? TypicalCreditDay = null, string? HolderMobile = null);

/// <summary>
/// An account's daily closing balances over the days a balance chart shows before the forecasts' as-of date, with the
/// overdraft limit its available balance adds (the forecast's basis) and the masked number it names.
/// </summary>
public sealed record BalanceHistory(string MaskedAccNumber, decimal OdLimit, DailyBalanceSeries Daily)
{
    /// <summary>How many days of history a chart shows before the as-of date.</summary>
    public const int Days = 60;

    /// <summary>The first day a chart of this instalment shows: <see cref="Days"/> before the as-of date, or five days before an older due date.</summary>
    public static DateOnly From(DateOnly asOf, DateOnly dueDate) => new[] { asOf.AddDays(-Days), dueDate.AddDays(-5) }.Min();

    /// <summary>The history charts of these instalments need: from the earliest <see cref="From"/> to the day before the as-of date.</summary>
    public static BalanceHistory Of(Msme.Domain.Ingestion.DepositAccount account, DateOnly asOf, IEnumerable<DateOnly> dueDates)
    {
        var from = dueDates.Select(d => From(asOf, d)).DefaultIfEmpty(From(asOf, asOf)).Min();
        var limit = new Msme.Domain.Collections.ForecastOptions().UseOverdraftLimit && account.Summary?.CurrentOdLimit is > 0 and var od ? od : 0m;
        return new(account.MaskedAccNumber, limit, CashflowAnalyzer.DailyBalances(account, from, asOf.AddDays(-1)));
    }
}

public sealed record CustomerCollections(
    int CustomerId, string CustomerName, DateOnly AsOf, string AsOfReason, IReadOnlyList<LoanView> Loans,
    IReadOnlyList<(string MaskedAccNumber, RiskSignal Signal)> RiskSignals, IReadOnlyList<ContactView> Contacts)
{
    /// <summary>Presentments, bounces, on-time rate, collected and overdue, by loan, as of <see cref="AsOf"/>.</summary>
    public CollectionSummary? Summary { get; init; }

    /// <summary>Callbacks and promises due today, broken promises and open escalations from risk: what the queue flags for this customer.</summary>
    public IReadOnlyList<QueueFlag> Flags { get; init; } = [];

    /// <summary>Messages queued for the customer (outbox), newest first: what the timeline and history show of them (no recipient).</summary>
    public IReadOnlyList<OutboxEntry> Messages { get; init; } = [];
}

/// <summary>One outbox message on the customer's timeline: what was sent, for which loan, by whom, and where it stands.</summary>
public sealed record OutboxEntry(long Id, DateTimeOffset At, string CreatedBy, Msme.Domain.Collections.Actions.MessageKind Kind, string LoanId, decimal Amount,
    Msme.Domain.Collections.Actions.OutboxStatus Status);

/// <summary>What an agent enters in the log-contact dialog. Money in rupees; stored as paise.</summary>
public sealed class ContactInput
{
    public int CustomerId { get; set; }
    public int? LoanKey { get; set; }
    public Disposition? Disposition { get; set; }
    public DateOnly? PtpDate { get; set; }
    public decimal? PtpAmount { get; set; }
    public string? Notes { get; set; }
    public DateOnly? NextFollowUp { get; set; }
}

public sealed record ContactResult(long? Id, IReadOnlyList<string> Errors)
{
    public bool Saved => Id is not null;
}

public sealed record PortfolioSummary(DateOnly AsOf, string AsOfReason, int Customers, int Loans, PortfolioSimulationResult Simulation);

/// <summary>The loan book's DPD, roll-rate and collection-efficiency figures as of a date, and why that date.</summary>
public sealed record LoanBookSummary(DateOnly AsOf, string AsOfReason, int Customers, LoanBookFigures Figures);
