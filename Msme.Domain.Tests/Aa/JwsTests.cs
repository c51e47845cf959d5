using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Msme.Domain.Aa;

namespace Msme.Domain.Tests.Aa;

public sealed class JwsTests
{
    // Shared by every test: 2048-bit key generation costs about half a second each on these machines.
    private static readonly RSA _aa = RSA.Create(2048);
    private static readonly RSA _rogue = RSA.Create(2048);
    private readonly string _kid;
    private readonly AaKeySet _trusted;
    private static readonly byte[] Body = """{"ver":"2.0.0","timestamp":"2026-12-06T10:15:00.000Z","txnid":"t-1","ConsentHandle":"h-1"}"""u8.ToArray();

    public JwsTests()
    {
        _kid = RsaKeyFile.Kid(_aa);
        _trusted = AaKeySet.From([(_kid, _aa)]);
    }

    [Fact]
    public void Detached_signature_has_the_rebit_header_and_an_empty_payload_segment()
    {
        string jws = DetachedJws.Sign(_aa, _kid, Body);
        var parts = jws.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.Equal("", parts[1]);
        Assert.Equal($$"""{"alg":"RS256","kid":"{{_kid}}","b64":false,"crit":["b64"]}""", Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[0])));
        var check = DetachedJws.Verify(jws, Body, _trusted);
        Assert.True(check.Valid, check.Error);
        Assert.Equal(_kid, check.Kid);
    }

    [Fact]
    public void Detached_signature_is_rs256_over_header_dot_raw_body()
    {
        // RFC 7797 signing input, computed here without DetachedJws.
        string jws = DetachedJws.Sign(_aa, _kid, Body);
        var parts = jws.Split('.');
        byte[] input = [.. Encoding.ASCII.GetBytes(parts[0] + "."), .. Body];
        Assert.True(_aa.VerifyData(input, Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void A_tampered_body_fails()
    {
        string jws = DetachedJws.Sign(_aa, _kid, Body);
        byte[] tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace("h-1", "h-2"));
        var check = DetachedJws.Verify(jws, tampered, _trusted);
        Assert.False(check.Valid);
        Assert.Contains("does not match", check.Error);
    }

    [Fact]
    public void An_unknown_kid_fails()
    {
        string jws = DetachedJws.Sign(_aa, "someone-else", Body);
        var check = DetachedJws.Verify(jws, Body, _trusted);
        Assert.False(check.Valid);
        Assert.Contains("someone-else", check.Error);
    }

    [Fact]
    public void A_rogue_key_claiming_the_trusted_kid_fails()
    {
        var check = DetachedJws.Verify(DetachedJws.Sign(_rogue, _kid, Body), Body, _trusted);
        Assert.False(check.Valid);
        Assert.Equal(_kid, check.Kid);
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("", "missing")]
    [InlineData("abc", "detached")]
    [InlineData("a.b.c", "detached")]
    [InlineData("!!..!!", "header")]
    public void Missing_or_malformed_signatures_fail(string? jws, string reason)
    {
        var check = DetachedJws.Verify(jws, Body, _trusted);
        Assert.False(check.Valid);
        Assert.Contains(reason, check.Error);
    }

    [Theory]
    [InlineData("""{"alg":"RS256","kid":"K","b64":true,"crit":["b64"]}""", "b64")]
    [InlineData("""{"alg":"RS256","kid":"K"}""", "b64")]
    [InlineData("""{"alg":"RS256","kid":"K","b64":false}""", "crit")]
    [InlineData("""{"alg":"HS256","kid":"K","b64":false,"crit":["b64"]}""", "RS256")]
    [InlineData("""{"alg":"none","kid":"K","b64":false,"crit":["b64"]}""", "RS256")]
    [InlineData("""{"alg":"RS256","kid":"K","b64":false,"crit":["b64","exp"]}""", "crit")]
    [InlineData("""{"alg":"RS256","b64":false,"crit":["b64"]}""", "kid")]
    public void Headers_other_than_rs256_unencoded_with_a_kid_fail(string headerJson, string reason)
    {
        // Signed properly with the trusted key, so only the header can be the reason.
        string header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(headerJson.Replace("\"K\"", JsonSerializer.Serialize(_kid))));
        byte[] input = [.. Encoding.ASCII.GetBytes(header + "."), .. Body];
        string jws = header + ".." + Base64Url.EncodeToString(_aa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var check = DetachedJws.Verify(jws, Body, _trusted);
        Assert.False(check.Valid);
        Assert.Contains(reason, check.Error);
    }

    [Fact]
    public void Compact_jws_round_trips_the_consent_payload()
    {
        byte[] payload = """{"consentStart":"2026-12-06T10:15:00.000Z","DataConsumer":{"id":"msme-fiu","type":"FIU"}}"""u8.ToArray();
        string compact = CompactJws.Sign(_aa, _kid, payload);
        var parts = compact.Split('.');
        Assert.Equal(payload, Base64Url.DecodeFromChars(parts[1]));
        Assert.Equal(parts[2], CompactJws.SignatureSegment(compact));
        var check = CompactJws.Verify(compact, _trusted, out var read);
        Assert.True(check.Valid, check.Error);
        Assert.Equal(payload, read);
    }

    [Fact]
    public void Compact_jws_with_an_altered_payload_or_a_rogue_key_fails()
    {
        byte[] payload = """{"DataConsumer":{"id":"msme-fiu","type":"FIU"}}"""u8.ToArray();
        string compact = CompactJws.Sign(_aa, _kid, payload);
        var parts = compact.Split('.');
        string altered = parts[0] + "." + Base64Url.EncodeToString("""{"DataConsumer":{"id":"other-fiu","type":"FIU"}}"""u8) + "." + parts[2];
        Assert.False(CompactJws.Verify(altered, _trusted, out var none).Valid);
        Assert.Empty(none);
        Assert.False(CompactJws.Verify(CompactJws.Sign(_rogue, _kid, payload), _trusted, out _).Valid);
        Assert.False(CompactJws.Verify("only.two", _trusted, out _).Valid);
    }

    [Fact]
    public void The_rebit_signed_consent_example_parses_but_no_trusted_key_signed_it()
    {
        string signedConsent = RebitExamples.Get("ConsentArtefact").GetProperty("signedConsent").GetString()!;
        var check = CompactJws.Verify(signedConsent, _trusted, out _);
        Assert.False(check.Valid);
        Assert.Equal("4271913e-7b93-49dd-9949-1c76ff5fc5cf", check.Kid);
        Assert.Contains("not among the trusted keys", check.Error);
    }
}
