using Msme.Domain.Consent;

namespace Msme.Portal.Data.Entities;

/// <summary>A consent artefact as received, with its current status. Kept after purge: it is the lineage.</summary>
public class ConsentRecord
{
    public int Id { get; set; }
    public required string ConsentId { get; set; }
    public int CustomerId { get; set; }
    public Customer? Customer { get; set; }
    public ConsentStatus Status { get; set; }
    public DateTimeOffset? ConsentStart { get; set; }
    public DateTimeOffset? ConsentExpiry { get; set; }
    public string? ConsentMode { get; set; }
    public string? FetchType { get; set; }
    /// <summary>Comma-separated, as few and fixed as they are (PROFILE, SUMMARY, TRANSACTIONS).</summary>
    public string ConsentTypes { get; set; } = "";
    public string FiTypes { get; set; } = "";
    public string? DataConsumerId { get; set; }
    public string? DataProviderId { get; set; }
    public string? PurposeCode { get; set; }
    public string? PurposeText { get; set; }
    public string? PurposeCategory { get; set; }
    public DateTimeOffset? FiDataFrom { get; set; }
    public DateTimeOffset? FiDataTo { get; set; }
    public string? DataLifeUnit { get; set; }
    public int? DataLifeValue { get; set; }
    public string? FrequencyUnit { get; set; }
    public int? FrequencyValue { get; set; }
    /// <summary>The DataFilter rules as JSON: applied at ingestion, shown in lineage.</summary>
    public string DataFiltersJson { get; set; } = "[]";
    public DateTimeOffset? CreateTimestamp { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    /// <summary>The Account Aggregator that granted the consent, when it came through the AA connector (null for a file import).</summary>
    public string? AaId { get; set; }

    public List<ConsentLinkedAccount> LinkedAccounts { get; set; } = [];
    public List<ConsentStatusChange> StatusHistory { get; set; } = [];
    public List<FetchSession> Sessions { get; set; } = [];
}

/// <summary>An account the consent names (ConsentDetail.Accounts[]).</summary>
public class ConsentLinkedAccount
{
    public int Id { get; set; }
    public int ConsentRecordId { get; set; }
    public string? FiType { get; set; }
    public string? FipId { get; set; }
    public string? AccType { get; set; }
    public string? LinkRefNumber { get; set; }
    public string? MaskedAccNumber { get; set; }
}

/// <summary>One entry in a consent's status history: never updated, never deleted.</summary>
public class ConsentStatusChange
{
    public int Id { get; set; }
    public int ConsentRecordId { get; set; }
    public ConsentStatus? FromStatus { get; set; }
    public ConsentStatus ToStatus { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    /// <summary>import, admin, notification or purge.</summary>
    public required string Source { get; set; }
    public string? ChangedBy { get; set; }
    public string? Note { get; set; }
}
