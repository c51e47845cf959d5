using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Msme.Domain.Aa;

namespace Msme.Domain.Tests.Aa;

public class FiKeyPairTests
{
    public static TheoryData<string> Cases => new(AaVector.All.Select(v => v.Name));

    [Fact]
    public void Vectors_include_a_shared_secret_with_a_leading_zero_byte()
    {
        Assert.Contains(AaVector.All, v => v.SharedSecret[0] == 0);
        Assert.Contains(AaVector.All, v => v.SharedSecret[0] != 0);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Known_private_keys_give_the_python_key_values(string name)
    {
        var v = AaVector.Named(name);
        using var fiu = v.FiuPair();
        using var fip = v.FipPair();
        Assert.Equal(v.Fiu.KeyMaterial, fiu.KeyMaterial);
        Assert.Equal(v.Fiu.KeyMaterial.DhPublicKey, fiu.KeyMaterial.DhPublicKey);
        Assert.Equal(v.Fip.KeyMaterial.DhPublicKey, fip.KeyMaterial.DhPublicKey);
        Assert.Equal(v.Fip.KeyMaterial.Nonce, fip.KeyMaterial.Nonce);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Both_sides_derive_the_python_secret_and_session_key(string name)
    {
        var v = AaVector.Named(name);
        using var fiu = v.FiuPair();
        using var fip = v.FipPair();
        using var fipPublic = FiKeyPair.ImportPublicKey(v.Fip.KeyMaterial.DhPublicKey.KeyValue);
        Assert.Equal(Convert.ToHexString(v.SharedSecret), Convert.ToHexString(fiu.SharedSecret(fipPublic)));
        var fromFiu = fiu.DeriveSessionKey(v.Fip.KeyMaterial);
        var fromFip = fip.DeriveSessionKey(v.Fiu.KeyMaterial);
        Assert.Equal(v.SessionKey, fromFiu.Key);
        Assert.Equal(v.SessionKey, fromFip.Key);
        Assert.Equal(v.Iv, fromFiu.Iv);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Fiu_decrypts_the_python_ciphertext(string name)
    {
        var v = AaVector.Named(name);
        using var fiu = v.FiuPair();
        Assert.Equal(v.Plaintext, fiu.Decrypt(v.Fip.KeyMaterial, v.EncryptedFi));
    }

    [Theory, MemberData(nameof(Cases))]
    public void Fip_encryption_reproduces_the_python_ciphertext(string name)
    {
        var v = AaVector.Named(name);
        using var fip = v.FipPair();
        Assert.Equal(v.EncryptedFi, fip.Encrypt(v.Fiu.KeyMaterial, v.Plaintext));
    }

    [Fact]
    public void A_flipped_ciphertext_bit_fails_the_tag_check()
    {
        var v = AaVector.Named("typical");
        using var fiu = v.FiuPair();
        var blob = Convert.FromBase64String(v.EncryptedFi);
        blob[blob.Length / 2] ^= 0x01;
        var e = Assert.Throws<AaCryptoException>(() => fiu.Decrypt(v.Fip.KeyMaterial, Convert.ToBase64String(blob)));
        Assert.Contains("tag", e.Message);
    }

    [Fact]
    public void Another_nonce_fails_the_tag_check()
    {
        var v = AaVector.Named("typical");
        using var fiu = v.FiuPair();
        var nonce = Convert.FromBase64String(v.Fip.KeyMaterial.Nonce);
        nonce[0] ^= 0x80;
        var e = Assert.Throws<AaCryptoException>(() => fiu.Decrypt(v.Fip.KeyMaterial with { Nonce = Convert.ToBase64String(nonce) }, v.EncryptedFi));
        Assert.Contains("tag", e.Message);
    }

    [Fact]
    public void An_expired_remote_key_is_refused()
    {
        var v = AaVector.Named("typical");
        using var fiu = v.FiuPair(now: new DateTimeOffset(2026, 12, 7, 10, 15, 0, TimeSpan.Zero));
        var e = Assert.Throws<AaCryptoException>(() => fiu.Decrypt(v.Fip.KeyMaterial, v.EncryptedFi));
        Assert.Contains("expired", e.Message);
    }

    [Fact]
    public void A_key_used_before_is_still_refused_once_it_expires()
    {
        var v = AaVector.Named("typical");
        var clock = new FakeTimeProvider(AaVector.ValidAt);
        AaJson.TryParseTimestamp(v.Fiu.KeyMaterial.DhPublicKey.Expiry, out var expiry);
        using var fiu = FiKeyPair.FromPrivateKey(v.Fiu.D, v.Fiu.Nonce, expiry, clock);
        Assert.Equal(v.Plaintext, fiu.Decrypt(v.Fip.KeyMaterial, v.EncryptedFi));
        Assert.Equal(v.Plaintext, fiu.Decrypt(v.Fip.KeyMaterial, v.EncryptedFi));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Throws<AaCryptoException>(() => fiu.Decrypt(v.Fip.KeyMaterial, v.EncryptedFi));
    }

    [Theory]
    [InlineData("X25519", "ECDH", "X25519")]
    [InlineData("secp256r1", "ECDH", "secp256r1")]
    [InlineData("Curve25519", "RSA", "cryptoAlg")]
    public void Wrong_curve_or_algorithm_is_refused(string curve, string alg, string expected)
    {
        var v = AaVector.Named("typical");
        using var fiu = v.FiuPair();
        var e = Assert.Throws<AaCryptoException>(() => fiu.Decrypt(v.Fip.KeyMaterial with { Curve = curve, CryptoAlg = alg }, v.EncryptedFi));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_key_on_another_curve_is_refused()
    {
        var v = AaVector.Named("typical");
        using var fiu = v.FiuPair();
        using var p256 = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        string pem = "-----BEGIN PUBLIC KEY-----" + Convert.ToBase64String(p256.ExportSubjectPublicKeyInfo()) + "-----END PUBLIC KEY-----";
        var remote = v.Fip.KeyMaterial with { DhPublicKey = v.Fip.KeyMaterial.DhPublicKey with { KeyValue = pem } };
        var e = Assert.Throws<AaCryptoException>(() => fiu.Decrypt(remote, v.EncryptedFi));
        Assert.Contains("Curve25519", e.Message);
    }

    [Theory]
    [InlineData("-----BEGIN PUBLIC KEY-----not base64!-----END PUBLIC KEY-----")]
    [InlineData("-----BEGIN PUBLIC KEY-----AAAA-----END PUBLIC KEY-----")]
    public void A_malformed_key_value_is_refused(string keyValue)
    {
        var v = AaVector.Named("typical");
        using var fiu = v.FiuPair();
        var remote = v.Fip.KeyMaterial with { DhPublicKey = v.Fip.KeyMaterial.DhPublicKey with { KeyValue = keyValue } };
        Assert.Throws<AaCryptoException>(() => fiu.Decrypt(remote, v.EncryptedFi));
    }

    [Fact]
    public void A_point_off_the_curve_is_refused()
    {
        var v = AaVector.Named("typical");
        using var fiu = v.FiuPair();
        var spki = (byte[])v.Fip.Spki.Clone();
        spki[^1] ^= 0x01; // last byte of Y
        string pem = "-----BEGIN PUBLIC KEY-----" + Convert.ToBase64String(spki) + "-----END PUBLIC KEY-----";
        var remote = v.Fip.KeyMaterial with { DhPublicKey = v.Fip.KeyMaterial.DhPublicKey with { KeyValue = pem } };
        Assert.Throws<AaCryptoException>(() => fiu.Decrypt(remote, v.EncryptedFi));
    }

    [Fact]
    public void The_spec_example_nonce_that_is_a_uuid_is_refused()
    {
        var v = AaVector.Named("typical");
        using var fiu = v.FiuPair();
        var e = Assert.Throws<AaCryptoException>(() => fiu.Decrypt(v.Fip.KeyMaterial with { Nonce = "29512b70-ca84-46b5-9471-63765599cf15" }, v.EncryptedFi));
        Assert.Contains("Nonce", e.Message);
    }

    [Fact]
    public void A_wrapped_pem_key_value_is_read_too()
    {
        var v = AaVector.Named("typical");
        using var fiu = v.FiuPair();
        string b64 = Convert.ToBase64String(v.Fip.Spki);
        string wrapped = "-----BEGIN PUBLIC KEY-----\n" + string.Join("\n", b64.Chunk(64).Select(c => new string(c))) + "\n-----END PUBLIC KEY-----\n";
        var remote = v.Fip.KeyMaterial with { DhPublicKey = v.Fip.KeyMaterial.DhPublicKey with { KeyValue = wrapped } };
        Assert.Equal(v.Plaintext, fiu.Decrypt(remote, v.EncryptedFi));
    }

    [Fact]
    public void Fresh_key_material_has_the_rahasya_form()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 10, 15, 0, 123, TimeSpan.FromHours(5.5)));
        using var pair = FiKeyPair.Create(clock, TimeSpan.FromHours(1));
        var km = pair.KeyMaterial;
        Assert.Equal("ECDH", km.CryptoAlg);
        Assert.Equal("Curve25519", km.Curve);
        Assert.Equal("cipher=AES/GCM/NoPadding;KeyPairGenerator=ECDH", km.Params);
        Assert.Equal("", km.DhPublicKey.Parameters);
        Assert.Equal("2026-12-06T05:45:00.123Z", km.DhPublicKey.Expiry);
        Assert.Equal(32, Convert.FromBase64String(km.Nonce).Length);
        string kv = km.DhPublicKey.KeyValue;
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----MIIBMTCB6gYHKoZIzj0CATCB3gIBATAr", kv);
        Assert.EndsWith("-----END PUBLIC KEY-----", kv);
        Assert.DoesNotContain('\n', kv);
        Assert.DoesNotContain('\r', kv);
        var der = Convert.FromBase64String(kv["-----BEGIN PUBLIC KEY-----".Length..^"-----END PUBLIC KEY-----".Length]);
        Assert.Equal(309, der.Length);
        // the first 244 bytes (everything but the point) are the same for every key, and the same as the Python encoder's
        Assert.Equal(AaVector.Named("typical").Fiu.Spki[..244], der[..244]);
    }

    [Fact]
    public void Fresh_pairs_round_trip_and_never_repeat()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 10, 15, 0, TimeSpan.Zero));
        using var fiu = FiKeyPair.Create(clock);
        using var fip = FiKeyPair.Create(clock);
        using var fiu2 = FiKeyPair.Create(clock);
        Assert.NotEqual(fiu.KeyMaterial.Nonce, fiu2.KeyMaterial.Nonce);
        Assert.NotEqual(fiu.KeyMaterial.DhPublicKey.KeyValue, fiu2.KeyMaterial.DhPublicKey.KeyValue);
        byte[] doc = "<Account xmlns=\"http://api.rebit.org.in/FISchema/deposit\"/>"u8.ToArray();
        string blob = fip.Encrypt(fiu.KeyMaterial, doc);
        Assert.Equal(doc, fiu.Decrypt(fip.KeyMaterial, blob));
        Assert.Throws<AaCryptoException>(() => fiu2.Decrypt(fip.KeyMaterial, blob));
    }
}
