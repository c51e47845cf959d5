using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain.Aa;
using Msme.Domain.Consent;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Aa;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Aa;

/// <summary>
/// Sahamati's FIU certification scenarios (certification-framework, certification-scenarios/fiu.md) that apply to this
/// FIU, each test named after its scenario id; docs/aa-connector.md lists them. The demo's customers arrived through
/// the AA connector from the embedded simulator; notifications are posted to the FIU's routes as an AA would.
/// </summary>
public sealed class FiuCertificationTests(AaDemoFactory factory) : IClassFixture<AaDemoFactory>
{
    private const string ConsentRoute = "/aa/Consent/Notification";
    private const string FiRoute = "/aa/FI/Notification";

    private DateTimeOffset Now => factory.Clock.GetUtcNow();

    private async Task<ApplicationDbContext> DbAsync() =>
        await factory.Services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync();

    /// <summary>A consent the connector obtained, ACTIVE, that no other test here changes (one per caller).</summary>
    private async Task<(ConsentRecord Consent, AaConsentRequest Request)> ConsentAsync(int index)
    {
        await using var db = await DbAsync();
        var consent = await db.Consents.AsNoTracking().Where(c => c.AaId != null).OrderBy(c => c.Id).Skip(index).FirstAsync();
        var request = await db.AaConsentRequests.AsNoTracking().FirstAsync(r => r.ConsentRecordId == consent.Id);
        return (consent, request);
    }

    private Task<(int Status, JsonElement Body, bool SignedByFiu)> PostSignedAsync(string route, object body, string? apiKey = AaTestSupport.NotificationApiKey)
    {
        var bytes = AaTestSupport.Bytes(body);
        return factory.PostToFiuAsync(route, bytes, factory.SignAsAa(bytes), apiKey);
    }

    private static void AssertError((int Status, JsonElement Body, bool SignedByFiu) answer, int status, string code)
    {
        Assert.True(answer.Status == status && answer.Body.GetProperty("errorCode").GetString() == code,
            $"expected {status} {code}, got {answer.Status} {answer.Body}");
        Assert.True(answer.SignedByFiu, "the FIU signs its error answers too");
        Assert.Equal("2.0.0", answer.Body.GetProperty("ver").GetString());
    }

    private async Task<ConsentStatus> StatusAsync(int id)
    {
        await using var db = await DbAsync();
        return (await db.Consents.AsNoTracking().SingleAsync(c => c.Id == id)).Status;
    }

    [Fact]
    public async Task Fiu_1001_the_consent_request_follows_the_spec_and_the_demo_came_through_the_connector()
    {
        await using var db = await DbAsync();
        var request = await db.AaConsentRequests.AsNoTracking().FirstAsync();
        var body = JsonSerializer.Deserialize<ConsentRequest>(request.RequestJson, AaJson.Options)!;
        Assert.Equal("2.0.0", body.Ver);
        Assert.True(Guid.TryParse(body.Txnid, out _));
        Assert.True(AaJson.TryParseTimestamp(body.Timestamp, out _));
        Assert.Equal("msme-fiu", body.ConsentDetail.DataConsumer.Id);
        Assert.Equal("FIU", body.ConsentDetail.DataConsumer.Type);
        Assert.Equal(["PROFILE", "SUMMARY", "TRANSACTIONS"], body.ConsentDetail.ConsentTypes);
        Assert.Equal(["DEPOSIT"], body.ConsentDetail.FiTypes);
        Assert.Equal($"https://api.rebit.org.in/aa/purpose/{body.ConsentDetail.Purpose.Code}.xml", body.ConsentDetail.Purpose.RefUri);
        Assert.EndsWith("T00:00:00.000Z", body.ConsentDetail.FIDataRange.From, StringComparison.Ordinal);
        Assert.EndsWith("T23:59:59.999Z", body.ConsentDetail.FIDataRange.To, StringComparison.Ordinal);
        // Every demo customer: request, artefact, fetch, import.
        Assert.Equal(4, await db.AaConsentRequests.CountAsync(r => r.ConsentRecordId != null));
        Assert.Equal(4, await db.AaFetches.CountAsync(f => f.Status == AaFetchStatus.Imported && f.Trigger == "demo"));
        Assert.Equal(4, await db.FetchSessions.CountAsync(s => db.AaFetches.Any(f => f.SessionId == s.SessionId)));
    }

    [Fact]
    public async Task Fiu_1002_1003_the_handle_and_the_consent_id_are_the_ones_the_aa_gave()
    {
        var (consent, request) = await ConsentAsync(0);
        Assert.Equal(request.ConsentId, consent.ConsentId);
        var artefact = JsonSerializer.Deserialize<ConsentArtefact>(request.ArtefactJson!, AaJson.Options)!;
        Assert.Equal(consent.ConsentId, artefact.ConsentId);
        Assert.True(CompactJws.Verify(artefact.SignedConsent, AaKeySet.Parse(factory.Simulator.Jwks), out _).Valid);
    }

    [Fact]
    public async Task Fiu_1004_a_valid_consent_notification_is_200_ok_signed_by_the_fiu()
    {
        var (consent, request) = await ConsentAsync(0);
        var answer = await PostSignedAsync(ConsentRoute, AaTestSupport.ConsentNotice(consent.ConsentId, request.ConsentHandle, "ACTIVE", Now));
        Assert.Equal(200, answer.Status);
        Assert.Equal("OK", answer.Body.GetProperty("response").GetString());
        Assert.True(answer.SignedByFiu);
    }

    [Fact]
    public async Task Fiu_1005_another_aas_id_is_400_invalid_notifier() =>
        AssertError(await PostSignedAsync(ConsentRoute, AaTestSupport.ConsentNotice((await ConsentAsync(0)).Consent.ConsentId, null, "PAUSED", Now, notifierId: "other-aa")),
            400, "InvalidNotifier");

    [Fact]
    public async Task Fiu_1006_a_fip_as_notifier_is_400_invalid_notifier() =>
        AssertError(await PostSignedAsync(ConsentRoute, AaTestSupport.ConsentNotice((await ConsentAsync(0)).Consent.ConsentId, null, "PAUSED", Now, notifierType: "FIP")),
            400, "InvalidNotifier");

    [Fact]
    public async Task Fiu_1007_an_unknown_consent_id_is_400_invalid_consent_id() =>
        AssertError(await PostSignedAsync(ConsentRoute, AaTestSupport.ConsentNotice("no-such-consent", null, "PAUSED", Now)), 400, "InvalidConsentId");

    [Fact]
    public async Task Fiu_1008_an_unknown_consent_handle_is_400_invalid_request() =>
        AssertError(await PostSignedAsync(ConsentRoute, AaTestSupport.ConsentNotice(null, "no-such-handle", "ACTIVE", Now)), 400, "InvalidRequest");

    [Theory]
    [InlineData("Notifier")]
    [InlineData("ConsentStatusNotification")]
    [InlineData("txnid")]
    [InlineData("timestamp")]
    public async Task Fiu_1009_a_field_missing_is_400_invalid_request(string field)
    {
        var body = AaTestSupport.ConsentNotice((await ConsentAsync(0)).Consent.ConsentId, null, "PAUSED", Now);
        body.Remove(field);
        AssertError(await PostSignedAsync(ConsentRoute, body), 400, "InvalidRequest");
    }

    [Theory]
    [InlineData(16)]
    [InlineData(-16)]
    public async Task Fiu_1010_a_timestamp_15_minutes_off_is_400_invalid_request(int minutes)
    {
        var (consent, _) = await ConsentAsync(0);
        AssertError(await PostSignedAsync(ConsentRoute, AaTestSupport.ConsentNotice(consent.ConsentId, null, "PAUSED", Now.AddMinutes(minutes))), 400, "InvalidRequest");
        Assert.Equal(ConsentStatus.Active, await StatusAsync(consent.Id));
    }

    [Fact]
    public async Task Fiu_1013_another_version_is_404_no_such_version() =>
        AssertError(await PostSignedAsync(ConsentRoute, AaTestSupport.ConsentNotice((await ConsentAsync(0)).Consent.ConsentId, null, "PAUSED", Now, ver: "1.1.2")),
            404, "NoSuchVersion");

    [Fact]
    public async Task Fiu_1014_a_timestamp_that_is_no_date_is_400_invalid_request()
    {
        var body = AaTestSupport.ConsentNotice((await ConsentAsync(0)).Consent.ConsentId, null, "PAUSED", Now);
        body["timestamp"] = "yesterday";
        AssertError(await PostSignedAsync(ConsentRoute, body), 400, "InvalidRequest");
    }

    [Fact]
    public async Task Fiu_1015_a_consent_that_came_with_a_file_import_cannot_be_changed_by_an_aa()
    {
        // A consent on file without an AA (a back-fill): no AA holds it, so no notification may change it.
        await using var db = await DbAsync();
        var consent = await db.Consents.AsNoTracking().Where(c => c.AaId != null).OrderBy(c => c.Id).FirstAsync();
        await db.Consents.Where(c => c.Id == consent.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.AaId, "another-aa"));
        var answer = await PostSignedAsync(ConsentRoute, AaTestSupport.ConsentNotice(consent.ConsentId, null, "REVOKED", Now));
        await db.Consents.Where(c => c.Id == consent.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.AaId, consent.AaId));
        AssertError(answer, 400, "InvalidRequest");
        Assert.Equal(ConsentStatus.Active, await StatusAsync(consent.Id));
    }

    [Theory]
    [InlineData("PAUSED", 1)]
    [InlineData("REVOKED", 2)]
    [InlineData("EXPIRED", 3)]
    public async Task Fiu_1016_1017_1018_after_a_paused_expired_or_revoked_notification_no_fi_request_is_made(string status, int index)
    {
        var (consent, request) = await ConsentAsync(index);
        var fetchesBefore = await FetchesAsync(consent.Id);
        var answer = await PostSignedAsync(ConsentRoute, AaTestSupport.ConsentNotice(consent.ConsentId, request.ConsentHandle, status, Now));
        Assert.Equal(200, answer.Status);
        Assert.Equal(Enum.Parse<ConsentStatus>(status, ignoreCase: true), await StatusAsync(consent.Id));

        using var scope = factory.Services.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<AaFetchService>().FetchAsync(consent.ConsentId, null, null, "manual", new AaActor("test"));

        Assert.False(result.Succeeded);
        Assert.Equal(status switch { "PAUSED" => "ConsentPaused", "REVOKED" => "ConsentRevoked", _ => "ConsentExpired" }, result.ErrorCode);
        Assert.Null(result.SessionId);
        Assert.Equal(fetchesBefore, await SessionsAsync(consent.Id));
        if (status == "PAUSED")
        {
            var resume = await PostSignedAsync(ConsentRoute, AaTestSupport.ConsentNotice(consent.ConsentId, request.ConsentHandle, "ACTIVE", Now));
            Assert.Equal(200, resume.Status);
            Assert.Equal(ConsentStatus.Active, await StatusAsync(consent.Id));
        }
    }

    private async Task<int> FetchesAsync(int consentRowId) => await SessionsAsync(consentRowId);

    private async Task<int> SessionsAsync(int consentRowId)
    {
        await using var db = await DbAsync();
        return await db.FetchSessions.CountAsync(s => s.ConsentRecordId == consentRowId);
    }

    [Fact]
    public async Task Fiu_1036_a_body_not_signed_by_the_aa_is_400_signature_does_not_match_and_changes_nothing()
    {
        var (consent, _) = await ConsentAsync(0);
        var bytes = AaTestSupport.Bytes(AaTestSupport.ConsentNotice(consent.ConsentId, null, "REVOKED", Now));
        AssertError(await factory.PostToFiuAsync(ConsentRoute, bytes, AaTestSupport.SignAsRogue(bytes)), 400, "SignatureDoesNotMatch");
        AssertError(await factory.PostToFiuAsync(ConsentRoute, bytes, null), 400, "SignatureDoesNotMatch");
        // Signed, then changed by one byte on the way.
        var signature = factory.SignAsAa(bytes);
        var tampered = bytes.ToArray();
        tampered[^3] ^= 1;
        AssertError(await factory.PostToFiuAsync(ConsentRoute, tampered, signature), 400, "SignatureDoesNotMatch");
        Assert.Equal(ConsentStatus.Active, await StatusAsync(consent.Id));
    }

    [Fact]
    public async Task Fiu_1042_2028_without_the_aas_api_key_a_notification_is_401()
    {
        var (consent, _) = await ConsentAsync(0);
        var answer = await PostSignedAsync(ConsentRoute, AaTestSupport.ConsentNotice(consent.ConsentId, null, "REVOKED", Now), apiKey: "wrong-key");
        var fi = await PostSignedAsync(FiRoute, AaTestSupport.FiNotice("any-session", "COMPLETED", Now), apiKey: null);
        Assert.Equal((401, 401), (answer.Status, fi.Status));
        Assert.Equal(ConsentStatus.Active, await StatusAsync(consent.Id));
    }

    [Fact]
    public async Task A_replayed_consent_notification_is_refused_and_does_not_undo_a_later_change()
    {
        var (consent, request) = await ConsentAsync(1);
        var pause = AaTestSupport.ConsentNotice(consent.ConsentId, request.ConsentHandle, "PAUSED", Now);
        var first = await PostSignedAsync(ConsentRoute, pause);
        // The pinned clock runs on: "now" again is a later instant, so the resume is newer than the pause and older than any later notice.
        var resume = await PostSignedAsync(ConsentRoute, AaTestSupport.ConsentNotice(consent.ConsentId, request.ConsentHandle, "ACTIVE", Now));
        var replay = await PostSignedAsync(ConsentRoute, pause);
        Assert.Equal((200, 200), (first.Status, resume.Status));
        AssertError(replay, 400, "InvalidRequest");
        Assert.Contains("was received before", replay.Body.GetProperty("errorMsg").GetString());
        Assert.Equal(ConsentStatus.Active, await StatusAsync(consent.Id));
    }

    [Fact]
    public async Task Fiu_2002_an_fi_notification_for_a_session_of_this_fiu_is_200()
    {
        await using var db = await DbAsync();
        var fetch = await db.AaFetches.AsNoTracking().FirstAsync(f => f.SessionId != null);
        var answer = await PostSignedAsync(FiRoute, AaTestSupport.FiNotice(fetch.SessionId!, "COMPLETED", Now));
        Assert.Equal(200, answer.Status);
        Assert.True(answer.SignedByFiu);
        Assert.True(await db.AaNotificationReceipts.AnyAsync(r => r.Status == "FI:COMPLETED" && r.ConsentRecordId == fetch.ConsentRecordId));
    }

    [Fact]
    public async Task Fiu_2003_another_version_is_404_no_such_version() =>
        AssertError(await PostSignedAsync(FiRoute, AaTestSupport.FiNotice(await SessionAsync(), "COMPLETED", Now, ver: "1.1.3")), 404, "NoSuchVersion");

    [Fact]
    public async Task Fiu_2004_an_unknown_session_is_400_invalid_session_id() =>
        AssertError(await PostSignedAsync(FiRoute, AaTestSupport.FiNotice("no-such-session", "COMPLETED", Now)), 400, "InvalidSessionId");

    [Fact]
    public async Task Fiu_2005_another_aas_id_is_400_invalid_request() =>
        AssertError(await PostSignedAsync(FiRoute, AaTestSupport.FiNotice(await SessionAsync(), "COMPLETED", Now, notifierId: "other-aa")), 400, "InvalidRequest");

    [Fact]
    public async Task Fiu_2006_a_field_missing_is_400_invalid_request()
    {
        var body = AaTestSupport.FiNotice(await SessionAsync(), "COMPLETED", Now);
        body.Remove("FIStatusNotification");
        AssertError(await PostSignedAsync(FiRoute, body), 400, "InvalidRequest");
    }

    [Fact]
    public async Task Fiu_2007_a_txnid_that_is_no_uuid_is_400_invalid_request() =>
        AssertError(await PostSignedAsync(FiRoute, AaTestSupport.FiNotice(await SessionAsync(), "COMPLETED", Now, txnid: "txn-1")), 400, "InvalidRequest");

    [Fact]
    public async Task Fiu_2008_a_timestamp_15_minutes_off_is_400_invalid_request() =>
        AssertError(await PostSignedAsync(FiRoute, AaTestSupport.FiNotice(await SessionAsync(), "COMPLETED", Now.AddMinutes(-20))), 400, "InvalidRequest");

    [Fact]
    public async Task Fiu_2012_a_notifier_that_is_not_an_aa_is_400_invalid_request() =>
        AssertError(await PostSignedAsync(FiRoute, AaTestSupport.FiNotice(await SessionAsync(), "COMPLETED", Now, notifierType: "FIP")), 400, "InvalidRequest");

    [Fact]
    public async Task Fiu_2027_an_fi_notification_not_signed_by_the_aa_is_400_signature_does_not_match()
    {
        var bytes = AaTestSupport.Bytes(AaTestSupport.FiNotice(await SessionAsync(), "COMPLETED", Now));
        AssertError(await factory.PostToFiuAsync(FiRoute, bytes, AaTestSupport.SignAsRogue(bytes)), 400, "SignatureDoesNotMatch");
    }

    private async Task<string> SessionAsync()
    {
        await using var db = await DbAsync();
        return (await db.AaFetches.AsNoTracking().FirstAsync(f => f.SessionId != null)).SessionId!;
    }

    [Fact]
    public async Task The_fius_public_keys_are_served_and_verify_its_answers()
    {
        using var client = factory.CreateClient();
        var jwks = JsonDocument.Parse(await client.GetStringAsync("/.well-known/jwks.json")).RootElement;
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.False(key.TryGetProperty("d", out _), "the private exponent never leaves the FIU");
        Assert.Equal(factory.Services.GetRequiredService<AaKeyRing>().FiuKid, key.GetProperty("kid").GetString());
    }

    [Theory]
    [InlineData("EXPIRED", "SessionExpired")]
    [InlineData("FAILED", "SessionFailed")]
    public async Task Fiu_2011_2015_an_expired_or_failed_session_is_not_fetched(string sessionStatus, string code)
    {
        var (consent, _) = await ConsentAsync(0);
        var session = $"session-{Guid.NewGuid():N}";
        await using (var db = await DbAsync())
        {
            db.AaFetches.Add(new AaFetch
            {
                ConsentId = consent.ConsentId, ConsentRecordId = consent.Id, CustomerId = consent.CustomerId, SessionId = session, Status = AaFetchStatus.Requested,
                Trigger = "manual", RequestedBy = "test", RequestedAt = Now, UpdatedAt = Now, RangeFrom = Now.AddMonths(-1), RangeTo = Now,
            });
            await db.SaveChangesAsync();
        }

        var answer = await PostSignedAsync(FiRoute, AaTestSupport.FiNotice(session, sessionStatus, Now));

        Assert.Equal(200, answer.Status);
        await using var check = await DbAsync();
        var fetch = await check.AaFetches.AsNoTracking().SingleAsync(f => f.SessionId == session);
        Assert.Equal((AaFetchStatus.Failed, code), (fetch.Status, fetch.ErrorCode));
    }
}
