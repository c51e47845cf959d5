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
    /// <summary>customer id | account masked number or "combined" | detector | subject | month or date.</summary>
    public required string AnomalyKey { get; set; }
    public int CustomerId { get; set; }
    public required string Scope { get; set; }
    public required string Detector { get; set; }
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
}
