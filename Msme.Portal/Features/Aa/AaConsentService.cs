using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msme.Domain;
using Msme.Domain.Aa;
using Msme.Domain.Consent;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Aa;

/// <summary>Who asked: a signed-in user or API client (its claims go to the audit trail), or a named process (the CLI, the demo loader, the periodic runner).</summary>
public sealed record AaActor(string Name, ClaimsPrincipal? Principal = null)
{
    public AuditEvent Event(string action, string target, int? customerId, string details) => Principal is null
        ? new AuditEvent(null, Name, "", action, target, customerId, details)
        : AuditEvent.For(Principal, action, target, customerId, details);
}

/// <summary>What a consent request asks for (ReBIT ConsentDetail); <see cref="AaConsentDefaults.For"/> fills the rest per purpose.</summary>
public sealed record ConsentAsk
{
    public required string CustomerHandle { get; init; }
    public required string PurposeCode { get; init; }
    public required DateOnly FiFrom { get; init; }
    public required DateOnly FiTo { get; init; }
    /// <summary>PERIODIC or ONETIME.</summary>
    public string FetchType { get; init; } = "PERIODIC";
    public int DataLifeMonths { get; init; } = 12;
    /// <summary>How often data may be fetched: FrequencyValue times per FrequencyUnit (HOUR, DAY, MONTH, YEAR).</summary>
    public string FrequencyUnit { get; init; } = "MONTH";
    public int FrequencyValue { get; init; } = 4;
    /// <summary>How long the consent lasts from now; a year unless said.</summary>
    public TimeSpan? Validity { get; init; }
}

/// <summary>Sensible defaults per purpose: 104 (monitoring, for collections) is periodic; 103 (underwriting) one-time.</summary>
public static class AaConsentDefaults
{
    public static readonly IReadOnlyList<string> Purposes = ["104", "103", "105", "101", "102"];

    public static (string Text, string Category) Purpose(string code) => code switch
    {
        "101" => ("Wealth management service", "Personal Finance"),
        "102" => ("Customer spending patterns, budget or other reportings", "Personal Finance"),
        "103" => ("Aggregated statement", "Loan underwriting"),
        "104" => ("Explicit consent for monitoring of the accounts", "Account monitoring"),
        "105" => ("Explicit one-time consent for accessing data from the accounts", "Loan underwriting"),
        _ => throw new ArgumentException($"purpose '{code}' is not one of ReBIT's codes 101-105", nameof(code)),
    };

    /// <summary>The request a purpose implies for a customer, on today's date (IST): 104 monitoring — PERIODIC, 4 fetches a month, 12 months of history, data kept 12 months; 103 underwriting — ONETIME, 12 months of history, data kept 3 months.</summary>
    public static ConsentAsk For(string customerHandle, string purposeCode, TimeProvider clock)
    {
        var today = IndianTime.Today(clock);
        var monitoring = purposeCode == "104";
        return new ConsentAsk
        {
            CustomerHandle = customerHandle,
            PurposeCode = purposeCode,
            FiFrom = today.AddMonths(-12),
            FiTo = monitoring ? today.AddYears(1) : today,
            FetchType = monitoring ? "PERIODIC" : "ONETIME",
            DataLifeMonths = monitoring ? 12 : 3,
            FrequencyUnit = monitoring ? "MONTH" : "DAY",
            FrequencyValue = monitoring ? 4 : 1,
        };
    }
}

/// <summary>The outcome of a status check: the handle, the AA's status, the consent id once granted, and whether the artefact is stored.</summary>
public sealed record ConsentCheck(string ConsentHandle, string Status, string? ConsentId, bool ArtefactStored, string? Refusal);

/// <summary>
/// Consents this FIU requests from the AA (POST /Consent), follows (POST /Consent/handle) and, once granted, fetches,
/// verifies and stores (POST /Consent/fetch): the signed artefact becomes the consent record the lineage, the gate and
/// every fetch go by. Every request and status change is audited.
/// </summary>
public sealed class AaConsentService(
    AaClient aa,
    AaKeyRing keys,
    IDbContextFactory<ApplicationDbContext> dbFactory,
    AuditLog audit,
    IOptions<MsmeOptions> options,
    TimeProvider clock,
    ILogger<AaConsentService> log)
{
    public const string ReBitVersion = "2.0.0";

    /// <summary>POST /Consent; stores the request with the handle the AA answered; returns the handle.</summary>
    public async Task<AaConsentRequest> RequestAsync(ConsentAsk ask, AaActor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(ask);
        if (ask.FiTo < ask.FiFrom)
        {
            throw new ArgumentException($"--fi-to {ask.FiTo:yyyy-MM-dd} is before --fi-from {ask.FiFrom:yyyy-MM-dd}");
        }
        if (ask.FetchType is not ("PERIODIC" or "ONETIME"))
        {
            throw new ArgumentException($"fetch type '{ask.FetchType}' is neither PERIODIC nor ONETIME");
        }
        if (ask.DataLifeMonths is < 1 or > 120)
        {
            throw new ArgumentException($"data life of {ask.DataLifeMonths} months is outside 1-120");
        }
        var (text, category) = AaConsentDefaults.Purpose(ask.PurposeCode);
        var settings = options.Value.Aa;
        var now = clock.GetUtcNow();
        var expiry = now + (ask.Validity ?? TimeSpan.FromDays(365));
        var body = new ConsentRequest
        {
            Ver = ReBitVersion,
            Timestamp = AaJson.Timestamp(now),
            Txnid = Guid.NewGuid().ToString(),
            ConsentDetail = new WireConsentDetail
            {
                ConsentStart = AaJson.Timestamp(now),
                ConsentExpiry = AaJson.Timestamp(expiry),
                ConsentMode = "STORE",
                FetchType = ask.FetchType,
                ConsentTypes = ["PROFILE", "SUMMARY", "TRANSACTIONS"],
                FiTypes = ["DEPOSIT"],
                DataConsumer = new WireParty { Id = settings.FiuId, Type = "FIU" },
                Customer = new WireCustomer { Id = ask.CustomerHandle },
                Purpose = new WirePurpose
                {
                    Code = ask.PurposeCode,
                    RefUri = $"https://api.rebit.org.in/aa/purpose/{ask.PurposeCode}.xml",
                    Text = text,
                    Category = new WirePurposeCategory { Type = category },
                },
                FIDataRange = new WireDataRange
                {
                    From = ask.FiFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00.000Z",
                    To = ask.FiTo.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T23:59:59.999Z",
                },
                DataLife = new WireUnitValue { Unit = "MONTH", Value = ask.DataLifeMonths },
                Frequency = new WireUnitValue { Unit = ask.FrequencyUnit, Value = ask.FrequencyValue },
            },
        };
        int? customerId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            customerId = await db.Customers.Where(c => c.AaHandle == ask.CustomerHandle).Select(c => (int?)c.Id).FirstOrDefaultAsync(ct);
        }
        ConsentResponse answer;
        try
        {
            (answer, _) = await aa.PostAsync<ConsentRequest, ConsentResponse>(AaClient.Paths.Consent, body, ct);
        }
        catch (AaCallException e)
        {
            await audit.AppendAsync(actor.Event("aa-consent-request-failed", "/aa/consents", customerId,
                $"{ask.CustomerHandle} purpose {ask.PurposeCode}: {e.ErrorCode}: {e.Message}"), ct);
            throw;
        }
        if (answer.Customer.Id != ask.CustomerHandle)
        {
            throw new AaCallException(AaCallException.InvalidResponse, $"POST Consent: the AA answered for customer '{answer.Customer.Id}', not '{ask.CustomerHandle}'", 200);
        }
        if (string.IsNullOrWhiteSpace(answer.ConsentHandle))
        {
            throw new AaCallException(AaCallException.InvalidResponse, "POST Consent: the AA answered without a ConsentHandle", 200);
        }
        var request = new AaConsentRequest
        {
            CustomerHandle = ask.CustomerHandle,
            CustomerId = customerId,
            AaId = settings.AaId,
            ConsentHandle = answer.ConsentHandle,
            Status = "PENDING",
            PurposeCode = ask.PurposeCode,
            FetchType = ask.FetchType,
            FiDataFrom = new DateTimeOffset(ask.FiFrom.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            FiDataTo = new DateTimeOffset(ask.FiTo.ToDateTime(new TimeOnly(23, 59, 59, 999)), TimeSpan.Zero),
            ConsentExpiry = expiry,
            DataLifeMonths = ask.DataLifeMonths,
            FrequencyUnit = ask.FrequencyUnit,
            FrequencyValue = ask.FrequencyValue,
            RequestJson = Encoding.UTF8.GetString(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(body, AaJson.Options)),
            RequestedAt = now,
            RequestedBy = actor.Name,
            StatusChangedAt = now,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.AaConsentRequests.Add(request);
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(db, actor.Event("aa-consent-request", $"/aa/consents/{request.ConsentHandle}", customerId,
                $"{ask.CustomerHandle}: purpose {ask.PurposeCode} {ask.FetchType}, FI data {ask.FiFrom:yyyy-MM-dd} to {ask.FiTo:yyyy-MM-dd}, " +
                $"data life {ask.DataLifeMonths} months, frequency {ask.FrequencyValue}/{ask.FrequencyUnit}; handle {request.ConsentHandle} from {settings.AaId}"), ct);
            await tx.CommitAsync(ct);
        }
        return request;
    }

    /// <summary>
    /// POST /Consent/handle; when the AA says READY (or APPROVED) with a consent id, POST /Consent/fetch, verify the
    /// artefact's signature and contents and store it. An artefact that fails a check is not stored (<see cref="ConsentCheck.Refusal"/> says why).
    /// </summary>
    public async Task<ConsentCheck> CheckAsync(string consentHandle, AaActor actor, CancellationToken ct = default)
    {
        AaConsentRequest request;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            request = await db.AaConsentRequests.AsNoTracking().FirstOrDefaultAsync(r => r.ConsentHandle == consentHandle, ct)
                ?? throw new AaCallException("InvalidConsentHandle", $"no consent request with handle '{consentHandle}' was made by this FIU", null);
        }
        var now = clock.GetUtcNow();
        var (status, _) = await aa.PostAsync<ConsentHandleRequest, ConsentHandleResponse>(AaClient.Paths.ConsentHandle, new ConsentHandleRequest
        {
            Ver = ReBitVersion, Timestamp = AaJson.Timestamp(now), Txnid = Guid.NewGuid().ToString(), ConsentHandle = consentHandle,
        }, ct);
        var aaStatus = status.ConsentStatus.Status.Trim().ToUpperInvariant();
        var consentId = string.IsNullOrWhiteSpace(status.ConsentStatus.Id) ? null : status.ConsentStatus.Id;
        if (status.ConsentHandle != consentHandle)
        {
            throw new AaCallException(AaCallException.InvalidResponse, $"POST Consent/handle: the answer is about handle '{status.ConsentHandle}', not '{consentHandle}'", 200);
        }
        if (aaStatus is not ("PENDING" or "READY" or "APPROVED" or "REJECTED" or "FAILED" or "EXPIRED"))
        {
            throw new AaCallException(AaCallException.InvalidResponse, $"POST Consent/handle: status '{status.ConsentStatus.Status}' is not one ReBIT defines", 200);
        }
        await RecordStatusAsync(request, aaStatus, consentId, null, actor, ct);
        if (aaStatus is not ("READY" or "APPROVED") || consentId is null || request.ConsentRecordId is not null)
        {
            return new ConsentCheck(consentHandle, aaStatus, consentId ?? request.ConsentId, request.ConsentRecordId is not null, null);
        }
        var (refusal, artefactStatus) = await FetchArtefactAsync(request, consentId, actor, ct);
        return new ConsentCheck(consentHandle, artefactStatus ?? aaStatus, consentId, refusal is null, refusal);
    }

    /// <summary>Records what the AA said about a handle (a poll or a notification); audited when it changed.</summary>
    internal async Task RecordStatusAsync(AaConsentRequest request, string aaStatus, string? consentId, string? error, AaActor actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = await db.AaConsentRequests.FirstAsync(r => r.Id == request.Id, ct);
        var changed = row.Status != aaStatus || (consentId is not null && row.ConsentId != consentId);
        row.LastCheckedAt = now;
        if (changed)
        {
            row.Status = aaStatus;
            row.StatusChangedAt = now;
            row.ConsentId = consentId ?? row.ConsentId;
        }
        row.Error = error ?? (changed ? null : row.Error);
        await db.SaveChangesAsync(ct);
        if (changed)
        {
            await audit.AppendAsync(db, actor.Event("aa-consent-status", $"/aa/consents/{row.ConsentHandle}", row.CustomerId,
                $"{row.CustomerHandle}: handle {row.ConsentHandle} is {aaStatus}{(consentId is null ? "" : $", consent {consentId}")}"), ct);
        }
        await tx.CommitAsync(ct);
        request.Status = row.Status;
        request.ConsentId = row.ConsentId;
    }

    /// <summary>POST /Consent/fetch; verifies the artefact and stores it as the consent record. Returns why not (null when stored) and the artefact's status.</summary>
    private async Task<(string? Refusal, string? Status)> FetchArtefactAsync(AaConsentRequest request, string consentId, AaActor actor, CancellationToken ct)
    {
        var settings = options.Value.Aa;
        var (artefact, raw) = await aa.PostAsync<ConsentFetchRequest, ConsentArtefact>(AaClient.Paths.ConsentFetch, new ConsentFetchRequest
        {
            Ver = ReBitVersion, Timestamp = AaJson.Timestamp(clock.GetUtcNow()), Txnid = Guid.NewGuid().ToString(), ConsentId = consentId,
        }, ct);
        string? refusal = null;
        ConsentDetail? detail = null;
        if (!string.Equals(artefact.ConsentId, consentId, StringComparison.Ordinal))
        {
            refusal = $"the artefact is for consent '{artefact.ConsentId}', not '{consentId}'";
        }
        else if (string.IsNullOrEmpty(artefact.SignedConsent))
        {
            refusal = "the artefact has no signedConsent";
        }
        else if (CompactJws.Verify(artefact.SignedConsent, keys.AaKeys, out _) is { Valid: false } bad)
        {
            refusal = $"signedConsent is not signed by a key of the AA's JWKS: {bad.Error}";
        }
        else
        {
            var parsed = ConsentReader.Read(new MemoryStream(raw), $"consent {consentId}");
            detail = parsed.Consent;
            if (parsed.HasErrors || detail is null)
            {
                refusal = "the artefact does not read as a ReBIT consent: " + string.Join("; ", parsed.Issues.Where(i => i.Severity == Domain.Ingestion.IssueSeverity.Error).Take(3));
            }
            else if (!string.Equals(detail.DataConsumerId, settings.FiuId, StringComparison.Ordinal))
            {
                refusal = $"the signed consent's DataConsumer.id '{detail.DataConsumerId}' is not this FIU ('{settings.FiuId}')";
            }
            else if (!string.Equals(detail.CustomerId, request.CustomerHandle, StringComparison.Ordinal))
            {
                refusal = $"the signed consent's Customer.id '{detail.CustomerId}' is not the customer asked for ('{request.CustomerHandle}')";
            }
            else if (detail.Accounts.Count == 0)
            {
                refusal = "the signed consent names no accounts";
            }
        }
        if (refusal is not null || detail is null)
        {
            log.LogWarning("Consent artefact {ConsentId} refused: {Reason}", consentId, Hosting.LogSafe.Text(refusal));
            await RecordStatusAsync(request, request.Status, consentId, "artefact refused: " + refusal, actor, ct);
            await audit.AppendAsync(actor.Event("aa-consent-artefact-refused", $"/aa/consents/{request.ConsentHandle}", request.CustomerId,
                $"{request.CustomerHandle}: consent {consentId}: {refusal}"), ct);
            return (refusal, null);
        }
        await StoreArtefactAsync(request, detail, System.Text.Encoding.UTF8.GetString(raw), actor, ct);
        return (null, detail.Status.ToString().ToUpperInvariant());
    }

    private async Task StoreArtefactAsync(AaConsentRequest request, ConsentDetail c, string artefactJson, AaActor actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var customer = await db.Customers.FirstOrDefaultAsync(x => x.AaHandle == c.CustomerId, ct);
        if (customer is null)
        {
            customer = new Customer { AaHandle = c.CustomerId, CreatedAt = now };
            db.Customers.Add(customer);
            await db.SaveChangesAsync(ct);
        }
        var record = await db.Consents.FirstOrDefaultAsync(x => x.ConsentId == c.ConsentId, ct);
        if (record is null)
        {
            record = new ConsentRecord
            {
                ConsentId = c.ConsentId,
                CustomerId = customer.Id,
                Status = c.Status,
                ConsentStart = c.ConsentStart,
                ConsentExpiry = c.ConsentExpiry,
                ConsentMode = c.ConsentMode,
                FetchType = c.FetchType,
                ConsentTypes = string.Join(',', c.ConsentTypes),
                FiTypes = string.Join(',', c.FiTypes),
                DataConsumerId = c.DataConsumerId,
                DataProviderId = c.DataProviderId,
                PurposeCode = c.PurposeCode,
                PurposeText = c.PurposeText,
                PurposeCategory = c.PurposeCategory,
                FiDataFrom = c.FiDataFrom,
                FiDataTo = c.FiDataTo,
                DataLifeUnit = c.DataLifeUnit,
                DataLifeValue = c.DataLifeValue,
                FrequencyUnit = c.FrequencyUnit,
                FrequencyValue = c.FrequencyValue,
                DataFiltersJson = System.Text.Json.JsonSerializer.Serialize(c.DataFilters),
                CreateTimestamp = c.CreateTimestamp,
                ReceivedAt = now,
                AaId = request.AaId,
                LinkedAccounts = [.. c.Accounts.Select(a => new ConsentLinkedAccount
                {
                    FiType = a.FiType, FipId = a.FipId, AccType = a.AccType, LinkRefNumber = a.LinkRefNumber, MaskedAccNumber = a.MaskedAccNumber,
                })],
            };
            db.Consents.Add(record);
            await db.SaveChangesAsync(ct);
            db.ConsentStatusChanges.Add(new ConsentStatusChange
            {
                ConsentRecordId = record.Id, FromStatus = null, ToStatus = c.Status, ChangedAt = now, Source = "aa", ChangedBy = actor.Name,
                Note = $"artefact fetched from {request.AaId} for consent handle {request.ConsentHandle}; signature verified",
            });
        }
        else if (record.CustomerId != customer.Id)
        {
            throw new InvalidOperationException($"consent {c.ConsentId} is already on file for another customer");
        }
        var row = await db.AaConsentRequests.FirstAsync(r => r.Id == request.Id, ct);
        row.ConsentRecordId = record.Id;
        row.CustomerId = customer.Id;
        row.ArtefactJson = artefactJson;
        row.Error = null;
        await db.SaveChangesAsync(ct);
        await audit.AppendAsync(db, actor.Event("aa-consent-artefact", $"/compliance/consents/{record.Id}", customer.Id,
            $"{c.CustomerId}: consent {c.ConsentId} {c.Status.ToString().ToUpperInvariant()} stored from {request.AaId} (handle {request.ConsentHandle}); " +
            $"purpose {c.PurposeCode}, {c.Accounts.Count} account(s), FI data {c.FiDataFrom:yyyy-MM-dd} to {c.FiDataTo:yyyy-MM-dd}"), ct);
        await tx.CommitAsync(ct);
        request.ConsentRecordId = record.Id;
        request.CustomerId = customer.Id;
    }
}
