using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Msme.Domain.Aa;

/// <summary>The JSON conventions of ReBIT AA API 2.0.0: options, timestamps and the exact bytes that are signed and sent.</summary>
public static class AaJson
{
    public const string Version = "2.0.0";

    /// <summary>Null members are left out (optional wire fields are absent, never <c>null</c>); names come from the records' attributes.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Base64 ('+', '/') and PEM markers stay readable on the wire; the signature covers whatever bytes are sent.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNameCaseInsensitive = false,
    };

    /// <summary>UTC, millisecond precision, <c>Z</c>: the form ReBIT's examples and rahasya's expiry parser use.</summary>
    public static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads an ISO 8601 date-time as sent by AAs: <c>Z</c>, <c>+05:30</c> or the <c>+0000</c> form of the spec's own examples.</summary>
    public static bool TryParseTimestamp(string? text, out DateTimeOffset at)
    {
        at = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        string t = text.Trim();
        // "+0000" (no colon) appears in ReBIT's signedConsent example; .NET's round-trip parser wants "+00:00".
        if (t.Length > 5 && (t[^5] == '+' || t[^5] == '-') && char.IsAsciiDigit(t[^4]) && t[^3..].All(char.IsAsciiDigit) && t.Contains('T'))
            t = t[..^2] + ":" + t[^2..];
        return DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at)
            && t.Contains('T');
    }

    /// <summary>The exact UTF-8 bytes to sign and to send: serialize once and use these bytes for both.</summary>
    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T? Deserialize<T>(ReadOnlySpan<byte> body) => JsonSerializer.Deserialize<T>(body, Options);

    public static string NewTxnId() => Guid.NewGuid().ToString();
}

/// <summary>errorCode values of ReBIT AA API 2.0.0 (AA_2_0_0.yaml ErrorResponse family) and FIU API 2.0.0 (notifications).</summary>
public static class AaErrorCodes
{
    // BadRequest (400)
    public const string InvalidRequest = nameof(InvalidRequest);
    public const string InvalidUri = "InvalidURI";
    public const string InvalidSecurity = nameof(InvalidSecurity);
    public const string SignatureDoesNotMatch = nameof(SignatureDoesNotMatch);
    public const string InvalidCustomerAddress = nameof(InvalidCustomerAddress);
    public const string InvalidConsentPurpose = nameof(InvalidConsentPurpose);
    public const string InvalidConsentHandle = nameof(InvalidConsentHandle);
    public const string InvalidConsentId = nameof(InvalidConsentId);
    public const string InvalidKey = nameof(InvalidKey);
    public const string InvalidDateRange = nameof(InvalidDateRange);
    public const string InvalidConsentStatus = nameof(InvalidConsentStatus);
    public const string InvalidConsentDetail = nameof(InvalidConsentDetail);
    public const string InvalidConsentUse = nameof(InvalidConsentUse);
    public const string InvalidFipId = "InvalidFIPId";
    public const string InvalidSessionId = nameof(InvalidSessionId);
    // Notifications (FIU API 2.0.0)
    public const string InvalidNotifier = nameof(InvalidNotifier);
    public const string InvalidFiStatusNotification = "InvalidFIStatusNotification";
    public const string InvalidSessionStatus = nameof(InvalidSessionStatus);
    public const string InvalidFiStatus = "InvalidFIStatus";
    // 401
    public const string Unauthorized = nameof(Unauthorized);
    // 403 (FI/fetch)
    public const string DataFetchRequestInProgress = nameof(DataFetchRequestInProgress);
    public const string ConsentExpired = nameof(ConsentExpired);
    public const string ConsentRevoked = nameof(ConsentRevoked);
    public const string ConsentPaused = nameof(ConsentPaused);
    // 404
    public const string NoSuchVersion = nameof(NoSuchVersion);
    public const string NoDataFound = nameof(NoDataFound);
    // 409, 410, 412
    public const string IdempotencyError = nameof(IdempotencyError);
    public const string DataGone = nameof(DataGone);
    public const string PreconditionFailed = nameof(PreconditionFailed);
    // 5xx
    public const string InternalError = nameof(InternalError);
    public const string NotImplemented = nameof(NotImplemented);
    public const string ServiceUnavailable = nameof(ServiceUnavailable);

    /// <summary>The HTTP status ReBIT pairs with an errorCode (BadRequest* → 400 unless listed).</summary>
    public static int HttpStatus(string errorCode) => errorCode switch
    {
        Unauthorized => 401,
        DataFetchRequestInProgress or ConsentExpired or ConsentRevoked or ConsentPaused => 403,
        NoSuchVersion or NoDataFound => 404,
        IdempotencyError => 409,
        DataGone => 410,
        PreconditionFailed => 412,
        InternalError => 500,
        NotImplemented => 501,
        ServiceUnavailable => 503,
        _ => 400,
    };
}
