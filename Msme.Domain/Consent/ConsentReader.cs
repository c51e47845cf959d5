using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

using Msme.Domain.Ingestion;
using Msme.Domain.Ingestion.Reading;

namespace Msme.Domain.Consent;

/// <summary>A consent read from a file, or null when it could not be read; the issues say why.</summary>
public sealed record ConsentParseResult(ConsentDetail? Consent, IReadOnlyList<IngestionIssue> Issues)
{
    public bool HasErrors => Issues.Any(i => i.Severity == IssueSeverity.Error);
}

/// <summary>
/// Reads a consent in any of the shapes met in practice: a ReBIT ConsentArtefact (signedConsent JWS), a bare
/// ConsentDetail, or the decoded JWS form {jwsHeader, signedConsentPayload}.
/// </summary>
/// <remarks>A consent is a few kilobytes, so a DOM is fine here, unlike FI documents.</remarks>
public static class ConsentReader
{
    private const int MaxBytes = 1024 * 1024;

    private static readonly HashSet<string> DetailFields = new(StringComparer.Ordinal)
    {
        "consentstart", "consentexpiry", "consentmode", "fetchtype", "consenttypes", "fitypes", "dataconsumer", "dataprovider",
        "customer", "accounts", "purpose", "fidatarange", "datalife", "frequency", "datafilter",
    };

    private static readonly HashSet<string> ArtefactFields = new(StringComparer.Ordinal)
    {
        "ver", "txnid", "consentid", "status", "createtimestamp", "signedconsent", "consentuse", "consentdetail",
        "consentdetaildigitalsignature",
    };

    public static ConsentParseResult Read(Stream stream, string fileName)
    {
        var issues = new IssueCollector(fileName);
        var bytes = ReadBounded(stream, issues);
        var consent = bytes is null ? null : Parse(bytes, issues);
        return new ConsentParseResult(issues.ErrorCount == 0 ? consent : null, issues.ToList());
    }

    private static byte[]? ReadBounded(Stream stream, IssueCollector issues)
    {
        using var copy = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int n;
        // Through the UTF-8 check (and UTF-16 transcoding): JsonDocument would accept bytes GetString later throws on.
        using var text = new Utf8InputStream(stream);
        try
        {
            while ((n = text.Read(buffer)) > 0)
            {
                copy.Write(buffer, 0, n);
                if (copy.Length > MaxBytes)
                {
                    issues.Error(null, "$", null, $"a consent is a few kilobytes; this file is over {MaxBytes / 1024} KB");
                    return null;
                }
            }
        }
        catch (InvalidUtf8Exception ex)
        {
            issues.Error(null, "$", $"0x{ex.Value:X2}", $"the consent file is not {ex.EncodingName}: {ex.Message}");
            return null;
        }

        if (copy.Length == 0)
        {
            issues.Error(null, "$", null, "the consent file is empty (0 bytes)");
            return null;
        }

        return copy.ToArray();
    }

    private static ConsentDetail? Parse(byte[] bytes, IssueCollector issues)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            issues.Error(null, "$", null, $"the consent is not valid JSON: {ex.Message}", ex.LineNumber is { } l ? (int)l + 1 : null);
            return null;
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                issues.Error(null, "$", null, "the consent must be a JSON object");
                return null;
            }

            // A bare detail carries no id: derive one from the exact bytes, so the same file always gets the same id.
            var derivedId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];

            if (Prop(root, "signedconsent") is { } signed)
            {
                return ReadArtefact(root, signed, issues, derivedId);
            }

            if (Prop(root, "signedconsentpayload") is { ValueKind: JsonValueKind.Object } payload)
            {
                // The decoded form of a JWS: header and payload side by side, signature dropped.
                WarnUnknown(root, issues, "$", ["jwsheader", "signedconsentpayload", "note"]);
                return ReadDetail(payload, "$.signedConsentPayload", issues, derivedId, ConsentStatus.Active, null, null, null);
            }

            if (Prop(root, "consentdetail") is { ValueKind: JsonValueKind.Object } unsigned)
            {
                return ReadArtefact(root, unsigned, issues, derivedId);
            }

            if (Prop(root, "customer") is not null || Prop(root, "fitypes") is not null)
            {
                issues.Warning(null, "$", null, "a bare consent detail has no status; taken as ACTIVE");
                return ReadDetail(root, "$", issues, derivedId, ConsentStatus.Active, null, null, null);
            }

            issues.Error(null, "$", null, "not a consent: expected a ConsentArtefact (signedConsent) or a ConsentDetail (Customer, fiTypes, FIDataRange)");
            return null;
        }
    }

    private static ConsentDetail? ReadArtefact(JsonElement root, JsonElement detailSource, IssueCollector issues, string derivedId)
    {
        WarnUnknown(root, issues, "$", ArtefactFields);
        var consentId = Text(root, "consentid");
        if (consentId is null)
        {
            issues.Warning(null, "$.consentId", null, $"the artefact has no consentId; using {derivedId}");
        }

        var status = ConsentStatus.Active;
        var statusText = Text(root, "status");
        if (statusText is null)
        {
            issues.Error(null, "$.status", null, "consent status is missing");
        }
        else if (!Enum.TryParse(statusText, ignoreCase: true, out status) || int.TryParse(statusText, out _))
        {
            issues.Error(null, "$.status", statusText, "consent status must be ACTIVE, PAUSED, REVOKED or EXPIRED");
        }

        DateTimeOffset? created = null;
        if (Text(root, "createtimestamp") is { } createdText)
        {
            created = Timestamp(createdText, "$.createTimestamp", issues);
        }

        JsonElement detail;
        string detailPath;
        if (detailSource.ValueKind == JsonValueKind.String)
        {
            detailPath = "$.signedConsent";
            var payload = DecodeJws(detailSource.GetString()!, issues);
            if (payload is null)
            {
                return null;
            }

            try
            {
                using var payloadDoc = JsonDocument.Parse(payload);
                detail = payloadDoc.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                issues.Error(null, detailPath, null, $"signedConsent payload is not JSON: {ex.Message}");
                return null;
            }
        }
        else if (detailSource.ValueKind == JsonValueKind.Object)
        {
            detailPath = "$.ConsentDetail";
            detail = detailSource;
        }
        else
        {
            issues.Error(null, "$.signedConsent", null, "signedConsent must be a JWS string");
            return null;
        }

        return ReadDetail(detail, detailPath, issues, consentId ?? derivedId, status, created, Text(root, "txnid"), Text(root, "ver"));
    }

    /// <summary>
    /// Returns the JWS payload bytes. The signature is NOT verified yet: that needs the AA's public key from the
    /// Sahamati central registry, which this pure domain library does not reach. Until then a consent is trusted as
    /// delivered by the AA channel.
    /// </summary>
    private static byte[]? DecodeJws(string jws, IssueCollector issues)
    {
        const string path = "$.signedConsent";
        var firstDot = jws.IndexOf('.');
        var lastDot = jws.LastIndexOf('.');
        if (firstDot < 0 || lastDot == firstDot)
        {
            issues.Error(null, path, jws, "signedConsent is not a compact JWS (expected header.payload.signature)");
            return null;
        }

        var headerBytes = Base64Url(jws[..firstDot]);
        if (headerBytes is null)
        {
            issues.Error(null, path, jws[..firstDot], "the JWS header is not base64url");
            return null;
        }

        var unencoded = false;
        try
        {
            using var header = JsonDocument.Parse(headerBytes);
            unencoded = header.RootElement.ValueKind == JsonValueKind.Object
                        && header.RootElement.TryGetProperty("b64", out var b64) && b64.ValueKind == JsonValueKind.False;
        }
        catch (JsonException)
        {
            issues.Error(null, path, jws[..firstDot], "the JWS header is not JSON");
            return null;
        }

        // Payload is everything between the first and last dot: with b64=false (RFC 7797) it is raw JSON and may hold dots.
        var payloadText = jws[(firstDot + 1)..lastDot];
        if (payloadText.Length == 0)
        {
            issues.Error(null, path, null, "the JWS has a detached (empty) payload: the consent detail is not in the artefact");
            return null;
        }

        // ReBIT 2.0.0's own example declares b64=false yet base64url-encodes the payload, and AAs send it so: that is the
        // signedConsent form (the signature covers seg1.seg2 exactly as they appear), so a payload that cannot be raw
        // JSON (JSON starts with '{') is decoded as base64url, without a warning.
        if (unencoded && !payloadText.TrimStart().StartsWith('{') && Base64Url(payloadText) is { } decoded)
        {
            return decoded;
        }

        var payload = unencoded ? Encoding.UTF8.GetBytes(payloadText) : Base64Url(payloadText);
        if (payload is null)
        {
            issues.Error(null, path, payloadText, "the JWS payload is not base64url");
        }

        return payload;
    }

    private static byte[]? Base64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        var bytes = new byte[s.Length];
        return Convert.TryFromBase64String(s, bytes, out var n) ? bytes[..n] : null;
    }

    private static ConsentDetail? ReadDetail(JsonElement d, string path, IssueCollector issues, string consentId, ConsentStatus status,
        DateTimeOffset? created, string? txnId, string? version)
    {
        if (d.ValueKind != JsonValueKind.Object)
        {
            issues.Error(null, path, null, "the consent detail must be a JSON object");
            return null;
        }

        WarnUnknown(d, issues, path, DetailFields);
        var customer = Prop(d, "customer") is { } c ? Text(c, "id") : null;
        if (customer is null)
        {
            issues.Error(null, $"{path}.Customer.id", null, "the consent names no customer (Customer.id)");
        }

        var range = Prop(d, "fidatarange");
        var from = TimestampProp(range, "from", $"{path}.FIDataRange.from", issues);
        var to = TimestampProp(range, "to", $"{path}.FIDataRange.to", issues);
        if (range is null)
        {
            issues.Error(null, $"{path}.FIDataRange", null, "the consent has no FIDataRange");
        }
        else if (from > to)
        {
            issues.Error(null, $"{path}.FIDataRange", null, "FIDataRange.from is after FIDataRange.to");
        }

        var dataLife = Prop(d, "datalife");
        var dataLifeUnit = dataLife is { } dl ? Text(dl, "unit")?.ToUpperInvariant() : null;
        if (dataLifeUnit is null)
        {
            issues.Error(null, $"{path}.DataLife", null, "the consent has no DataLife: without it the data cannot be kept at all");
        }
        else if (dataLifeUnit is not ("DAY" or "MONTH" or "YEAR" or "INF"))
        {
            issues.Error(null, $"{path}.DataLife.unit", dataLifeUnit, "DataLife.unit must be DAY, MONTH, YEAR or INF");
        }

        var filters = new List<DataFilterRule>();
        if (Prop(d, "datafilter") is { ValueKind: JsonValueKind.Array } filterArray)
        {
            var i = 0;
            foreach (var f in filterArray.EnumerateArray())
            {
                var rule = new DataFilterRule(Text(f, "type")?.ToUpperInvariant() ?? "", Text(f, "operator") ?? "", Text(f, "value") ?? "");
                if (!ConsentRules.TryCompile(rule, out _, out var reason))
                {
                    issues.Error(null, $"{path}.DataFilter[{i}]", $"{rule.Type} {rule.Operator} {rule.Value}", reason);
                }

                filters.Add(rule);
                i++;
            }
        }

        if (customer is null)
        {
            return null;
        }

        var purpose = Prop(d, "purpose");
        return new ConsentDetail
        {
            ConsentId = consentId,
            Status = status,
            ConsentStart = TimestampProp(d, "consentstart", $"{path}.consentStart", issues),
            ConsentExpiry = TimestampProp(d, "consentexpiry", $"{path}.consentExpiry", issues),
            ConsentMode = Text(d, "consentmode")?.ToUpperInvariant(),
            FetchType = Text(d, "fetchtype")?.ToUpperInvariant(),
            ConsentTypes = Strings(d, "consenttypes"),
            FiTypes = Strings(d, "fitypes"),
            DataConsumerId = Prop(d, "dataconsumer") is { } dc ? Text(dc, "id") : null,
            DataProviderId = Prop(d, "dataprovider") is { } dp ? Text(dp, "id") : null,
            CustomerId = customer,
            Accounts = Prop(d, "accounts") is { ValueKind: JsonValueKind.Array } accounts
                ? accounts.EnumerateArray().Select(a => new ConsentAccount(Text(a, "fitype"), Text(a, "fipid"), Text(a, "acctype"),
                    Text(a, "linkrefnumber"), Text(a, "maskedaccnumber"))).ToList()
                : [],
            PurposeCode = purpose is { } p ? Text(p, "code") : null,
            PurposeText = purpose is { } pt ? Text(pt, "text") : null,
            PurposeRefUri = purpose is { } pr ? Text(pr, "refuri") : null,
            PurposeCategory = purpose is { } pc && Prop(pc, "category") is { } cat ? Text(cat, "type") : null,
            FiDataFrom = from,
            FiDataTo = to,
            DataLifeUnit = dataLifeUnit,
            DataLifeValue = dataLife is { } dv ? Int(dv, "value") : null,
            FrequencyUnit = Prop(d, "frequency") is { } fu ? Text(fu, "unit")?.ToUpperInvariant() : null,
            FrequencyValue = Prop(d, "frequency") is { } fv ? Int(fv, "value") : null,
            DataFilters = filters,
            CreateTimestamp = created,
            TxnId = txnId,
            Version = version,
        };
    }

    private static void WarnUnknown(JsonElement obj, IssueCollector issues, string path, IReadOnlySet<string> known)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (!known.Contains(FieldNames.Normalise(p.Name)))
            {
                issues.Warning(null, $"{path}.{p.Name}", null, $"non-standard field '{p.Name}' ignored");
            }
        }
    }

    private static void WarnUnknown(JsonElement obj, IssueCollector issues, string path, string[] known) =>
        WarnUnknown(obj, issues, path, known.ToHashSet(StringComparer.Ordinal));

    /// <summary>A property by normalised name: ReBIT capitalises objects (DataConsumer, FIDataRange), feeds do not always.</summary>
    private static JsonElement? Prop(JsonElement? obj, string normalName)
    {
        if (obj is not { ValueKind: JsonValueKind.Object } o)
        {
            return null;
        }

        foreach (var p in o.EnumerateObject())
        {
            if (FieldNames.Normalise(p.Name) == normalName)
            {
                return p.Value;
            }
        }

        return null;
    }

    private static string? Text(JsonElement obj, string normalName) => Prop(obj, normalName) switch
    {
        { ValueKind: JsonValueKind.String } s when !string.IsNullOrWhiteSpace(s.GetString()) => s.GetString()!.Trim(),
        { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => null,
    };

    private static int? Int(JsonElement obj, string normalName) =>
        Text(obj, normalName) is { } t && int.TryParse(t, out var v) ? v : null;

    private static IReadOnlyList<string> Strings(JsonElement obj, string normalName) =>
        Prop(obj, normalName) is { ValueKind: JsonValueKind.Array } a
            ? a.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!.Trim().ToUpperInvariant()).ToList()
            : [];

    private static DateTimeOffset? TimestampProp(JsonElement? obj, string normalName, string path, IssueCollector issues) =>
        obj is { } o && Text(o, normalName) is { } text ? Timestamp(text, path, issues) : null;

    private static DateTimeOffset? Timestamp(string text, string path, IssueCollector issues)
    {
        if (ValueParsers.TryTimestamp(text, out var value, out var reason))
        {
            return value;
        }

        issues.Error(null, path, text, reason);
        return null;
    }
}
