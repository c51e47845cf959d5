using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Msme.Portal.Data.Store;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Ingestion;

/// <summary>
/// The store's connections carry none of the SQL functions EF Core's SQLite provider registers (re-registered on every
/// open, a native handle each for the finalizer thread): see <see cref="PlainSqliteConnectionInterceptor"/>.
/// </summary>
public class SqliteConnectionTests
{
    [Theory]
    [InlineData("SELECT 'a' REGEXP 'a';")]
    [InlineData("SELECT ef_add('1.5', '2');")]
    [InlineData("SELECT ef_compare('1.5', '2');")]
    [InlineData("SELECT ef_mod(5, 2);")]
    [InlineData("SELECT 'a' < 'b' COLLATE EF_DECIMAL;")]
    public async Task The_store_connection_has_none_of_the_providers_functions(string sql)
    {
        await using var store = await TestStore.CreateAsync();
        await using var db = await store.DbAsync();
        await db.Database.OpenConnectionAsync();
        var connection = Assert.IsType<SqliteConnection>(db.Database.GetDbConnection());
        Assert.Equal(60, connection.DefaultTimeout);

        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var missing = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteScalarAsync());
        Assert.Matches("no such (function|collation sequence)", missing.Message);
    }

    [Fact]
    public async Task Queries_still_run_and_the_connection_is_the_one_configured()
    {
        await using var store = await TestStore.CreateAsync();
        await using var db = await store.DbAsync();
        Assert.Equal(0, await db.Transactions.CountAsync());
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var configured = new SqliteConnectionStringBuilder(connection.ConnectionString);
        Assert.True(configured.ForeignKeys);
        Assert.StartsWith(store.Directory, configured.DataSource, StringComparison.Ordinal);

        // What the interceptor replaces: a connection made by the provider itself, with its functions.
        await using var provider = new DbContextOptionsBuilder().UseSqlite("Data Source=:memory:").Options is var options
            ? new DbContext(options) : null!;
        await provider.Database.OpenConnectionAsync();
        await using var command = provider.Database.GetDbConnection().CreateCommand();
        command.CommandText = "SELECT ef_compare('1.5', '2');";
        Assert.Equal(-1L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task An_import_batch_keeps_its_journal_in_memory_and_gives_the_connection_back_as_it_found_it()
    {
        await using var store = await TestStore.CreateAsync();
        await using var db = await store.DbAsync();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
        var writer = new Msme.Portal.Features.Ingestion.SqliteBulkWriter();
        Assert.Equal((0L, 1L), await PragmasAsync(connection));

        await using (var tx = await writer.BeginBatchAsync(connection, CancellationToken.None))
        {
            // Inside the batch: statement journals (a SAVEPOINT per bundle) in memory, foreign keys checked per bundle.
            Assert.Equal((2L, 0L), await PragmasAsync(connection, tx));
            await tx.CommitAsync();
        }
        writer.EndBatch(connection);

        // The pooled connection goes back to every other user with SQLite's defaults and foreign keys on.
        Assert.Equal((0L, 1L), await PragmasAsync(connection));
    }

    private static async Task<(long TempStore, long ForeignKeys)> PragmasAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? tx = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "PRAGMA temp_store;";
        var tempStore = (long)(await command.ExecuteScalarAsync())!;
        command.CommandText = "PRAGMA foreign_keys;";
        return (tempStore, (long)(await command.ExecuteScalarAsync())!);
    }

    [Theory]
    [InlineData("", "text")]
    [InlineData("UPI/₹ भुगतान/Zoë's Café 😀/\tend", "text")]
    [InlineData(null, "null")]
    public void The_inserts_direct_binds_store_text_empty_text_and_null_as_given(string? text, string type)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var db = connection.Handle!;
        Assert.Equal(SQLitePCL.raw.SQLITE_OK, SQLitePCL.raw.sqlite3_prepare_v2(db, "SELECT ?1, typeof(?1), ?2;", out var statement));
        using (statement)
        {
            // The app's provider is e_sqlite3, so the direct calls are the ones tested here.
            Assert.True(Msme.Portal.Features.Ingestion.HotBinds.Direct);
            var handle = statement.DangerousGetHandle();
            Assert.Equal(SQLitePCL.raw.SQLITE_OK, Msme.Portal.Features.Ingestion.HotBinds.Text(statement, handle, 1, text is not null, System.Text.Encoding.UTF8.GetBytes(text ?? "")));
            Assert.Equal(SQLitePCL.raw.SQLITE_OK, Msme.Portal.Features.Ingestion.HotBinds.Int64(statement, handle, 2, long.MinValue));
            // Index 3 does not exist: the error code comes back rather than anything written out of bounds.
            Assert.Equal(SQLitePCL.raw.SQLITE_RANGE, Msme.Portal.Features.Ingestion.HotBinds.Int64(statement, handle, 3, 1));

            Assert.Equal(SQLitePCL.raw.SQLITE_ROW, SQLitePCL.raw.sqlite3_step(statement));
            Assert.Equal(type, SQLitePCL.raw.sqlite3_column_text(statement, 1).utf8_to_string());
            Assert.Equal(text, text is null ? null : SQLitePCL.raw.sqlite3_column_text(statement, 0).utf8_to_string());
            Assert.Equal(long.MinValue, SQLitePCL.raw.sqlite3_column_int64(statement, 2));
        }
    }
}
