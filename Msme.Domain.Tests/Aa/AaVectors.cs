using System.Text.Json;
using Msme.Domain.Aa;

namespace Msme.Domain.Tests.Aa;

/// <summary>The known vectors fixed by Fixtures/vectors/make_vectors.py (an independent Python implementation; see PROVENANCE.md).</summary>
internal sealed record AaVectorSide(byte[] D, byte[] Nonce, KeyMaterial KeyMaterial, byte[] Spki);

internal sealed record AaVector(string Name, AaVectorSide Fiu, AaVectorSide Fip, byte[] SharedSecret, byte[] SessionKey, byte[] Iv, byte[] Plaintext, string EncryptedFi)
{
    public static string Dir => Path.Combine(AppContext.BaseDirectory, "Aa", "Fixtures");

    /// <summary>The vectors' keys expire at 2026-12-07T10:15:00Z: a clock an hour before that, whatever today is.</summary>
    public static DateTimeOffset ValidAt => new(2026, 12, 7, 9, 15, 0, TimeSpan.Zero);

    public static IReadOnlyList<AaVector> All { get; } = Load();

    public static AaVector Named(string name) => All.Single(v => v.Name == name);

    private static List<AaVector> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "aa-crypto-vectors.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => new AaVector(
            c.GetProperty("name").GetString()!,
            Side(c.GetProperty("fiu")),
            Side(c.GetProperty("fip")),
            Convert.FromHexString(c.GetProperty("sharedSecretHex").GetString()!),
            Convert.FromHexString(c.GetProperty("sessionKeyHex").GetString()!),
            Convert.FromHexString(c.GetProperty("ivHex").GetString()!),
            Convert.FromBase64String(c.GetProperty("plaintextBase64").GetString()!),
            c.GetProperty("encryptedFI").GetString()!)).ToList();
    }

    private static AaVectorSide Side(JsonElement e) => new(
        Convert.FromHexString(e.GetProperty("d").GetString()!),
        Convert.FromBase64String(e.GetProperty("nonce").GetString()!),
        e.GetProperty("keyMaterial").Deserialize<KeyMaterial>(AaJson.Options)!,
        Convert.FromHexString(e.GetProperty("spkiHex").GetString()!));

    public FiKeyPair FiuPair(DateTimeOffset? now = null) => Pair(Fiu, now);

    public FiKeyPair FipPair(DateTimeOffset? now = null) => Pair(Fip, now);

    private static FiKeyPair Pair(AaVectorSide side, DateTimeOffset? now)
    {
        AaJson.TryParseTimestamp(side.KeyMaterial.DhPublicKey.Expiry, out var expiry);
        return FiKeyPair.FromPrivateKey(side.D, side.Nonce, expiry, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(now ?? ValidAt));
    }
}
