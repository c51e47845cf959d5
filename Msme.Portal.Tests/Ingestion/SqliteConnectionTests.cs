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
        // Texts are bound in place: the caller keeps them pinned until the step, as the sink pins its row.
        var bytes = System.Text.Encoding.UTF8.GetBytes(text ?? "");
        var pin = System.Runtime.InteropServices.GCHandle.Alloc(bytes, System.Runtime.InteropServices.GCHandleType.Pinned);
        using (statement)
        {
            try
            {
                // The app's provider is e_sqlite3, so the direct calls are the ones tested here.
                Assert.True(Msme.Portal.Features.Ingestion.HotBinds.Direct);
                var handle = statement.DangerousGetHandle();
                Assert.Equal(SQLitePCL.raw.SQLITE_OK, Msme.Portal.Features.Ingestion.HotBinds.Text(statement, handle, 1, text is not null, bytes));
                Assert.Equal(SQLitePCL.raw.SQLITE_OK, Msme.Portal.Features.Ingestion.HotBinds.Int64(statement, handle, 2, long.MinValue));
                // Index 3 does not exist: the error code comes back rather than anything written out of bounds.
                Assert.Equal(SQLitePCL.raw.SQLITE_RANGE, Msme.Portal.Features.Ingestion.HotBinds.Int64(statement, handle, 3, 1));

                Assert.Equal(SQLitePCL.raw.SQLITE_ROW, SQLitePCL.raw.sqlite3_step(statement));
                Assert.Equal(type, SQLitePCL.raw.sqlite3_column_text(statement, 1).utf8_to_string());
                Assert.Equal(text, text is null ? null : SQLitePCL.raw.sqlite3_column_text(statement, 0).utf8_to_string());
                Assert.Equal(long.MinValue, SQLitePCL.raw.sqlite3_column_int64(statement, 2));
            }
            finally
            {
                pin.Free();
            }
        }
    }

    [Fact]
    public void The_inserts_direct_binds_read_the_text_in_place_at_the_step_not_a_copy()
    {
        // Why the sink pins each row until its step: SQLite reads the bytes where they are when it steps (no malloc and
        // copy per text under its global memory mutex), so bytes that moved or changed in between would be what it stores.
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        Assert.Equal(SQLitePCL.raw.SQLITE_OK, SQLitePCL.raw.sqlite3_prepare_v2(connection.Handle!, "SELECT ?1;", out var statement));
        var bytes = "before"u8.ToArray();
        var pin = System.Runtime.InteropServices.GCHandle.Alloc(bytes, System.Runtime.InteropServices.GCHandleType.Pinned);
        using (statement)
        {
            try
            {
                Assert.Equal(SQLitePCL.raw.SQLITE_OK, Msme.Portal.Features.Ingestion.HotBinds.Text(statement, statement.DangerousGetHandle(), 1, true, bytes));
                "after!"u8.CopyTo(bytes);
                Assert.Equal(SQLitePCL.raw.SQLITE_ROW, SQLitePCL.raw.sqlite3_step(statement));
                Assert.Equal("after!", SQLitePCL.raw.sqlite3_column_text(statement, 0).utf8_to_string());
            }
            finally
            {
                pin.Free();
            }
        }
    }

    [Fact]
    public async Task After_the_migration_the_store_connections_no_longer_carry_the_merge_keys_function()
    {
        // The migration registers it on its own connection; the pooled context would register it again on every open.
        await using var store = await TestStore.CreateAsync();
        await using var db = await store.DbAsync();
        await db.Database.OpenConnectionAsync();
        await using var probe = db.Database.GetDbConnection().CreateCommand();
        probe.CommandText = $"SELECT {Msme.Portal.Data.TransactionKey.SqliteFunction}('x');";
        Assert.Matches("no such function", (await Assert.ThrowsAsync<SqliteException>(() => probe.ExecuteScalarAsync())).Message);
    }

    [Fact]
    public async Task An_import_batchs_own_connection_leaves_room_in_lookaside_for_its_rows_and_deletes_securely()
    {
        // A batch holds a dozen and a half prepared statements for its whole life. With SQLite's default lookaside they
        // use it all, and every row's cursors and records go to malloc (misses); on the batch's own connection, none does.
        await using var store = await TestStore.CreateAsync();
        await using var db = await store.DbAsync();
        var writer = new Msme.Portal.Features.Ingestion.SqliteBulkWriter();
        await using var own = (SqliteConnection)(await writer.OpenBatchConnectionAsync(db.Database.GetDbConnection(), CancellationToken.None))!;
        Assert.Equal(new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource, own.DataSource);
        await using (var pragma = own.CreateCommand())
        {
            pragma.CommandText = "PRAGMA secure_delete;";
            Assert.Equal(1L, await pragma.ExecuteScalarAsync());
        }
        Assert.Equal(0, LookasideMisses(own));

        await using var plain = new SqliteConnection("Data Source=:memory:");
        plain.Open();
        Assert.True(LookasideMisses(plain) > 1_000);
    }

    private static int LookasideMisses(SqliteConnection connection)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TEMP TABLE t (id INTEGER PRIMARY KEY, k INTEGER NOT NULL, v TEXT NOT NULL); CREATE UNIQUE INDEX temp.ix ON t (k);";
            create.ExecuteNonQuery();
        }
        using var tx = connection.BeginTransaction();
        var held = new List<SqliteCommand>();
        for (var i = 0; i < 18; i++)
        {
            var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = $"SELECT count(*) FROM t WHERE k > {i} AND v <> 'statement {i}' AND id IN (SELECT id FROM t WHERE k < {i + 100});";
            command.ExecuteScalar();
            held.Add(command);
        }
        var db = connection.Handle!;
        SQLitePCL.raw.sqlite3_db_status(db, SQLitePCL.raw.SQLITE_DBSTATUS_LOOKASIDE_MISS_FULL, out _, out _, 1);
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO t (k, v) VALUES ($k, $v);";
            var (k, v) = (insert.Parameters.Add("$k", SqliteType.Integer), insert.Parameters.Add("$v", SqliteType.Text));
            for (var row = 0; row < 2_000; row++)
            {
                (k.Value, v.Value) = (row * 7_919L % 1_000_003, $"row {row}");
                insert.ExecuteNonQuery();
            }
        }
        SQLitePCL.raw.sqlite3_db_status(db, SQLitePCL.raw.SQLITE_DBSTATUS_LOOKASIDE_MISS_FULL, out _, out var misses, 1);
        held.ForEach(c => c.Dispose());
        return misses;
    }
}
