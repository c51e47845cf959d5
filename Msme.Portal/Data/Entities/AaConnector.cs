namespace Msme.Portal.Data.Entities;

/// <summary>
/// A consent this FIU asked an Account Aggregator for (ReBIT <c>POST /Consent</c>): what was asked, the handle the AA
/// answered with, the status the AA last reported, and the signed artefact once the customer granted it.
/// </summary>
public class AaConsentRequest
{
    public int Id { get; set; }
    /// <summary>The customer's AA handle (<c>user@aa</c>), as the request named it.</summary>
    public required string CustomerHandle { get; set; }
    /// <summary>The lender's customer, when on file at the time of the request (or once the artefact is stored).</summary>
    public int? CustomerId { get; set; }
    /// <summary>The AA asked (its id in the Central Registry): notifications about this consent are accepted from it only.</summary>
    public required string AaId { get; set; }
    public required string ConsentHandle { get; set; }
    /// <summary>What the AA last said about the handle: PENDING, READY, APPROVED, REJECTED, FAILED or EXPIRED (upper case, as ReBIT writes it).</summary>
    public required string Status { get; set; }
    /// <summary>The consent id the AA gave once the customer approved.</summary>
    public string? ConsentId { get; set; }
    /// <summary>The stored consent (artefact verified and kept as the lineage's consent record).</summary>
    public int? ConsentRecordId { get; set; }
    public required string PurposeCode { get; set; }
    public required string FetchType { get; set; }
    public DateTimeOffset FiDataFrom { get; set; }
    public DateTimeOffset FiDataTo { get; set; }
    public DateTimeOffset ConsentExpiry { get; set; }
    public int DataLifeMonths { get; set; }
    public string? FrequencyUnit { get; set; }
    public int? FrequencyValue { get; set; }
    /// <summary>The exact request body sent (ConsentDetail with ver, timestamp, txnid): what the FIU asked for, as signed.</summary>
    public required string RequestJson { get; set; }
    /// <summary>The consent artefact as the AA returned it (its signedConsent verified before it was kept).</summary>
    public string? ArtefactJson { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public required string RequestedBy { get; set; }
    public DateTimeOffset? LastCheckedAt { get; set; }
    public DateTimeOffset? StatusChangedAt { get; set; }
    /// <summary>The last error: an AA errorCode and message, or why an artefact was refused.</summary>
    public string? Error { get; set; }
}

/// <summary>
/// One FI fetch this FIU ran through the AA (FI/request then FI/fetch): its state from request to import, kept as the
/// fetch's record on the imports page and in the consent's lineage.
/// </summary>
public class AaFetch
{
    public int Id { get; set; }
    public required string ConsentId { get; set; }
    public int ConsentRecordId { get; set; }
    public int CustomerId { get; set; }
    /// <summary>The AA's session id, once FI/request answered.</summary>
    public string? SessionId { get; set; }
    /// <summary>requested, ready, fetched, imported, unchanged or failed (see <see cref="AaFetchStatus"/>).</summary>
    public required string Status { get; set; }
    /// <summary>The AA's errorCode (or this FIU's reason code: SignatureDoesNotMatch, DecryptionFailed, ...) when failed.</summary>
    public string? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
    public DateTimeOffset RangeFrom { get; set; }
    public DateTimeOffset RangeTo { get; set; }
    /// <summary>manual, cli, periodic, notification or demo.</summary>
    public required string Trigger { get; set; }
    public required string RequestedBy { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int Accounts { get; set; }
    public int Transactions { get; set; }
    public int Rejected { get; set; }
}

/// <summary>The states of an <see cref="AaFetch"/>, as stored.</summary>
public static class AaFetchStatus
{
    public const string Requested = "requested";
    public const string Ready = "ready";
    public const string Fetched = "fetched";
    public const string Imported = "imported";
    public const string Unchanged = "unchanged";
    public const string Failed = "failed";
}

/// <summary>A named lease: the one instance that holds it runs the job (periodic fetch) until it expires.</summary>
public class JobLease
{
    public required string Name { get; set; }
    public required string Holder { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
}
