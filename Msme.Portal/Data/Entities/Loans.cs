using Msme.Domain.Collections;

namespace Msme.Portal.Data.Entities;

/// <summary>A loan from the lender's loan book (not AA data). Money in integer paise. Updated in place by later books.</summary>
public class Loan
{
    public int Id { get; set; }
    /// <summary>The book's loan id (unique).</summary>
    public required string LoanId { get; set; }
    public int CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public string? Lender { get; set; }
    public required string Product { get; set; }
    public long SanctionedPaise { get; set; }
    public long EmiPaise { get; set; }
    public int DueDay { get; set; }
    public int TenureMonths { get; set; }
    public DateOnly StartDate { get; set; }
    public Mandate Mandate { get; set; }
    public string? MandateRef { get; set; }
    public required string MaskedAccNumber { get; set; }
    public string? LinkRefNumber { get; set; }
    /// <summary>File the loan was last changed by.</summary>
    public required string SourceFile { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
    /// <summary>Last time a book changed the loan or its schedule: part of the queue cache's version stamp.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    public List<LoanInstalment> Instalments { get; set; } = [];
}

/// <summary>One scheduled EMI as the latest book states it.</summary>
public class LoanInstalment
{
    public int Id { get; set; }
    public int LoanKey { get; set; }
    public int Number { get; set; }
    public DateOnly DueDate { get; set; }
    public DateOnly? PresentedDate { get; set; }
    public long AmountPaise { get; set; }
    public InstalmentOutcome Outcome { get; set; }
    public long PaidPaise { get; set; }
    /// <summary>The book's attempts (JSON books) as JSON; "[]" when the book lists none (CSV).</summary>
    public string AttemptsJson { get; set; } = "[]";
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A loan's DPD bucket at a month end and the move from the month before. Append only: a restated month gets a new row.</summary>
public class BucketMove
{
    public long Id { get; set; }
    public int LoanKey { get; set; }
    public DateOnly MonthEnd { get; set; }
    public DpdBucket FromBucket { get; set; }
    public DpdBucket ToBucket { get; set; }
    public int Dpd { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>Which agent works which customer. One agent per customer; reassignment updates the row.</summary>
public class AgentPortfolio
{
    public int Id { get; set; }
    public required string AgentUserId { get; set; }
    public int CustomerId { get; set; }
    public required string AssignedBy { get; set; }
    public DateTimeOffset AssignedAt { get; set; }
}

/// <summary>Outcome of one contact with a customer.</summary>
public enum Disposition { Reached, NotReachable, WrongNumber, PromiseToPay, Paid, Dispute, Refused, Callback }

/// <summary>One contact an agent logged. Never edited: a correction is a new entry.</summary>
public class ContactLog
{
    public long Id { get; set; }
    public int CustomerId { get; set; }
    public int? LoanKey { get; set; }
    public required string AgentUserId { get; set; }
    public required string AgentName { get; set; }
    public DateTimeOffset At { get; set; }
    public Disposition Disposition { get; set; }
    public DateOnly? PtpDate { get; set; }
    public long? PtpAmountPaise { get; set; }
    public string? Notes { get; set; }
    public DateOnly? NextFollowUp { get; set; }
}
