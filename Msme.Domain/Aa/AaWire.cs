using System.Text.Json.Serialization;

namespace Msme.Domain.Aa;

// Wire records of ReBIT AA API 2.0.0 (AA_2_0_0.yaml, Aug 2023) and FIU API 2.0.0 (FIU_2_0_0.yaml) with the spec's exact
// property names. Date-times stay strings: they are signed as sent, and AAs send more than one ISO 8601 form (the spec's
// own signedConsent example uses "+0000"); read them with AaJson.TryParseTimestamp. Spec-required members are `required`
// so that a body missing one fails to deserialize instead of reading as null.

/// <summary>The envelope every 2.0.0 message carries (ConsentArtefact has no timestamp in the spec).</summary>
public interface IAaMessage
{
    string Ver { get; }
    string? Timestamp { get; }
    string Txnid { get; }
}

/// <summary>POST /Consent body (ConsentsRequest).</summary>
public sealed record ConsentRequest : IAaMessage
{
    [JsonPropertyName("ver")] public required string Ver { get; init; }
    [JsonPropertyName("timestamp")] public required string Timestamp { get; init; }
    [JsonPropertyName("txnid")] public required string Txnid { get; init; }
    [JsonPropertyName("ConsentDetail")] public required WireConsentDetail ConsentDetail { get; init; }
}

/// <summary>POST /Consent answer (ConsentsResponse).</summary>
public sealed record ConsentResponse : IAaMessage
{
    [JsonPropertyName("ver")] public required string Ver { get; init; }
    [JsonPropertyName("timestamp")] public required string Timestamp { get; init; }
    [JsonPropertyName("txnid")] public required string Txnid { get; init; }
    [JsonPropertyName("Customer")] public required WireCustomer Customer { get; init; }
    [JsonPropertyName("ConsentHandle")] public required string ConsentHandle { get; init; }
}

/// <summary>POST /Consent/handle body.</summary>
public sealed record ConsentHandleRequest : IAaMessage
{
    [JsonPropertyName("ver")] public required string Ver { get; init; }
    [JsonPropertyName("timestamp")] public required string Timestamp { get; init; }
    [JsonPropertyName("txnid")] public required string Txnid { get; init; }
    [JsonPropertyName("ConsentHandle")] public required string ConsentHandle { get; init; }
}

/// <summary>POST /Consent/handle answer; <see cref="WireConsentStatus.Status"/> ∈ READY, PENDING, FAILED, APPROVED, REJECTED, EXPIRED.</summary>
public sealed record ConsentHandleResponse : IAaMessage
{
    [JsonPropertyName("ver")] public required string Ver { get; init; }
    [JsonPropertyName("timestamp")] public required string Timestamp { get; init; }
    [JsonPropertyName("txnid")] public required string Txnid { get; init; }
    [JsonPropertyName("ConsentHandle")] public required string ConsentHandle { get; init; }
    [JsonPropertyName("ConsentStatus")] public required WireConsentStatus ConsentStatus { get; init; }
}

/// <summary>The spec's <c>Consent</c> definition as used in ConsentHandleResponse: id present once granted.</summary>
public sealed record WireConsentStatus
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
}

/// <summary>POST /Consent/fetch body.</summary>
public sealed record ConsentFetchRequest : IAaMessage
{
    [JsonPropertyName("ver")] public required string Ver { get; init; }
    [JsonPropertyName("timestamp")] public required string Timestamp { get; init; }
    [JsonPropertyName("txnid")] public required string Txnid { get; init; }
    [JsonPropertyName("consentId")] public required string ConsentId { get; init; }
}

/// <summary>POST /Consent/fetch answer; status ∈ ACTIVE, PAUSED, REVOKED, EXPIRED; signedConsent is a compact JWS over the SignedConsentDetail.</summary>
public sealed record ConsentArtefact : IAaMessage
{
    [JsonPropertyName("ver")] public required string Ver { get; init; }
    // Not in the 2.0.0 ConsentArtefact schema (issue 13's table lists only ver and txnid too); read if an AA adds it.
    [JsonPropertyName("timestamp")] public string? Timestamp { get; init; }
    [JsonPropertyName("txnid")] public required string Txnid { get; init; }
    [JsonPropertyName("consentId")] public required string ConsentId { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("createTimestamp")] public required string CreateTimestamp { get; init; }
    [JsonPropertyName("signedConsent")] public required string SignedConsent { get; init; }
    [JsonPropertyName("ConsentUse")] public required WireConsentUse ConsentUse { get; init; }
}

public sealed record WireConsentUse
{
    [JsonPropertyName("logUri")] public string? LogUri { get; init; }
    [JsonPropertyName("count")] public int Count { get; init; }
    [JsonPropertyName("lastUseDateTime")] public string? LastUseDateTime { get; init; }
}

/// <summary>POST /FI/request body.</summary>
public sealed record FiRequest : IAaMessage
{
    [JsonPropertyName("ver")] public required string Ver { get; init; }
    [JsonPropertyName("timestamp")] public required string Timestamp { get; init; }
    [JsonPropertyName("txnid")] public required string Txnid { get; init; }
    [JsonPropertyName("FIDataRange")] public required WireDataRange FIDataRange { get; init; }
    [JsonPropertyName("Consent")] public required WireConsentRef Consent { get; init; }
    [JsonPropertyName("KeyMaterial")] public required KeyMaterial KeyMaterial { get; init; }
}

/// <summary>FIRequest.Consent: the consent id and the signature segment of its signedConsent.</summary>
public sealed record WireConsentRef
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("digitalSignature")] public required string DigitalSignature { get; init; }
}

/// <summary>POST /FI/request answer (FIResponse).</summary>
public sealed record FiRequestResponse : IAaMessage
{
    [JsonPropertyName("ver")] public required string Ver { get; init; }
    [JsonPropertyName("timestamp")] public required string Timestamp { get; init; }
    [JsonPropertyName("txnid")] public required string Txnid { get; init; }
    [JsonPropertyName("consentId")] public required string ConsentId { get; init; }
    [JsonPropertyName("sessionId")] public required string SessionId { get; init; }
}

/// <summary>POST /FI/fetch body; fipId and linkRefNumber narrow the fetch (optional).</summary>
public sealed record FiFetchRequest : IAaMessage
{
    [JsonPropertyName("ver")] public required string Ver { get; init; }
    [JsonPropertyName("timestamp")] public required string Timestamp { get; init; }
    [JsonPropertyName("txnid")] public required string Txnid { get; init; }
    [JsonPropertyName("sessionId")] public required string SessionId { get; init; }
    [JsonPropertyName("fipId")] public string? FipId { get; init; }
    [JsonPropertyName("linkRefNumber")] public IReadOnlyList<WireLinkRef>? LinkRefNumber { get; init; }
}

public sealed record WireLinkRef
{
    [JsonPropertyName("id")] public required string Id { get; init; }
}

/// <summary>POST /FI/fetch answer: one entry per FIP, each with its own KeyMaterial.</summary>
public sealed record FiFetchResponse : IAaMessage
{
    [JsonPropertyName("ver")] public required string Ver { get; init; }
    [JsonPropertyName("timestamp")] public required string Timestamp { get; init; }
    [JsonPropertyName("txnid")] public required string Txnid { get; init; }
    [JsonPropertyName("FI")] public required IReadOnlyList<WireFiEntry> FI { get; init; }
}

public sealed record WireFiEntry
{
    [JsonPropertyName("fipID")] public required string FipId { get; init; }
    [JsonPropertyName("data")] public required IReadOnlyList<WireFiData> Data { get; init; }
    [JsonPropertyName("KeyMaterial")] public required KeyMaterial KeyMaterial { get; init; }
}

public sealed record WireFiData
{
    [JsonPropertyName("linkRefNumber")] public required string LinkRefNumber { get; init; }
    [JsonPropertyName("maskedAccNumber")] public required string MaskedAccNumber { get; init; }
    [JsonPropertyName("encryptedFI")] public required string EncryptedFI { get; init; }
}

/// <summary>Every 4xx/5xx body (ErrorResponse); errorCode from <see cref="AaErrorCodes"/>.</summary>
public sealed record AaErrorResponse : IAaMessage
{
    [JsonPropertyName("ver")] public required string Ver { get; init; }
    [JsonPropertyName("timestamp")] public required string Timestamp { get; init; }
    [JsonPropertyName("txnid")] public required string Txnid { get; init; }
    [JsonPropertyName("errorCode")] public required string ErrorCode { get; init; }
    [JsonPropertyName("errorMsg")] public required string ErrorMsg { get; init; }
}

/// <summary>AA → FIU POST /Consent/Notification body (FIU API 2.0.0 ConsentStatusNotification).</summary>
public sealed record ConsentNotification : IAaMessage
{
    [JsonPropertyName("ver")] public required string Ver { get; init; }
    [JsonPropertyName("timestamp")] public required string Timestamp { get; init; }
    [JsonPropertyName("txnid")] public required string Txnid { get; init; }
    [JsonPropertyName("Notifier")] public required WireNotifier Notifier { get; init; }
    [JsonPropertyName("ConsentStatusNotification")] public required WireConsentStatusNotification ConsentStatusNotification { get; init; }
}

/// <summary>Notifier {type, id}: for AA → FIU notifications type is "AA".</summary>
public sealed record WireNotifier
{
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("id")] public required string Id { get; init; }
}

/// <summary>
/// FIU API 2.0.0: only consentStatus is required; consentId and consentHandle are optional (a PENDING/REJECTED consent has
/// no id yet). AA API 2.0.0's own copy of this schema requires consentId and has no consentHandle; the FIU spec, which the
/// FIU serves, wins here. Status ∈ ACTIVE, PENDING, REVOKED, PAUSED, REJECTED, EXPIRED.
/// </summary>
public sealed record WireConsentStatusNotification
{
    [JsonPropertyName("consentId")] public string? ConsentId { get; init; }
    [JsonPropertyName("consentHandle")] public string? ConsentHandle { get; init; }
    [JsonPropertyName("consentStatus")] public required string ConsentStatus { get; init; }
}

/// <summary>AA → FIU POST /FI/Notification body (FIU API 2.0.0 FIStatusNotification).</summary>
public sealed record FiNotification : IAaMessage
{
    [JsonPropertyName("ver")] public required string Ver { get; init; }
    [JsonPropertyName("timestamp")] public required string Timestamp { get; init; }
    [JsonPropertyName("txnid")] public required string Txnid { get; init; }
    [JsonPropertyName("Notifier")] public required WireNotifier Notifier { get; init; }
    [JsonPropertyName("FIStatusNotification")] public required WireFiStatusNotification FIStatusNotification { get; init; }
}

/// <summary>sessionStatus ∈ ACTIVE, COMPLETED, EXPIRED, FAILED.</summary>
public sealed record WireFiStatusNotification
{
    [JsonPropertyName("sessionId")] public required string SessionId { get; init; }
    [JsonPropertyName("sessionStatus")] public required string SessionStatus { get; init; }
    [JsonPropertyName("FIStatusResponse")] public required IReadOnlyList<WireFiStatusEntry> FIStatusResponse { get; init; }
}

public sealed record WireFiStatusEntry
{
    [JsonPropertyName("fipID")] public required string FipId { get; init; }
    [JsonPropertyName("Accounts")] public required IReadOnlyList<WireFiAccountStatus> Accounts { get; init; }
}

/// <summary>FIStatus ∈ READY, DENIED, PENDING, DELIVERED, TIMEOUT; description is optional in the FIU spec (required in the AA spec's copy).</summary>
public sealed record WireFiAccountStatus
{
    [JsonPropertyName("linkRefNumber")] public required string LinkRefNumber { get; init; }
    [JsonPropertyName("FIStatus")] public required string FIStatus { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
}

/// <summary>The FIU's 200 answer to a notification (FIU API 2.0.0 NotificationResponse): response "OK".</summary>
public sealed record NotificationResponse : IAaMessage
{
    [JsonPropertyName("ver")] public required string Ver { get; init; }
    [JsonPropertyName("timestamp")] public required string Timestamp { get; init; }
    [JsonPropertyName("txnid")] public required string Txnid { get; init; }
    [JsonPropertyName("response")] public required string Response { get; init; }
}

/// <summary>
/// ConsentDetail of a consent request, and the SignedConsentDetail inside signedConsent (which adds DataProvider and
/// Accounts, both required there). Optional members are null when absent.
/// </summary>
public sealed record WireConsentDetail
{
    [JsonPropertyName("consentStart")] public required string ConsentStart { get; init; }
    [JsonPropertyName("consentExpiry")] public required string ConsentExpiry { get; init; }
    [JsonPropertyName("consentMode")] public required string ConsentMode { get; init; }
    [JsonPropertyName("fetchType")] public required string FetchType { get; init; }
    [JsonPropertyName("consentTypes")] public required IReadOnlyList<string> ConsentTypes { get; init; }
    [JsonPropertyName("fiTypes")] public required IReadOnlyList<string> FiTypes { get; init; }
    [JsonPropertyName("DataConsumer")] public required WireParty DataConsumer { get; init; }
    // SignedConsentDetail only (issue 13's list omits it; the 2.0.0 schema requires it in the artefact).
    [JsonPropertyName("DataProvider")] public WireParty? DataProvider { get; init; }
    [JsonPropertyName("Customer")] public required WireCustomer Customer { get; init; }
    [JsonPropertyName("Accounts")] public IReadOnlyList<WireConsentAccount>? Accounts { get; init; }
    [JsonPropertyName("Purpose")] public required WirePurpose Purpose { get; init; }
    [JsonPropertyName("FIDataRange")] public required WireDataRange FIDataRange { get; init; }
    [JsonPropertyName("DataLife")] public required WireUnitValue DataLife { get; init; }
    [JsonPropertyName("Frequency")] public required WireUnitValue Frequency { get; init; }
    [JsonPropertyName("DataFilter")] public IReadOnlyList<WireDataFilter>? DataFilter { get; init; }
}

/// <summary>DataConsumer / DataProvider {id, type}: type FIU | USER | AA (consumer), FIP | AA (provider).</summary>
public sealed record WireParty
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("type")] public required string Type { get; init; }
}

public sealed record WireCustomer
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("Identifiers")] public IReadOnlyList<WireIdentifier>? Identifiers { get; init; }
}

/// <summary>Customer.Identifiers[] (2.0.0 ConsentDetail): type MOBILE | EMAIL | OTHERS.</summary>
public sealed record WireIdentifier
{
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("value")] public required string Value { get; init; }
}

public sealed record WireConsentAccount
{
    [JsonPropertyName("fiType")] public required string FiType { get; init; }
    [JsonPropertyName("fipId")] public required string FipId { get; init; }
    [JsonPropertyName("accType")] public required string AccType { get; init; }
    [JsonPropertyName("linkRefNumber")] public required string LinkRefNumber { get; init; }
    [JsonPropertyName("maskedAccNumber")] public required string MaskedAccNumber { get; init; }
}

public sealed record WirePurpose
{
    [JsonPropertyName("code")] public required string Code { get; init; }
    [JsonPropertyName("refUri")] public string? RefUri { get; init; }
    [JsonPropertyName("text")] public string? Text { get; init; }
    [JsonPropertyName("Category")] public WirePurposeCategory? Category { get; init; }
}

public sealed record WirePurposeCategory
{
    [JsonPropertyName("type")] public string? Type { get; init; }
}

/// <summary>FIDataRange {from, to}: ISO 8601 date-times as sent.</summary>
public sealed record WireDataRange
{
    [JsonPropertyName("from")] public required string From { get; init; }
    [JsonPropertyName("to")] public required string To { get; init; }
}

/// <summary>DataLife (DAY|MONTH|YEAR|INF, value 0 for INF) and Frequency (HOUR|DAY|MONTH|YEAR|INF). The spec types value as "number"; every published example is whole.</summary>
public sealed record WireUnitValue
{
    [JsonPropertyName("unit")] public required string Unit { get; init; }
    [JsonPropertyName("value")] public required int Value { get; init; }
}

/// <summary>DataFilter[]: type TRANSACTIONTYPE | TRANSACTIONAMOUNT, operator = != &gt; &lt; &gt;= &lt;=.</summary>
public sealed record WireDataFilter
{
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("operator")] public required string Operator { get; init; }
    [JsonPropertyName("value")] public required string Value { get; init; }
}
