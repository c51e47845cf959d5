using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msme.Domain.Aa;
using Msme.Domain.Consent;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Aa;

/// <summary>The answer to a notification: HTTP status, the exact body bytes and its detached JWS (this FIU's signature).</summary>
public sealed record AaNotificationAnswer(int Status, byte[] Body, string Signature, string? ErrorCode);

/// <summary>
/// The AA's notifications to this FIU (ReBIT FIU API 2.0.0 <c>POST /Consent/Notification</c> and <c>POST /FI/Notification</c>,
/// under the FIU base URL <c>/aa</c>). Before a byte of the body is believed: the detached JWS must verify with a key of
/// the AA's JWKS, <c>ver</c> must be 2.0.0, the <c>timestamp</c> near this server's clock, the <c>txnid</c> new (a replay is
/// refused), not older than the last notification applied to the consent, and the notifier the AA that granted the
/// consent. A consent ACTIVE notification never activates anything by itself: it makes this FIU fetch the signed artefact
/// from the AA (or re-activates a consent that AA granted and paused). An FI notification that data is ready wakes the fetch.
/// </summary>
public sealed class AaNotificationService(
    IDbContextFactory<ApplicationDbContext> dbFactory,
    AaKeyRing keys,
    ConsentLineageService lineage,
    IServiceScopeFactory scopes,
    AuditLog audit,
    IOptions<MsmeOptions> options,
    TimeProvider clock,
    ILogger<AaNotificationService> log)
{
    public const string ConsentRoute = "/aa/Consent/Notification";
    public const string FiRoute = "/aa/FI/Notification";

    /// <summary>Consent statuses a notification may carry about a granted consent (and, for a handle still pending, REJECTED/FAILED).</summary>
    private static readonly HashSet<string> HandleStatuses = new(StringComparer.Ordinal) { "PENDING", "READY", "APPROVED", "REJECTED", "FAILED" };

    public async Task<AaNotificationAnswer> ConsentAsync(byte[] body, string? signature, string? apiKey, CancellationToken ct)
    {
        var (notice, at, error) = Open<ConsentNotification>(body, signature, apiKey, consent: true);
        if (error is not null)
        {
            return await RefuseAsync(notice?.Txnid, error.Value.Status, error.Value.Code, error.Value.Message, null, ct);
        }
        var n = notice!.ConsentStatusNotification;
        if (string.IsNullOrWhiteSpace(n.ConsentStatus) || (string.IsNullOrWhiteSpace(n.ConsentId) && string.IsNullOrWhiteSpace(n.ConsentHandle)))
        {
            return await RefuseAsync(notice.Txnid, 400, AaErrorCodes.InvalidRequest, "ConsentStatusNotification needs consentStatus and a consentId or consentHandle", null, ct);
        }
        var status = n.ConsentStatus.Trim().ToUpperInvariant();
        var from = $"Consent/Notification txnid {notice.Txnid} from {notice.Notifier.Type} {notice.Notifier.Id} (signature verified)";

        ConsentRecord? record = null;
        AaConsentRequest? request = null;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (!string.IsNullOrWhiteSpace(n.ConsentId))
            {
                record = await db.Consents.AsNoTracking().FirstOrDefaultAsync(c => c.ConsentId == n.ConsentId, ct);
            }
            if (!string.IsNullOrWhiteSpace(n.ConsentHandle))
            {
                request = await db.AaConsentRequests.AsNoTracking().FirstOrDefaultAsync(r => r.ConsentHandle == n.ConsentHandle, ct);
            }
        }
        var holder = record?.AaId ?? request?.AaId;
        if (!string.IsNullOrWhiteSpace(n.ConsentId) && record is null && request?.ConsentId != n.ConsentId)
        {
            return await RefuseAsync(notice.Txnid, 400, AaErrorCodes.InvalidConsentId, $"no consent '{n.ConsentId}' was granted to this FIU through an AA", null, ct);
        }
        if (record is null && request is null)
        {
            return await RefuseAsync(notice.Txnid, 400, AaErrorCodes.InvalidRequest, $"no consent handle '{n.ConsentHandle}' was requested by this FIU", null, ct);
        }
        if (holder is null || !string.Equals(holder, notice.Notifier.Id, StringComparison.Ordinal))
        {
            return await RefuseAsync(notice.Txnid, 400, AaErrorCodes.InvalidRequest, holder is null
                ? $"consent '{n.ConsentId}' came with a file import, not from an AA: no AA may change it by notification"
                : $"the consent is held through AA '{holder}', not the notifier '{notice.Notifier.Id}'", record?.CustomerId ?? request?.CustomerId, ct);
        }
        if (record is null)
        {
            // A handle whose artefact is not stored yet: the AA says the customer decided. Believe only the signed artefact.
            if (status is "ACTIVE" or "READY" or "APPROVED")
            {
                _ = Task.Run(() => FetchArtefactAsync(request!.ConsentHandle), CancellationToken.None);
                return Ok(notice.Txnid);
            }
            if (!HandleStatuses.Contains(status) && status is not ("REVOKED" or "EXPIRED" or "PAUSED"))
            {
                return await RefuseAsync(notice.Txnid, 400, "InvalidConsentStatus", $"consentStatus '{n.ConsentStatus}' is not one ReBIT defines", request!.CustomerId, ct);
            }
            using var scope = scopes.CreateScope();
            await scope.ServiceProvider.GetRequiredService<AaConsentService>().RecordStatusAsync(request!, status is "REVOKED" ? "REJECTED" : status, n.ConsentId,
                null, new AaActor($"aa:{notice.Notifier.Id}"), ct);
            return Ok(notice.Txnid);
        }
        ConsentStatus? to = status switch
        {
            "ACTIVE" => ConsentStatus.Active,
            "PAUSED" => ConsentStatus.Paused,
            "REVOKED" => ConsentStatus.Revoked,
            "EXPIRED" => ConsentStatus.Expired,
            _ => null,
        };
        if (to is null)
        {
            return await RefuseAsync(notice.Txnid, 400, AaErrorCodes.InvalidConsentStatus, $"consentStatus '{n.ConsentStatus}' is not ACTIVE, PAUSED, REVOKED or EXPIRED", record.CustomerId, ct);
        }
        var result = await lineage.ChangeAsync(record.Id, to.Value, ConsentTransitions.Notification, $"aa:{notice.Notifier.Id}", from, null,
            new AaNotice(notice.Txnid, at, notice.Notifier.Id, null), ct);
        return result.Outcome switch
        {
            ConsentChangeOutcome.Changed or ConsentChangeOutcome.Unchanged => Ok(notice.Txnid),
            ConsentChangeOutcome.NotFound => await RefuseAsync(notice.Txnid, 400, AaErrorCodes.InvalidConsentId, $"no consent '{n.ConsentId}'", record.CustomerId, ct),
            // Not in the 2.0.0 errorCode list: a replay or an out-of-order notification is an invalid request, and the message says which.
            ConsentChangeOutcome.Replayed => await RefuseAsync(notice.Txnid, 400, AaErrorCodes.InvalidRequest, result.Error!, record.CustomerId, ct),
            ConsentChangeOutcome.Stale => await RefuseAsync(notice.Txnid, 400, AaErrorCodes.InvalidRequest, result.Error!, record.CustomerId, ct),
            _ => await RefuseAsync(notice.Txnid, 400, AaErrorCodes.InvalidConsentStatus, result.Error!, record.CustomerId, ct),
        };
    }

    public async Task<AaNotificationAnswer> FiAsync(byte[] body, string? signature, string? apiKey, CancellationToken ct)
    {
        var (notice, at, error) = Open<FiNotification>(body, signature, apiKey, consent: false);
        if (error is not null)
        {
            return await RefuseAsync(notice?.Txnid, error.Value.Status, error.Value.Code, error.Value.Message, null, ct);
        }
        var n = notice!.FIStatusNotification;
        if (string.IsNullOrWhiteSpace(n.SessionId) || string.IsNullOrWhiteSpace(n.SessionStatus))
        {
            return await RefuseAsync(notice.Txnid, 400, AaErrorCodes.InvalidRequest, "FIStatusNotification needs sessionId and sessionStatus", null, ct);
        }
        var sessionStatus = n.SessionStatus.Trim().ToUpperInvariant();
        if (sessionStatus is not ("ACTIVE" or "COMPLETED" or "EXPIRED" or "FAILED" or "PARTIAL"))
        {
            return await RefuseAsync(notice.Txnid, 400, AaErrorCodes.InvalidRequest, $"sessionStatus '{n.SessionStatus}' is not ACTIVE, COMPLETED, EXPIRED, FAILED or PARTIAL", null, ct);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var fetch = await db.AaFetches.FirstOrDefaultAsync(f => f.SessionId == n.SessionId, ct);
        var consent = fetch is null ? null : await db.Consents.AsNoTracking().FirstAsync(c => c.Id == fetch.ConsentRecordId, ct);
        if (fetch is null || consent is null)
        {
            return await RefuseAsync(notice.Txnid, 400, AaErrorCodes.InvalidSessionId, $"no FI session '{n.SessionId}' was requested by this FIU", null, ct);
        }
        if (!string.Equals(consent.AaId, notice.Notifier.Id, StringComparison.Ordinal))
        {
            return await RefuseAsync(notice.Txnid, 400, AaErrorCodes.InvalidSessionId, $"session '{n.SessionId}' was not requested from the notifier '{notice.Notifier.Id}'", consent.CustomerId, ct);
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.AaNotificationReceipts.AnyAsync(r => r.Txnid == notice.Txnid, ct))
        {
            return await RefuseAsync(notice.Txnid, 400, AaErrorCodes.InvalidRequest, $"txnid {notice.Txnid} was received before; a replayed notification is not applied", consent.CustomerId, ct);
        }
        db.AaNotificationReceipts.Add(new AaNotificationReceipt
        {
            Txnid = notice.Txnid, ConsentRecordId = consent.Id, Timestamp = at.ToUniversalTime(), ReceivedAt = clock.GetUtcNow(),
            NotifierId = notice.Notifier.Id, ApiClientId = null, Status = FiReceiptPrefix + sessionStatus,
        });
        var ready = sessionStatus is "COMPLETED" or "PARTIAL"
            || n.FIStatusResponse.SelectMany(f => f.Accounts).Any(a => string.Equals(a.FIStatus, "READY", StringComparison.OrdinalIgnoreCase));
        if (sessionStatus is "EXPIRED" or "FAILED" && fetch.Status is AaFetchStatus.Requested)
        {
            fetch.Status = AaFetchStatus.Failed;
            fetch.ErrorCode = "Session" + (sessionStatus == "EXPIRED" ? "Expired" : "Failed");
            fetch.ErrorMessage = $"the AA notified that session {n.SessionId} is {sessionStatus}";
            fetch.UpdatedAt = clock.GetUtcNow();
        }
        else if (ready && fetch.Status is AaFetchStatus.Requested)
        {
            fetch.Status = AaFetchStatus.Ready;
            fetch.UpdatedAt = clock.GetUtcNow();
        }
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, new AuditEvent(null, $"aa:{notice.Notifier.Id}", "", "fi-notification", FiRoute, consent.CustomerId,
            $"session {n.SessionId} of consent {consent.ConsentId}: {sessionStatus}{(ready ? ", data ready" : "")} (txnid {notice.Txnid}, signature verified)"), ct);
        await tx.CommitAsync(ct);
        if (ready)
        {
            AaFetchService.SignalReady(n.SessionId);
        }
        return Ok(notice.Txnid);
    }

    /// <summary>The FI notifications' receipts share the consent notifications' table (one txnid space); their status is marked so the consent's ordering ignores them.</summary>
    public const string FiReceiptPrefix = "FI:";

    private async Task FetchArtefactAsync(string handle)
    {
        try
        {
            using var scope = scopes.CreateScope();
            await scope.ServiceProvider.GetRequiredService<AaConsentService>().CheckAsync(handle, new AaActor("aa-notification"), CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Fetching the artefact for handle {Handle} after a notification failed", handle);
        }
    }

    /// <summary>
    /// Checks a notification in the order Sahamati's FIU certification expects (scenarios 1005-1043, 2003-2029): the JWS
    /// over the exact bytes (400 SignatureDoesNotMatch), the AA's API key when one is configured (401), the schema
    /// (400 InvalidRequest), <c>ver</c> (404 NoSuchVersion), <c>txnid</c> a UUID and <c>timestamp</c> within the skew
    /// (400 InvalidRequest), then the notifier: for consents 400 InvalidNotifier, for FI 400 InvalidRequest.
    /// </summary>
    private (T? Notice, DateTimeOffset At, (int Status, string Code, string Message)? Error) Open<T>(byte[] body, string? signature, string? apiKey, bool consent)
        where T : class, IAaMessage
    {
        var settings = options.Value.Aa;
        T? notice = null;
        string? schemaError = null;
        try
        {
            notice = JsonSerializer.Deserialize<T>(body, AaJson.Options);
        }
        catch (JsonException e)
        {
            schemaError = e.Message;
        }
        var check = DetachedJws.Verify(signature, body, keys.AaKeys);
        if (!check.Valid)
        {
            return (notice, default, (400, AaErrorCodes.SignatureDoesNotMatch, $"x-jws-signature does not verify with a key of the AA's JWKS: {check.Error}"));
        }
        if (settings.NotificationApiKey is { Length: > 0 } expected && !string.Equals(apiKey, expected, StringComparison.Ordinal))
        {
            return (notice, default, (401, AaErrorCodes.Unauthorized, "client_api_key is missing or not the key issued to the AA"));
        }
        if (notice is null)
        {
            return (null, default, (400, AaErrorCodes.InvalidRequest, $"the body is not the ReBIT notification schema: {schemaError ?? "null"}"));
        }
        if (notice.Ver != AaJson.Version)
        {
            return (notice, default, (404, AaErrorCodes.NoSuchVersion, $"ver '{notice.Ver}' is not {AaJson.Version}"));
        }
        if (!Guid.TryParse(notice.Txnid, out _))
        {
            return (notice, default, (400, AaErrorCodes.InvalidRequest, $"txnid '{notice.Txnid}' is not a UUID"));
        }
        if (!AaJson.TryParseTimestamp(notice.Timestamp, out var at))
        {
            return (notice, default, (400, AaErrorCodes.InvalidRequest, $"timestamp '{notice.Timestamp}' is not an ISO 8601 instant"));
        }
        if ((clock.GetUtcNow() - at).Duration() > settings.NotificationSkew)
        {
            return (notice, at, (400, AaErrorCodes.InvalidRequest, $"timestamp {notice.Timestamp} is more than {settings.NotificationSkew.TotalMinutes:0} minutes from this server's clock"));
        }
        var notifier = notice switch
        {
            ConsentNotification c => c.Notifier,
            FiNotification f => f.Notifier,
            _ => null,
        };
        var notifierCode = consent ? AaErrorCodes.InvalidNotifier : AaErrorCodes.InvalidRequest;
        if (notifier is null || notifier.Type != "AA")
        {
            return (notice, at, (400, notifierCode, $"Notifier.type '{notifier?.Type}' is not AA"));
        }
        if (!string.Equals(notifier.Id, settings.AaId, StringComparison.Ordinal))
        {
            return (notice, at, (400, notifierCode, $"the notifier '{notifier.Id}' is not the AA this FIU works with"));
        }
        return (notice, at, null);
    }

    private AaNotificationAnswer Ok(string? txnid) => Answer(200, new NotificationResponse
    {
        Ver = AaJson.Version, Timestamp = AaJson.Timestamp(clock.GetUtcNow()), Txnid = txnid ?? "", Response = "OK",
    }, null);

    private async Task<AaNotificationAnswer> RefuseAsync(string? txnid, int status, string code, string message, int? customerId, CancellationToken ct)
    {
        await audit.AppendAsync(new AuditEvent(null, "aa-notification", "", "aa-notification-refused", "/aa", customerId, $"{code}: {message} (txnid {txnid ?? "-"})"), ct);
        return Answer(status, new AaErrorResponse
        {
            Ver = AaJson.Version, Timestamp = AaJson.Timestamp(clock.GetUtcNow()), Txnid = txnid ?? "", ErrorCode = code, ErrorMsg = message,
        }, code);
    }

    private AaNotificationAnswer Answer<T>(int status, T body, string? code)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, AaJson.Options);
        return new AaNotificationAnswer(status, bytes, DetachedJws.Sign(keys.FiuKey, keys.FiuKid, bytes), code);
    }
}
