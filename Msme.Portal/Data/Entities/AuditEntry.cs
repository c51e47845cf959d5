namespace Msme.Portal.Data.Entities;

/// <summary>
/// One line of the audit trail: append-only and hash-chained. Each entry's hash covers its own content and the previous
/// entry's hash, so editing, deleting or reordering any row breaks the chain from that row on.
/// </summary>
public class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string? UserId { get; set; }
    public required string UserName { get; set; }
    /// <summary>The user's roles at the time, comma-separated.</summary>
    public string Roles { get; set; } = "";
    /// <summary>What happened: view, sign-in, sign-in-failed, access-denied, import, contact, anomaly-review, purge, ...</summary>
    public required string Action { get; set; }
    public int? CustomerId { get; set; }
    /// <summary>The page, endpoint or command.</summary>
    public required string Target { get; set; }
    /// <summary>Which sections were shown, or what was done; no personal data.</summary>
    public string? Details { get; set; }
    public required string PreviousHash { get; set; }
    public required string Hash { get; set; }
}
