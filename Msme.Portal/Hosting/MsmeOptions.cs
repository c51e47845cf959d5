namespace Msme.Portal.Hosting;

/// <summary>The portal's own settings (section "Msme").</summary>
public sealed class MsmeOptions
{
    public const string Section = "Msme";

    /// <summary>Which database and how to reach it (section Msme:Database; the connection string is ConnectionStrings:Msme).</summary>
    public DatabaseSettings Database { get; set; } = new();

    /// <summary>Folder for the SQLite database and working files; relative paths are under the app's folder.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Overrides the database file (default: DataDirectory/msme.db).</summary>
    public string? DatabasePath { get; set; }

    /// <summary>Seed demo users and demo data on first run. Default: on in Development only.</summary>
    public bool? SeedDemoData { get; set; }

    /// <summary>Password of every demo user. Only used when demo users are seeded.</summary>
    public string DemoPassword { get; set; } = "Msme!Demo2026";

    /// <summary>
    /// Authenticator key (base32) of the demo users whose role requires two-factor sign-in (admin, compliance), so a
    /// reviewer can sign in with `oathtool --totp -b KEY`. Only used when demo users are seeded. Documented in the README.
    /// </summary>
    public string DemoAuthenticatorKey { get; set; } = DemoUsers.AuthenticatorKey;

    /// <summary>Idle timeout of a staff sign-in (sliding): 30 minutes.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Absolute lifetime of a staff sign-in, however active: 12 hours.</summary>
    public TimeSpan SessionAbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Secure cookies and HTTPS redirection. Default: on outside Development.</summary>
    public bool? RequireHttps { get; set; }

    /// <summary>Port that plain-HTTP requests are redirected to when HTTPS is required (443: TLS ends at the proxy or on the standard port).</summary>
    public int HttpsPort { get; set; } = 443;

    /// <summary>IP addresses of reverse proxies whose X-Forwarded-For/Proto are trusted (loopback always is).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. 10.0.0.0/8) of reverse proxies whose forwarded headers are trusted.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>
    /// PFX that encrypts the data-protection key ring at rest (cookies, antiforgery and two-factor tokens are protected
    /// with those keys). Default: DataDirectory/secrets/dataprotection.pfx, created on first start. Point it outside the
    /// data folder (a mounted secret) in production so that a copy of the data folder does not carry the means to read it.
    /// </summary>
    public string? DataProtectionCertificatePath { get; set; }

    /// <summary>Password of <see cref="DataProtectionCertificatePath"/> (an environment variable or secret store, not appsettings).</summary>
    public string? DataProtectionCertificatePassword { get; set; }

    /// <summary>
    /// How many transactions the analysis cache keeps in memory beyond the pages using them (Msme:AnalysisCacheTransactions):
    /// customers' statements, insights and collections data, the most recently computed first. A customer outside it is
    /// read and analysed again on its next page. See <see cref="Msme.Portal.Features.Analytics.AnalysisCache.DefaultHeldTransactions"/>.
    /// </summary>
    public long AnalysisCacheTransactions { get; set; } = Msme.Portal.Features.Analytics.AnalysisCache.DefaultHeldTransactions;

    /// <summary>Lifetime of a new or rotated API client token.</summary>
    public TimeSpan ApiTokenLifetime { get; set; } = TimeSpan.FromDays(90);

    public int DemoCustomers { get; set; } = 200;
    public int DemoMonths { get; set; } = 18;
    public int DemoSeed { get; set; } = 42;

    /// <summary>Where the audit trail's key and checkpoints live (section "Msme:Audit").</summary>
    public AuditSettings Audit { get; set; } = new();

    /// <summary>Request rate limits (section "Msme:RateLimits").</summary>
    public RateLimitSettings RateLimits { get; set; } = new();

    /// <summary>Limits on what an import may unpack and needs on disk (section "Msme:Import").</summary>
    public ImportLimits Import { get; set; } = new();

    /// <summary>The Account Aggregator this FIU works with (section "Msme:Aa", environment <c>Msme__Aa__...</c>).</summary>
    public AaSettings Aa { get; set; } = new();

    /// <summary>Collection actions that leave the portal: NACH utility codes, the UPI payee, the outbox sender (section "Msme:Collections").</summary>
    public CollectionActionSettings Collections { get; set; } = new();

    /// <summary>The outbox folder the file sender writes to: <see cref="OutboxSettings.Folder"/>, or DataDirectory/outbox.</summary>
    public string ResolveOutboxFolder() => ResolveIn(Collections.Outbox.Folder, "outbox", "").TrimEnd(Path.DirectorySeparatorChar);

    /// <summary>Where approved presentment files are written: DataDirectory/presentments.</summary>
    public string ResolvePresentmentFolder() => Path.Combine(ResolveDataDirectory(), "presentments");

    public string ResolveDataDirectory() =>
        Path.IsPathRooted(DataDirectory) ? DataDirectory : Path.Combine(AppContext.BaseDirectory, DataDirectory);

    public string ResolveDatabasePath() => DatabasePath is { Length: > 0 } p
        ? Path.IsPathRooted(p) ? p : Path.Combine(AppContext.BaseDirectory, p)
        : Path.Combine(ResolveDataDirectory(), "msme.db");

    /// <summary>The audit key file: <see cref="AuditSettings.KeyPath"/>, or DataDirectory/audit/audit.key.</summary>
    public string ResolveAuditKeyPath() => Resolve(Audit.KeyPath, "audit.key");

    /// <summary>The audit checkpoint file: <see cref="AuditSettings.CheckpointPath"/>, or DataDirectory/audit/checkpoints.jsonl.</summary>
    public string ResolveAuditCheckpointPath() => Resolve(Audit.CheckpointPath, "checkpoints.jsonl");

    /// <summary>The AA's public keys (JWKS): <see cref="AaSettings.AaPublicKeys"/>, or DataDirectory/aa/aa-public-keys.json.</summary>
    public string ResolveAaPublicKeysPath() => ResolveIn(Aa.AaPublicKeys, "aa", "aa-public-keys.json");

    /// <summary>This FIU's signing key (PEM): <see cref="AaSettings.SigningKey"/>, or DataDirectory/aa/fiu-signing-key.pem.</summary>
    public string ResolveFiuSigningKeyPath() => ResolveIn(Aa.SigningKey, "aa", "fiu-signing-key.pem");

    /// <summary>Whether the embedded AA simulator stands in for the AA.</summary>
    public bool UsesAaSimulator(IHostEnvironment environment) =>
        Aa.Simulator ?? (string.IsNullOrWhiteSpace(Aa.BaseUrl) && DemoUsers.SeedingEnabled(this, environment));

    private string ResolveIn(string? configured, string folder, string fileName) => configured is { Length: > 0 } p
        ? Path.IsPathRooted(p) ? p : Path.Combine(AppContext.BaseDirectory, p)
        : Path.Combine(ResolveDataDirectory(), folder, fileName);

    private string Resolve(string? configured, string fileName) => configured is { Length: > 0 } p
        ? Path.IsPathRooted(p) ? p : Path.Combine(AppContext.BaseDirectory, p)
        : Path.Combine(ResolveDataDirectory(), "audit", fileName);
}

/// <summary>
/// The AA connector's settings: the AA's ReBIT 2.0.0 base URL and this FIU's credentials and keys. With no base URL and
/// the demo on, the embedded AA simulator stands in for the AA (see docs/aa-connector.md).
/// </summary>
public sealed class AaSettings
{
    /// <summary>The AA's ReBIT 2.0.0 base URL (it ends in <c>/V2</c> for live AAs). Empty: the embedded simulator when the demo is on, else no AA.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>This FIU's id in the Central Registry: the consent's DataConsumer.id.</summary>
    public string FiuId { get; set; } = "msme-fiu";

    /// <summary>The <c>client_api_key</c> the AA issued to this FIU (an environment variable or secret store, not appsettings).</summary>
    public string? ApiKey { get; set; }

    /// <summary>The AA's id in the Central Registry: notifications about consents it granted are accepted from it only.</summary>
    public string AaId { get; set; } = "msme-sim-aa";

    /// <summary>The AA's public keys, a JWKS file (standing in for the Central Registry). Default: DataDirectory/aa/aa-public-keys.json.</summary>
    public string? AaPublicKeys { get; set; }

    /// <summary>This FIU's RSA signing key, PEM (PKCS#8 or PKCS#1); generated there on first use when absent. Default: DataDirectory/aa/fiu-signing-key.pem.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Use the embedded AA simulator. Default: on when no BaseUrl is set and the demo is on.</summary>
    public bool? Simulator { get; set; }

    /// <summary>Run the periodic fetch for PERIODIC consents (one instance at a time). Tests switch it off to keep their data still.</summary>
    public bool PeriodicFetch { get; set; } = true;

    /// <summary>How often the periodic-fetch runner looks for PERIODIC consents that are due.</summary>
    public TimeSpan PeriodicCheckInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Timeout of one call to the AA (each attempt).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>First retry delay of a failed call (exponential backoff with jitter after it); three retries.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long FI/fetch is retried while the AA answers that the data is not ready yet.</summary>
    public TimeSpan DataReadyTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The <c>client_api_key</c> the AA presents on its notifications (issued by this FIU); when set, a notification without it is a 401.</summary>
    public string? NotificationApiKey { get; set; }

    /// <summary>Largest clock difference accepted between a notification's timestamp and this server's clock.</summary>
    public TimeSpan NotificationSkew { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>The store's database.</summary>
public sealed class DatabaseSettings
{
    /// <summary>
    /// Sqlite (default: DataDirectory/msme.db, or DatabasePath) or PostgreSQL (the server named by ConnectionStrings:Msme,
    /// environment ConnectionStrings__Msme). The data folder is still used on PostgreSQL for payload files, the audit key
    /// and checkpoints, and lake exports.
    /// </summary>
    public Msme.Portal.Data.Store.DatabaseProvider Provider { get; set; } = Msme.Portal.Data.Store.DatabaseProvider.Sqlite;
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

/// <summary>
/// Limits checked while a zip upload is unpacked (counted from the bytes actually inflated, never from the sizes the
/// archive declares) and the free disk space an import needs before it starts.
/// </summary>
public sealed class ImportLimits
{
    /// <summary>Most entries (files and folders) one zip may hold: 1,000 bundles of a handful of files each.</summary>
    public int MaxZipEntries { get; set; } = 10_000;

    /// <summary>Most bytes one zip may inflate to, all entries together (default 2 GiB).</summary>
    public long MaxZipBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Largest inflated-to-compressed ratio of an entry past its first MiB; JSON statements compress 10-20×, a zip bomb thousands.</summary>
    public int MaxZipRatio { get; set; } = 100;

    /// <summary>Free space the data folder must have before an import starts (default 256 MiB).</summary>
    public long MinFreeDiskBytes { get; set; } = 256L * 1024 * 1024;
}

/// <summary>A NACH utility code the lender presents under, and the sponsor bank that holds it.</summary>
public sealed class UtilityCodeSetting
{
    /// <summary>The loan book's lender name this code collects for; empty: every lender without a code of its own.</summary>
    public string Lender { get; set; } = "";
    public string Code { get; set; } = "";
    public string SponsorBank { get; set; } = "";
}

/// <summary>
/// Settings of the collection actions (docs/collection-actions.md): the lender's NACH utility codes (one per lender and
/// sponsor bank; by default one code for the whole book), the UPI payee of payment links, and the outbox's sender.
/// </summary>
public sealed class CollectionActionSettings
{
    /// <summary>The code for loans whose lender has no entry in <see cref="UtilityCodes"/>.</summary>
    public string DefaultUtilityCode { get; set; } = "NACH00000000000001";
    public string DefaultSponsorBank { get; set; } = "DEMO SPONSOR BANK";
    /// <summary>Per-lender codes (the loan book's <c>lender</c> field), for a book collected through several sponsor banks.</summary>
    public List<UtilityCodeSetting> UtilityCodes { get; set; } = [];

    /// <summary>The name messages are signed with and the UPI link's payee name.</summary>
    public string LenderName { get; set; } = "Demo Finance";
    /// <summary>The lender's collection UPI id (VPA) payment links pay to.</summary>
    public string PayeeVpa { get; set; } = "collections.demofinance@okdemo";

    public OutboxSettings Outbox { get; set; } = new();

    /// <summary>The utility code and sponsor bank a loan of this lender presents under.</summary>
    public (string Code, string SponsorBank) UtilityCodeFor(string? lender)
    {
        var own = UtilityCodes.FirstOrDefault(u => u.Lender.Length > 0 && string.Equals(u.Lender, lender, StringComparison.OrdinalIgnoreCase));
        return own is null ? (DefaultUtilityCode, DefaultSponsorBank) : (own.Code, own.SponsorBank);
    }

    /// <summary>Every code the settings name, the default first.</summary>
    public IReadOnlyList<(string Code, string SponsorBank)> AllUtilityCodes() =>
        [.. new[] { (DefaultUtilityCode, DefaultSponsorBank) }.Concat(UtilityCodes.Select(u => (u.Code, u.SponsorBank))).DistinctBy(u => u.Item1)];
}

/// <summary>How queued customer messages leave the portal. Nothing reaches a real network unless a webhook is configured.</summary>
public sealed class OutboxSettings
{
    /// <summary>"File" (default: one JSON file per message under <see cref="Folder"/>), "Webhook" (POST to <see cref="WebhookUrl"/>), or "None" (messages stay queued).</summary>
    public string Sender { get; set; } = "File";
    /// <summary>The file sender's folder; default DataDirectory/outbox.</summary>
    public string? Folder { get; set; }
    /// <summary>The webhook sender's endpoint (an SMS/WhatsApp gateway adapter the lender runs).</summary>
    public string? WebhookUrl { get; set; }
    /// <summary>How often the dispatcher looks for queued messages, on the app's clock.</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Attempts before a message is marked failed.</summary>
    public int MaxAttempts { get; set; } = 3;
}
