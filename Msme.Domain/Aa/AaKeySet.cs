using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Msme.Domain.Aa;

/// <summary>
/// Trusted RSA signing keys by kid, read from a JWKS (the AA's keys on the FIU side, the FIU's on the AA side): the
/// embedded default stands in for the Sahamati Central Registry. The RSA objects are owned by the set: do not dispose them.
/// </summary>
public sealed class AaKeySet
{
    private readonly Dictionary<string, RSA> _keys;

    private AaKeySet(Dictionary<string, RSA> keys) => _keys = keys;

    public IReadOnlyCollection<string> Kids => _keys.Keys;

    public RSA? Find(string kid) => _keys.GetValueOrDefault(kid);

    /// <summary>Builds a set from keys in hand (the simulator and tests); only the public halves are kept.</summary>
    public static AaKeySet From(IEnumerable<(string Kid, RSA Key)> keys) => Parse(ToJwks(keys));

    /// <summary>Reads <c>{"keys":[{"kty":"RSA","kid":…,"n":…,"e":…}]}</c>; keys of other types or meant for encryption are skipped.</summary>
    /// <exception cref="FormatException">not a JWKS, a key without kid, a duplicate kid, or bad n/e.</exception>
    public static AaKeySet Parse(string jwksJson)
    {
        var keys = new Dictionary<string, RSA>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(jwksJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("keys", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new FormatException("JWKS must be an object with a \"keys\" array.");
            foreach (var jwk in list.EnumerateArray())
            {
                string? Str(string name) => jwk.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                if (Str("kty") != "RSA" || (Str("use") is { } use && use != "sig") || (Str("alg") is { } alg && alg != "RS256"))
                    continue;
                string kid = Str("kid") ?? throw new FormatException("JWKS RSA key without kid.");
                byte[] n = Base64Url.DecodeFromChars(Str("n") ?? throw new FormatException($"JWKS key '{kid}' has no n."));
                byte[] e = Base64Url.DecodeFromChars(Str("e") ?? throw new FormatException($"JWKS key '{kid}' has no e."));
                if (n.Length < 256)
                    throw new FormatException($"JWKS key '{kid}' is {n.Length * 8} bits: RS256 keys must have at least 2048.");
                var rsa = RSA.Create();
                rsa.ImportParameters(new RSAParameters { Modulus = n, Exponent = e });
                if (!keys.TryAdd(kid, rsa))
                    throw new FormatException($"JWKS has kid '{kid}' twice.");
            }
        }
        catch (JsonException ex)
        {
            throw new FormatException("JWKS is not JSON.", ex);
        }
        catch (CryptographicException ex)
        {
            throw new FormatException("JWKS holds an RSA key that cannot be imported.", ex);
        }
        return new AaKeySet(keys);
    }

    public static AaKeySet Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>The public JWKS of <paramref name="keys"/>: kty, kid, use "sig", alg "RS256", n, e.</summary>
    public static string ToJwks(IEnumerable<(string Kid, RSA Key)> keys)
    {
        var list = keys.Select(k =>
        {
            var p = k.Key.ExportParameters(includePrivateParameters: false);
            return new Dictionary<string, string>
            {
                ["kty"] = "RSA",
                ["kid"] = k.Kid,
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["n"] = Base64Url.EncodeToString(p.Modulus),
                ["e"] = Base64Url.EncodeToString(p.Exponent),
            };
        }).ToList();
        return JsonSerializer.Serialize(new { keys = list }, new JsonSerializerOptions { WriteIndented = true });
    }
}

/// <summary>This party's RSA signing key as a PEM file: PKCS#8 written owner-only when absent; PKCS#8 or PKCS#1 read.</summary>
public static class RsaKeyFile
{
    public static RSA LoadOrCreate(string path, out bool created)
    {
        if (File.Exists(path))
        {
            created = false;
            return Load(path);
        }
        var rsa = RSA.Create(2048);
        string pem = rsa.ExportPkcs8PrivateKeyPem();
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
            Directory.CreateDirectory(dir);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var stream = new FileStream(path, options);
            using var writer = new StreamWriter(stream);
            writer.Write(pem);
            writer.Write('\n');
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process (a second instance, the CLI) created it first: use theirs.
            rsa.Dispose();
            created = false;
            return Load(path);
        }
        created = true;
        return rsa;
    }

    public static RSA Load(string path)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(File.ReadAllText(path));
            _ = rsa.ExportParameters(includePrivateParameters: true);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw new FormatException($"{path} holds no RSA private key PEM (PKCS#8 'BEGIN PRIVATE KEY' or PKCS#1 'BEGIN RSA PRIVATE KEY').", e);
        }
        return rsa;
    }

    /// <summary>RFC 7638 JWK thumbprint (SHA-256 over {"e","kty","n"} in that order), base64url.</summary>
    public static string Kid(RSA key)
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        string canonical = $"{{\"e\":\"{Base64Url.EncodeToString(p.Exponent)}\",\"kty\":\"RSA\",\"n\":\"{Base64Url.EncodeToString(p.Modulus)}\"}}";
        return Base64Url.EncodeToString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical)));
    }
}
