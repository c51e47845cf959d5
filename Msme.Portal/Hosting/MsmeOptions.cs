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

    public string ResolveDataDirectory() =>
        Path.IsPathRooted(DataDirectory) ? DataDirectory : Path.Combine(AppContext.BaseDirectory, DataDirectory);

    public string ResolveDatabasePath() => DatabasePath is { Length: > 0 } p
        ? Path.IsPathRooted(p) ? p : Path.Combine(AppContext.BaseDirectory, p)
        : Path.Combine(ResolveDataDirectory(), "msme.db");
}
