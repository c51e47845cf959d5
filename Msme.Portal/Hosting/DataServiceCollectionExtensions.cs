using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Msme.Portal.Data;
using Msme.Portal.Features.Ingestion;

namespace Msme.Portal.Hosting;

public static class DataServiceCollectionExtensions
{
    private static readonly SecureDeleteInterceptor SecureDeleteInterceptor = new();

    /// <summary>SQLite store under the data folder, one short-lived context per operation, and the importer that writes into it.</summary>
    public static IServiceCollection AddMsmeData(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(MsmeOptions.Section).Get<MsmeOptions>() ?? new MsmeOptions();
        services.Configure<MsmeOptions>(configuration.GetSection(MsmeOptions.Section));
        var path = options.ResolveDatabasePath();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 60 }.ToString();
        services.AddDbContextFactory<ApplicationDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(SecureDeleteInterceptor));
        // The Identity schema version shapes the model, so every host (web, CLI, tests, benchmarks) must agree on it.
        services.Configure<IdentityOptions>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMsmeInstrumentation();
        services.AddSingleton<PayloadStore>();
        services.AddSingleton<Msme.Portal.Features.Compliance.AuditKey>();
        services.AddSingleton<Msme.Portal.Features.Compliance.AuditCheckpointFile>();
        services.AddSingleton<Msme.Portal.Features.Compliance.AuditLog>();
        services.AddSingleton<Msme.Portal.Features.Compliance.PurgeService>();
        services.AddSingleton<BundleImporter>();
        return services;
    }

    /// <summary>Applies migrations (the only schema path) and switches the file to write-ahead logging.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.MigrateAsync(ct);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", ct);
        // Every host starts here (web, CLI, tests): the start-up sweep of payload files no row names and crashed imports' spools.
        var held = await db.RawPayloads.Where(p => p.ContentHeld).Select(p => p.Sha256).ToListAsync(ct);
        var swept = services.GetRequiredService<PayloadStore>().Sweep(() => held.ToHashSet(StringComparer.Ordinal));
        if (swept != new SweepResult(0, 0, 0))
        {
            services.GetService<ILoggerFactory>()?.CreateLogger(typeof(PayloadStore)).LogWarning("Payload sweep at start-up: {Result}", swept);
        }
    }
}
