using Msme.Domain.Aa;
using Msme.Domain.DemoData;

namespace Msme.AaSimulator;

/// <summary>Settings of the simulated AA.</summary>
public sealed class SimulatedAaOptions
{
    /// <summary>The AA's id: Notifier.id in notifications and DataProvider.id in the signed consent.</summary>
    public string AaId { get; set; } = "msme-sim-aa";

    /// <summary>The <c>client_api_key</c> the FIU must send.</summary>
    public string ApiKey { get; set; } = "msme-sim-api-key";

    /// <summary>The one FIU this AA serves: consents must name it as DataConsumer, and only it may use them.</summary>
    public string FiuId { get; set; } = DemoGenerator.DataConsumerId;

    /// <summary>The FIU's public signing keys (its JWKS), read on every request so that a rotated key is picked up.</summary>
    public required Func<AaKeySet> FiuKeys { get; set; }

    /// <summary>Consents, handles and sessions as JSON here, so a restarted portal can still fetch on old consents; null = in memory.</summary>
    public string? StateFile { get; set; }

    /// <summary>The AA's RSA signing key (PEM, created when absent). Null: next to <see cref="StateFile"/>, or in memory when that is null too.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>The AA's RSA signing key when the caller holds it (tests share one; generating a 2048-bit key costs ~0.5 s here). Not disposed by the simulator; wins over <see cref="SigningKeyFile"/>.</summary>
    public System.Security.Cryptography.RSA? SigningKey { get; set; }

    /// <summary>How many Consent/handle polls answer PENDING before the customer "approves" (READY).</summary>
    public int PendingPolls { get; set; } = 1;

    /// <summary>How far a request's timestamp may be from the AA's clock.</summary>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>Misbehaviours to switch on in tests (issue 13 §5). All off by default.</summary>
public sealed class SimulatedAaFaults
{
    /// <summary>FI/fetch flips one byte of the first account's ciphertext (a GCM tag failure at the FIU).</summary>
    public bool TamperCiphertext { get; set; }

    /// <summary>FI/request and FI/fetch answers are signed by a key that is not in the AA's JWKS (claiming the AA's kid).</summary>
    public bool SignFiResponsesWithRogueKey { get; set; }

    /// <summary>Every answer is signed by the rogue key.</summary>
    public bool SignAllResponsesWithRogueKey { get; set; }

    /// <summary>Consent/fetch returns a signedConsent signed by the rogue key.</summary>
    public bool SignConsentWithRogueKey { get; set; }

    /// <summary>Consent/fetch reports this artefact status (e.g. "PAUSED") while FI requests are still served.</summary>
    public string? ArtefactStatus { get; set; }

    /// <summary>FI/fetch adds an account that is not in the consent.</summary>
    public bool ServeUnconsentedAccount { get; set; }

    /// <summary>FI/fetch renders 60 days before the session's FIDataRange as well.</summary>
    public bool ServeOutsideRange { get; set; }

    /// <summary>FI/fetch answers 404 NoDataFound this many times before serving data.</summary>
    public int NoDataFoundTimes { get; set; }

    /// <summary>FI/fetch answers 403 DataFetchRequestInProgress this many times before serving data.</summary>
    public int InProgressTimes { get; set; }

    /// <summary>The customer rejects consent requests: Consent/handle turns REJECTED instead of READY.</summary>
    public bool RejectConsents { get; set; }

    /// <summary>Any call answers 503 ServiceUnavailable this many times first.</summary>
    public int TransientFailures { get; set; }

    /// <summary>
    /// Changes an answer before it is signed with the AA's own key (route name such as ConsentCreate or FiFetch, and the
    /// answer's JSON; return null to leave it): a well-signed answer with another ver, txnid, consent id or handle.
    /// </summary>
    public Func<string, System.Text.Json.Nodes.JsonObject, System.Text.Json.Nodes.JsonObject?>? RewriteAnswer { get; set; }
}
