namespace Msme.Domain.Collections;

/// <summary>How the lender collects the EMI. Loan-book spellings: E_NACH, UPI_AUTOPAY, NONE.</summary>
public enum Mandate { ENach, UpiAutoPay, None }

/// <summary>The lender's view of one instalment. Loan-book spellings: PAID, BOUNCED, PARTIAL, PENDING, MISSED.</summary>
public enum InstalmentOutcome { Paid, Bounced, Partial, Pending, Missed }

/// <summary>One collection attempt the lender's book knows of, with the statement lines it produced when known.</summary>
/// <param name="Presentment">True for a mandate presentment, false for a payment the customer made by hand.</param>
/// <param name="TxnId">The EMI debit's txnId when the attempt was debited.</param>
/// <param name="ChargeTxnId">The bank's bounce-charge txnId for a returned e-NACH presentment.</param>
public sealed record LoanAttempt(DateOnly Date, bool Presentment, bool Bounced, decimal Amount, string? TxnId, string? ChargeTxnId);

/// <summary>One scheduled EMI as the lender's book records it.</summary>
/// <param name="PresentedDate">First presentment; null without a mandate or when not presented yet.</param>
public sealed record LoanInstalment(
    int Number,
    DateOnly DueDate,
    DateOnly? PresentedDate,
    decimal Amount,
    InstalmentOutcome Outcome,
    decimal PaidAmount)
{
    /// <summary>Attempts as the book lists them (JSON loan books); empty when the book does not say (CSV).</summary>
    public IReadOnlyList<LoanAttempt> Attempts { get; init; } = [];

    /// <summary>Whether the first presentment was returned: from the attempts when listed, else from the outcome.</summary>
    public bool? FirstPresentmentBounced
    {
        get
        {
            foreach (var a in Attempts)
                if (a.Presentment) return a.Bounced;
            if (PresentedDate is null) return null;
            return Outcome switch
            {
                InstalmentOutcome.Paid => false,
                InstalmentOutcome.Bounced or InstalmentOutcome.Partial => true,
                _ => null,
            };
        }
    }

    /// <summary>Day the instalment was fully paid: the last debited attempt, or the presented/due date when the book lists none; null when unpaid.</summary>
    public DateOnly? PaidOn
    {
        get
        {
            if (Outcome != InstalmentOutcome.Paid) return null;
            DateOnly? last = null;
            foreach (var a in Attempts)
                if (!a.Bounced && (last is null || a.Date > last)) last = a.Date;
            return last ?? PresentedDate ?? DueDate;
        }
    }
}

/// <summary>A loan from the lender's loan book (not AA data): terms, mandate, the account it is collected from, the schedule.</summary>
public sealed record Loan
{
    public required string LoanId { get; init; }
    /// <summary>The customer's AA handle (user@aa).</summary>
    public required string Customer { get; init; }
    /// <summary>Lender name as it appears in ACH/NACH narrations; null when the book does not say.</summary>
    public string? Lender { get; init; }
    public required string Product { get; init; }
    public required decimal SanctionedAmount { get; init; }
    public required decimal Emi { get; init; }
    /// <summary>1..31; a month shorter than the due day falls due on its last day.</summary>
    public required int DueDay { get; init; }
    public required int TenureMonths { get; init; }
    public required DateOnly StartDate { get; init; }
    public required Mandate Mandate { get; init; }
    /// <summary>UMRN (e-NACH) or UPI mandate id; null without a mandate.</summary>
    public string? MandateRef { get; init; }
    public required string MaskedAccNumber { get; init; }
    public string? LinkRefNumber { get; init; }
    public required IReadOnlyList<LoanInstalment> Instalments { get; init; }

    /// <summary>Whether the loan is collected from this account: same masked number, and the same link reference when both give one.</summary>
    public bool IsCollectedFrom(Msme.Domain.Ingestion.DepositAccount account) =>
        account.MaskedAccNumber == MaskedAccNumber && (LinkRefNumber is null || account.LinkedAccRef is null || account.LinkedAccRef == LinkRefNumber);

    /// <summary>The due date in a month: the due day clamped to the month's length.</summary>
    public DateOnly DueDateIn(int year, int month) => new(year, month, Math.Min(DueDay, DateTime.DaysInMonth(year, month)));
}
