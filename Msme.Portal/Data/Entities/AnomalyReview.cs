namespace Msme.Portal.Data.Entities;

/// <summary>Where a risk manager's review left an anomaly.</summary>
public enum AnomalyReviewState { New, Acknowledged, Dismissed, Escalated }

/// <summary>Who takes an escalated anomaly further.</summary>
public enum EscalationTarget { AgentFollowUp, CreditReview }

/// <summary>
/// The current review state of one anomaly. Anomalies themselves are computed on the fly from the AA data; this row
/// holds only what a person decided, under the anomaly's stable key.
/// </summary>
public class AnomalyReview
{
    public int Id { get; set; }
    /// <summary>customer id | account masked number or "combined" | "event" | kind | month or date.</summary>
    public required string AnomalyKey { get; set; }
    public int CustomerId { get; set; }
    public required string Scope { get; set; }
    /// <summary>The detectors that found the event, comma-separated, as at the latest decision.</summary>
    public required string Detector { get; set; }
    /// <summary>The event's kind (inflow-spike, inflow-drop, outflow-spike, outflow-drop, txn-spike, round-trip).</summary>
    public required string Subject { get; set; }
    /// <summary>yyyy-MM for monthly detectors, yyyy-MM-dd for transaction detectors.</summary>
    public required string Period { get; set; }
    public AnomalyReviewState State { get; set; }
    public string? Reason { get; set; }
    public EscalationTarget? EscalationTarget { get; set; }
    public required string ReviewerId { get; set; }
    public required string ReviewerName { get; set; }
    public DateTimeOffset ReviewedAt { get; set; }

    public List<AnomalyReviewEvent> History { get; set; } = [];
}

/// <summary>One review decision, appended and never changed: the audit trail of an anomaly's review.</summary>
public class AnomalyReviewEvent
{
    public long Id { get; set; }
    public int AnomalyReviewId { get; set; }
    public required string AnomalyKey { get; set; }
    public AnomalyReviewState FromState { get; set; }
    public AnomalyReviewState ToState { get; set; }
    public string? Reason { get; set; }
    public EscalationTarget? EscalationTarget { get; set; }
    public required string ReviewerId { get; set; }
    public required string ReviewerName { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>The event's detector findings when the decision was taken, each with its own figures (the event is recomputed from the data; this is what the reviewer saw).</summary>
    public string? Findings { get; set; }
}

/// <summary>What an escalation asks of its receiving queue: credit review (RiskManager, /risk/credit-review) or agent follow-up (the collections side).</summary>
public class EscalationWorkItem
{
    public long Id { get; set; }
    public required string AnomalyKey { get; set; }
    public int CustomerId { get; set; }
    public EscalationTarget Target { get; set; }
    public required string Period { get; set; }
    public required string Kind { get; set; }
    public required string Severity { get; set; }
    /// <summary>The amount out of line in paise (exact, as every amount in the store).</summary>
    public long AmountPaise { get; set; }
    /// <summary>The event's explanation when it was escalated.</summary>
    public required string Summary { get; set; }
    public string? Note { get; set; }
    public required string CreatedById { get; set; }
    public required string CreatedByName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DoneAt { get; set; }
    public string? DoneById { get; set; }
    public string? DoneByName { get; set; }
    public string? Outcome { get; set; }
}
