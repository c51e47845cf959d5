using System.Text;
using System.Text.Json;
using Msme.Domain.Aa;

namespace Msme.Domain.Tests.Aa;

public class AaWireTests
{
    private static T Read<T>(string schema) => AaJson.Deserialize<T>(RebitExamples.Bytes(schema))!;

    [Fact]
    public void Rebit_consent_request_example_parses()
    {
        var r = Read<ConsentRequest>("ConsentsRequest");
        Assert.Equal("2.0.0", r.Ver);
        Assert.Equal("4a4adbbe-29ae-11e8-a8d7-0289437bf331", r.Txnid);
        var d = r.ConsentDetail;
        Assert.Equal(("VIEW", "ONETIME"), (d.ConsentMode, d.FetchType));
        Assert.Equal(["DEPOSIT"], d.FiTypes);
        Assert.Equal(("DC1", "FIU"), (d.DataConsumer.Id, d.DataConsumer.Type));
        Assert.Equal("919867123456", d.Customer.Identifiers!.Single().Value);
        Assert.Equal("https://api.rebit.org.in/aa/purpose/101.xml", d.Purpose.RefUri);
        Assert.Equal(("HOUR", 1), (d.Frequency.Unit, d.Frequency.Value));
        Assert.Equal(">=", d.DataFilter!.Single().Operator);
        Assert.Null(d.Accounts);
    }

    [Fact]
    public void Rebit_consent_flow_examples_parse()
    {
        Assert.Equal("39e108fe-9243-11e8-b9f2-0256d88baae8", Read<ConsentResponse>("ConsentsResponse").ConsentHandle);
        Assert.Equal("39e108fe-9243-11e8-b9f2-0256d88baae8", Read<ConsentHandleRequest>("ConsentHandleRequest").ConsentHandle);
        var status = Read<ConsentHandleResponse>("ConsentHandleResponse").ConsentStatus;
        Assert.Equal(("654024c8-29c8-11e8-8868-0289437bf331", "READY"), (status.Id, status.Status));
        Assert.Equal("654024c8-29c8-11e8-8868-0289437bf331", Read<ConsentFetchRequest>("ConsentFetchRequest").ConsentId);
        var artefact = Read<ConsentArtefact>("ConsentArtefact");
        Assert.Equal("ACTIVE", artefact.Status);
        Assert.Null(artefact.Timestamp);
        Assert.Equal(1, artefact.ConsentUse.Count);
    }

    [Fact]
    public void Rebit_signed_consent_example_payload_parses_as_a_signed_consent_detail()
    {
        var artefact = Read<ConsentArtefact>("ConsentArtefact");
        var parts = artefact.SignedConsent.Split('.');
        var detail = AaJson.Deserialize<WireConsentDetail>(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]))!;
        Assert.Equal(("cookiejar-aa@finvu.in", "AA"), (detail.DataConsumer.Id, detail.DataConsumer.Type));
        Assert.Equal(("BARB0KIMXXX", "FIP"), (detail.DataProvider!.Id, detail.DataProvider.Type));
        Assert.Equal(["UBI485964579", "UBI4859645"], detail.Accounts!.Select(a => a.LinkRefNumber));
        Assert.Equal(("MONTH", 4), (detail.DataLife.Unit, detail.DataLife.Value));
        // The example's date-times use "+0000": read as UTC.
        Assert.True(AaJson.TryParseTimestamp(detail.FIDataRange.From, out var from));
        Assert.Equal(new DateTimeOffset(2019, 5, 28, 11, 38, 20, 383, TimeSpan.Zero), from);
        Assert.Equal(artefact.SignedConsent.Split('.')[2], CompactJws.SignatureSegment(artefact.SignedConsent));
    }

    [Fact]
    public void Rebit_data_flow_examples_parse()
    {
        var fiRequest = Read<FiRequest>("FIRequest");
        Assert.Equal("Curve25519", fiRequest.KeyMaterial.Curve);
        Assert.StartsWith("NdjwMjLortTb", fiRequest.Consent.DigitalSignature);
        Assert.Equal("caa2f259-2dc2-4075-87aa-6d81018b6183", Read<FiRequestResponse>("FIResponse").SessionId);
        var fetch = Read<FiFetchRequest>("FIFetchRequest");
        Assert.Equal(("FIP-1", "XXXX-XXXX-XXXX"), (fetch.FipId, fetch.LinkRefNumber!.Single().Id));
        var fi = Read<FiFetchResponse>("FIFetchResponse").FI.Single();
        Assert.Equal(("FIP-1", "XXXXXXXX4020"), (fi.FipId, fi.Data.Single().MaskedAccNumber));
        Assert.Equal("ECDH", fi.KeyMaterial.CryptoAlg);
    }

    [Fact]
    public void Rebit_error_and_notification_examples_parse()
    {
        Assert.Equal(AaErrorCodes.InvalidRequest, Read<AaErrorResponse>("ErrorResponse").ErrorCode);
        var consent = Read<ConsentNotification>("ConsentStatusNotification");
        Assert.Equal(("AA", "AA-1"), (consent.Notifier.Type, consent.Notifier.Id));
        Assert.Equal("PAUSED", consent.ConsentStatusNotification.ConsentStatus);
        var fi = Read<FiNotification>("FIStatusNotification");
        Assert.Equal("READY", fi.FIStatusNotification.FIStatusResponse.Single().Accounts.Single().FIStatus);
        Assert.Equal("OK", Read<NotificationResponse>("NotificationResponse").Response);
    }

    [Fact]
    public void A_body_missing_a_required_member_does_not_parse()
    {
        Assert.Throws<JsonException>(() => AaJson.Deserialize<ConsentHandleRequest>("""{"ver":"2.0.0","timestamp":"2026-12-06T10:15:00.000Z","ConsentHandle":"h"}"""u8));
        Assert.Throws<JsonException>(() => AaJson.Deserialize<FiRequestResponse>("""{"timestamp":"2026-12-06T10:15:00.000Z","txnid":"t","consentId":"c","sessionId":"s"}"""u8));
    }

    [Fact]
    public void Serialized_requests_use_the_spec_names_and_leave_out_absent_options()
    {
        var request = new FiFetchRequest { Ver = AaJson.Version, Timestamp = "2026-12-06T10:15:00.000Z", Txnid = "t-1", SessionId = "s-1" };
        Assert.Equal("""{"ver":"2.0.0","timestamp":"2026-12-06T10:15:00.000Z","txnid":"t-1","sessionId":"s-1"}""", Encoding.UTF8.GetString(AaJson.Serialize(request)));
        using var pair = FiKeyPair.Create(TimeProvider.System);
        string json = Encoding.UTF8.GetString(AaJson.Serialize(pair.KeyMaterial));
        Assert.StartsWith("""{"cryptoAlg":"ECDH","curve":"Curve25519","params":"cipher=AES/GCM/NoPadding;KeyPairGenerator=ECDH","DHPublicKey":{"expiry":""", json);
        Assert.Contains("\"KeyValue\":\"-----BEGIN PUBLIC KEY-----MIIBMTCB6gYHKoZIzj0CATCB3gIBATAr", json);
        Assert.Contains(",\"Nonce\":\"", json);
        Assert.DoesNotContain("\\u002B", json);
    }

    [Theory]
    [InlineData("2026-12-06T10:15:00.000Z", "2026-12-06T10:15:00.000Z")]
    [InlineData("2026-12-06T15:45:00.000+05:30", "2026-12-06T10:15:00.000Z")]
    [InlineData("2019-05-28T11:38:20.380+0000", "2019-05-28T11:38:20.380Z")]
    public void Timestamps_read_in_the_forms_aas_send_and_write_as_utc_millis(string text, string utc)
    {
        Assert.True(AaJson.TryParseTimestamp(text, out var at));
        Assert.Equal(utc, AaJson.Timestamp(at));
    }

    [Theory]
    [InlineData("2023-06-2611:39:57.153Z")] // the spec's FIResponse example
    [InlineData("2026-12-06")]
    [InlineData("")]
    [InlineData(null)]
    public void Malformed_timestamps_are_not_read(string? text) => Assert.False(AaJson.TryParseTimestamp(text, out _));

    [Theory]
    [InlineData(AaErrorCodes.Unauthorized, 401)]
    [InlineData(AaErrorCodes.SignatureDoesNotMatch, 400)]
    [InlineData(AaErrorCodes.InvalidConsentId, 400)]
    [InlineData(AaErrorCodes.ConsentPaused, 403)]
    [InlineData(AaErrorCodes.DataFetchRequestInProgress, 403)]
    [InlineData(AaErrorCodes.NoDataFound, 404)]
    [InlineData(AaErrorCodes.ServiceUnavailable, 503)]
    public void Error_codes_map_to_the_spec_http_status(string code, int status) => Assert.Equal(status, AaErrorCodes.HttpStatus(code));
}
