using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain.Consent;
using Msme.Portal.Features.Api;

using Msme.Portal.Tests.Aa;

namespace Msme.Portal.Tests.Api;

/// <summary>The AA's Consent/Notification cannot be replayed, reordered or sent in another AA's name.</summary>
public abstract class ConsentNotificationCases(ApiDemoFactory factory)
{
    // First: without a PostgreSQL server the PostgreSQL cases skip here.
    private readonly bool _available = ApiDemoFactory.Available(factory);

    private const string Route = "/api/v1/consents/notification";

    private static object Notification(string consentId, string status, string txnid, string timestamp, string notifier = ApiTestSupport.AaId) => new Dictionary<string, object>
    {
        ["ver"] = "2.0.0",
        ["timestamp"] = timestamp,
        ["txnid"] = txnid,
        ["Notifier"] = new Dictionary<string, string> { ["type"] = "AA", ["id"] = notifier },
        ["ConsentStatusNotification"] = new Dictionary<string, string> { ["consentId"] = consentId, ["consentHandle"] = "handle-1", ["consentStatus"] = status },
    };

    /// <summary>An ACTIVE consent no other test here touches.</summary>
    private async Task<(int Id, string ConsentId)> ConsentAsync(int index)
    {
        await using var db = await factory.DbAsync();
        var consent = await db.Consents.Where(c => c.Status == ConsentStatus.Active).OrderBy(c => c.Id).Skip(index).FirstAsync();
        return (consent.Id, consent.ConsentId);
    }

    private async Task<ConsentStatus> StatusAsync(int id)
    {
        await using var db = await factory.DbAsync();
        return (await db.Consents.AsNoTracking().SingleAsync(c => c.Id == id)).Status;
    }

    [SkippableFact]
    public async Task A_replayed_txnid_is_refused_and_does_not_undo_a_later_change()
    {
        using var aa = await factory.ApiClientAsync(ApiRoles.AaNotifier);
        var (id, consentId) = await ConsentAsync(0);

        var pause = await aa.PostSignedJsonAsync(factory, Route, Notification(consentId, "PAUSED", "txn-replay-pause", "2026-11-26T10:00:00.000Z"));
        var resume = await aa.PostSignedJsonAsync(factory, Route, Notification(consentId, "ACTIVE", "txn-replay-resume", "2026-11-26T11:00:00.000Z"));
        // An attacker (or a confused proxy) sends the recorded pause again.
        var replay = await aa.PostSignedJsonAsync(factory, Route, Notification(consentId, "PAUSED", "txn-replay-pause", "2026-11-26T12:00:00.000Z"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (pause.StatusCode, resume.StatusCode));
        var refused = await replay.AssertProblemAsync(409);
        Assert.Equal("DuplicateTxnId", refused.GetProperty("errorCode").GetString());
        Assert.Equal("txnid txn-replay-pause was received before; a replayed notification is not applied", refused.GetProperty("errorMsg").GetString());
        Assert.Equal(ConsentStatus.Active, await StatusAsync(id));
        await using var db = await factory.DbAsync();
        Assert.Equal(2, await db.AaNotificationReceipts.CountAsync(r => r.ConsentRecordId == id));
        Assert.Contains(await db.AuditEntries.Where(e => e.Action == "consent-notification-refused").Select(e => e.Details).ToListAsync(),
            d => d!.Contains("txn-replay-pause was received before", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task A_notification_older_than_the_last_one_applied_is_refused_as_stale()
    {
        using var aa = await factory.ApiClientAsync(ApiRoles.AaNotifier);
        var (id, consentId) = await ConsentAsync(1);

        var revoke = await aa.PostSignedJsonAsync(factory, Route, Notification(consentId, "PAUSED", "txn-stale-new", "2026-11-26T10:00:00.000Z"));
        // A notification sent earlier but delivered later (ACTIVE from before the pause) must not resume the consent.
        var late = await aa.PostSignedJsonAsync(factory, Route, Notification(consentId, "ACTIVE", "txn-stale-old", "2026-11-26T09:59:59.000Z"));

        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var refused = await late.AssertProblemAsync(409);
        Assert.Equal("StaleNotification", refused.GetProperty("errorCode").GetString());
        Assert.Equal("timestamp 2026-11-26T09:59:59.0000000Z is older than the last notification applied to this consent (2026-11-26T10:00:00.0000000Z)",
            refused.GetProperty("errorMsg").GetString());
        Assert.Equal(ConsentStatus.Paused, await StatusAsync(id));
    }

    [SkippableFact]
    public async Task A_notification_in_another_aas_name_is_refused_and_a_notifier_client_is_bound_to_one_aa()
    {
        using var aa = await factory.ApiClientAsync(ApiRoles.AaNotifier);
        var (id, consentId) = await ConsentAsync(2);

        var spoofed = await aa.PostSignedJsonAsync(factory, Route, Notification(consentId, "REVOKED", "txn-spoof", "2026-11-26T10:00:00.000Z", notifier: "some-other-aa"));
        using var scope = factory.Services.CreateScope();
        var unbound = await scope.ServiceProvider.GetRequiredService<ApiClientService>().CreateAsync("aa-without-id", ApiRoles.AaNotifier, null, "test-admin");

        var refused = await spoofed.AssertProblemAsync(403);
        Assert.Equal("InvalidNotifier", refused.GetProperty("errorCode").GetString());
        Assert.Equal($"Notifier.id 'some-other-aa' is not the Account Aggregator this client is bound to", refused.GetProperty("errorMsg").GetString());
        Assert.Equal(ConsentStatus.Active, await StatusAsync(id));
        Assert.Equal("an AaNotifier client is created for one Account Aggregator: give its id (ReBIT Notifier.id, e.g. onemoney-aa)", unbound.Error);
    }

    [SkippableFact]
    public async Task The_aas_token_alone_is_not_enough_an_unsigned_or_foreign_signed_notification_is_refused()
    {
        using var aa = await factory.ApiClientAsync(ApiRoles.AaNotifier);
        var (id, consentId) = await ConsentAsync(2);
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Notification(consentId, "REVOKED", "txn-unsigned", "2026-11-26T10:00:00.000Z"));

        var unsigned = await aa.PostAsync(Route, new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } });
        using var foreign = new HttpRequestMessage(HttpMethod.Post, Route) { Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } } };
        foreign.Headers.TryAddWithoutValidation("x-jws-signature", AaTestSupport.SignAsRogue(body));
        var rogue = await aa.SendAsync(foreign);

        foreach (var response in new[] { unsigned, rogue })
        {
            var problem = await response.AssertProblemAsync(400);
            Assert.Equal("SignatureDoesNotMatch", problem.GetProperty("errorCode").GetString());
        }
        Assert.Equal(ConsentStatus.Active, await StatusAsync(id));
    }
}

/// <summary>The cases on SQLite.</summary>
public sealed class ConsentNotificationTests(ApiDemoFactory factory) : ConsentNotificationCases(factory), IClassFixture<ApiDemoFactory>;

/// <summary>The same cases on PostgreSQL (skipped without a server; see <see cref="TestPostgres"/>).</summary>
public sealed class ConsentNotificationTestsOnPostgreSql(PostgreSqlApiDemoFactory factory) : ConsentNotificationCases(factory), IClassFixture<PostgreSqlApiDemoFactory>;
