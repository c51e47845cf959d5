using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Hosting;

namespace Msme.Portal.Data.Store;

/// <summary>The embedded store: one file under the data folder, one writer at a time.</summary>
public static class SqliteStore
{
    private static readonly SecureDeleteInterceptor SecureDeleteInterceptor = new();

    internal static void Add(IServiceCollection services, MsmeOptions options)
    {
        var path = options.ResolveDatabasePath();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 60 }.ToString();
        services.AddDbContextFactory<ApplicationDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(SecureDeleteInterceptor));
        services.AddSingleton<IStoreMigrator, Migrator>();
        services.AddSingleton<IStoreLocks, AppendLock>();
        services.AddSingleton<IBulkTransactionWriter, SqliteBulkWriter>();
    }

    private sealed class Migrator : IStoreMigrator
    {
        public async Task MigrateAsync(ApplicationDbContext db, CancellationToken ct)
        {
            await db.Database.MigrateAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", ct);
        }
    }

    /// <summary>SQLite's write lock is the append lock: BEGIN IMMEDIATE takes it, and a caller's write transaction already holds it.</summary>
    private sealed class AppendLock : IStoreLocks
    {
        public Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken ct) =>
            Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

        public Task EnterAsync(DbConnection connection, DbTransaction tx, CancellationToken ct) => Task.CompletedTask;

        // BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default): the write lock is held from the first read.
        public Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginConsentChangeAsync(ApplicationDbContext db, int consentRowId, CancellationToken ct) =>
            db.Database.BeginTransactionAsync(ct);
    }
}
