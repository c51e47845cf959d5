using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Msme.Domain.Aa;

/// <summary>The outcome of a signature check: the signer's kid when valid, otherwise the reason.</summary>
public sealed record JwsCheck(bool Valid, string? Kid, string? Error)
{
    internal static JwsCheck Fail(string error, string? kid = null) => new(false, kid, error);
}

/// <summary>
/// Detached JWS with an unencoded payload (RFC 7797), as ReBIT/Sahamati require on every request and response:
/// <c>x-jws-signature = BASE64URL(header) + ".." + BASE64URL(RS256(ASCII(BASE64URL(header)) + "." + body bytes))</c>,
/// header <c>{"alg":"RS256","kid":…,"b64":false,"crit":["b64"]}</c>.
/// </summary>
public static class DetachedJws
{
    public static string Sign(RSA key, string kid, ReadOnlySpan<byte> body)
    {
        string header = JwsCore.Header(kid);
        byte[] signature = key.SignData(JwsCore.SigningInput(header, body), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + ".." + Base64Url.EncodeToString(signature);
    }

    /// <summary>Checks <paramref name="detached"/> over the exact <paramref name="body"/> bytes against <paramref name="keys"/>.</summary>
    public static JwsCheck Verify(string? detached, ReadOnlySpan<byte> body, AaKeySet keys)
    {
        if (string.IsNullOrWhiteSpace(detached))
            return JwsCheck.Fail("x-jws-signature is missing.");
        var parts = detached.Trim().Split('.');
        if (parts.Length != 3 || parts[1].Length != 0)
            return JwsCheck.Fail("x-jws-signature is not a detached JWS (expected header..signature).");
        return JwsCore.Verify(parts[0], body, parts[2], keys, requireUnencoded: true);
    }
}

/// <summary>
/// The compact JWS of a ConsentArtefact's <c>signedConsent</c>: <c>seg1.seg2.seg3</c>, seg2 = BASE64URL(consent JSON),
/// signature over ASCII(seg1 + "." + seg2) as the segments appear. ReBIT's 2.0.0 example carries <c>b64:false</c> in the
/// header yet base64url-encodes seg2; a JOSE library honouring b64:false reads seg2 as the raw payload, which gives the same
/// signing input, so both readings verify.
/// </summary>
public static class CompactJws
{
    public static string Sign(RSA key, string kid, ReadOnlySpan<byte> payloadJson)
    {
        string header = JwsCore.Header(kid);
        string payload = Base64Url.EncodeToString(payloadJson);
        byte[] signature = key.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + payload + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>Verifies the compact JWS and returns its decoded payload (empty when invalid).</summary>
    public static JwsCheck Verify(string compact, AaKeySet keys, out byte[] payload)
    {
        payload = [];
        var parts = (compact ?? "").Trim().Split('.');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length == 0 || parts[2].Length == 0)
            return JwsCheck.Fail("signedConsent is not a compact JWS (expected header.payload.signature).");
        byte[] signingPayload = Encoding.ASCII.GetBytes(parts[1]);
        var check = JwsCore.Verify(parts[0], signingPayload, parts[2], keys, requireUnencoded: false);
        if (!check.Valid)
            return check;
        try
        {
            payload = Base64Url.DecodeFromChars(parts[1]);
        }
        catch (FormatException)
        {
            return JwsCheck.Fail("signedConsent payload is not base64url.", check.Kid);
        }
        return check;
    }

    /// <summary>The third segment: what FIRequest.Consent.digitalSignature carries.</summary>
    public static string SignatureSegment(string compact)
    {
        var parts = compact.Split('.');
        if (parts.Length != 3)
            throw new FormatException("Not a compact JWS (expected three segments).");
        return parts[2];
    }
}

internal static class JwsCore
{
    public static string Header(string kid) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["alg"] = "RS256",
            ["kid"] = kid,
            ["b64"] = false,
            ["crit"] = new[] { "b64" },
        }));

    public static byte[] SigningInput(string encodedHeader, ReadOnlySpan<byte> payload)
    {
        var input = new byte[encodedHeader.Length + 1 + payload.Length];
        Encoding.ASCII.GetBytes(encodedHeader, input);
        input[encodedHeader.Length] = (byte)'.';
        payload.CopyTo(input.AsSpan(encodedHeader.Length + 1));
        return input;
    }

    public static JwsCheck Verify(string encodedHeader, ReadOnlySpan<byte> payload, string encodedSignature, AaKeySet keys, bool requireUnencoded)
    {
        string? kid;
        try
        {
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(encodedHeader));
            var root = header.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return JwsCheck.Fail("JWS header is not a JSON object.");
            if (!root.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "RS256")
                return JwsCheck.Fail($"JWS alg must be RS256, got {(root.TryGetProperty("alg", out var a) ? a.ToString() : "none")}.");
            kid = root.TryGetProperty("kid", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            bool hasB64 = root.TryGetProperty("b64", out var b64);
            if (hasB64 && b64.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                return JwsCheck.Fail("JWS b64 must be a boolean.", kid);
            bool unencoded = hasB64 && b64.ValueKind == JsonValueKind.False;
            if (requireUnencoded && !unencoded)
                return JwsCheck.Fail("JWS header must carry \"b64\":false (RFC 7797 unencoded payload).", kid);
            var crit = root.TryGetProperty("crit", out var c) && c.ValueKind == JsonValueKind.Array
                ? c.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : null).ToList()
                : null;
            if (root.TryGetProperty("crit", out _) && crit is null)
                return JwsCheck.Fail("JWS crit must be an array.", kid);
            if (crit is not null && crit.Any(name => name != "b64"))
                return JwsCheck.Fail("JWS crit names a header parameter this verifier does not understand.", kid);
            if (unencoded && (crit is null || !crit.Contains("b64")))
                return JwsCheck.Fail("JWS with \"b64\":false must list \"b64\" in crit (RFC 7797).", kid);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return JwsCheck.Fail("JWS header is not base64url JSON.");
        }
        if (string.IsNullOrEmpty(kid))
            return JwsCheck.Fail("JWS header has no kid.");
        var key = keys.Find(kid);
        if (key is null)
            return JwsCheck.Fail($"JWS kid '{kid}' is not among the trusted keys.", kid);
        byte[] signature;
        try
        {
            signature = Base64Url.DecodeFromChars(encodedSignature);
        }
        catch (FormatException)
        {
            return JwsCheck.Fail("JWS signature is not base64url.", kid);
        }
        bool ok;
        try
        {
            ok = key.VerifyData(SigningInput(encodedHeader, payload), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            ok = false;
        }
        return ok ? new JwsCheck(true, kid, null) : JwsCheck.Fail("JWS signature does not match the body.", kid);
    }
}
