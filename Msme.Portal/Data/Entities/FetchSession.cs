namespace Msme.Portal.Data.Entities;

/// <summary>One FI fetch session: what the AA delivered under a consent. Every transaction points to the session that delivered it.</summary>
public class FetchSession
{
    public int Id { get; set; }
    public required string SessionId { get; set; }
    public int ConsentRecordId { get; set; }
    public ConsentRecord? Consent { get; set; }
    public string? FipId { get; set; }
    public DateTimeOffset? RangeFrom { get; set; }
    public DateTimeOffset? RangeTo { get; set; }
    public DateTimeOffset FetchedAt { get; set; }
    public required string Status { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
    public string? ImportedBy { get; set; }
    public required string BundleName { get; set; }
    /// <summary>New transactions this session added (overlaps with earlier sessions are not counted twice).</summary>
    public int TransactionsAdded { get; set; }
    /// <summary>Transactions already in the store from an earlier, overlapping session.</summary>
    public int TransactionsOverlapping { get; set; }
    /// <summary>Transactions the consent's DataFilter excluded: counted, never stored.</summary>
    public int TransactionsFilteredOut { get; set; }
    public DateOnly? FirstTransactionDate { get; set; }
    public DateOnly? LastTransactionDate { get; set; }
    /// <summary>When the purge deleted this session's transactions and payloads; the row stays as lineage.</summary>
    public DateTimeOffset? PurgedAt { get; set; }
    /// <summary>Why: consent REVOKED, consent EXPIRED, or DataLife ended.</summary>
    public string? PurgeReason { get; set; }
    public int TransactionsPurged { get; set; }

    public List<RawPayload> Payloads { get; set; } = [];
}

/// <summary>
/// One file received in a session: its exact bytes live in the payload store (content-addressed by SHA-256 under the
/// data folder), this row keeps the facts. The purge deletes the bytes; the row and its hash stay as lineage.
/// </summary>
public class RawPayload
{
    public int Id { get; set; }
    public int FetchSessionId { get; set; }
    public required string FileName { get; set; }
    /// <summary>manifest, consent, fi or envelope.</summary>
    public required string Role { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    /// <summary>Whether the bytes are still held (false after the purge).</summary>
    public bool ContentHeld { get; set; } = true;
    public DateTimeOffset? PurgedAt { get; set; }
}
