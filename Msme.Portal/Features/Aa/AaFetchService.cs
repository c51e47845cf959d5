using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Msme.Domain.Aa;
using Msme.Domain.Consent;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Aa;

/// <summary>One account of a fetch: <c>imported</c>, <c>unchanged</c> or <c>rejected</c>, with the reason when rejected.</summary>
public sealed record AaAccountLine(string Outcome, string FipId, string LinkRefNumber, string MaskedAccNumber, int Transactions, string? Reason)
{
    public override string ToString() => Outcome == "rejected"
        ? $"rejected {FipId}/{MaskedAccNumber} {Reason}"
        : $"{Outcome} {FipId}/{MaskedAccNumber}: {Transactions} transactions";
}

/// <summary>What a fetch did, as <c>aa-fetch</c> prints it; <see cref="ErrorCode"/> and <see cref="Error"/> say why it failed.</summary>
public sealed record AaFetchResult(int? FetchId, string? SessionId, int Accounts, int Transactions, int Rejected, int? CustomerId,
    IReadOnlyList<AaAccountLine> Lines, string Status, string? ErrorCode, string? Error)
{
    public bool Succeeded => Status is AaFetchStatus.Imported or AaFetchStatus.Unchanged;
}

/// <summary>
/// FI request and fetch for an ACTIVE consent obtained through the AA: a fresh Curve25519 key pair and nonce per
/// request, the AA's answers verified, every account's data decrypted with its FIP's key material, checked against the
/// signed consent (accounts, range), and imported through the one importer as one envelope — all or nothing per session.
/// </summary>
public sealed class AaFetchService(
    AaClient aa,
    IDbContextFactory<ApplicationDbContext> dbFactory,
    BundleImporter importer,
    AuditLog audit,
    IOptions<MsmeOptions> options,
    TimeProvider clock,
    ILogger<AaFetchService> log)
{
    /// <summary>Sessions waiting for their data: an FI notification (READY) wakes the wait at once instead of at its next poll.</summary>
    private static readonly ConcurrentDictionary<string, TaskCompletionSource> Waiting = new(StringComparer.Ordinal);

    /// <summary>Called when the AA notifies that a session's data is ready; true when a fetch on this instance was waiting for it.</summary>
    public static bool SignalReady(string sessionId) => Waiting.TryGetValue(sessionId, out var ready) && ready.TrySetResult();

    /// <summary>The AA's answers that mean "not yet": FI/fetch is asked again, with backoff, until <see cref="AaSettings.DataReadyTimeout"/>.</summary>
    private static readonly HashSet<string> NotReady = new(StringComparer.OrdinalIgnoreCase) { "NoDataFound", "DataFetchRequestInProgress", "PENDING" };

    public async Task<AaFetchResult> FetchAsync(string consentId, DateOnly? from, DateOnly? to, string trigger, AaActor actor, CancellationToken ct = default)
    {
        var settings = options.Value.Aa;
        var now = clock.GetUtcNow();
        AaConsentRequest? request;
        ConsentRecord? consent;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            consent = await db.Consents.AsNoTracking().Include(c => c.LinkedAccounts).FirstOrDefaultAsync(c => c.ConsentId == consentId, ct);
            request = consent is null ? null : await db.AaConsentRequests.AsNoTracking()
                .Where(r => r.ConsentRecordId == consent.Id && r.ArtefactJson != null).OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
        }
        if (consent is null || request?.ArtefactJson is null)
        {
            return Failed(null, null, "InvalidConsentId", consent is null
                ? $"no consent '{consentId}' is held by this FIU (aa-status stores it once granted)"
                : $"consent '{consentId}' was not obtained through the AA connector (it came with a file import), so there is no signed artefact to fetch under");
        }

        // The signed consent as received: its FIDataRange strings, copied exactly, and its signature for FI/request.
        var artefact = JsonSerializer.Deserialize<ConsentArtefact>(request.ArtefactJson, AaJson.Options)!;
        var signed = JsonSerializer.Deserialize<WireConsentDetail>(Base64UrlPayload(artefact.SignedConsent), AaJson.Options)!;
        var fetch = new AaFetch
        {
            ConsentId = consentId, ConsentRecordId = consent.Id, CustomerId = consent.CustomerId, Status = AaFetchStatus.Requested, Trigger = trigger,
            RequestedBy = actor.Name, RequestedAt = now, UpdatedAt = now,
            RangeFrom = consent.FiDataFrom ?? now, RangeTo = consent.FiDataTo ?? now,
        };

        string? refusal = consent.Status != ConsentStatus.Active
            ? $"consent {consentId} is {consent.Status.ToString().ToUpperInvariant()}: no data may be fetched under it"
            : consent.ConsentExpiry is { } expiry && expiry <= now
                ? $"consent {consentId} expired at {expiry.UtcDateTime:O}"
                : null;
        var rangeFrom = signed.FIDataRange.From;
        var rangeTo = signed.FIDataRange.To;
        if (refusal is null && (from is not null || to is not null))
        {
            // A day given is the whole UTC day; a side not given keeps the signed consent's own instant.
            var fi = from is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : consent.FiDataFrom!.Value;
            var ti = to is { } t ? new DateTimeOffset(t.ToDateTime(new TimeOnly(23, 59, 59, 999)), TimeSpan.Zero) : consent.FiDataTo!.Value;
            if (ti < fi || fi < consent.FiDataFrom || ti > consent.FiDataTo)
            {
                return await RecordFailureAsync(fetch, "InvalidDateRange",
                    $"{AaJson.Timestamp(fi)} to {AaJson.Timestamp(ti)} does not lie inside the consent's FIDataRange {rangeFrom} to {rangeTo}", actor, ct);
            }
            (rangeFrom, rangeTo) = (from is null ? rangeFrom : AaJson.Timestamp(fi), to is null ? rangeTo : AaJson.Timestamp(ti));
            (fetch.RangeFrom, fetch.RangeTo) = (fi, ti);
        }
        if (refusal is not null)
        {
            return await RecordFailureAsync(fetch, consent.Status switch
            {
                ConsentStatus.Paused => "ConsentPaused",
                ConsentStatus.Revoked => "ConsentRevoked",
                _ => "ConsentExpired",
            }, refusal, actor, ct);
        }

        using var keyPair = FiKeyPair.Create(clock);
        FiRequestResponse started;
        try
        {
            (started, _) = await aa.PostAsync<FiRequest, FiRequestResponse>(AaClient.Paths.FiRequest, new FiRequest
            {
                Ver = AaConsentService.ReBitVersion, Timestamp = AaJson.Timestamp(now), Txnid = Guid.NewGuid().ToString(),
                FIDataRange = new WireDataRange { From = rangeFrom, To = rangeTo },
                Consent = new WireConsentRef { Id = consentId, DigitalSignature = CompactJws.SignatureSegment(artefact.SignedConsent) },
                KeyMaterial = keyPair.KeyMaterial,
            }, ct);
        }
        catch (AaCallException e)
        {
            return await RecordFailureAsync(fetch, e.ErrorCode, e.Message, actor, ct);
        }
        if (string.IsNullOrWhiteSpace(started.SessionId) || started.ConsentId != consentId)
        {
            return await RecordFailureAsync(fetch, AaCallException.InvalidResponse, "FI/request: the AA answered without a session id for this consent", actor, ct);
        }
        fetch.SessionId = started.SessionId;
        await SaveAsync(fetch, ct);

        FiFetchResponse data;
        try
        {
            data = await FetchWhenReadyAsync(started.SessionId, ct);
        }
        catch (AaCallException e)
        {
            return await RecordFailureAsync(fetch, e.ErrorCode, e.Message, actor, ct);
        }
        fetch.Status = AaFetchStatus.Fetched;
        await SaveAsync(fetch, ct);

        // Decrypt and check every account before anything is written: one bad entry fails the session.
        var documents = new List<(string FipId, WireFiData Entry, byte[] Plain)>();
        foreach (var fi in data.FI)
        {
            foreach (var entry in fi.Data)
            {
                var fipId = fi.FipId;
                var linked = consent.LinkedAccounts.FirstOrDefault(a => a.FipId == fipId && a.LinkRefNumber == entry.LinkRefNumber
                    && (a.MaskedAccNumber is null || entry.MaskedAccNumber is null || a.MaskedAccNumber == entry.MaskedAccNumber));
                if (linked is null)
                {
                    return await RecordFailureAsync(fetch, "AccountNotInConsent",
                        $"FI/fetch delivered account {fipId}/{entry.LinkRefNumber}/{entry.MaskedAccNumber}, which the signed consent does not name", actor, ct);
                }
                if (fi.KeyMaterial is null || string.IsNullOrEmpty(entry.EncryptedFI))
                {
                    return await RecordFailureAsync(fetch, AaCallException.InvalidResponse,
                        $"FI/fetch: account {fipId}/{entry.MaskedAccNumber} came without KeyMaterial or encryptedFI", actor, ct);
                }
                try
                {
                    documents.Add((fipId, entry, keyPair.Decrypt(fi.KeyMaterial, entry.EncryptedFI)));
                }
                catch (AaCryptoException e)
                {
                    return await RecordFailureAsync(fetch, "DecryptionFailed", $"account {fipId}/{entry.MaskedAccNumber}: {e.Message}", actor, ct);
                }
            }
        }
        if (documents.Count == 0)
        {
            return await RecordFailureAsync(fetch, "NoDataFound", "FI/fetch delivered no accounts", actor, ct);
        }

        var spool = Path.Combine(options.Value.ResolveDataDirectory(), "aa", "spool");
        Directory.CreateDirectory(spool);
        var envelope = Path.Combine(spool, $"aa-{SafeName(started.SessionId)}.json");
        ImportOutcome outcome;
        try
        {
            await WriteEnvelopeAsync(envelope, consent.CustomerId, started.SessionId, now, rangeFrom, rangeTo, request.ArtefactJson, documents, ct);
            outcome = await importer.ImportAsync(envelope, null, actor.Name, ct);
        }
        finally
        {
            File.Delete(envelope);
        }

        foreach (var warning in outcome.Warnings)
        {
            log.LogInformation("AA fetch {Session}: {Warning}", started.SessionId, Hosting.LogSafe.Issue(warning));
        }
        var lines = await AccountLinesAsync(outcome, consent.CustomerId, documents, ct);
        fetch.Accounts = documents.Count;
        if (outcome.Status == ImportStatus.Rejected)
        {
            fetch.Rejected = documents.Count;
            var first = outcome.Errors.FirstOrDefault()?.ToString() ?? "rejected by the importer";
            var failed = await RecordFailureAsync(fetch, "ImportRejected", first, actor, ct);
            return failed with { Lines = lines, Accounts = documents.Count, Rejected = documents.Count };
        }
        fetch.Transactions = outcome.TransactionsAdded;
        fetch.Status = outcome.TransactionsAdded > 0 ? AaFetchStatus.Imported : AaFetchStatus.Unchanged;
        fetch.UpdatedAt = clock.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            db.AaFetches.Update(fetch);
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(db, actor.Event("aa-fetch", $"/compliance/consents/{consent.Id}", consent.CustomerId,
                $"consent {consentId} session {started.SessionId} ({trigger}): {fetch.Status}, {documents.Count} account(s), {outcome.TransactionsAdded} transactions added, range {rangeFrom} to {rangeTo}"), ct);
            await tx.CommitAsync(ct);
        }
        return new AaFetchResult(fetch.Id, started.SessionId, documents.Count, outcome.TransactionsAdded, 0, consent.CustomerId, lines, fetch.Status, null, null);
    }

    /// <summary>FI/fetch, asked again with backoff while the AA says the data is not ready; an FI notification cuts the wait short.</summary>
    private async Task<FiFetchResponse> FetchWhenReadyAsync(string sessionId, CancellationToken ct)
    {
        var settings = options.Value.Aa;
        var deadline = DateTime.UtcNow + settings.DataReadyTimeout;
        var delay = TimeSpan.FromMilliseconds(200);
        var ready = Waiting.GetOrAdd(sessionId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            while (true)
            {
                try
                {
                    var (answer, _) = await aa.PostAsync<FiFetchRequest, FiFetchResponse>(AaClient.Paths.FiFetch, new FiFetchRequest
                    {
                        Ver = AaConsentService.ReBitVersion, Timestamp = AaJson.Timestamp(clock.GetUtcNow()), Txnid = Guid.NewGuid().ToString(), SessionId = sessionId,
                    }, ct);
                    return answer;
                }
                catch (AaCallException e) when (NotReady.Contains(e.ErrorCode) && DateTime.UtcNow + delay < deadline)
                {
                    log.LogInformation("FI/fetch {Session}: {Code}; asking again in {Delay}", sessionId, e.ErrorCode, delay);
                    // Real time, not the app's clock: this is a wait between network calls, not a business date.
                    await Task.WhenAny(Task.Delay(delay, ct), ready.Task);
                    ct.ThrowIfCancellationRequested();
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
                }
            }
        }
        finally
        {
            Waiting.TryRemove(sessionId, out _);
        }
    }

    private async Task WriteEnvelopeAsync(string path, int customerId, string sessionId, DateTimeOffset fetchedAt, string rangeFrom, string rangeTo,
        string artefactJson, List<(string FipId, WireFiData Entry, byte[] Plain)> documents, CancellationToken ct)
    {
        Customer customer;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            customer = await db.Customers.AsNoTracking().FirstAsync(c => c.Id == customerId, ct);
        }
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        await using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteNumber("bundleVersion", 1);
            w.WriteStartObject("customer");
            w.WriteString("aaHandle", customer.AaHandle);
            Optional(w, "legalName", customer.LegalName);
            Optional(w, "pan", customer.Pan);
            Optional(w, "udyam", customer.Udyam);
            Optional(w, "businessCategory", customer.BusinessCategory);
            Optional(w, "scale", customer.Scale);
            w.WriteEndObject();
            w.WriteStartObject("fetchSession");
            w.WriteString("sessionId", sessionId);
            var fips = documents.Select(d => d.FipId).Distinct().ToList();
            if (fips.Count == 1)
            {
                w.WriteString("fipId", fips[0]);
            }
            w.WriteString("fetchedAt", AaJson.Timestamp(fetchedAt));
            w.WriteString("rangeFrom", rangeFrom);
            w.WriteString("rangeTo", rangeTo);
            w.WriteString("status", "COMPLETED");
            w.WriteEndObject();
            w.WritePropertyName("consent");
            w.WriteRawValue(artefactJson);
            w.WriteStartArray("fi");
            foreach (var group in documents.GroupBy(d => d.FipId))
            {
                w.WriteStartObject();
                w.WriteString("fipID", group.Key);
                w.WriteStartArray("data");
                foreach (var (_, entry, plain) in group)
                {
                    w.WriteStartObject();
                    Optional(w, "linkRefNumber", entry.LinkRefNumber);
                    Optional(w, "maskedAccNumber", entry.MaskedAccNumber);
                    w.WritePropertyName("decryptedFI");
                    var text = Encoding.UTF8.GetString(plain).TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
                    if (text.StartsWith('<'))
                    {
                        w.WriteStringValue(text);
                    }
                    else
                    {
                        // Raw, so a malformed document is the importer's to name (file, account, JSON path), not a writer exception here.
                        w.WriteRawValue(text, skipInputValidation: true);
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
    }

    private async Task<IReadOnlyList<AaAccountLine>> AccountLinesAsync(ImportOutcome outcome, int customerId, List<(string FipId, WireFiData Entry, byte[] Plain)> documents, CancellationToken ct)
    {
        if (outcome.Status == ImportStatus.Rejected)
        {
            var reason = outcome.Errors.FirstOrDefault()?.ToString() ?? "rejected";
            return [.. documents.Select(d => new AaAccountLine("rejected", d.FipId, d.Entry.LinkRefNumber ?? "", d.Entry.MaskedAccNumber ?? "", 0, reason))];
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var sessionRow = await db.FetchSessions.Where(s => s.SessionId == outcome.SessionId).Select(s => s.Id).FirstAsync(ct);
        var added = await db.Transactions.Where(t => t.FetchSessionId == sessionRow).GroupBy(t => t.AccountId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var lines = new List<AaAccountLine>();
        // The customer's accounts once, not one query per document. The stored account is keyed by the FIP and the
        // document's own linkedAccRef (which an AA's linkRefNumber need not equal): matched by FIP and masked number,
        // preferring the one whose reference matches.
        var accounts = await db.Accounts.AsNoTracking().Where(a => a.CustomerId == customerId)
            .Select(a => new { a.Id, a.FipId, a.MaskedAccNumber, a.LinkedAccRef }).ToListAsync(ct);
        foreach (var (fipId, entry, _) in documents)
        {
            var accountId = accounts.Where(a => a.FipId == fipId && a.MaskedAccNumber == entry.MaskedAccNumber)
                .OrderByDescending(a => a.LinkedAccRef == entry.LinkRefNumber).Select(a => (int?)a.Id).FirstOrDefault();
            var count = accountId is { } id && added.TryGetValue(id, out var n) ? n : 0;
            lines.Add(new AaAccountLine(count > 0 ? "imported" : "unchanged", fipId, entry.LinkRefNumber ?? "", entry.MaskedAccNumber ?? "", count, null));
        }
        return lines;
    }

    private async Task<AaFetchResult> RecordFailureAsync(AaFetch fetch, string code, string message, AaActor actor, CancellationToken ct)
    {
        fetch.Status = AaFetchStatus.Failed;
        fetch.ErrorCode = code.Length > 64 ? code[..64] : code;
        fetch.ErrorMessage = message.Length > 2000 ? message[..2000] : message;
        fetch.UpdatedAt = clock.GetUtcNow();
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (fetch.Id == 0)
            {
                db.AaFetches.Add(fetch);
            }
            else
            {
                db.AaFetches.Update(fetch);
            }
            await db.SaveChangesAsync(ct);
            await audit.AppendAsync(db, actor.Event("aa-fetch-failed", $"/compliance/consents/{fetch.ConsentRecordId}", fetch.CustomerId,
                $"consent {fetch.ConsentId} session {fetch.SessionId ?? "-"} ({fetch.Trigger}): {code}: {message}"), ct);
            await tx.CommitAsync(ct);
        }
        log.LogWarning("AA fetch for consent {ConsentId} failed: {Code}: {Message}", fetch.ConsentId, code, Hosting.LogSafe.Text(message));
        return Failed(fetch.Id, fetch.SessionId, code, message) with { CustomerId = fetch.CustomerId };
    }

    private async Task SaveAsync(AaFetch fetch, CancellationToken ct)
    {
        fetch.UpdatedAt = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (fetch.Id == 0)
        {
            db.AaFetches.Add(fetch);
        }
        else
        {
            db.AaFetches.Update(fetch);
        }
        await db.SaveChangesAsync(ct);
    }

    private static AaFetchResult Failed(int? id, string? session, string code, string message) =>
        new(id, session, 0, 0, 0, null, [], AaFetchStatus.Failed, code, message);

    private static byte[] Base64UrlPayload(string compact)
    {
        var parts = compact.Split('.');
        return System.Buffers.Text.Base64Url.DecodeFromChars(parts[1]);
    }

    private static string SafeName(string s) => string.Concat(s.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-' ? ch : '_'));

    private static void Optional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}
