using System.Numerics;
using System.Security.Cryptography;

namespace Msme.Domain.Aa;

/// <summary>
/// One side's ephemeral ECDH key and nonce for an FI data exchange (ReBIT 2.0.0 KeyMaterial, curve "Curve25519" as rahasya
/// /ecc/v1 does it): secret = x(d·Q), 32 bytes big-endian; x = ourNonce XOR theirNonce; salt = x[0..20), iv = x[20..32);
/// key = HKDF-SHA256(secret, salt, no info, 32 bytes); AES-256-GCM, blob = ciphertext‖tag(16). The FIU decrypts, the FIP
/// (or a simulator) encrypts: the derivation is symmetric. A fresh pair for every FI request; never reuse one.
/// </summary>
public sealed class FiKeyPair : IDisposable
{
    private const int NonceLength = 32;
    private const int TagLength = 16;
    private const string PemBegin = "-----BEGIN PUBLIC KEY-----";
    private const string PemEnd = "-----END PUBLIC KEY-----";

    private readonly ECDiffieHellman _key;
    private readonly byte[] _nonce;
    private readonly TimeProvider _clock;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string KeyValue, string Nonce), (byte[] Key, byte[] Iv)> _sessionKeys = new();

    private FiKeyPair(ECDiffieHellman key, byte[] nonce, DateTimeOffset expiry, TimeProvider clock)
    {
        _key = key;
        _nonce = nonce;
        _clock = clock;
        Expiry = expiry;
        KeyMaterial = new KeyMaterial
        {
            CryptoAlg = KeyMaterial.Ecdh,
            Curve = KeyMaterial.CurveCurve25519,
            Params = KeyMaterial.DefaultParams,
            DhPublicKey = new DhPublicKey
            {
                Expiry = AaJson.Timestamp(expiry),
                Parameters = "",
                // One line: rahasya's ECC decoder strips the markers and base64-decodes with Java's basic decoder.
                KeyValue = PemBegin + Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()) + PemEnd,
            },
            Nonce = Convert.ToBase64String(nonce),
        };
    }

    /// <summary>The KeyMaterial to send (FIU: in FI/request; FIP: in each FI[] entry).</summary>
    public KeyMaterial KeyMaterial { get; }

    public DateTimeOffset Expiry { get; }

    /// <summary>A fresh key pair and 32 random nonce bytes, valid for <paramref name="lifetime"/> (default 24 hours: AAs may take hours to collect data).</summary>
    public static FiKeyPair Create(TimeProvider clock, TimeSpan? lifetime = null)
    {
        var key = ECDiffieHellman.Create(Curve25519Weierstrass.Curve);
        var expiry = TruncateToMilliseconds(clock.GetUtcNow() + (lifetime ?? TimeSpan.FromHours(24)));
        return new FiKeyPair(key, RandomNumberGenerator.GetBytes(NonceLength), expiry, clock);
    }

    /// <summary>A key pair from a known private scalar (test vectors). The clock decides whether remote keys have expired.</summary>
    public static FiKeyPair FromPrivateKey(byte[] d, byte[] nonce, DateTimeOffset expiry, TimeProvider? clock = null)
    {
        if (nonce.Length != NonceLength)
            throw new AaCryptoException($"Nonce must be {NonceLength} bytes, got {nonce.Length}.");
        var key = ECDiffieHellman.Create();
        try
        {
            var q = Curve25519Math.PublicPoint(new BigInteger(d, isUnsigned: true, isBigEndian: true));
            key.ImportParameters(new ECParameters
            {
                Curve = Curve25519Weierstrass.Curve,
                D = LeftPad(d, 32),
                Q = new ECPoint { X = q.X, Y = q.Y },
            });
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new AaCryptoException("The private key is not a valid Curve25519 (Weierstrass) scalar.", e);
        }
        return new FiKeyPair(key, (byte[])nonce.Clone(), TruncateToMilliseconds(expiry), clock ?? TimeProvider.System);
    }

    /// <summary>Decrypts one <c>encryptedFI</c> sent with <paramref name="remote"/> (that FI entry's KeyMaterial).</summary>
    /// <exception cref="AaCryptoException">bad or expired remote key, wrong curve or algorithm, malformed blob, GCM tag failure.</exception>
    public byte[] Decrypt(KeyMaterial remote, string encryptedFiBase64)
    {
        var (aesKey, iv) = DeriveSessionKey(remote);
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(encryptedFiBase64);
        }
        catch (FormatException e)
        {
            throw new AaCryptoException("encryptedFI is not base64.", e);
        }
        if (blob.Length < TagLength)
            throw new AaCryptoException($"encryptedFI is {blob.Length} bytes: shorter than the {TagLength}-byte GCM tag.");
        var plaintext = new byte[blob.Length - TagLength];
        using var gcm = new AesGcm(aesKey, TagLength);
        try
        {
            gcm.Decrypt(iv, blob.AsSpan(0, plaintext.Length), blob.AsSpan(plaintext.Length), plaintext);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new AaCryptoException("encryptedFI failed the AES-GCM tag check: the data was altered or was encrypted for another key or nonce.", e);
        }
        return plaintext;
    }

    /// <summary>Encrypts as a FIP does for the FIU whose KeyMaterial is <paramref name="remote"/>; returns base64(ciphertext‖tag).</summary>
    public string Encrypt(KeyMaterial remote, ReadOnlySpan<byte> plaintext)
    {
        var (aesKey, iv) = DeriveSessionKey(remote);
        var blob = new byte[plaintext.Length + TagLength];
        using var gcm = new AesGcm(aesKey, TagLength);
        gcm.Encrypt(iv, plaintext, blob.AsSpan(0, plaintext.Length), blob.AsSpan(plaintext.Length));
        return Convert.ToBase64String(blob);
    }

    /// <summary>The AES-256 key and GCM IV both sides derive (exposed to tests for the known vectors).</summary>
    internal (byte[] Key, byte[] Iv) DeriveSessionKey(KeyMaterial remote)
    {
        // The cheap checks (algorithm, curve, expiry, nonce) run every time; the key import and agreement once per
        // remote key and nonce: a FIP's accounts share its KeyMaterial, and an explicit-curve import costs milliseconds.
        byte[] theirNonce = CheckRemote(remote, _clock.GetUtcNow());
        var cacheKey = (remote.DhPublicKey.KeyValue, remote.Nonce);
        if (_sessionKeys.TryGetValue(cacheKey, out var cached))
            return cached;
        using var publicKey = ImportPublicKey(remote.DhPublicKey.KeyValue);
        byte[] secret = SharedSecret(publicKey);
        var x = new byte[NonceLength];
        for (int i = 0; i < NonceLength; i++)
            x[i] = (byte)(_nonce[i] ^ theirNonce[i]);
        byte[] key = HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: x[..20], info: []);
        return _sessionKeys[cacheKey] = (key, x[20..]);
    }

    internal byte[] SharedSecret(ECDiffieHellman remotePublic)
    {
        // The x-coordinate, big-endian, left-padded to 32 bytes (BouncyCastle's ECDH agreement; no cofactor).
        return LeftPad(_key.DeriveRawSecretAgreement(remotePublic.PublicKey), 32);
    }

    /// <summary>Checks that <paramref name="remote"/> is usable at <paramref name="now"/> (an AA or FIP vetting an FI request's KeyMaterial).</summary>
    /// <exception cref="AaCryptoException">the same reasons Decrypt and Encrypt refuse a KeyMaterial for.</exception>
    public static void Validate(KeyMaterial remote, DateTimeOffset now)
    {
        CheckRemote(remote, now);
        ImportPublicKey(remote.DhPublicKey.KeyValue).Dispose();
    }

    private static byte[] CheckRemote(KeyMaterial remote, DateTimeOffset now)
    {
        if (!string.Equals(remote.CryptoAlg, KeyMaterial.Ecdh, StringComparison.OrdinalIgnoreCase))
            throw new AaCryptoException($"KeyMaterial cryptoAlg '{remote.CryptoAlg}' is not supported: expected ECDH.");
        if (string.Equals(remote.Curve, KeyMaterial.CurveX25519, StringComparison.OrdinalIgnoreCase))
            throw new AaCryptoException("KeyMaterial curve 'X25519' is not supported: this FIU exchanges keys on 'Curve25519' (rahasya /ecc/v1), and a FIP answers on the FIU's curve.");
        if (!string.Equals(remote.Curve, KeyMaterial.CurveCurve25519, StringComparison.OrdinalIgnoreCase))
            throw new AaCryptoException($"KeyMaterial curve '{remote.Curve}' is not supported: expected Curve25519.");
        if (remote.DhPublicKey is null || string.IsNullOrWhiteSpace(remote.DhPublicKey.KeyValue))
            throw new AaCryptoException("KeyMaterial has no DHPublicKey.KeyValue.");
        if (!AaJson.TryParseTimestamp(remote.DhPublicKey.Expiry, out var expiry))
            throw new AaCryptoException($"KeyMaterial DHPublicKey.expiry '{remote.DhPublicKey.Expiry}' is not an ISO 8601 date-time.");
        if (expiry <= now)
            throw new AaCryptoException($"KeyMaterial DHPublicKey expired at {AaJson.Timestamp(expiry)} (now {AaJson.Timestamp(now)}).");

        byte[] theirNonce;
        try
        {
            theirNonce = Convert.FromBase64String(remote.Nonce ?? "");
        }
        catch (FormatException e)
        {
            throw new AaCryptoException("KeyMaterial Nonce is not base64.", e);
        }
        if (theirNonce.Length != NonceLength)
            throw new AaCryptoException($"KeyMaterial Nonce is {theirNonce.Length} bytes: expected {NonceLength}.");

        return theirNonce;
    }

    /// <summary>Reads a one-line (or wrapped) PEM SPKI, or bare base64 SPKI, and checks it is a point on this curve.</summary>
    internal static ECDiffieHellman ImportPublicKey(string keyValue)
    {
        string b64 = keyValue.Replace(PemBegin, "", StringComparison.Ordinal).Replace(PemEnd, "", StringComparison.Ordinal);
        b64 = new string(b64.Where(c => !char.IsWhiteSpace(c)).ToArray());
        byte[] der;
        try
        {
            der = Convert.FromBase64String(b64);
        }
        catch (FormatException e)
        {
            throw new AaCryptoException("KeyMaterial KeyValue is not a base64 PEM public key.", e);
        }
        var key = ECDiffieHellman.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(der, out int read);
            if (read != der.Length)
                throw new AaCryptoException("KeyMaterial KeyValue has trailing bytes after the public key.");
            var p = key.ExportExplicitParameters(includePrivateParameters: false);
            if (!Curve25519Weierstrass.IsThisCurve(p.Curve))
                throw new AaCryptoException("KeyMaterial KeyValue is not on Curve25519 (short Weierstrass, explicit parameters).");
            if (p.Q.X is null || p.Q.Y is null || !Curve25519Math.IsOnCurve(p.Q.X, p.Q.Y))
                throw new AaCryptoException("KeyMaterial KeyValue is not a point on Curve25519.");
            return key;
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new AaCryptoException("KeyMaterial KeyValue is not an EC SubjectPublicKeyInfo.", e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public void Dispose() => _key.Dispose();

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset t) =>
        new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    internal static byte[] LeftPad(byte[] v, int length)
    {
        if (v.Length == length)
            return v;
        if (v.Length > length)
        {
            int extra = v.Length - length;
            if (v.AsSpan(0, extra).ContainsAnyExcept((byte)0))
                throw new AaCryptoException($"Value is longer than {length} bytes.");
            return v[extra..];
        }
        var r = new byte[length];
        v.CopyTo(r, length - v.Length);
        return r;
    }
}

/// <summary>The little field arithmetic the platform does not expose: deriving Q from d for known vectors, on-curve checks.</summary>
internal static class Curve25519Math
{
    private static readonly BigInteger P = BigInteger.Pow(2, 255) - 19;
    private static readonly BigInteger A = Big(Curve25519Weierstrass.Curve.A!);
    private static readonly BigInteger B = Big(Curve25519Weierstrass.Curve.B!);
    private static readonly BigInteger N = Big(Curve25519Weierstrass.Curve.Order!);

    private static BigInteger Big(byte[] v) => new(v, isUnsigned: true, isBigEndian: true);

    private static BigInteger Mod(BigInteger v) => (v % P + P) % P;

    public static bool IsOnCurve(byte[] x, byte[] y)
    {
        BigInteger bx = Big(x), by = Big(y);
        return bx < P && by < P && Mod(by * by - (bx * bx * bx + A * bx + B)) == 0;
    }

    public static (byte[] X, byte[] Y) PublicPoint(BigInteger d)
    {
        if (d <= 0 || d >= N)
            throw new AaCryptoException("The private scalar is outside [1, n).");
        var g = Curve25519Weierstrass.Curve.G;
        (BigInteger X, BigInteger Y)? acc = null;
        (BigInteger X, BigInteger Y)? pt = (Big(g.X!), Big(g.Y!));
        for (var k = d; k > 0; k >>= 1)
        {
            if (!k.IsEven)
                acc = Add(acc, pt);
            pt = Add(pt, pt);
        }
        var r = acc!.Value;
        return (Bytes(r.X), Bytes(r.Y));
    }

    private static (BigInteger X, BigInteger Y)? Add((BigInteger X, BigInteger Y)? p1, (BigInteger X, BigInteger Y)? p2)
    {
        if (p1 is null) return p2;
        if (p2 is null) return p1;
        var (x1, y1) = p1.Value;
        var (x2, y2) = p2.Value;
        if (x1 == x2 && Mod(y1 + y2) == 0)
            return null;
        BigInteger lambda = x1 == x2 && y1 == y2
            ? Mod((3 * x1 * x1 + A) * BigInteger.ModPow(Mod(2 * y1), P - 2, P))
            : Mod((y2 - y1) * BigInteger.ModPow(Mod(x2 - x1), P - 2, P));
        var x3 = Mod(lambda * lambda - x1 - x2);
        return (x3, Mod(lambda * (x1 - x3) - y1));
    }

    private static byte[] Bytes(BigInteger v) => FiKeyPair.LeftPad(v.ToByteArray(isUnsigned: true, isBigEndian: true), 32);
}
