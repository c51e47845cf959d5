using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Msme.AaSimulator;
using Msme.Domain.Aa;

namespace Msme.Domain.Tests.AaSimulator;

/// <summary>A minimal FIU for the simulator tests: signs requests as §2–§3 say and checks every answer's signature.</summary>
internal sealed class FiuTestClient : IDisposable
{
    public const string FiuId = "msme-fiu";
    public const string ApiKey = "test-api-key";
    public static readonly DateTimeOffset Now = new(2026, 12, 6, 10, 15, 0, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Now);
    // One FIU key and one AA key for every test: RSA key generation dominates these tests' time otherwise.
    private static readonly RSA SharedFiuKey = RSA.Create(2048);
    private static readonly RSA SharedAaKey = RSA.Create(2048);

    public RSA FiuKey => SharedFiuKey;
    public string FiuKid { get; }
    public SimulatedAa Aa { get; }
    public AaKeySet AaKeys { get; }
    private readonly HttpClient _http;

    public FiuTestClient(ISimulatedAaSource source, string? stateFile = null, string? fiuKidOverride = null)
    {
        FiuKid = fiuKidOverride ?? RsaKeyFile.Kid(FiuKey);
        var fiuKeys = AaKeySet.From([(FiuKid, FiuKey)]);
        Aa = new SimulatedAa(new SimulatedAaOptions { ApiKey = ApiKey, FiuId = FiuId, FiuKeys = () => fiuKeys, StateFile = stateFile, SigningKey = stateFile is null ? SharedAaKey : null }, source, Clock);
        AaKeys = AaKeySet.Parse(Aa.Jwks);
        _http = new HttpClient(Aa.CreateHandler()) { BaseAddress = new Uri("https://sim-aa.example/V2/") };
    }

    public sealed record Answer(HttpStatusCode Status, byte[] Body, JwsCheck Signature)
    {
        public T Read<T>() => AaJson.Deserialize<T>(Body)!;
        public AaErrorResponse Error => Read<AaErrorResponse>();
        public override string ToString() => $"{(int)Status} {Encoding.UTF8.GetString(Body)}";
    }

    public string Timestamp => AaJson.Timestamp(Clock.GetUtcNow());

    public Task<Answer> Post<T>(string path, T message, bool sign = true, bool apiKey = true, RSA? signWith = null)
    {
        byte[] body = AaJson.Serialize(message);
        return PostRaw(path, body, sign ? DetachedJws.Sign(signWith ?? FiuKey, FiuKid, body) : null, apiKey);
    }

    public async Task<Answer> PostRaw(string path, byte[] body, string? jws, bool apiKey = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if (apiKey)
            request.Headers.Add("client_api_key", ApiKey);
        if (jws is not null)
            request.Headers.Add("x-jws-signature", jws);
        using var response = await _http.SendAsync(request);
        byte[] answer = await response.Content.ReadAsByteArrayAsync();
        string? signature = response.Headers.TryGetValues("x-jws-signature", out var v) ? v.Single() : null;
        return new Answer(response.StatusCode, answer, DetachedJws.Verify(signature, answer, AaKeys));
    }

    public ConsentRequest ConsentRequest(string customer, string from = "2026-01-01T00:00:00.000Z", string to = "2026-11-30T23:59:59.999Z", string consumer = FiuId) => new()
    {
        Ver = AaJson.Version, Timestamp = Timestamp, Txnid = AaJson.NewTxnId(),
        ConsentDetail = new WireConsentDetail
        {
            ConsentStart = Timestamp,
            ConsentExpiry = AaJson.Timestamp(Clock.GetUtcNow().AddYears(1)),
            ConsentMode = "STORE",
            FetchType = "PERIODIC",
            ConsentTypes = ["PROFILE", "SUMMARY", "TRANSACTIONS"],
            FiTypes = ["DEPOSIT"],
            DataConsumer = new WireParty { Id = consumer, Type = "FIU" },
            Customer = new WireCustomer { Id = customer },
            Purpose = new WirePurpose { Code = "104", RefUri = "https://api.rebit.org.in/aa/purpose/104.xml", Text = "Explicit consent for monitoring of the accounts", Category = new WirePurposeCategory { Type = "Account monitoring" } },
            FIDataRange = new WireDataRange { From = from, To = to },
            DataLife = new WireUnitValue { Unit = "MONTH", Value = 12 },
            Frequency = new WireUnitValue { Unit = "MONTH", Value = 4 },
        },
    };

    public ConsentHandleRequest HandleRequest(string handle) => new() { Ver = AaJson.Version, Timestamp = Timestamp, Txnid = AaJson.NewTxnId(), ConsentHandle = handle };

    public ConsentFetchRequest FetchRequest(string consentId) => new() { Ver = AaJson.Version, Timestamp = Timestamp, Txnid = AaJson.NewTxnId(), ConsentId = consentId };

    public FiRequest FiRequest(string consentId, string signedConsent, KeyMaterial keys, string from = "2026-01-01T00:00:00.000Z", string to = "2026-11-30T23:59:59.999Z") => new()
    {
        Ver = AaJson.Version, Timestamp = Timestamp, Txnid = AaJson.NewTxnId(),
        FIDataRange = new WireDataRange { From = from, To = to },
        Consent = new WireConsentRef { Id = consentId, DigitalSignature = CompactJws.SignatureSegment(signedConsent) },
        KeyMaterial = keys,
    };

    public FiFetchRequest FiFetch(string sessionId) => new() { Ver = AaJson.Version, Timestamp = Timestamp, Txnid = AaJson.NewTxnId(), SessionId = sessionId };

    /// <summary>Consent → handle (PENDING, then READY) → fetch: the granted artefact.</summary>
    public async Task<ConsentArtefact> GrantedConsent(string customer)
    {
        var created = await Post("Consent", ConsentRequest(customer));
        Assert.True(created.Status == HttpStatusCode.OK, created.ToString());
        string handle = created.Read<ConsentResponse>().ConsentHandle;
        ConsentHandleResponse status;
        int polls = 0;
        do
        {
            var answer = await Post("Consent/handle", HandleRequest(handle));
            Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
            status = answer.Read<ConsentHandleResponse>();
            Assert.True(++polls < 5);
        }
        while (status.ConsentStatus.Status == "PENDING");
        Assert.Equal("READY", status.ConsentStatus.Status);
        var artefact = await Post("Consent/fetch", FetchRequest(status.ConsentStatus.Id!));
        Assert.True(artefact.Status == HttpStatusCode.OK, artefact.ToString());
        return artefact.Read<ConsentArtefact>();
    }

    /// <summary>FI/request with a fresh key pair: the session id and the pair to decrypt with.</summary>
    public async Task<(string SessionId, FiKeyPair Keys)> Session(ConsentArtefact consent)
    {
        var keys = FiKeyPair.Create(Clock);
        var answer = await Post("FI/request", FiRequest(consent.ConsentId, consent.SignedConsent, keys.KeyMaterial));
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        Assert.True(answer.Signature.Valid, answer.Signature.Error);
        return (answer.Read<FiRequestResponse>().SessionId, keys);
    }

    public void Dispose()
    {
        _http.Dispose();
        Aa.Dispose();
    }
}

/// <summary>One customer with accounts at two FIPs (two at the first); each document echoes the range it was rendered for.</summary>
internal sealed class TwoFipSource : ISimulatedAaSource
{
    public const string Customer = "sharma.traders@sim-aa";

    public static byte[] Document(string masked, DateTimeOffset from, DateTimeOffset to) =>
        Encoding.UTF8.GetBytes($$$"""{"account":{"maskedAccNumber":"{{{masked}}}","from":"{{{AaJson.Timestamp(from)}}}","to":"{{{AaJson.Timestamp(to)}}}"}}""");

    private static SimulatedAccount Account(string fip, string link, string masked, string accType) =>
        new(fip, link, masked, "DEPOSIT", accType, (from, to) => new SimulatedDocument(Document(masked, from, to), "application/json"));

    public IReadOnlyList<SimulatedAccount> Accounts { get; } =
    [
        Account("FIP-ALPHA", "ALPHA-LINK-1", "XXXXXXXX1111", "CURRENT"),
        Account("FIP-ALPHA", "ALPHA-LINK-2", "XXXXXXXX2222", "SAVINGS"),
        Account("FIP-BETA", "BETA-LINK-1", "XXXXXXXX3333", "CURRENT"),
    ];

    public SimulatedCustomer? Find(string customerHandle) => customerHandle == Customer ? new SimulatedCustomer(Customer, Accounts) : null;
}
