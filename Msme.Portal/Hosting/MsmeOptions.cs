namespace Msme.Portal.Hosting;

/// <summary>The portal's own settings (section "Msme").</summary>
public sealed class MsmeOptions
{
    public const string Section = "Msme";

    /// <summary>Folder for the SQLite database and working files; relative paths are under the app's folder.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Overrides the database file (default: DataDirectory/msme.db).</summary>
    public string? DatabasePath { get; set; }

    /// <summary>Seed demo users and demo data on first run. Default: on in Development only.</summary>
    public bool? SeedDemoData { get; set; }

    /// <summary>Password of every demo user. Only used when demo users are seeded.</summary>
    public string DemoPassword { get; set; } = "Msme!Demo2026";

    public int DemoCustomers { get; set; } = 200;
    public int DemoMonths { get; set; } = 18;
    public int DemoSeed { get; set; } = 42;

    /// <summary>Where the audit trail's key and checkpoints live (section "Msme:Audit").</summary>
    public AuditSettings Audit { get; set; } = new();

    /// <summary>Request rate limits (section "Msme:RateLimits").</summary>
    public RateLimitSettings RateLimits { get; set; } = new();

    public string ResolveDataDirectory() =>
        Path.IsPathRooted(DataDirectory) ? DataDirectory : Path.Combine(AppContext.BaseDirectory, DataDirectory);

    public string ResolveDatabasePath() => DatabasePath is { Length: > 0 } p
        ? Path.IsPathRooted(p) ? p : Path.Combine(AppContext.BaseDirectory, p)
        : Path.Combine(ResolveDataDirectory(), "msme.db");

    /// <summary>The audit key file: <see cref="AuditSettings.KeyPath"/>, or DataDirectory/audit/audit.key.</summary>
    public string ResolveAuditKeyPath() => Resolve(Audit.KeyPath, "audit.key");

    /// <summary>The audit checkpoint file: <see cref="AuditSettings.CheckpointPath"/>, or DataDirectory/audit/checkpoints.jsonl.</summary>
    public string ResolveAuditCheckpointPath() => Resolve(Audit.CheckpointPath, "checkpoints.jsonl");

    private string Resolve(string? configured, string fileName) => configured is { Length: > 0 } p
        ? Path.IsPathRooted(p) ? p : Path.Combine(AppContext.BaseDirectory, p)
        : Path.Combine(ResolveDataDirectory(), "audit", fileName);
}

/// <summary>
/// The audit trail's HMAC key and its checkpoint file: both outside the database file, so that write access to msme.db
/// alone cannot rewrite the chain or hide a truncated tail. Production points them at another volume or a secret mount.
/// </summary>
public sealed class AuditSettings
{
    /// <summary>The 32-byte HMAC key; generated on first use when absent.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Signed checkpoints, one JSON line each, appended at intervals and on shutdown.</summary>
    public string? CheckpointPath { get; set; }

    public int CheckpointIntervalMinutes { get; set; } = 15;
}

/// <summary>Fixed one-minute windows per partition; a refused request answers 429 with Retry-After and is audited.</summary>
public sealed class RateLimitSettings
{
    /// <summary>Sign-in form posts (password, two-factor, recovery code) per client IP address.</summary>
    public int SignInPerIpPerMinute { get; set; } = 20;

    /// <summary>Sign-in attempts per attempted user name, whichever address they come from.</summary>
    public int SignInPerNamePerMinute { get; set; } = 10;

    /// <summary>API calls per API client (unauthenticated calls: per IP address).</summary>
    public int ApiPerClientPerMinute { get; set; } = 600;
}
