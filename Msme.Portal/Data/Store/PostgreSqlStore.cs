using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Msme.Portal.Features.Ingestion;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;

namespace Msme.Portal.Data.Store;

/// <summary>
/// The production store: a PostgreSQL server shared by every instance. Where SQLite's single writer serialised work,
/// transaction-scoped advisory locks do (migrations, import batches, audit appends), so several instances behave as one.
/// </summary>
public static class PostgreSqlStore
{
    // Advisory lock keys: one 64-bit space per database, "MSME" in the high bytes so they do not meet another tool's.
    public const long MigrateLock = 0x4D534D45_00000001;
    public const long ImportLock = 0x4D534D45_00000002;
    public const long AuditLock = 0x4D534D45_00000003;
    public const int ConsentLockClass = 0x4D534D45;

    internal static void Add(IServiceCollection services, string connectionString)
    {
        // Pooled, as on SQLite (SqliteStore): contexts are reset and reused instead of built per unit of work.
        services.AddPooledDbContextFactory<PostgreSqlDbContext>(o => o.UseNpgsql(connectionString, Configure));
        services.AddScoped<PostgreSqlDbContext>(sp => sp.GetRequiredService<IDbContextFactory<PostgreSqlDbContext>>().CreateDbContext());
        // Features ask for the model's type; they get the PostgreSQL subclass, whose migrations are this provider's.
        services.AddSingleton<IDbContextFactory<ApplicationDbContext>>(sp => new Upcast(sp.GetRequiredService<IDbContextFactory<PostgreSqlDbContext>>()));
        services.AddScoped<ApplicationDbContext>(sp => sp.GetRequiredService<PostgreSqlDbContext>());
        services.AddSingleton<IStoreMigrator, Migrator>();
        services.AddSingleton<IStoreLocks, AppendLock>();
        services.AddSingleton<IBulkTransactionWriter, PostgreSqlBulkWriter>();
    }

    /// <summary>Provider options shared by the app and the design-time factory.</summary>
    public static void Configure(NpgsqlDbContextOptionsBuilder o) => o.CommandTimeout(300);

    /// <summary>Waits for the advisory lock <paramref name="key"/>, held until <paramref name="tx"/> ends.</summary>
    public static async Task AdvisoryXactLockAsync(DbConnection connection, DbTransaction tx, long key, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"SELECT pg_advisory_xact_lock({key});";
        await command.ExecuteNonQueryAsync(ct);
    }

    private sealed class Upcast(IDbContextFactory<PostgreSqlDbContext> inner) : IDbContextFactory<ApplicationDbContext>
    {
        public ApplicationDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<ApplicationDbContext> CreateDbContextAsync(CancellationToken ct = default) => await inner.CreateDbContextAsync(ct);
    }

    /// <summary>One instance migrates; the others wait on the session lock, then find nothing pending.</summary>
    private sealed class Migrator : IStoreMigrator
    {
        public async Task MigrateAsync(ApplicationDbContext db, CancellationToken ct)
        {
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrateLock})", ct);
                try
                {
                    await db.Database.MigrateAsync(ct);
                }
                finally
                {
                    await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrateLock})", CancellationToken.None);
                }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private sealed class AppendLock : IStoreLocks
    {
        public async Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken ct)
        {
            var tx = await connection.BeginTransactionAsync(ct);
            await AdvisoryXactLockAsync(connection, tx, AuditLock, ct);
            return tx;
        }

        public Task EnterAsync(DbConnection connection, DbTransaction tx, CancellationToken ct) => AdvisoryXactLockAsync(connection, tx, AuditLock, ct);

        public async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginConsentChangeAsync(ApplicationDbContext db, int consentRowId, CancellationToken ct)
        {
            var tx = await db.Database.BeginTransactionAsync(ct);
            // The two-key form: its own key space, one lock per consent row.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ConsentLockClass}, {consentRowId})", ct);
            return tx;
        }
    }
}
