using System.Text.Json;
using Msme.Domain.Aa;

namespace Msme.AaSimulator;

/// <summary>The AA's memory: consents by handle and id, FI sessions, used txnids. Persisted as JSON when a file is given.</summary>
internal sealed class SimulatedAaState
{
    public List<SimulatedConsent> Consents { get; set; } = [];
    public List<SimulatedSession> Sessions { get; set; } = [];
    /// <summary>txnids seen, with when: requests older than the timestamp tolerance are refused anyway, so older ones are dropped. Not persisted.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Dictionary<string, DateTimeOffset> TxnIds { get; } = [];

    private static readonly JsonSerializerOptions Json = new(AaJson.Options) { WriteIndented = true };

    public static SimulatedAaState Load(string? path) =>
        path is not null && File.Exists(path)
            ? JsonSerializer.Deserialize<SimulatedAaState>(File.ReadAllBytes(path), Json) ?? new()
            : new();

    public void Save(string? path)
    {
        if (path is null)
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temp = path + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(this, Json));
        File.Move(temp, path, overwrite: true);
    }
}

internal sealed class SimulatedConsent
{
    public required string Handle { get; set; }
    public required string FiuId { get; set; }
    public required string CustomerHandle { get; set; }
    public required WireConsentDetail Requested { get; set; }
    /// <summary>What Consent/handle reports: PENDING, READY, FAILED, REJECTED.</summary>
    public required string HandleStatus { get; set; }
    public int HandlePolls { get; set; }
    public string? ConsentId { get; set; }
    /// <summary>The artefact's status at the AA: ACTIVE, PAUSED, REVOKED, EXPIRED (null before approval).</summary>
    public string? ArtefactStatus { get; set; }
    public string? CreateTimestamp { get; set; }
    public List<WireConsentAccount> Accounts { get; set; } = [];
    public byte[]? SignedPayload { get; set; }
    public string? SignedConsent { get; set; }
    public int UseCount { get; set; }
    public string? LastUse { get; set; }
}

internal sealed class SimulatedSession
{
    public required string SessionId { get; set; }
    public required string ConsentId { get; set; }
    public required DateTimeOffset From { get; set; }
    public required DateTimeOffset To { get; set; }
    public required KeyMaterial FiuKeyMaterial { get; set; }
    public required string Status { get; set; }
}
