using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Msme.Domain.Aa;

namespace Msme.AaSimulator;

/// <summary>
/// A simulated Account Aggregator with its FIPs, speaking ReBIT AA API 2.0.0 (POST /Consent, /Consent/handle,
/// /Consent/fetch, /FI/request, /FI/fetch under any base path) with the real crypto and signatures: requests must carry
/// <c>client_api_key</c> and a detached JWS by the FIU; answers (errors too) are signed by the AA's key; consents for
/// customers the source knows are approved on the next handle poll; FI data is encrypted per FIP with a fresh Curve25519
/// key per session. For Development and tests only.
/// </summary>
public sealed class SimulatedAa : IDisposable
{
    private readonly SimulatedAaOptions _options;
    private readonly ISimulatedAaSource _source;
    private readonly TimeProvider _clock;
    private readonly RSA _key;
    private readonly bool _ownsKey;
    // Made on first use: only fault tests need it.
    private readonly Lazy<RSA> _rogue = new(() => RSA.Create(2048));
    private readonly SimulatedAaState _state;
    private readonly Dictionary<(string Session, string Fip), FiKeyPair> _fipKeys = [];
    private readonly Lock _gate = new();

    public SimulatedAa(SimulatedAaOptions options, ISimulatedAaSource source, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options.FiuKeys);
        _options = options;
        _source = source;
        _clock = clock;
        string? keyFile = options.SigningKeyFile ?? (options.StateFile is { } state ? state + ".aa-key.pem" : null);
        _ownsKey = options.SigningKey is null;
        _key = options.SigningKey ?? (keyFile is null ? RSA.Create(2048) : RsaKeyFile.LoadOrCreate(keyFile, out _));
        Kid = RsaKeyFile.Kid(_key);
        Jwks = AaKeySet.ToJwks([(Kid, _key)]);
        _state = SimulatedAaState.Load(options.StateFile);
    }

    /// <summary>The AA's public key set (what the FIU's <c>AaPublicKeys</c> file holds).</summary>
    public string Jwks { get; }

    /// <summary>The kid of the AA's signing key.</summary>
    public string Kid { get; }

    public SimulatedAaFaults Faults { get; } = new();

    /// <summary>A handler serving the AA API, for <c>new HttpClient(aa.CreateHandler()) { BaseAddress = … }</c>.</summary>
    public HttpMessageHandler CreateHandler() => new Handler(this);

    /// <summary>The customer pauses, resumes or revokes the consent at the AA (ACTIVE, PAUSED, REVOKED, EXPIRED).</summary>
    public void SetConsentStatus(string consentId, string status)
    {
        lock (_gate)
        {
            var consent = _state.Consents.FirstOrDefault(c => c.ConsentId == consentId)
                ?? throw new ArgumentException($"No consent {consentId}.", nameof(consentId));
            consent.ArtefactStatus = status;
            Save();
        }
    }

    /// <summary>A signed AA → FIU Consent/Notification (FIU API 2.0.0), as the AA would POST it.</summary>
    public (byte[] Body, string Signature) ConsentNotification(string consentHandle, string consentId, string status)
    {
        var body = AaJson.Serialize(new ConsentNotification
        {
            Ver = AaJson.Version,
            Timestamp = Now(),
            Txnid = AaJson.NewTxnId(),
            Notifier = new WireNotifier { Type = "AA", Id = _options.AaId },
            ConsentStatusNotification = new WireConsentStatusNotification { ConsentHandle = consentHandle, ConsentId = consentId, ConsentStatus = status },
        });
        return (body, DetachedJws.Sign(_key, Kid, body));
    }

    /// <summary>A signed AA → FIU FI/Notification for a session, every consented account in the status the session status implies.</summary>
    public (byte[] Body, string Signature) FiNotification(string sessionId, string sessionStatus)
    {
        string fiStatus = sessionStatus switch { "ACTIVE" => "READY", "COMPLETED" => "DELIVERED", "EXPIRED" => "TIMEOUT", _ => "DENIED" };
        IReadOnlyList<WireFiStatusEntry> entries;
        lock (_gate)
        {
            var session = _state.Sessions.FirstOrDefault(s => s.SessionId == sessionId);
            var accounts = session is null ? [] : _state.Consents.FirstOrDefault(c => c.ConsentId == session.ConsentId)?.Accounts ?? [];
            entries = accounts.GroupBy(a => a.FipId).Select(g => new WireFiStatusEntry
            {
                FipId = g.Key,
                Accounts = g.Select(a => new WireFiAccountStatus { LinkRefNumber = a.LinkRefNumber, FIStatus = fiStatus, Description = "" }).ToList(),
            }).ToList();
        }
        var body = AaJson.Serialize(new FiNotification
        {
            Ver = AaJson.Version,
            Timestamp = Now(),
            Txnid = AaJson.NewTxnId(),
            Notifier = new WireNotifier { Type = "AA", Id = _options.AaId },
            FIStatusNotification = new WireFiStatusNotification { SessionId = sessionId, SessionStatus = sessionStatus, FIStatusResponse = entries },
        });
        return (body, DetachedJws.Sign(_key, Kid, body));
    }

    /// <summary>Serves one request (the portal mounts this over HTTP in Development).</summary>
    public async Task<HttpResponseMessage> HandleAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        string path = request.RequestUri?.IsAbsoluteUri == true ? request.RequestUri.AbsolutePath : request.RequestUri?.OriginalString ?? "";
        string? apiKey = Header(request, "client_api_key");
        string? jws = Header(request, "x-jws-signature");
        lock (_gate)
        {
            return Handle(request.Method, path, apiKey, jws, body);
        }
    }

    private static string? Header(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()
        : request.Content?.Headers.TryGetValues(name, out var contentValues) == true ? contentValues.FirstOrDefault() : null;

    private enum Route { Consent, ConsentHandle, ConsentFetch, FiRequest, FiFetch }

    private static Route? RouteOf(string path)
    {
        string p = path.TrimEnd('/');
        if (p.EndsWith("/Consent/handle", StringComparison.OrdinalIgnoreCase)) return Route.ConsentHandle;
        if (p.EndsWith("/Consent/fetch", StringComparison.OrdinalIgnoreCase)) return Route.ConsentFetch;
        if (p.EndsWith("/FI/request", StringComparison.OrdinalIgnoreCase)) return Route.FiRequest;
        if (p.EndsWith("/FI/fetch", StringComparison.OrdinalIgnoreCase)) return Route.FiFetch;
        if (p.EndsWith("/Consent", StringComparison.OrdinalIgnoreCase) || p.Equals("Consent", StringComparison.OrdinalIgnoreCase)) return Route.Consent;
        return null;
    }

    private HttpResponseMessage Handle(HttpMethod method, string path, string? apiKey, string? jws, byte[] body)
    {
        var response = HandleCore(method, path, apiKey, jws, body);
        if (Faults.RewriteAnswer is not { } rewrite || response.Content is null)
        {
            return response;
        }
        // A test's change to the answer (another ver, txnid, consent id...), signed again with the AA's own key: an answer
        // the AA really sent, only wrong.
        var node = System.Text.Json.Nodes.JsonNode.Parse(response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult())!.AsObject();
        if (rewrite(RouteOf(path)?.ToString() ?? path, node) is not { } changed)
        {
            return response;
        }
        var bytes = System.Text.Encoding.UTF8.GetBytes(changed.ToJsonString());
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var rewritten = new HttpResponseMessage(response.StatusCode) { Content = content };
        rewritten.Headers.TryAddWithoutValidation("x-jws-signature", DetachedJws.Sign(_key, Kid, bytes));
        response.Dispose();
        return rewritten;
    }

    private HttpResponseMessage HandleCore(HttpMethod method, string path, string? apiKey, string? jws, byte[] body)
    {
        string txnid = TxnIdOf(body);
        var route = RouteOf(path);
        if (route is null)
            return Error(txnid, HttpStatusCode.NotFound, AaErrorCodes.InvalidUri, $"No AA API at {path}.", fi: false);
        bool fi = route is Route.FiRequest or Route.FiFetch;
        if (method != HttpMethod.Post)
            // The GET forms are 1.1.x, deprecated in 2.0.0.
            return Error(txnid, HttpStatusCode.NotImplemented, AaErrorCodes.NotImplemented, $"{method} {path} is not served: 2.0.0 uses POST.", fi);
        if (Faults.TransientFailures > 0)
        {
            Faults.TransientFailures--;
            return Error(txnid, HttpStatusCode.ServiceUnavailable, AaErrorCodes.ServiceUnavailable, "The AA is briefly unavailable; retry.", fi);
        }
        if (string.IsNullOrEmpty(apiKey) || !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(apiKey), System.Text.Encoding.UTF8.GetBytes(_options.ApiKey)))
            return Error(txnid, HttpStatusCode.Unauthorized, AaErrorCodes.Unauthorized, "client_api_key is missing or not known to this AA.", fi);
        if (string.IsNullOrWhiteSpace(jws))
            return Error(txnid, HttpStatusCode.BadRequest, AaErrorCodes.InvalidSecurity, "x-jws-signature is missing.", fi);
        var check = DetachedJws.Verify(jws, body, _options.FiuKeys());
        if (!check.Valid)
            return Error(txnid, HttpStatusCode.BadRequest, AaErrorCodes.SignatureDoesNotMatch, check.Error ?? "x-jws-signature does not verify.", fi);
        try
        {
            return route switch
            {
                Route.Consent => CreateConsent(Read<ConsentRequest>(body)),
                Route.ConsentHandle => ConsentStatus(Read<ConsentHandleRequest>(body)),
                Route.ConsentFetch => FetchConsent(Read<ConsentFetchRequest>(body)),
                Route.FiRequest => RequestFi(Read<FiRequest>(body)),
                _ => FetchFi(Read<FiFetchRequest>(body)),
            };
        }
        catch (AaRequestException e)
        {
            return Error(e.Txnid ?? txnid, (HttpStatusCode)AaErrorCodes.HttpStatus(e.ErrorCode), e.ErrorCode, e.Message, fi);
        }
    }

    private T Read<T>(byte[] body) where T : IAaMessage
    {
        T? message;
        try
        {
            message = AaJson.Deserialize<T>(body);
        }
        catch (JsonException e)
        {
            throw new AaRequestException(AaErrorCodes.InvalidRequest, $"The body is not a valid {typeof(T).Name}: {e.Message}");
        }
        if (message is null)
            throw new AaRequestException(AaErrorCodes.InvalidRequest, "The body is empty.");
        if (message.Ver != AaJson.Version)
            throw new AaRequestException(AaErrorCodes.NoSuchVersion, $"ver '{message.Ver}' is not served: this AA speaks {AaJson.Version}.", message.Txnid);
        if (string.IsNullOrWhiteSpace(message.Txnid))
            throw new AaRequestException(AaErrorCodes.InvalidRequest, "txnid is empty.");
        if (!AaJson.TryParseTimestamp(message.Timestamp, out var at))
            throw new AaRequestException(AaErrorCodes.InvalidRequest, $"timestamp '{message.Timestamp}' is not an ISO 8601 date-time.", message.Txnid);
        if ((at - _clock.GetUtcNow()).Duration() > _options.TimestampTolerance)
            throw new AaRequestException(AaErrorCodes.InvalidRequest, $"timestamp {message.Timestamp} is too far from the AA's clock ({Now()}).", message.Txnid);
        if (_state.TxnIds.ContainsKey(message.Txnid))
            throw new AaRequestException(AaErrorCodes.IdempotencyError, $"txnid {message.Txnid} was used before.", message.Txnid);
        return message;
    }

    // ---------- Consent flow ----------

    private HttpResponseMessage CreateConsent(ConsentRequest request)
    {
        var d = request.ConsentDetail;
        Require(d.DataConsumer.Id == _options.FiuId && d.DataConsumer.Type == "FIU", AaErrorCodes.InvalidRequest,
            $"DataConsumer must be this FIU ({_options.FiuId}, FIU).", request.Txnid);
        Require(d.Purpose.Code is "101" or "102" or "103" or "104" or "105", AaErrorCodes.InvalidConsentPurpose,
            $"Purpose code '{d.Purpose.Code}' is not a ReBIT purpose (101-105).", request.Txnid);
        Require(AaJson.TryParseTimestamp(d.FIDataRange.From, out var from) && AaJson.TryParseTimestamp(d.FIDataRange.To, out var to) && from <= to,
            AaErrorCodes.InvalidRequest, "FIDataRange must be two ISO 8601 date-times, from before to.", request.Txnid);
        Require(AaJson.TryParseTimestamp(d.ConsentStart, out var start) && AaJson.TryParseTimestamp(d.ConsentExpiry, out var expiry) && start < expiry,
            AaErrorCodes.InvalidRequest, "consentStart and consentExpiry must be ISO 8601 date-times, start before expiry.", request.Txnid);
        var customer = _source.Find(d.Customer.Id);
        Require(customer is not null, AaErrorCodes.InvalidCustomerAddress, $"No customer '{d.Customer.Id}' at this AA.", request.Txnid);

        var consent = new SimulatedConsent
        {
            Handle = Guid.NewGuid().ToString(),
            FiuId = _options.FiuId,
            CustomerHandle = d.Customer.Id,
            Requested = d,
            HandleStatus = "PENDING",
        };
        _state.Consents.Add(consent);
        Done(request.Txnid);
        return Ok(new ConsentResponse
        {
            Ver = AaJson.Version, Timestamp = Now(), Txnid = request.Txnid,
            Customer = new WireCustomer { Id = d.Customer.Id },
            ConsentHandle = consent.Handle,
        }, fi: false);
    }

    private HttpResponseMessage ConsentStatus(ConsentHandleRequest request)
    {
        var consent = _state.Consents.FirstOrDefault(c => c.Handle == request.ConsentHandle && c.FiuId == _options.FiuId);
        Require(consent is not null, AaErrorCodes.InvalidConsentHandle, $"No consent handle '{request.ConsentHandle}' for this FIU.", request.Txnid);
        bool decided = consent!.HandleStatus == "PENDING" && ++consent.HandlePolls > _options.PendingPolls;
        if (decided)
            Approve(consent);
        Done(request.Txnid, changed: decided);
        return Ok(new ConsentHandleResponse
        {
            Ver = AaJson.Version, Timestamp = Now(), Txnid = request.Txnid,
            ConsentHandle = consent.Handle,
            ConsentStatus = new WireConsentStatus { Id = consent.ConsentId, Status = consent.HandleStatus },
        }, fi: false);
    }

    /// <summary>The customer approves every account the AA holds for the requested FI types.</summary>
    private void Approve(SimulatedConsent consent)
    {
        if (Faults.RejectConsents)
        {
            consent.HandleStatus = "REJECTED";
            return;
        }
        var customer = _source.Find(consent.CustomerHandle);
        var accounts = customer?.Accounts.Where(a => consent.Requested.FiTypes.Contains(a.FiType)).ToList() ?? [];
        if (accounts.Count == 0)
        {
            consent.HandleStatus = "FAILED";
            return;
        }
        var now = _clock.GetUtcNow();
        consent.ConsentId = Guid.NewGuid().ToString();
        consent.HandleStatus = "READY";
        consent.ArtefactStatus = "ACTIVE";
        consent.CreateTimestamp = AaJson.Timestamp(now);
        consent.Accounts = accounts.Select(a => new WireConsentAccount
        {
            FiType = a.FiType, FipId = a.FipId, AccType = a.AccType, LinkRefNumber = a.LinkRefNumber, MaskedAccNumber = a.MaskedAccNumber,
        }).ToList();
        consent.SignedPayload = AaJson.Serialize(consent.Requested with
        {
            DataProvider = new WireParty { Id = _options.AaId, Type = "AA" },
            Accounts = consent.Accounts,
        });
        consent.SignedConsent = CompactJws.Sign(_key, Kid, consent.SignedPayload);
    }

    private HttpResponseMessage FetchConsent(ConsentFetchRequest request)
    {
        var consent = Granted(request.ConsentId, request.Txnid);
        string signed = Faults.SignConsentWithRogueKey ? CompactJws.Sign(_rogue.Value, Kid, consent.SignedPayload!) : consent.SignedConsent!;
        Done(request.Txnid, changed: false);
        return Ok(new ConsentArtefact
        {
            Ver = AaJson.Version, Txnid = request.Txnid,
            ConsentId = consent.ConsentId!,
            Status = Faults.ArtefactStatus ?? EffectiveStatus(consent),
            CreateTimestamp = consent.CreateTimestamp!,
            SignedConsent = signed,
            ConsentUse = new WireConsentUse
            {
                LogUri = $"https://{_options.AaId}.example/consent-log/{consent.ConsentId}",
                Count = consent.UseCount,
                LastUseDateTime = consent.LastUse,
            },
        }, fi: false);
    }

    private SimulatedConsent Granted(string consentId, string txnid)
    {
        var consent = _state.Consents.FirstOrDefault(c => c.ConsentId == consentId && c.ConsentId is not null);
        Require(consent is not null && consent.FiuId == _options.FiuId, AaErrorCodes.InvalidConsentId, $"No consent '{consentId}' for this FIU.", txnid);
        return consent!;
    }

    private string EffectiveStatus(SimulatedConsent consent) =>
        consent.ArtefactStatus == "ACTIVE" && AaJson.TryParseTimestamp(consent.Requested.ConsentExpiry, out var expiry) && expiry <= _clock.GetUtcNow()
            ? "EXPIRED"
            : consent.ArtefactStatus ?? "PENDING";

    // ---------- Data flow ----------

    private HttpResponseMessage RequestFi(FiRequest request)
    {
        var consent = Granted(request.Consent.Id, request.Txnid);
        Require(request.Consent.DigitalSignature == CompactJws.SignatureSegment(consent.SignedConsent!), AaErrorCodes.InvalidConsentDetail,
            "Consent.digitalSignature is not the signature of this consent's signedConsent.", request.Txnid);
        string status = EffectiveStatus(consent);
        Require(status == "ACTIVE", AaErrorCodes.InvalidConsentStatus, $"The consent is {status}.", request.Txnid);
        bool parsed = AaJson.TryParseTimestamp(request.FIDataRange.From, out var from) & AaJson.TryParseTimestamp(request.FIDataRange.To, out var to);
        Require(parsed && from <= to, AaErrorCodes.InvalidDateRange, "FIDataRange must be two ISO 8601 date-times, from before to.", request.Txnid);
        AaJson.TryParseTimestamp(consent.Requested.FIDataRange.From, out var consentFrom);
        AaJson.TryParseTimestamp(consent.Requested.FIDataRange.To, out var consentTo);
        Require(from >= consentFrom && to <= consentTo, AaErrorCodes.InvalidDateRange,
            $"FIDataRange {request.FIDataRange.From}..{request.FIDataRange.To} is outside the consent's {consent.Requested.FIDataRange.From}..{consent.Requested.FIDataRange.To}.", request.Txnid);
        Require(request.KeyMaterial.Curve == KeyMaterial.CurveCurve25519, AaErrorCodes.InvalidKey,
            $"The FIPs accept curve Curve25519 only, not '{request.KeyMaterial.Curve}'.", request.Txnid);
        try
        {
            FiKeyPair.Validate(request.KeyMaterial, _clock.GetUtcNow());
        }
        catch (AaCryptoException e)
        {
            throw new AaRequestException(AaErrorCodes.InvalidKey, e.Message, request.Txnid);
        }
        var session = new SimulatedSession
        {
            SessionId = Guid.NewGuid().ToString(),
            ConsentId = consent.ConsentId!,
            From = from,
            To = to,
            FiuKeyMaterial = request.KeyMaterial,
            Status = "ACTIVE",
        };
        _state.Sessions.Add(session);
        consent.UseCount++;
        consent.LastUse = Now();
        Done(request.Txnid);
        return Ok(new FiRequestResponse
        {
            Ver = AaJson.Version, Timestamp = Now(), Txnid = request.Txnid,
            ConsentId = consent.ConsentId!, SessionId = session.SessionId,
        }, fi: true);
    }

    private HttpResponseMessage FetchFi(FiFetchRequest request)
    {
        var session = _state.Sessions.FirstOrDefault(s => s.SessionId == request.SessionId);
        var consent = session is null ? null : _state.Consents.FirstOrDefault(c => c.ConsentId == session.ConsentId);
        Require(session is not null && consent is not null && consent.FiuId == _options.FiuId, AaErrorCodes.InvalidSessionId,
            $"No FI session '{request.SessionId}' for this FIU.", request.Txnid);
        string status = EffectiveStatus(consent!);
        Require(status != "PAUSED", AaErrorCodes.ConsentPaused, "The customer paused the consent.", request.Txnid);
        Require(status != "REVOKED", AaErrorCodes.ConsentRevoked, "The customer revoked the consent.", request.Txnid);
        Require(status != "EXPIRED", AaErrorCodes.ConsentExpired, "The consent has expired.", request.Txnid);
        if (Faults.InProgressTimes > 0)
        {
            Faults.InProgressTimes--;
            throw new AaRequestException(AaErrorCodes.DataFetchRequestInProgress, "The FIPs are still preparing the data; retry.", request.Txnid);
        }
        if (Faults.NoDataFoundTimes > 0)
        {
            Faults.NoDataFoundTimes--;
            throw new AaRequestException(AaErrorCodes.NoDataFound, "No data is ready for this session yet; retry.", request.Txnid);
        }
        var accounts = consent!.Accounts.Where(a => request.FipId is null || a.FipId == request.FipId).ToList();
        Require(request.FipId is null || accounts.Count > 0, AaErrorCodes.InvalidFipId, $"FIP '{request.FipId}' holds no account of this consent.", request.Txnid);
        if (request.LinkRefNumber is { Count: > 0 } refs)
            accounts = accounts.Where(a => refs.Any(r => r.Id == a.LinkRefNumber)).ToList();
        var customer = _source.Find(consent.CustomerHandle);
        Require(customer is not null, AaErrorCodes.InvalidConsentDetail, "The customer is no longer at this AA.", request.Txnid);

        var from = Faults.ServeOutsideRange ? session!.From.AddDays(-60) : session!.From;
        var served = accounts.Select(a => (Consented: a, Source: customer!.Accounts.FirstOrDefault(s => s.FipId == a.FipId && s.LinkRefNumber == a.LinkRefNumber)))
            .Where(x => x.Source is not null)
            .Select(x => (x.Consented.FipId, x.Consented.LinkRefNumber, x.Consented.MaskedAccNumber, Source: x.Source!))
            .ToList();
        if (Faults.ServeUnconsentedAccount && served.Count > 0)
            served.Add((served[0].FipId, "UNCONSENTED-" + served[0].LinkRefNumber, "XXXXXXXX0000", served[0].Source));

        var fi = new List<WireFiEntry>();
        bool tampered = false;
        try
        {
            foreach (var fip in served.GroupBy(s => s.FipId))
            {
                var fipKey = FipKey(session.SessionId, fip.Key);
                var data = new List<WireFiData>();
                foreach (var account in fip)
                {
                    var document = account.Source.Render(from, session.To);
                    string blob = fipKey.Encrypt(session.FiuKeyMaterial, document.Bytes);
                    if (Faults.TamperCiphertext && !tampered)
                    {
                        var bytes = Convert.FromBase64String(blob);
                        bytes[bytes.Length / 2] ^= 0x5A;
                        blob = Convert.ToBase64String(bytes);
                        tampered = true;
                    }
                    data.Add(new WireFiData { LinkRefNumber = account.LinkRefNumber, MaskedAccNumber = account.MaskedAccNumber, EncryptedFI = blob });
                }
                fi.Add(new WireFiEntry { FipId = fip.Key, Data = data, KeyMaterial = fipKey.KeyMaterial });
            }
        }
        catch (AaCryptoException e)
        {
            throw new AaRequestException(AaErrorCodes.InvalidKey, e.Message, request.Txnid);
        }
        // Not written: a restarted AA serves the session again, which is what the status would allow anyway.
        session.Status = "COMPLETED";
        Done(request.Txnid, changed: false);
        return Ok(new FiFetchResponse { Ver = AaJson.Version, Timestamp = Now(), Txnid = request.Txnid, FI = fi }, fi: true);
    }

    /// <summary>Each FIP's key for a session: fresh per session, the same for every fetch within it.</summary>
    private FiKeyPair FipKey(string sessionId, string fipId)
    {
        if (!_fipKeys.TryGetValue((sessionId, fipId), out var key))
            _fipKeys[(sessionId, fipId)] = key = FiKeyPair.Create(_clock);
        return key;
    }

    // ---------- Answers ----------

    private HttpResponseMessage Ok<T>(T message, bool fi) => Respond(HttpStatusCode.OK, AaJson.Serialize(message), fi);

    private HttpResponseMessage Error(string txnid, HttpStatusCode status, string code, string message, bool fi) =>
        Respond(status, AaJson.Serialize(new AaErrorResponse
        {
            Ver = AaJson.Version, Timestamp = Now(), Txnid = txnid, ErrorCode = code, ErrorMsg = message,
        }), fi);

    private HttpResponseMessage Respond(HttpStatusCode status, byte[] body, bool fi)
    {
        bool rogue = Faults.SignAllResponsesWithRogueKey || (fi && Faults.SignFiResponsesWithRogueKey);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = new HttpResponseMessage(status) { Content = content };
        response.Headers.TryAddWithoutValidation("x-jws-signature", DetachedJws.Sign(rogue ? _rogue.Value : _key, Kid, body));
        return response;
    }

    /// <summary>Records the txnid (replays are refused) and writes the state when it changed.</summary>
    private void Done(string txnid, bool changed = true)
    {
        var now = _clock.GetUtcNow();
        _state.TxnIds[txnid] = now;
        if (_state.TxnIds.Count > 4096)
            foreach (var old in _state.TxnIds.Where(t => now - t.Value > 2 * _options.TimestampTolerance).Select(t => t.Key).ToList())
                _state.TxnIds.Remove(old);
        if (changed)
            Save();
    }

    private void Save() => _state.Save(_options.StateFile);

    private string Now() => AaJson.Timestamp(_clock.GetUtcNow());

    private static string TxnIdOf(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("txnid", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString()!
                : AaJson.NewTxnId();
        }
        catch (JsonException)
        {
            return AaJson.NewTxnId();
        }
    }

    private static void Require(bool condition, string errorCode, string message, string txnid)
    {
        if (!condition)
            throw new AaRequestException(errorCode, message, txnid);
    }

    public void Dispose()
    {
        if (_ownsKey)
            _key.Dispose();
        if (_rogue.IsValueCreated)
            _rogue.Value.Dispose();
        foreach (var key in _fipKeys.Values)
            key.Dispose();
    }

    private sealed class Handler(SimulatedAa aa) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            aa.HandleAsync(request, cancellationToken);
    }

    private sealed class AaRequestException(string errorCode, string message, string? txnid = null) : Exception(message)
    {
        public string ErrorCode { get; } = errorCode;
        public string? Txnid { get; } = txnid;
    }
}
