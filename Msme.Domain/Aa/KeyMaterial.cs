using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace Msme.Domain.Aa;

/// <summary>ReBIT 2.0.0 KeyMaterial: the ephemeral ECDH public key and nonce of one side of an FI data exchange.</summary>
public sealed record KeyMaterial
{
    public const string Ecdh = "ECDH";
    public const string CurveCurve25519 = "Curve25519";
    public const string CurveX25519 = "X25519";
    public const string DefaultParams = "cipher=AES/GCM/NoPadding;KeyPairGenerator=ECDH";

    [JsonPropertyName("cryptoAlg")] public required string CryptoAlg { get; init; }
    [JsonPropertyName("curve")] public required string Curve { get; init; }
    [JsonPropertyName("params")] public string? Params { get; init; }
    [JsonPropertyName("DHPublicKey")] public required DhPublicKey DhPublicKey { get; init; }
    [JsonPropertyName("Nonce")] public required string Nonce { get; init; }
}

/// <summary>KeyMaterial.DHPublicKey: expiry (UTC, <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>), Parameters (empty), KeyValue (one-line PEM SPKI).</summary>
public sealed record DhPublicKey
{
    [JsonPropertyName("expiry")] public required string Expiry { get; init; }
    [JsonPropertyName("Parameters")] public string? Parameters { get; init; }
    [JsonPropertyName("KeyValue")] public required string KeyValue { get; init; }
}

/// <summary>
/// Curve25519 in short Weierstrass form, as BouncyCastle's CustomNamedCurves "curve25519" (rahasya /ecc/v1) uses it:
/// y² = x³ + a·x + b over p = 2^255 − 19. Keys are exchanged as SPKI with these explicit parameters (309 bytes).
/// </summary>
public static class Curve25519Weierstrass
{
    public static ECCurve Curve { get; } = Build();

    private static ECCurve Build() => new()
    {
        CurveType = ECCurve.ECCurveType.PrimeShortWeierstrass,
        Prime = Convert.FromHexString("7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed"),
        A = Convert.FromHexString("2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa984914a144"),
        B = Convert.FromHexString("7b425ed097b425ed097b425ed097b425ed097b425ed097b4260b5e9c7710c864"),
        G = new ECPoint
        {
            X = Convert.FromHexString("2aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaad245a"),
            Y = Convert.FromHexString("20ae19a1b8a086b4e01edd2c7748d14c923d4d7e6d7c61b229e9c5a27eced3d9"),
        },
        // n = 2^252 + 27742317777372353535851937790883648493
        Order = Convert.FromHexString("1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed"),
        Cofactor = [0x08],
    };

    /// <summary>True when the explicit parameters are this curve's (a FIP answering on another curve is refused).</summary>
    internal static bool IsThisCurve(ECCurve other)
    {
        var c = Curve;
        return other.IsExplicit && other.CurveType == ECCurve.ECCurveType.PrimeShortWeierstrass
            && SameInteger(other.Prime, c.Prime) && SameInteger(other.A, c.A) && SameInteger(other.B, c.B)
            && SameInteger(other.G.X, c.G.X) && SameInteger(other.G.Y, c.G.Y) && SameInteger(other.Order, c.Order);
    }

    private static bool SameInteger(byte[]? x, byte[]? y) =>
        x is not null && y is not null && Trim(x).SequenceEqual(Trim(y));

    private static ReadOnlySpan<byte> Trim(byte[] v)
    {
        int i = 0;
        while (i < v.Length - 1 && v[i] == 0) i++;
        return v.AsSpan(i);
    }
}

/// <summary>A KeyMaterial or ciphertext that cannot be used: bad key, wrong curve or algorithm, expired key, GCM tag failure.</summary>
public sealed class AaCryptoException(string message, Exception? inner = null) : Exception(message, inner);
