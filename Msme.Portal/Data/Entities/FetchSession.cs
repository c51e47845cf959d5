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

    public List<RawPayload> Payloads { get; set; } = [];
}

/// <summary>The exact bytes received for one file of a session. Content is dropped by the purge; the hash stays.</summary>
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
    public byte[]? Content { get; set; }
    public DateTimeOffset? PurgedAt { get; set; }
}
