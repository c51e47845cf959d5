using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Msme.Domain.Aa;

namespace Msme.Domain.Tests.Aa;

public sealed class AaKeySetTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("msme-aa-keys-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Kid_is_the_rfc7638_thumbprint()
    {
        // RFC 7638 section 3.1: the example key and its thumbprint.
        const string n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = Base64Url.DecodeFromChars(n), Exponent = Base64Url.DecodeFromChars("AQAB") });
        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", RsaKeyFile.Kid(rsa));
    }

    [Fact]
    public void A_missing_key_file_is_created_owner_only_and_then_reused()
    {
        string path = Path.Combine(_dir, "keys", "fiu-signing.pem");
        using var first = RsaKeyFile.LoadOrCreate(path, out bool created);
        Assert.True(created);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(path));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        using var second = RsaKeyFile.LoadOrCreate(path, out bool createdAgain);
        Assert.False(createdAgain);
        Assert.Equal(RsaKeyFile.Kid(first), RsaKeyFile.Kid(second));
    }

    [Fact]
    public void A_pkcs1_key_file_is_read()
    {
        using var rsa = RSA.Create(2048);
        string path = Path.Combine(_dir, "pkcs1.pem");
        File.WriteAllText(path, rsa.ExportRSAPrivateKeyPem());
        using var loaded = RsaKeyFile.Load(path);
        Assert.Equal(RsaKeyFile.Kid(rsa), RsaKeyFile.Kid(loaded));
        byte[] data = [1, 2, 3];
        byte[] sig = loaded.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.True(rsa.VerifyData(data, sig, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void A_file_without_a_private_key_is_refused()
    {
        string junk = Path.Combine(_dir, "junk.pem");
        File.WriteAllText(junk, "not a key");
        Assert.Throws<FormatException>(() => RsaKeyFile.Load(junk));
        using var rsa = RSA.Create(2048);
        string publicOnly = Path.Combine(_dir, "public.pem");
        File.WriteAllText(publicOnly, rsa.ExportSubjectPublicKeyInfoPem());
        Assert.Throws<FormatException>(() => RsaKeyFile.Load(publicOnly));
    }

    [Fact]
    public void Jwks_holds_public_parts_only_and_parses_back()
    {
        using var a = RSA.Create(2048);
        using var b = RSA.Create(2048);
        string jwks = AaKeySet.ToJwks([(RsaKeyFile.Kid(a), a), ("aa-2", b)]);
        using var doc = JsonDocument.Parse(jwks);
        var first = doc.RootElement.GetProperty("keys")[0];
        Assert.Equal(["alg", "e", "kid", "kty", "n", "use"], first.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("sig", first.GetProperty("use").GetString());
        Assert.Equal("RS256", first.GetProperty("alg").GetString());
        Assert.DoesNotContain("\"d\"", jwks);

        var set = AaKeySet.Parse(jwks);
        Assert.Equal(new[] { RsaKeyFile.Kid(a), "aa-2" }.Order(), set.Kids.Order());
        byte[] body = "{}"u8.ToArray();
        Assert.True(DetachedJws.Verify(DetachedJws.Sign(b, "aa-2", body), body, set).Valid);
        Assert.Null(set.Find("nobody"));
    }

    [Fact]
    public void Jwks_file_is_loaded_and_non_signing_keys_are_skipped()
    {
        using var a = RSA.Create(2048);
        var jwk = JsonDocument.Parse(AaKeySet.ToJwks([("k1", a)])).RootElement.GetProperty("keys")[0].GetRawText();
        string path = Path.Combine(_dir, "aa.jwks");
        File.WriteAllText(path, $$"""{"keys":[{{jwk}},{"kty":"EC","kid":"ec","crv":"P-256","x":"AA","y":"AA"},{{jwk.Replace("\"k1\"", "\"k2\"").Replace("\"sig\"", "\"enc\"")}}]}""");
        var set = AaKeySet.Load(path);
        Assert.Equal(["k1"], set.Kids);
    }

    [Fact]
    public void Keys_shorter_than_2048_bits_are_refused()
    {
        using var small = RSA.Create(1024);
        Assert.Throws<FormatException>(() => AaKeySet.Parse(AaKeySet.ToJwks([("small", small)])));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"keys\":{}}")]
    [InlineData("not json")]
    [InlineData("{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}")]
    public void Malformed_jwks_is_refused(string json) => Assert.Throws<FormatException>(() => AaKeySet.Parse(json));
}
