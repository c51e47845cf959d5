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

    private static readonly PlainSqliteConnectionInterceptor PlainConnections = new();

    /// <summary>
    /// The page size of a new store (SQLite's default is 4096): bigger pages hold more rows of the transactions table and
    /// its index per B-tree node, so a bulk import splits and writes fewer pages (Msme.Benchmarks import measures each size).
    /// </summary>
    public const int PageSize = 8192;

    internal static void Add(IServiceCollection services, MsmeOptions options)
    {
        var path = options.ResolveDatabasePath();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 60, ForeignKeys = true }.ToString();
        // Pooled: a page asks for a dozen short-lived contexts, and a new one builds its internal service scope, DbSets and
        // logging state each time (a fifth of a customer page's allocations); a pooled one is reset and reused.
        services.AddPooledDbContextFactory<ApplicationDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(PlainConnections, SecureDeleteInterceptor));
        services.AddScoped<ApplicationDbContext>(sp => sp.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContext());
        services.AddSingleton<IStoreMigrator, Migrator>();
        services.AddSingleton<IStoreLocks, AppendLock>();
        services.AddSingleton<IBulkTransactionWriter, SqliteBulkWriter>();
    }

    private sealed class Migrator : IStoreMigrator
    {
        public async Task MigrateAsync(ApplicationDbContext db, CancellationToken ct)
        {
            await db.Database.OpenConnectionAsync(ct);
            // The merge key's function, for the migration that fills the key of stored rows: registered on the
            // connection the migrations run on, and only there. It was registered on every open, that is on every query:
            // a callback handle each time for the finalizer thread to free, a dozen per customer page (issue 17).
            ((SqliteConnection)db.Database.GetDbConnection()).CreateFunction(TransactionKey.SqliteFunction, (string txnId) => TransactionKey.Of(txnId), isDeterministic: true);
            await using (var command = db.Database.GetDbConnection().CreateCommand())
            {
                // The page size only takes on a file that has no pages yet: a new store. Existing stores keep theirs.
                command.CommandText = "PRAGMA page_count;";
                if (Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 0)
                {
                    command.CommandText = $"PRAGMA page_size = {PageSize};";
                    await command.ExecuteNonQueryAsync(ct);
                }
            }
            await db.Database.MigrateAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", ct);
            // Then the function is replaced by none: the context is pooled, and its connection object registers its
            // functions again on every later open (a callback handle each time for the finalizer thread).
            ((SqliteConnection)db.Database.GetDbConnection()).CreateFunction<string, long>(TransactionKey.SqliteFunction, null);
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
