using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Msme.AaSimulator;
using Msme.Domain.Aa;

namespace Msme.Domain.Tests.AaSimulator;

public sealed class SimulatedAaTests : IDisposable
{
    private readonly TwoFipSource _source = new();
    private readonly FiuTestClient _fiu;

    public SimulatedAaTests() => _fiu = new FiuTestClient(_source);

    public void Dispose() => _fiu.Dispose();

    private static readonly DateTimeOffset From = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2026, 11, 30, 23, 59, 59, 999, TimeSpan.Zero);

    [Fact]
    public async Task Round_trip_consent_to_decrypted_documents()
    {
        // Consent: PENDING on the first poll, READY on the next.
        var created = await _fiu.Post("Consent", _fiu.ConsentRequest(TwoFipSource.Customer));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.True(created.Signature.Valid, created.Signature.Error);
        var handle = created.Read<ConsentResponse>();
        Assert.Equal(TwoFipSource.Customer, handle.Customer.Id);
        var first = (await _fiu.Post("Consent/handle", _fiu.HandleRequest(handle.ConsentHandle))).Read<ConsentHandleResponse>();
        Assert.Equal(("PENDING", null), (first.ConsentStatus.Status, first.ConsentStatus.Id));
        var second = (await _fiu.Post("Consent/handle", _fiu.HandleRequest(handle.ConsentHandle))).Read<ConsentHandleResponse>();
        Assert.Equal("READY", second.ConsentStatus.Status);

        // Artefact: signed by the AA's key (kid in its JWKS), for this FIU, with every account of both FIPs.
        var fetched = await _fiu.Post("Consent/fetch", _fiu.FetchRequest(second.ConsentStatus.Id!));
        Assert.True(fetched.Signature.Valid, fetched.Signature.Error);
        var artefact = fetched.Read<ConsentArtefact>();
        Assert.Equal(("ACTIVE", second.ConsentStatus.Id), (artefact.Status, artefact.ConsentId));
        var consentCheck = CompactJws.Verify(artefact.SignedConsent, _fiu.AaKeys, out var payload);
        Assert.True(consentCheck.Valid, consentCheck.Error);
        Assert.Equal(_fiu.Aa.Kid, consentCheck.Kid);
        var detail = AaJson.Deserialize<WireConsentDetail>(payload)!;
        Assert.Equal(FiuTestClient.FiuId, detail.DataConsumer.Id);
        Assert.Equal(("msme-sim-aa", "AA"), (detail.DataProvider!.Id, detail.DataProvider.Type));
        Assert.Equal(_source.Accounts.Select(a => (a.FipId, a.LinkRefNumber, a.MaskedAccNumber)),
            detail.Accounts!.Select(a => (a.FipId, a.LinkRefNumber, a.MaskedAccNumber)));

        // FI request and fetch: one entry per FIP, each with its own key; every document decrypts to the source's bytes for the range.
        var (sessionId, keys) = await _fiu.Session(artefact);
        using (keys)
        {
            var answer = await _fiu.Post("FI/fetch", _fiu.FiFetch(sessionId));
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.True(answer.Signature.Valid, answer.Signature.Error);
            var fi = answer.Read<FiFetchResponse>().FI;
            Assert.Equal(["FIP-ALPHA", "FIP-BETA"], fi.Select(f => f.FipId));
            Assert.NotEqual(fi[0].KeyMaterial.DhPublicKey.KeyValue, fi[1].KeyMaterial.DhPublicKey.KeyValue);
            Assert.All(fi, f => Assert.Equal("Curve25519", f.KeyMaterial.Curve));
            var decrypted = fi.SelectMany(f => f.Data.Select(d => (d.MaskedAccNumber, Bytes: keys.Decrypt(f.KeyMaterial, d.EncryptedFI)))).ToList();
            Assert.Equal(3, decrypted.Count);
            Assert.All(decrypted, d => Assert.Equal(TwoFipSource.Document(d.MaskedAccNumber, From, To), d.Bytes));
        }

        // The use is counted on the artefact.
        var again = (await _fiu.Post("Consent/fetch", _fiu.FetchRequest(artefact.ConsentId))).Read<ConsentArtefact>();
        Assert.Equal(1, again.ConsentUse.Count);
    }

    [Fact]
    public async Task Fi_fetch_can_be_narrowed_to_one_fip_and_account()
    {
        var artefact = await _fiu.GrantedConsent(TwoFipSource.Customer);
        var (sessionId, keys) = await _fiu.Session(artefact);
        using (keys)
        {
            var answer = await _fiu.Post("FI/fetch", _fiu.FiFetch(sessionId) with { FipId = "FIP-ALPHA", LinkRefNumber = [new WireLinkRef { Id = "ALPHA-LINK-2" }] });
            var fi = answer.Read<FiFetchResponse>().FI.Single();
            Assert.Equal(("FIP-ALPHA", "XXXXXXXX2222"), (fi.FipId, fi.Data.Single().MaskedAccNumber));
            var unknown = await _fiu.Post("FI/fetch", _fiu.FiFetch(sessionId) with { FipId = "FIP-GAMMA" });
            Assert.Equal(AaErrorCodes.InvalidFipId, unknown.Error.ErrorCode);
        }
    }

    [Fact]
    public async Task A_request_without_the_api_key_is_unauthorized()
    {
        var answer = await _fiu.Post("Consent", _fiu.ConsentRequest(TwoFipSource.Customer), apiKey: false);
        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
        Assert.Equal(AaErrorCodes.Unauthorized, answer.Error.ErrorCode);
        Assert.True(answer.Signature.Valid, "error bodies are signed too");
    }

    [Fact]
    public async Task A_request_without_a_signature_is_refused()
    {
        var answer = await _fiu.Post("Consent", _fiu.ConsentRequest(TwoFipSource.Customer), sign: false);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(AaErrorCodes.InvalidSecurity, answer.Error.ErrorCode);
    }

    [Fact]
    public async Task A_request_signed_by_another_key_or_over_other_bytes_does_not_match()
    {
        using var rogue = RSA.Create(2048);
        var forged = await _fiu.Post("Consent", _fiu.ConsentRequest(TwoFipSource.Customer), signWith: rogue);
        Assert.Equal(HttpStatusCode.BadRequest, forged.Status);
        Assert.Equal(AaErrorCodes.SignatureDoesNotMatch, forged.Error.ErrorCode);

        var request = _fiu.ConsentRequest(TwoFipSource.Customer);
        string signature = DetachedJws.Sign(_fiu.FiuKey, _fiu.FiuKid, AaJson.Serialize(request));
        var altered = await _fiu.PostRaw("Consent", AaJson.Serialize(request with { Txnid = AaJson.NewTxnId() }), signature);
        Assert.Equal(AaErrorCodes.SignatureDoesNotMatch, altered.Error.ErrorCode);
        // The txnid of the refused request is echoed.
        Assert.NotEqual(request.Txnid, altered.Error.Txnid);
    }

    [Fact]
    public async Task Version_timestamp_and_replayed_txnid_are_checked()
    {
        var old = await _fiu.Post("Consent", _fiu.ConsentRequest(TwoFipSource.Customer) with { Ver = "1.1.3" });
        Assert.Equal((HttpStatusCode.NotFound, AaErrorCodes.NoSuchVersion), (old.Status, old.Error.ErrorCode));

        var stale = await _fiu.Post("Consent", _fiu.ConsentRequest(TwoFipSource.Customer) with { Timestamp = AaJson.Timestamp(FiuTestClient.Now.AddHours(-2)) });
        Assert.Equal(AaErrorCodes.InvalidRequest, stale.Error.ErrorCode);

        var request = _fiu.ConsentRequest(TwoFipSource.Customer);
        Assert.Equal(HttpStatusCode.OK, (await _fiu.Post("Consent", request)).Status);
        var replay = await _fiu.Post("Consent", request);
        Assert.Equal((HttpStatusCode.Conflict, AaErrorCodes.IdempotencyError), (replay.Status, replay.Error.ErrorCode));
        Assert.Equal(request.Txnid, replay.Error.Txnid);
    }

    [Fact]
    public async Task Consent_requests_are_checked_against_the_aa()
    {
        var unknown = await _fiu.Post("Consent", _fiu.ConsentRequest("nobody@sim-aa"));
        Assert.Equal(AaErrorCodes.InvalidCustomerAddress, unknown.Error.ErrorCode);
        var otherFiu = await _fiu.Post("Consent", _fiu.ConsentRequest(TwoFipSource.Customer, consumer: "another-fiu"));
        Assert.Equal(AaErrorCodes.InvalidRequest, otherFiu.Error.ErrorCode);
        var badPurpose = _fiu.ConsentRequest(TwoFipSource.Customer);
        badPurpose = badPurpose with { ConsentDetail = badPurpose.ConsentDetail with { Purpose = new WirePurpose { Code = "999" } } };
        Assert.Equal(AaErrorCodes.InvalidConsentPurpose, (await _fiu.Post("Consent", badPurpose)).Error.ErrorCode);
        var noHandle = await _fiu.Post("Consent/handle", _fiu.HandleRequest("no-such-handle"));
        Assert.Equal(AaErrorCodes.InvalidConsentHandle, noHandle.Error.ErrorCode);
        var noConsent = await _fiu.Post("Consent/fetch", _fiu.FetchRequest("no-such-consent"));
        Assert.Equal(AaErrorCodes.InvalidConsentId, noConsent.Error.ErrorCode);
    }

    [Fact]
    public async Task Fi_requests_are_checked_against_the_consent()
    {
        var artefact = await _fiu.GrantedConsent(TwoFipSource.Customer);
        using var keys = FiKeyPair.Create(_fiu.Clock);
        var wrongSignature = _fiu.FiRequest(artefact.ConsentId, artefact.SignedConsent, keys.KeyMaterial) with
        {
            Consent = new WireConsentRef { Id = artefact.ConsentId, DigitalSignature = "AAAA" },
        };
        Assert.Equal(AaErrorCodes.InvalidConsentDetail, (await _fiu.Post("FI/request", wrongSignature)).Error.ErrorCode);
        var outside = _fiu.FiRequest(artefact.ConsentId, artefact.SignedConsent, keys.KeyMaterial, from: "2025-12-01T00:00:00.000Z");
        Assert.Equal(AaErrorCodes.InvalidDateRange, (await _fiu.Post("FI/request", outside)).Error.ErrorCode);
        var x25519 = _fiu.FiRequest(artefact.ConsentId, artefact.SignedConsent, keys.KeyMaterial with { Curve = "X25519" });
        Assert.Equal(AaErrorCodes.InvalidKey, (await _fiu.Post("FI/request", x25519)).Error.ErrorCode);
        var uuidNonce = _fiu.FiRequest(artefact.ConsentId, artefact.SignedConsent, keys.KeyMaterial with { Nonce = "29512b70-ca84-46b5-9471-63765599cf15" });
        Assert.Equal(AaErrorCodes.InvalidKey, (await _fiu.Post("FI/request", uuidNonce)).Error.ErrorCode);
        var noSession = await _fiu.Post("FI/fetch", _fiu.FiFetch("no-such-session"));
        Assert.Equal(AaErrorCodes.InvalidSessionId, noSession.Error.ErrorCode);
    }

    [Fact]
    public async Task A_narrower_range_serves_only_that_range()
    {
        var artefact = await _fiu.GrantedConsent(TwoFipSource.Customer);
        using var keys = FiKeyPair.Create(_fiu.Clock);
        var request = _fiu.FiRequest(artefact.ConsentId, artefact.SignedConsent, keys.KeyMaterial, from: "2026-06-01T00:00:00.000Z", to: "2026-06-30T23:59:59.999Z");
        string sessionId = (await _fiu.Post("FI/request", request)).Read<FiRequestResponse>().SessionId;
        var fi = (await _fiu.Post("FI/fetch", _fiu.FiFetch(sessionId))).Read<FiFetchResponse>().FI;
        var entry = fi.First(f => f.FipId == "FIP-BETA");
        var expected = TwoFipSource.Document("XXXXXXXX3333", new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 6, 30, 23, 59, 59, 999, TimeSpan.Zero));
        Assert.Equal(expected, keys.Decrypt(entry.KeyMaterial, entry.Data.Single().EncryptedFI));
    }

    [Fact]
    public async Task Customer_pausing_or_revoking_stops_fi_requests_and_fetches()
    {
        var artefact = await _fiu.GrantedConsent(TwoFipSource.Customer);
        var (sessionId, keys) = await _fiu.Session(artefact);
        keys.Dispose();
        _fiu.Aa.SetConsentStatus(artefact.ConsentId, "PAUSED");
        var fetch = await _fiu.Post("FI/fetch", _fiu.FiFetch(sessionId));
        Assert.Equal((HttpStatusCode.Forbidden, AaErrorCodes.ConsentPaused), (fetch.Status, fetch.Error.ErrorCode));
        using var fresh = FiKeyPair.Create(_fiu.Clock);
        var request = await _fiu.Post("FI/request", _fiu.FiRequest(artefact.ConsentId, artefact.SignedConsent, fresh.KeyMaterial));
        Assert.Equal(AaErrorCodes.InvalidConsentStatus, request.Error.ErrorCode);
        Assert.Equal("PAUSED", (await _fiu.Post("Consent/fetch", _fiu.FetchRequest(artefact.ConsentId))).Read<ConsentArtefact>().Status);
        _fiu.Aa.SetConsentStatus(artefact.ConsentId, "REVOKED");
        Assert.Equal(AaErrorCodes.ConsentRevoked, (await _fiu.Post("FI/fetch", _fiu.FiFetch(sessionId))).Error.ErrorCode);
    }

    [Fact]
    public async Task Artefact_expires_on_the_aa_clock()
    {
        var artefact = await _fiu.GrantedConsent(TwoFipSource.Customer);
        _fiu.Clock.Advance(TimeSpan.FromDays(367));
        Assert.Equal("EXPIRED", (await _fiu.Post("Consent/fetch", _fiu.FetchRequest(artefact.ConsentId))).Read<ConsentArtefact>().Status);
    }

    // ---------- Faults (§5): each one visible to the FIU ----------

    [Fact]
    public async Task Fault_tampered_ciphertext_fails_the_tag_check_of_one_account()
    {
        var artefact = await _fiu.GrantedConsent(TwoFipSource.Customer);
        var (sessionId, keys) = await _fiu.Session(artefact);
        using (keys)
        {
            _fiu.Aa.Faults.TamperCiphertext = true;
            var fi = (await _fiu.Post("FI/fetch", _fiu.FiFetch(sessionId))).Read<FiFetchResponse>().FI;
            int failures = 0;
            foreach (var entry in fi)
                foreach (var data in entry.Data)
                {
                    try { keys.Decrypt(entry.KeyMaterial, data.EncryptedFI); }
                    catch (AaCryptoException) { failures++; }
                }
            Assert.Equal(1, failures);
        }
    }

    [Fact]
    public async Task Fault_fi_responses_signed_by_a_rogue_key()
    {
        _fiu.Aa.Faults.SignFiResponsesWithRogueKey = true;
        var artefact = await _fiu.GrantedConsent(TwoFipSource.Customer); // consent answers stay valid (asserted inside)
        using var keys = FiKeyPair.Create(_fiu.Clock);
        var request = await _fiu.Post("FI/request", _fiu.FiRequest(artefact.ConsentId, artefact.SignedConsent, keys.KeyMaterial));
        Assert.Equal(HttpStatusCode.OK, request.Status);
        Assert.False(request.Signature.Valid);
        var fetch = await _fiu.Post("FI/fetch", _fiu.FiFetch(request.Read<FiRequestResponse>().SessionId));
        Assert.False(fetch.Signature.Valid);
        var handle = await _fiu.Post("Consent/fetch", _fiu.FetchRequest(artefact.ConsentId));
        Assert.True(handle.Signature.Valid, handle.Signature.Error);
    }

    [Fact]
    public async Task Fault_all_responses_signed_by_a_rogue_key()
    {
        _fiu.Aa.Faults.SignAllResponsesWithRogueKey = true;
        var created = await _fiu.Post("Consent", _fiu.ConsentRequest(TwoFipSource.Customer));
        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.False(created.Signature.Valid);
        Assert.Equal(_fiu.Aa.Kid, created.Signature.Kid);
        var refused = await _fiu.Post("Consent", _fiu.ConsentRequest(TwoFipSource.Customer), apiKey: false);
        Assert.False(refused.Signature.Valid);
    }

    [Fact]
    public async Task Fault_signed_consent_by_a_rogue_key()
    {
        _fiu.Aa.Faults.SignConsentWithRogueKey = true;
        var artefact = await _fiu.GrantedConsent(TwoFipSource.Customer);
        Assert.False(CompactJws.Verify(artefact.SignedConsent, _fiu.AaKeys, out _).Valid);
        _fiu.Aa.Faults.SignConsentWithRogueKey = false;
        var genuine = (await _fiu.Post("Consent/fetch", _fiu.FetchRequest(artefact.ConsentId))).Read<ConsentArtefact>();
        Assert.True(CompactJws.Verify(genuine.SignedConsent, _fiu.AaKeys, out _).Valid);
    }

    [Fact]
    public async Task Fault_paused_artefact_whose_data_is_still_served()
    {
        _fiu.Aa.Faults.ArtefactStatus = "PAUSED";
        var created = (await _fiu.Post("Consent", _fiu.ConsentRequest(TwoFipSource.Customer))).Read<ConsentResponse>();
        await _fiu.Post("Consent/handle", _fiu.HandleRequest(created.ConsentHandle));
        string consentId = (await _fiu.Post("Consent/handle", _fiu.HandleRequest(created.ConsentHandle))).Read<ConsentHandleResponse>().ConsentStatus.Id!;
        var artefact = (await _fiu.Post("Consent/fetch", _fiu.FetchRequest(consentId))).Read<ConsentArtefact>();
        Assert.Equal("PAUSED", artefact.Status);
        var (sessionId, keys) = await _fiu.Session(artefact);
        keys.Dispose();
        Assert.Equal(HttpStatusCode.OK, (await _fiu.Post("FI/fetch", _fiu.FiFetch(sessionId))).Status);
    }

    [Fact]
    public async Task Fault_unconsented_account_is_served()
    {
        var artefact = await _fiu.GrantedConsent(TwoFipSource.Customer);
        CompactJws.Verify(artefact.SignedConsent, _fiu.AaKeys, out var payload);
        var consented = AaJson.Deserialize<WireConsentDetail>(payload)!.Accounts!.Select(a => (a.FipId, a.LinkRefNumber, a.MaskedAccNumber)).ToHashSet();
        var (sessionId, keys) = await _fiu.Session(artefact);
        keys.Dispose();
        _fiu.Aa.Faults.ServeUnconsentedAccount = true;
        var fi = (await _fiu.Post("FI/fetch", _fiu.FiFetch(sessionId))).Read<FiFetchResponse>().FI;
        var served = fi.SelectMany(f => f.Data.Select(d => (f.FipId, d.LinkRefNumber, d.MaskedAccNumber))).ToList();
        Assert.Single(served, s => !consented.Contains(s));
    }

    [Fact]
    public async Task Fault_data_outside_the_range_is_served()
    {
        var artefact = await _fiu.GrantedConsent(TwoFipSource.Customer);
        var (sessionId, keys) = await _fiu.Session(artefact);
        using (keys)
        {
            _fiu.Aa.Faults.ServeOutsideRange = true;
            var entry = (await _fiu.Post("FI/fetch", _fiu.FiFetch(sessionId))).Read<FiFetchResponse>().FI.First(f => f.FipId == "FIP-BETA");
            string document = Encoding.UTF8.GetString(keys.Decrypt(entry.KeyMaterial, entry.Data.Single().EncryptedFI));
            Assert.Contains($"\"from\":\"{AaJson.Timestamp(From.AddDays(-60))}\"", document);
        }
    }

    [Fact]
    public async Task Fault_no_data_then_in_progress_then_data()
    {
        var artefact = await _fiu.GrantedConsent(TwoFipSource.Customer);
        var (sessionId, keys) = await _fiu.Session(artefact);
        keys.Dispose();
        _fiu.Aa.Faults.NoDataFoundTimes = 2;
        _fiu.Aa.Faults.InProgressTimes = 1;
        var answers = new List<(HttpStatusCode, string?)>();
        for (int i = 0; i < 4; i++)
        {
            var a = await _fiu.Post("FI/fetch", _fiu.FiFetch(sessionId));
            Assert.True(a.Signature.Valid, a.Signature.Error);
            answers.Add((a.Status, a.Status == HttpStatusCode.OK ? null : a.Error.ErrorCode));
        }
        Assert.Equal(
        [
            (HttpStatusCode.Forbidden, AaErrorCodes.DataFetchRequestInProgress),
            (HttpStatusCode.NotFound, AaErrorCodes.NoDataFound),
            (HttpStatusCode.NotFound, AaErrorCodes.NoDataFound),
            (HttpStatusCode.OK, null),
        ], answers);
    }

    [Fact]
    public async Task Fault_transient_failures_then_success()
    {
        _fiu.Aa.Faults.TransientFailures = 2;
        var request = _fiu.ConsentRequest(TwoFipSource.Customer);
        var first = await _fiu.Post("Consent", request);
        var second = await _fiu.Post("Consent", request);
        var third = await _fiu.Post("Consent", request); // a retry of the same body is served once the AA is back
        Assert.Equal((HttpStatusCode.ServiceUnavailable, AaErrorCodes.ServiceUnavailable), (first.Status, first.Error.ErrorCode));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.Status);
        Assert.Equal(HttpStatusCode.OK, third.Status);
    }

    [Fact]
    public async Task Fault_customer_rejects_the_consent()
    {
        _fiu.Aa.Faults.RejectConsents = true;
        var created = (await _fiu.Post("Consent", _fiu.ConsentRequest(TwoFipSource.Customer))).Read<ConsentResponse>();
        await _fiu.Post("Consent/handle", _fiu.HandleRequest(created.ConsentHandle));
        var status = (await _fiu.Post("Consent/handle", _fiu.HandleRequest(created.ConsentHandle))).Read<ConsentHandleResponse>().ConsentStatus;
        Assert.Equal(("REJECTED", null), (status.Status, status.Id));
    }

    // ---------- Notifications, keys, state ----------

    [Fact]
    public async Task Notifications_are_signed_by_the_aa_and_name_it()
    {
        var artefact = await _fiu.GrantedConsent(TwoFipSource.Customer);
        var (sessionId, keys) = await _fiu.Session(artefact);
        keys.Dispose();
        var (consentBody, consentSignature) = _fiu.Aa.ConsentNotification("h-1", artefact.ConsentId, "REVOKED");
        Assert.True(DetachedJws.Verify(consentSignature, consentBody, _fiu.AaKeys).Valid);
        var consent = AaJson.Deserialize<ConsentNotification>(consentBody)!;
        Assert.Equal(("AA", "msme-sim-aa"), (consent.Notifier.Type, consent.Notifier.Id));
        Assert.Equal((artefact.ConsentId, "h-1", "REVOKED"), (consent.ConsentStatusNotification.ConsentId, consent.ConsentStatusNotification.ConsentHandle, consent.ConsentStatusNotification.ConsentStatus));
        Assert.Equal("2026-12-06T10:15:00.000Z", consent.Timestamp);

        var (fiBody, fiSignature) = _fiu.Aa.FiNotification(sessionId, "ACTIVE");
        Assert.True(DetachedJws.Verify(fiSignature, fiBody, _fiu.AaKeys).Valid);
        var fi = AaJson.Deserialize<FiNotification>(fiBody)!.FIStatusNotification;
        Assert.Equal(["FIP-ALPHA", "FIP-BETA"], fi.FIStatusResponse.Select(f => f.FipId));
        Assert.All(fi.FIStatusResponse.SelectMany(f => f.Accounts), a => Assert.Equal("READY", a.FIStatus));
        Assert.NotEqual(consent.Txnid, AaJson.Deserialize<FiNotification>(fiBody)!.Txnid);
    }

    [Fact]
    public void Jwks_publishes_the_aa_kid_and_no_private_part()
    {
        Assert.Equal([_fiu.Aa.Kid], _fiu.AaKeys.Kids);
        Assert.DoesNotContain("\"d\"", _fiu.Aa.Jwks);
    }

    [Fact]
    public async Task Deprecated_get_forms_and_unknown_paths_are_not_served()
    {
        using var http = new HttpClient(_fiu.Aa.CreateHandler()) { BaseAddress = new Uri("https://sim-aa.example/V2/") };
        using var get = await http.GetAsync("Consent/handle/abc");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using var getFetch = await http.GetAsync("FI/fetch");
        Assert.Equal(HttpStatusCode.NotImplemented, getFetch.StatusCode);
    }

    [Fact]
    public async Task A_restarted_aa_keeps_consents_sessions_and_its_key()
    {
        string dir = Directory.CreateTempSubdirectory("msme-sim-aa-").FullName;
        try
        {
            string state = Path.Combine(dir, "aa-state.json");
            string jwks, consentId, signedConsent;
            using (var before = new FiuTestClient(_source, state))
            {
                var artefact = await before.GrantedConsent(TwoFipSource.Customer);
                (consentId, signedConsent, jwks) = (artefact.ConsentId, artefact.SignedConsent, before.Aa.Jwks);
            }
            using var after = new FiuTestClient(_source, state);
            Assert.Equal(jwks, after.Aa.Jwks);
            var fetched = await after.Post("Consent/fetch", after.FetchRequest(consentId));
            Assert.Equal(HttpStatusCode.OK, fetched.Status);
            Assert.Equal(signedConsent, fetched.Read<ConsentArtefact>().SignedConsent);
            var (sessionId, keys) = await after.Session(fetched.Read<ConsentArtefact>());
            using (keys)
            {
                var fi = (await after.Post("FI/fetch", after.FiFetch(sessionId))).Read<FiFetchResponse>().FI;
                Assert.Equal(3, fi.Sum(f => f.Data.Count));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
