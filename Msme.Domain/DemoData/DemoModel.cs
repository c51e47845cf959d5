using Msme.Domain.Consent;
using Msme.Domain.Ingestion;

namespace Msme.Domain.DemoData;

/// <summary>
/// What to generate. <paramref name="AsOf"/> names the last month covered (any day in it); it comes first because
/// it has no sensible default: the generator never reads the clock, so the caller decides what "now" is.
/// </summary>
public sealed record DemoOptions(DateOnly AsOf, int Customers = 200, int Months = 18, int Seed = 42)
{
    /// <summary>First day of the first month covered.</summary>
    public DateOnly WindowStart => new DateOnly(AsOf.Year, AsOf.Month, 1).AddMonths(-(Months - 1));

    /// <summary>Last day of the AsOf month: the statements end here.</summary>
    public DateOnly WindowEnd => new DateOnly(AsOf.Year, AsOf.Month, 1).AddMonths(1).AddDays(-1);
}

/// <summary>The kind of business, which decides the shape of its cashflow.</summary>
public enum DemoArchetype { Kirana, Manufacturer, ServiceFirm, Trader, OndcSeller }

/// <summary>How the customer's income behaves over the window, so risk signals have something to find (or not).</summary>
public enum IncomeTrend { Stable, Volatile, Declining }

/// <summary>How consent.json is rendered for this customer.</summary>
public enum ConsentShape { Artefact, Detail }

/// <summary>How one FI document is rendered: the spellings real aggregators use.</summary>
public enum FiRendering
{
    /// <summary>Setu-style ReBIT v1.1 JSON: lower-case keys, amounts as strings, dd-MM-yyyy dates in the profile.</summary>
    SetuV1Json,
    /// <summary>ReBIT 2.0.0 JSON: accountType/accountSubType, ifsc, pendingTxns, transactionalBalance, numbers.</summary>
    V2Json,
    /// <summary>The FI/fetch wrapper {FI:[{fipID, data:[{decryptedFI:{account}}]}]} with capitalised XML names.</summary>
    FiWrapperJson,
    /// <summary>ReBIT v1.1 XML, values as attributes.</summary>
    RebitV1Xml,
}

/// <summary>One generated MSME customer with everything a bundle needs plus the lender's view of its loans.</summary>
public sealed record DemoCustomer
{
    /// <summary>0-based position in the generated sequence.</summary>
    public required int Index { get; init; }
    public required CustomerInfo Customer { get; init; }
    public required ConsentDetail Consent { get; init; }
    public required ConsentShape ConsentShape { get; init; }
    public required FetchSessionInfo Session { get; init; }
    public required IReadOnlyList<DepositAccount> Accounts { get; init; }
    /// <summary>One rendering per account, same order as <see cref="Accounts"/>.</summary>
    public required IReadOnlyList<FiRendering> Renderings { get; init; }
    public required IReadOnlyList<DemoLoan> Loans { get; init; }
    public required DemoArchetype Archetype { get; init; }
    public required IncomeTrend Trend { get; init; }
    /// <summary>How its money meets its EMIs (<see cref="TimingArchetype"/>).</summary>
    public TimingArchetype Timing { get; init; }
    /// <summary>Whether GST payments appear (unregistered kiranas have none).</summary>
    public required bool GstRegistered { get; init; }
    /// <summary>What was planted on purpose (anomalies, and normal seasonality that must not be flagged): the labels precision and recall are measured against.</summary>
    public IReadOnlyList<PlantedAnomaly> Planted { get; init; } = [];
}

/// <summary>How the lender collects the EMI.</summary>
public enum MandateType { ENach, UpiAutoPay, None }

/// <summary>Final state of one instalment as the lender's book sees it at the end of the window.</summary>
public enum InstalmentOutcome
{
    /// <summary>Fully paid (possibly after a bounce), or due before the window (the book says paid; no statement line).</summary>
    Paid,
    /// <summary>Presented and returned, nothing recovered inside the window.</summary>
    Bounced,
    /// <summary>Something paid, less than the EMI.</summary>
    Partial,
    /// <summary>No mandate and the customer did not pay: due, never presented, nothing received.</summary>
    Missed,
    /// <summary>Not yet due or not yet presented by the end of the window.</summary>
    Pending,
}

public enum AttemptKind { Presentment, ManualPayment }

/// <summary>One collection attempt and the statement lines it produced.</summary>
/// <param name="TxnId">The EMI debit's txnId when <paramref name="Bounced"/> is false.</param>
/// <param name="ChargeTxnId">The bounce charge's txnId (e-NACH returns only; UPI AutoPay failures carry no bank charge).</param>
public sealed record DemoAttempt(DateOnly Date, AttemptKind Kind, bool Bounced, decimal Amount, string? TxnId, string? ChargeTxnId);

/// <summary>One EMI of a simulated loan.</summary>
/// <param name="PresentedDate">First presentment (due date moved off Sunday); null without a mandate or outside the window.</param>
public sealed record DemoInstalment(
    int Number, DateOnly DueDate, DateOnly? PresentedDate, decimal Amount, InstalmentOutcome Outcome, decimal PaidAmount,
    IReadOnlyList<DemoAttempt> Attempts);

/// <summary>A loan the simulation gave this customer; its EMI lines in the statement agree with <see cref="Instalments"/>.</summary>
public sealed record DemoLoan
{
    public required string LoanId { get; init; }
    /// <summary>Lender name as it appears in ACH/NACH narrations.</summary>
    public required string Lender { get; init; }
    public required string Product { get; init; }
    public required decimal SanctionedAmount { get; init; }
    /// <summary>Annual rate in percent (reducing balance).</summary>
    public required decimal InterestRate { get; init; }
    public required decimal Emi { get; init; }
    public required int DueDay { get; init; }
    public required int TenureMonths { get; init; }
    /// <summary>Disbursal date; may be before the window (then no disbursal line in the statement).</summary>
    public required DateOnly StartDate { get; init; }
    public required MandateType Mandate { get; init; }
    /// <summary>e-NACH mandate reference (UMRN) or UPI AutoPay mandate id; null without a mandate.</summary>
    public string? MandateRef { get; init; }
    /// <summary>The account the EMIs are collected from (masked number, as in the FI document).</summary>
    public required string MaskedAccNumber { get; init; }
    public required string LinkRefNumber { get; init; }
    /// <summary>The full schedule, including instalments before and after the window.</summary>
    public required IReadOnlyList<DemoInstalment> Instalments { get; init; }
}
