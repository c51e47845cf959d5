namespace Msme.Domain.Consent;

public enum ConsentStatus { Active, Paused, Revoked, Expired }

/// <summary>An account the consent covers (ConsentDetail.Accounts[]).</summary>
public sealed record ConsentAccount(string? FiType, string? FipId, string? AccType, string? LinkRefNumber, string? MaskedAccNumber);

/// <summary>A DataFilter rule: type TRANSACTIONTYPE or TRANSACTIONAMOUNT, operator one of = != &gt; &lt; &gt;= &lt;=.</summary>
public sealed record DataFilterRule(string Type, string Operator, string Value);

/// <summary>The consent detail an FIU holds, from a ReBIT ConsentArtefact (its signedConsent payload) or a bare ConsentDetail.</summary>
public sealed record ConsentDetail
{
    /// <summary>The artefact's consentId; for a bare consent detail, a stable id derived from its content.</summary>
    public required string ConsentId { get; init; }
    public ConsentStatus Status { get; init; } = ConsentStatus.Active;
    public DateTimeOffset? ConsentStart { get; init; }
    public DateTimeOffset? ConsentExpiry { get; init; }
    /// <summary>VIEW, STORE, QUERY or STREAM.</summary>
    public string? ConsentMode { get; init; }
    /// <summary>ONETIME or PERIODIC.</summary>
    public string? FetchType { get; init; }
    public IReadOnlyList<string> ConsentTypes { get; init; } = [];
    public IReadOnlyList<string> FiTypes { get; init; } = [];
    public string? DataConsumerId { get; init; }
    public string? DataProviderId { get; init; }
    /// <summary>Customer.id: the AA handle, like <c>user@aa</c>.</summary>
    public required string CustomerId { get; init; }
    public IReadOnlyList<ConsentAccount> Accounts { get; init; } = [];
    public string? PurposeCode { get; init; }
    public string? PurposeText { get; init; }
    public string? PurposeRefUri { get; init; }
    public string? PurposeCategory { get; init; }
    public DateTimeOffset? FiDataFrom { get; init; }
    public DateTimeOffset? FiDataTo { get; init; }
    /// <summary>DAY, MONTH, YEAR or INF.</summary>
    public string? DataLifeUnit { get; init; }
    public int? DataLifeValue { get; init; }
    public string? FrequencyUnit { get; init; }
    public int? FrequencyValue { get; init; }
    public IReadOnlyList<DataFilterRule> DataFilters { get; init; } = [];
    public DateTimeOffset? CreateTimestamp { get; init; }
    public string? TxnId { get; init; }
    public string? Version { get; init; }
}
