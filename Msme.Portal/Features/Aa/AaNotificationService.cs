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

    public async Task<AaNotificationAnswer> ConsentAsync(byte[] body, string? signature, CancellationToken ct)
    {
        var (notice, error) = Open<ConsentNotification>(body, signature);
        if (error is not null)
        {
            return await RefuseAsync(notice?.Txnid, error.Value.Status, error.Value.Code, error.Value.Message, null, ct);
        }
        var n = notice!.ConsentStatusNotification;
        if (n is null || string.IsNullOrWhiteSpace(n.ConsentStatus) || (string.IsNullOrWhiteSpace(n.ConsentId) && string.IsNullOrWhiteSpace(n.ConsentHandle)))
        {
            return await RefuseAsync(notice.Txnid, 400, "InvalidRequest", "ConsentStatusNotification needs consentStatus and a consentId or consentHandle", null, ct);
        }
        var status = n.ConsentStatus.Trim().ToUpperInvariant();
        var from = $"Consent/Notification txnid {notice.Txnid} from {notice.Notifier?.Type} {notice.Notifier?.Id} (signature verified)";

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
        if (record is null && request is null)
        {
            return await RefuseAsync(notice.Txnid, 404, "InvalidConsentId",
                $"no consent '{n.ConsentId}' (handle '{n.ConsentHandle}') was granted to this FIU through an AA", null, ct);
        }
        if (holder is null || !string.Equals(holder, notice.Notifier!.Id, StringComparison.Ordinal))
        {
            return await RefuseAsync(notice.Txnid, 403, "InvalidNotifier", holder is null
                ? $"consent '{n.ConsentId}' came with a file import, not from an AA: no AA may change it by notification"
                : $"the notifier '{notice.Notifier!.Id}' is not the AA that holds this consent", record?.CustomerId ?? request?.CustomerId, ct);
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
                null, new AaActor($"aa:{notice.Notifier!.Id}"), ct);
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
            return await RefuseAsync(notice.Txnid, 400, "InvalidConsentStatus", $"consentStatus '{n.ConsentStatus}' is not ACTIVE, PAUSED, REVOKED or EXPIRED", record.CustomerId, ct);
        }
        var result = await lineage.ChangeAsync(record.Id, to.Value, ConsentTransitions.Notification, $"aa:{notice.Notifier!.Id}", from, null,
            new AaNotice(notice.Txnid!, notice.ParsedTimestamp, notice.Notifier.Id!, null), ct);
        return result.Outcome switch
        {
            ConsentChangeOutcome.Changed or ConsentChangeOutcome.Unchanged => Ok(notice.Txnid),
            ConsentChangeOutcome.NotFound => await RefuseAsync(notice.Txnid, 404, "InvalidConsentId", $"no consent '{n.ConsentId}'", record.CustomerId, ct),
            ConsentChangeOutcome.Replayed => await RefuseAsync(notice.Txnid, 409, "DuplicateTxnId", result.Error!, record.CustomerId, ct),
            ConsentChangeOutcome.Stale => await RefuseAsync(notice.Txnid, 409, "StaleNotification", result.Error!, record.CustomerId, ct),
            _ => await RefuseAsync(notice.Txnid, 409, "InvalidConsentStatus", result.Error!, record.CustomerId, ct),
        };
    }

    public async Task<AaNotificationAnswer> FiAsync(byte[] body, string? signature, CancellationToken ct)
    {
        var (notice, error) = Open<FiNotification>(body, signature);
        if (error is not null)
        {
            return await RefuseAsync(notice?.Txnid, error.Value.Status, error.Value.Code, error.Value.Message, null, ct);
        }
        var n = notice!.FiStatusNotification;
        if (n is null || string.IsNullOrWhiteSpace(n.SessionId) || string.IsNullOrWhiteSpace(n.SessionStatus))
        {
            return await RefuseAsync(notice.Txnid, 400, "InvalidRequest", "FIStatusNotification needs sessionId and sessionStatus", null, ct);
        }
        var sessionStatus = n.SessionStatus.Trim().ToUpperInvariant();
        if (sessionStatus is not ("ACTIVE" or "COMPLETED" or "EXPIRED" or "FAILED" or "PARTIAL"))
        {
            return await RefuseAsync(notice.Txnid, 400, "InvalidRequest", $"sessionStatus '{n.SessionStatus}' is not ACTIVE, COMPLETED, EXPIRED, FAILED or PARTIAL", null, ct);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var fetch = await db.AaFetches.FirstOrDefaultAsync(f => f.SessionId == n.SessionId, ct);
        var consent = fetch is null ? null : await db.Consents.AsNoTracking().FirstAsync(c => c.Id == fetch.ConsentRecordId, ct);
        if (fetch is null || consent is null)
        {
            return await RefuseAsync(notice.Txnid, 404, "InvalidSessionId", $"no FI session '{n.SessionId}' was requested by this FIU", null, ct);
        }
        if (!string.Equals(consent.AaId, notice.Notifier!.Id, StringComparison.Ordinal))
        {
            return await RefuseAsync(notice.Txnid, 403, "InvalidNotifier", $"the notifier '{notice.Notifier.Id}' is not the AA this session was requested from", consent.CustomerId, ct);
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (await db.AaNotificationReceipts.AnyAsync(r => r.Txnid == notice.Txnid, ct))
        {
            return await RefuseAsync(notice.Txnid, 409, "DuplicateTxnId", $"txnid {notice.Txnid} was received before; a replayed notification is not applied", consent.CustomerId, ct);
        }
        db.AaNotificationReceipts.Add(new AaNotificationReceipt
        {
            Txnid = notice.Txnid!, ConsentRecordId = consent.Id, Timestamp = notice.ParsedTimestamp.ToUniversalTime(), ReceivedAt = clock.GetUtcNow(),
            NotifierId = notice.Notifier.Id!, ApiClientId = null, Status = FiReceiptPrefix + sessionStatus,
        });
        var ready = sessionStatus is "COMPLETED" or "PARTIAL"
            || (n.FiStatusResponse ?? []).SelectMany(f => f.Accounts ?? []).Any(a => string.Equals(a.FiStatus, "READY", StringComparison.OrdinalIgnoreCase));
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

    /// <summary>Verifies the signature over the exact bytes, then reads and checks the envelope (ver, timestamp, txnid, notifier).</summary>
    private (T? Notice, (int Status, string Code, string Message)? Error) Open<T>(byte[] body, string? signature) where T : class, IAaNotification
    {
        var check = DetachedJws.Verify(signature, body, keys.AaKeys);
        T? notice = null;
        try
        {
            notice = JsonSerializer.Deserialize<T>(body, AaJson.Options);
        }
        catch (JsonException)
        {
        }
        if (!check.Valid)
        {
            return (null, (401, "SignatureDoesNotMatch", $"x-jws-signature does not verify with a key of the AA's JWKS: {check.Error}"));
        }
        if (notice is null)
        {
            return (null, (400, "InvalidRequest", "the body is not a ReBIT notification (JSON)"));
        }
        if (notice.Ver != AaConsentService.ReBitVersion)
        {
            return (notice, (400, "InvalidRequest", $"ver '{notice.Ver}' is not {AaConsentService.ReBitVersion}"));
        }
        if (string.IsNullOrWhiteSpace(notice.Txnid) || notice.Txnid.Length > 128)
        {
            return (notice, (400, "InvalidRequest", "txnid is missing or longer than 128 characters"));
        }
        if (!AaJson.TryParseTimestamp(notice.Timestamp, out var at))
        {
            return (notice, (400, "InvalidRequest", $"timestamp '{notice.Timestamp}' is not an ISO 8601 instant"));
        }
        var skew = options.Value.Aa.NotificationSkew;
        if ((clock.GetUtcNow() - at).Duration() > skew)
        {
            return (notice, (400, "InvalidRequest", $"timestamp {notice.Timestamp} is more than {skew.TotalMinutes:0} minutes from this server's clock"));
        }
        notice.ParsedTimestamp = at;
        if (notice.Notifier is not { Type: "AA", Id.Length: > 0 })
        {
            return (notice, (400, "InvalidNotifier", "Notifier must be {type: AA, id: <the AA's id>}"));
        }
        if (!string.Equals(notice.Notifier.Id, options.Value.Aa.AaId, StringComparison.Ordinal))
        {
            return (notice, (403, "InvalidNotifier", $"the notifier '{notice.Notifier.Id}' is not the AA this FIU works with"));
        }
        return (notice, null);
    }

    private AaNotificationAnswer Ok(string? txnid) => Answer(200, new NotificationResponse
    {
        Ver = AaConsentService.ReBitVersion, Timestamp = AaJson.Timestamp(clock.GetUtcNow()), Txnid = txnid ?? "", Response = "OK",
    }, null);

    private async Task<AaNotificationAnswer> RefuseAsync(string? txnid, int status, string code, string message, int? customerId, CancellationToken ct)
    {
        await audit.AppendAsync(new AuditEvent(null, "aa-notification", "", "aa-notification-refused", "/aa", customerId, $"{code}: {message} (txnid {txnid ?? "-"})"), ct);
        return Answer(status, new AaErrorResponse
        {
            Ver = AaConsentService.ReBitVersion, Timestamp = AaJson.Timestamp(clock.GetUtcNow()), Txnid = txnid ?? "", ErrorCode = code, ErrorMsg = message,
        }, code);
    }

    private AaNotificationAnswer Answer<T>(int status, T body, string? code)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, AaJson.Options);
        return new AaNotificationAnswer(status, bytes, DetachedJws.Sign(keys.FiuKey, keys.FiuKid, bytes), code);
    }
}
