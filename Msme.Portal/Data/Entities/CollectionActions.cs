using Msme.Domain.Collections.Actions;

namespace Msme.Portal.Data.Entities;

/// <summary>Where a presentment batch stands: prepared (maker) and waiting, approved (checker: the file exists), or withdrawn.</summary>
public enum PresentmentBatchStatus { Prepared, Approved, Withdrawn }

/// <summary>
/// A presentment schedule frozen for approval: the exact bulk-debit file, its figures and who prepared and approved
/// it. The file is what the preparer previewed; an approval releases it unchanged. Never edited after approval.
/// </summary>
public class PresentmentBatch
{
    public int Id { get; set; }
    public required string UtilityCode { get; set; }
    public required string SponsorBank { get; set; }
    public DateOnly PeriodFrom { get; set; }
    public DateOnly PeriodTo { get; set; }
    public DateOnly AsOf { get; set; }
    public int LineCount { get; set; }
    public int HeldCount { get; set; }
    public long TotalPaise { get; set; }
    /// <summary>Σ (1 − p) / lines over the batch, as text with 4 decimals (exact, no float in storage).</summary>
    public required string ExpectedReturnRate { get; set; }
    /// <summary>The NPCI-line projection per month the batch touches, as the preparer saw it.</summary>
    public required string Projection { get; set; }
    /// <summary>Whether a month's projected return rate crosses NPCI's 50 % line: approval needs an acknowledgement.</summary>
    public bool CrossesLine { get; set; }
    public required string FileName { get; set; }
    public required string FileContent { get; set; }
    public required string FileSha256 { get; set; }
    public required string PreparedByUserId { get; set; }
    public required string PreparedByName { get; set; }
    public DateTimeOffset PreparedAt { get; set; }
    public PresentmentBatchStatus Status { get; set; }
    public string? ApprovedByUserId { get; set; }
    public string? ApprovedByName { get; set; }
    public DateTimeOffset? ApprovedAt { get; set; }
    /// <summary>The approver acknowledged that the batch crosses NPCI's line.</summary>
    public bool LineAcknowledged { get; set; }
}

/// <summary>One message to a customer, rendered with their figures. Append only except for its delivery status.</summary>
public class OutboxMessage
{
    public long Id { get; set; }
    public int CustomerId { get; set; }
    public int? LoanKey { get; set; }
    public required string LoanId { get; set; }
    public MessageKind Kind { get; set; }
    /// <summary>SMS (the only channel today; a WhatsApp sender would take the same text).</summary>
    public required string Channel { get; set; }
    /// <summary>The holder's mobile from the AA profile, as received; shown masked by role.</summary>
    public required string Recipient { get; set; }
    public required string Body { get; set; }
    public string? UpiUri { get; set; }
    public long AmountPaise { get; set; }
    public required string CreatedByUserId { get; set; }
    public required string CreatedByName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public OutboxStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset? FailedAt { get; set; }
    /// <summary>The sender that took it (file, webhook) and its reference.</summary>
    public string? Sender { get; set; }
    public string? SenderReference { get; set; }
    public string? Error { get; set; }
}
