using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Msme.Domain;
using Msme.Domain.Consent;
using Msme.Portal.Data;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Customers;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Api;

public sealed record ApiConsentItem(int Id, string ConsentId, int CustomerId, string? CustomerName, string CustomerHandle, string Status, string? PurposeCode,
    string? PurposeText, string? FetchType, DateTimeOffset? ConsentExpiry, string? DataLife, int Sessions);

public sealed record ApiStatusChange(string? From, string To, DateTimeOffset ChangedAt, string Source, string? ChangedBy, string? Note);

public sealed record ApiPayload(string FileName, string Role, string ContentType, long Size, string Sha256, bool ContentHeld, DateTimeOffset? PurgedAt);

public sealed record ApiSession(string SessionId, string? FipId, DateTimeOffset FetchedAt, int TransactionsAdded, int TransactionsOverlapping,
    int TransactionsFilteredOut, int TransactionsHeld, DateOnly? FirstDate, DateOnly? LastDate, DateTimeOffset? PurgedAt, string? PurgeReason,
    DateTimeOffset? DataLifeEnds, IReadOnlyList<ApiPayload> Payloads);

public sealed record ApiLinkedAccount(string? FiType, string? FipId, string? AccType, string? LinkRefNumber, string? MaskedAccNumber);

public sealed record ApiAccessEntry(long Id, DateTimeOffset At, string UserName, string Roles, string Action, string Target);

/// <summary>One consent's lineage: the artefact, its status history, what each session brought and holds now, and who looked at the customer.</summary>
public sealed record ApiConsentLineage(int Id, string ConsentId, int CustomerId, string? CustomerName, string CustomerHandle, string Status,
    DateTimeOffset? ConsentStart, DateTimeOffset? ConsentExpiry, string? ConsentMode, string? FetchType, string ConsentTypes, string FiTypes,
    string? PurposeCode, string? PurposeText, DateTimeOffset? FiDataFrom, DateTimeOffset? FiDataTo, string? DataLifeUnit, int? DataLifeValue,
    string? FrequencyUnit, int? FrequencyValue, string DataFiltersJson, IReadOnlyList<ApiStatusChange> History, IReadOnlyList<ApiSession> Sessions,
    IReadOnlyList<ApiLinkedAccount> Accounts, IReadOnlyList<ApiAccessEntry> Views);

public sealed record ReBitNotifier(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("id")] string? Id);

public sealed record ReBitConsentStatusNotification(
    [property: JsonPropertyName("consentId")] string? ConsentId,
    [property: JsonPropertyName("consentHandle")] string? ConsentHandle,
    [property: JsonPropertyName("consentStatus")] string? ConsentStatus);

/// <summary>ReBIT's Consent/Notification request, as the AA posts it to the FIU.</summary>
public sealed record ReBitConsentNotification(
    [property: JsonPropertyName("ver")] string? Ver,
    [property: JsonPropertyName("timestamp")] DateTimeOffset? Timestamp,
    [property: JsonPropertyName("txnid")] string? Txnid,
    [property: JsonPropertyName("Notifier")] ReBitNotifier? Notifier,
    [property: JsonPropertyName("ConsentStatusNotification")] ReBitConsentStatusNotification? ConsentStatusNotification);

/// <summary>ReBIT's acknowledgement: <c>{ ver, timestamp, txnid, response: "OK" }</c>.</summary>
public sealed record ReBitNotificationResponse(
    [property: JsonPropertyName("ver")] string Ver,
    [property: JsonPropertyName("timestamp")] string Timestamp,
    [property: JsonPropertyName("txnid")] string Txnid,
    [property: JsonPropertyName("response")] string Response);

/// <summary>The consent registry and lineage (Compliance, Admin) and the AA's Consent/Notification (AaNotifier only).</summary>
public static class ConsentsApi
{
    public const string ListRoute = "GET /api/v1/consents";
    public const string OneRoute = "GET /api/v1/consents/{id:int}";
    public const string NotificationRoute = "POST /api/v1/consents/notification";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/consents", ListAsync).AllowRoles(ListRoute).WithTags("Consents")
            .WithName("ListConsents")
            .WithSummary("The consent registry, paged, soonest expiry first")
            .WithDescription("Filters: `status` (Active, Paused, Revoked, Expired), `customerId`, `purposeCode` (e.g. 104). Audited.");
        api.MapGet("/consents/{id:int}", GetAsync).AllowRoles(OneRoute).WithTags("Consents")
            .WithName("GetConsentLineage")
            .WithSummary("One consent's lineage: artefact, status history, sessions with data held now, DataLife end, payload hashes, who saw the data")
            .WithDescription("As the consent lineage page shows it. Audited as a view of the customer.");
        api.MapPost("/consents/notification", NotifyAsync).AllowRoles(NotificationRoute).WithTags("Consents")
            .Accepts<ReBitConsentNotification>("application/json")
            .WithName("ConsentNotification")
            .WithSummary("ReBIT Consent/Notification: the Account Aggregator tells the FIU that a consent's status changed")
            .WithDescription("Body as ReBIT's ConsentNotification: `ver, timestamp, txnid, Notifier{type,id}, ConsentStatusNotification{consentId, consentHandle, " +
                "consentStatus}`. The status changes through the same code as the admin screen (status history with source `notification`, audit trail); " +
                "PAUSED hides the consent's data until ACTIVE again, REVOKED and EXPIRED hide it at once and are final (a later change is 409). " +
                "A repeated notification of the current status is acknowledged and changes nothing. Answers ReBIT's `{ ver, timestamp, txnid, response: \"OK\" }`; " +
                "errors are ProblemDetails that also carry ReBIT's `ver`, `txnid`, `errorCode` and `errorMsg`. Only clients with the AaNotifier role may call it, " +
                "and the body must carry the AA's detached JWS (`x-jws-signature`, RS256, b64:false) verifying with a key of the AA's JWKS (`Msme:Aa:AaPublicKeys`); " +
                "the ReBIT route for AAs is `POST /aa/Consent/Notification` (docs/aa-connector.md).");
    }

    private static async Task<Results<Ok<Paged<ApiConsentItem>>, ValidationProblem>> ListAsync(
        ConsentStatus? status, int? customerId, string? purposeCode, int? page, int? pageSize, ComplianceService compliance, Viewer viewer, AuditLog audit, CancellationToken ct)
    {
        var (index, size, problem) = ApiPaging.Check(page, pageSize);
        if (problem is not null)
        {
            return problem;
        }
        var found = await compliance.ConsentsAsync(new ConsentFilter(status, purposeCode, CustomerId: customerId), index, size, null, false, ct);
        await audit.AppendAsync(AuditEvent.For(await viewer.UserAsync(), "view", ListRoute, customerId,
            $"consent registry page {index + 1}: {found.Items.Count} of {found.TotalItems}"), ct);
        return TypedResults.Ok(new Paged<ApiConsentItem>(
            [.. found.Items.Select(c => new ApiConsentItem(c.Id, c.ConsentId, c.CustomerId, c.CustomerName, c.CustomerHandle, Upper(c.Status), c.PurposeCode,
                c.PurposeText, c.FetchType, c.ConsentExpiry, c.DataLife, c.Sessions))],
            index + 1, size, found.TotalItems));
    }

    private static async Task<Results<Ok<ApiConsentLineage>, ProblemHttpResult>> GetAsync(int id, ConsentLineageService lineage, CustomerAccess access, CancellationToken ct)
    {
        var l = await lineage.GetAsync(id, ct);
        if (l is null)
        {
            return ApiProblems.NotFound($"No consent {id}.");
        }
        await access.RecordViewAsync(l.Customer.Id, $"GET /api/v1/consents/{id}", "sections: consent lineage (artefact, history, sessions, hashes, views)", ct);
        var c = l.Consent;
        return TypedResults.Ok(new ApiConsentLineage(c.Id, c.ConsentId, l.Customer.Id, l.Customer.LegalName, l.Customer.AaHandle, Upper(c.Status),
            c.ConsentStart, c.ConsentExpiry, c.ConsentMode, c.FetchType, c.ConsentTypes, c.FiTypes, c.PurposeCode, c.PurposeText, c.FiDataFrom, c.FiDataTo,
            c.DataLifeUnit, c.DataLifeValue, c.FrequencyUnit, c.FrequencyValue, c.DataFiltersJson,
            [.. l.History.Select(h => new ApiStatusChange(h.FromStatus is { } f ? Upper(f) : null, Upper(h.ToStatus), h.ChangedAt, h.Source, h.ChangedBy, h.Note))],
            [.. l.Sessions.Select(s => new ApiSession(s.SessionId, s.FipId, s.FetchedAt, s.TransactionsAdded, s.TransactionsOverlapping, s.TransactionsFilteredOut,
                s.TransactionsHeld, s.FirstDate, s.LastDate, s.PurgedAt, s.PurgeReason, s.DataLifeEnds,
                [.. s.Payloads.Select(p => new ApiPayload(p.FileName, p.Role, p.ContentType, p.Size, p.Sha256, p.ContentHeld, p.PurgedAt))]))],
            [.. l.Accounts.Select(a => new ApiLinkedAccount(a.FiType, a.FipId, a.AccType, a.LinkRefNumber, a.MaskedAccNumber))],
            [.. l.Views.Select(v => new ApiAccessEntry(v.Id, v.At, v.UserName, v.Roles, v.Action, v.Target))]));
    }

    private static async Task<Results<Ok<ReBitNotificationResponse>, ProblemHttpResult>> NotifyAsync(
        HttpRequest request, IDbContextFactory<ApplicationDbContext> dbFactory, ConsentLineageService lineage, Viewer viewer, AuditLog audit,
        Msme.Portal.Features.Aa.AaKeyRing keys, TimeProvider clock, CancellationToken ct)
    {
        // The exact bytes, so that the AA's detached JWS can be checked before a field of the body is believed.
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var raw = buffer.ToArray();
        var signature = Msme.Domain.Aa.DetachedJws.Verify(request.Headers["x-jws-signature"].FirstOrDefault(), raw, keys.AaKeys);
        ReBitConsentNotification? parsed = null;
        try
        {
            parsed = System.Text.Json.JsonSerializer.Deserialize<ReBitConsentNotification>(raw);
        }
        catch (System.Text.Json.JsonException)
        {
        }
        var body = parsed ?? new ReBitConsentNotification(null, null, null, null, null);
        var ver = body.Ver ?? "2.0.0";
        // ReBIT writes instants as UTC with milliseconds: 2026-11-26T10:00:00.000Z.
        var now = clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var txnid = body.Txnid ?? "";
        ProblemHttpResult Error(int status, string code, string message) => TypedResults.Problem(statusCode: status, title: code, detail: message,
            extensions: new Dictionary<string, object?> { ["ver"] = ver, ["timestamp"] = now, ["txnid"] = txnid, ["errorCode"] = code, ["errorMsg"] = message });

        if (!signature.Valid)
        {
            var caller = await viewer.UserAsync();
            await audit.AppendAsync(AuditEvent.For(caller, "consent-notification-refused", NotificationRoute, null, $"x-jws-signature: {signature.Error}"), ct);
            return Error(400, "SignatureDoesNotMatch", $"x-jws-signature does not verify with a key of the AA's JWKS: {signature.Error}");
        }
        var n = body.ConsentStatusNotification;
        if (string.IsNullOrWhiteSpace(body.Txnid) || string.IsNullOrWhiteSpace(n?.ConsentId) || string.IsNullOrWhiteSpace(n.ConsentStatus) || body.Timestamp is null)
        {
            return Error(400, "InvalidRequest", "timestamp, txnid, ConsentStatusNotification.consentId and ConsentStatusNotification.consentStatus are required");
        }
        if (txnid.Length > 128)
        {
            return Error(400, "InvalidRequest", "txnid is longer than 128 characters");
        }
        ConsentStatus? to = n.ConsentStatus.Trim().ToUpperInvariant() switch
        {
            "ACTIVE" => ConsentStatus.Active,
            "PAUSED" => ConsentStatus.Paused,
            "REVOKED" => ConsentStatus.Revoked,
            "EXPIRED" => ConsentStatus.Expired,
            _ => null,
        };
        if (to is null)
        {
            return Error(400, "InvalidConsentStatus", $"consentStatus '{n.ConsentStatus}' is not one of ACTIVE, PAUSED, REVOKED, EXPIRED");
        }
        int rowId;
        int customerId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var consent = await db.Consents.AsNoTracking().Where(c => c.ConsentId == n.ConsentId).Select(c => new { c.Id, c.CustomerId }).FirstOrDefaultAsync(ct);
            if (consent is null)
            {
                return Error(404, "InvalidConsentId", $"no consent '{n.ConsentId}' is held by this FIU");
            }
            (rowId, customerId) = (consent.Id, consent.CustomerId);
        }
        var user = await viewer.UserAsync();
        var from = $"Consent/Notification txnid {txnid} from {body.Notifier?.Type ?? "?"} {body.Notifier?.Id ?? "?"}";
        async Task<ProblemHttpResult> Refuse(int status, string code, string message)
        {
            await audit.AppendAsync(AuditEvent.For(user, "consent-notification-refused", NotificationRoute, customerId, $"{n.ConsentId}: {message} ({from})"), ct);
            return Error(status, code, message);
        }
        // The sender: the AA this client was created for, and no other. (The AA's JWS signature over the body joins this
        // check with the AA connector: verified here, before anything is read from the message.)
        var boundAa = user.FindFirst(ApiTokenAuthenticationHandler.AaIdClaim)?.Value;
        if (boundAa is null || !string.Equals(body.Notifier?.Id, boundAa, StringComparison.Ordinal))
        {
            return await Refuse(403, "InvalidNotifier", boundAa is null
                ? "this API client is not bound to an Account Aggregator; an admin creates an AaNotifier client for one AA id"
                : $"Notifier.id '{body.Notifier?.Id}' is not the Account Aggregator this client is bound to");
        }
        var clientId = int.Parse(user.FindFirst(ApiTokenAuthenticationHandler.ClientIdClaim)!.Value, System.Globalization.CultureInfo.InvariantCulture);
        var result = await lineage.ChangeAsync(rowId, to.Value, ConsentTransitions.Notification, user.Identity?.Name ?? "api", from, user,
            new AaNotice(txnid, body.Timestamp.Value, boundAa, clientId), ct);
        return result.Outcome switch
        {
            ConsentChangeOutcome.Changed or ConsentChangeOutcome.Unchanged => TypedResults.Ok(new ReBitNotificationResponse(ver, now, txnid, "OK")),
            ConsentChangeOutcome.NotFound => Error(404, "InvalidConsentId", $"no consent '{n.ConsentId}' is held by this FIU"),
            ConsentChangeOutcome.Replayed => await Refuse(409, "DuplicateTxnId", result.Error!),
            ConsentChangeOutcome.Stale => await Refuse(409, "StaleNotification", result.Error!),
            _ => await Refuse(409, "InvalidConsentStatus", result.Error!),
        };
    }

    private static string Upper(ConsentStatus s) => s.ToString().ToUpperInvariant();
}
