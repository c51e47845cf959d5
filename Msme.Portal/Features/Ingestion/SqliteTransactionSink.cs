using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Msme.Domain.Ingestion;
using Msme.Portal.Data;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SQLitePCL;

namespace Msme.Portal.Features.Ingestion;

/// <summary>
/// SQLite's bulk path: one writer (BEGIN IMMEDIATE), a fast-but-safe pragma set, and a prepared insert per row. Foreign
/// keys are checked once per bundle by the sink (<see cref="TransactionSink.Finish"/>) rather than by SQLite on every
/// row: the batch runs with <c>foreign_keys</c> off (a pragma that only takes effect outside a transaction) and turns it
/// back on when it ends; every other connection keeps it on.
/// </summary>
internal sealed class SqliteBulkWriter(ILogger<SqliteBulkWriter>? log = null) : IBulkTransactionWriter
{
    /// <summary>
    /// A native connection of the batch's own (not pooled), its lookaside enlarged before anything else runs on it: SQLite
    /// refuses to resize a lookaside while any slot is in use, and a pooled connection may hold some (the functions its
    /// owner registers on every open, the message of its last error). It gets the store's <c>secure_delete</c>, as every
    /// store connection does.
    /// </summary>
    public async Task<DbConnection?> OpenBatchConnectionAsync(DbConnection storeConnection, CancellationToken ct)
    {
        var store = (SqliteConnection)storeConnection;
        var own = new SqliteConnection(new SqliteConnectionStringBuilder(store.ConnectionString) { Pooling = false }.ToString())
        {
            DefaultTimeout = store.DefaultTimeout,
        };
        try
        {
            await own.OpenAsync(ct);
            if (!EnlargeLookaside(own))
            {
                // Only slower: the batch runs on SQLite's default lookaside.
                log?.LogWarning("SQLite refused to enlarge the import connection's lookaside; the import runs, more slowly");
            }
            Pragma(own, "PRAGMA secure_delete = ON;");
            return own;
        }
        catch
        {
            await own.DisposeAsync();
            throw;
        }
    }

    public Task<DbTransaction> BeginBatchAsync(DbConnection connection, CancellationToken ct)
    {
        // temp_store = MEMORY: each bundle's SAVEPOINT copies every page it changes that existed before it (the rightmost
        // pages of a dozen tables and indexes, about 40 pages a bundle) into a statement journal, which SQLite spills to a
        // temporary file past 64 KiB; held in memory instead, the writer's cost per bundle fell by a third (issue 17,
        // Msme.Benchmarks import --accounts 4000 --txns 5). A bundle's journal is bounded by the pages it touches.
        Pragma(connection, "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY;");
        // Microsoft.Data.Sqlite begins IMMEDIATE: the write lock is held from the start, so batches of two processes queue.
        return Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));
    }

    public void EndBatch(DbConnection connection) => Pragma(connection, "PRAGMA foreign_keys = ON; PRAGMA temp_store = DEFAULT;");

    // SQLite's default lookaside (48 KB: 30 slots of 1,200 bytes and 93 of 128) is the memory a connection hands out
    // without malloc. A batch's dozen and a half prepared statements hold all of it for the life of the batch, so every
    // cursor, record and journal chunk of every row went to malloc and free under SQLite's global memory mutex: 565,000
    // misses in a batch of 128,000 rows. 600 KB (about 380 slots of 1,200 bytes and 1,140 of 128, freed with the batch's
    // connection) leave none (issue 17; the time it saves was within this VM's noise in alternating runs).
    private const int LookasideSlotSize = 1200, LookasideSlots = 500;

    /// <summary>Enlarges the connection's lookaside to 600 KB (500 slots' worth of 1,200 bytes); false when SQLite refuses (SQLITE_BUSY: a slot is in use).</summary>
    internal static bool EnlargeLookaside(SqliteConnection connection) =>
        raw.sqlite3_db_config(connection.Handle!, raw.SQLITE_DBCONFIG_LOOKASIDE, IntPtr.Zero, LookasideSlotSize, LookasideSlots) == raw.SQLITE_OK;

    private static void Pragma(DbConnection connection, string sql)
    {
        using var pragma = connection.CreateCommand();
        pragma.CommandText = sql;
        pragma.ExecuteNonQuery();
    }

    public TransactionSink CreateSink(StatementCache sql) => new SqliteTransactionSink(sql);
}

/// <summary>
/// Writes each transaction with one prepared INSERT … ON CONFLICT DO NOTHING as it streams in; a row that meets a stored
/// one is checked against it at once.
/// </summary>
internal sealed unsafe class SqliteTransactionSink : TransactionSink
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _insertTxn;
    private readonly IntPtr _insertHandle;

    // What parameters 1 and 2 hold: SQLite keeps a statement's bindings across sqlite3_reset, so the account and the
    // session are bound when they change (per account, per bundle), not per row (issue 17: every call into SQLite
    // takes its connection mutex and the handle's reference count, a fifth of the writer thread's time).
    private long _boundAccount = -1, _boundSession = -1;

    /// <summary>
    /// One sink serves every bundle of a batch, so its insert statement is compiled once. The hot insert binds by
    /// position through SQLitePCLRaw (the provider under Microsoft.Data.Sqlite, on the same connection and transaction):
    /// the ADO layer looks every parameter up by name on every row, which was most of the import's time (measured).
    /// </summary>
    public SqliteTransactionSink(StatementCache sql) : base(sql)
    {
        _db = ((SqliteConnection)sql.Connection).Handle!;
        Check(raw.sqlite3_prepare_v2(_db, """
            INSERT INTO Transactions (AccountId, FetchSessionId, TxnId, Type, Mode, AmountPaise, BalancePaise, TimestampUnixMs, Date, ValueDate, Narration, Reference, Position, TxnKey)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
            ON CONFLICT (AccountId, TxnKey) DO NOTHING;
            """, out _insertTxn));
        _insertHandle = _insertTxn.DangerousGetHandle();
    }

    private void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private static ReadOnlySpan<byte> TypeUtf8(TxnType type) => type switch
    {
        TxnType.Credit => "CREDIT"u8,
        TxnType.Debit => "DEBIT"u8,
        _ => "REVERSAL"u8,
    };

    /// <summary>Binds the values a reader thread made (<see cref="PreparedRow"/>) and steps: nothing is computed here.</summary>
    private protected override void Write(AccountKey key, int accountId, Transaction txn, in PreparedRow row)
    {
        // The binds go straight to SQLite (HotBinds): the statement, and so its handle, is held for the life of the sink.
        var (stmt, handle) = (_insertTxn, _insertHandle);
        if (_boundAccount != accountId)
        {
            Check(HotBinds.Int64(stmt, handle, 1, accountId));
            _boundAccount = accountId;
        }
        if (_boundSession != SessionId)
        {
            Check(HotBinds.Int64(stmt, handle, 2, SessionId));
            _boundSession = SessionId;
        }
        int rc;
        // Texts are bound in place, not copied (HotBinds.Text), so the row stays pinned until the step has read it. SQLite
        // keeps those pointers after the reset, into a row no longer pinned: safe only because every text parameter is
        // bound again, inside the pin, before every step. So texts are never left bound across rows the way the account
        // and session are, and the statement is never stepped outside this block.
        fixed (byte* pinned = row)
        {
            Check(HotBinds.Text(stmt, handle, 3, true, row.TxnId));
            Check(HotBinds.Text(stmt, handle, 4, true, TypeUtf8(txn.Type)));
            Check(HotBinds.Text(stmt, handle, 5, row.HasMode, row.Mode));
            Check(HotBinds.Int64(stmt, handle, 6, row.AmountPaise));
            Check(HotBinds.Int64(stmt, handle, 7, row.BalancePaise));
            Check(HotBinds.Int64(stmt, handle, 8, row.TimestampUnixMs));
            Check(HotBinds.Text(stmt, handle, 9, true, row.DateText));
            Check(HotBinds.Text(stmt, handle, 10, row.HasValueDate, row.ValueDateText));
            Check(HotBinds.Text(stmt, handle, 11, row.HasNarration, row.Narration));
            Check(HotBinds.Text(stmt, handle, 12, row.HasReference, row.Reference));
            Check(HotBinds.Int64(stmt, handle, 13, txn.Position));
            Check(HotBinds.Int64(stmt, handle, 14, row.TxnKey));
            rc = raw.sqlite3_step(_insertTxn);
            raw.sqlite3_reset(_insertTxn);
        }
        Check(rc);
        if (raw.sqlite3_changes(_db) == 1)
        {
            Counted(row.Date);
            return;
        }
        using var reader = Sql.Get("""
            SELECT "TxnId", "Type", "AmountPaise", "TimestampUnixMs" FROM "Transactions" WHERE "AccountId" = @a AND "TxnKey" = @k;
            """, ("@a", accountId), ("@k", row.TxnKey)).ExecuteReader();
        reader.Read();
        Met(key.MaskedAccNumber, txn, reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    /// <summary>
    /// The foreign keys SQLite no longer checks row by row during the batch, checked once for the bundle: its accounts
    /// exist and are the customer's, and its session exists under a consent of that customer. Every id came from the
    /// same transaction's own look-ups, so this is the guard against a future change that breaks that, not a hot path.
    /// </summary>
    public override void Finish()
    {
        var ids = "[" + string.Join(",", BundleAccounts) + "]";
        using var reader = Sql.Get("""
            SELECT (SELECT count(*) FROM "Accounts" a JOIN "Customers" c ON c."Id" = a."CustomerId"
                    WHERE a."Id" IN (SELECT value FROM json_each(@ids)) AND a."CustomerId" = @customer),
                   (SELECT count(*) FROM "FetchSessions" s JOIN "Consents" k ON k."Id" = s."ConsentRecordId"
                    WHERE s."Id" = @session AND k."CustomerId" = @customer);
            """, ("@ids", ids), ("@customer", CustomerId), ("@session", SessionId)).ExecuteReader();
        reader.Read();
        if (reader.GetInt32(0) != BundleAccounts.Count() || reader.GetInt32(1) != 1)
        {
            throw new InvalidOperationException($"foreign key check failed for session row {SessionId}: accounts {ids} or the session's consent are not the customer's");
        }
    }

    public override void Dispose()
    {
        _insertTxn.Dispose();
        base.Dispose();
    }
}

/// <summary>
/// The insert's binds called in SQLite directly, the one hot path that does so (issue 17): through SQLitePCLRaw each of
/// the 12–14 binds a row takes also takes and releases the statement's SafeHandle and switches the thread's GC mode;
/// without them the writer's CPU per transaction fell 4–5 % (alternating runs). These calls are short, never block on
/// anything but their own connection's mutex (this connection is the import's alone), and never call back into .NET,
/// which is what <see cref="SuppressGCTransitionAttribute"/> asks. They go to the library SQLitePCLRaw's provider has
/// loaded, e_sqlite3, the one Microsoft.Data.Sqlite bundles; under any other provider (SQLCipher, the system's
/// SQLite) a handle of one library must not reach another, and the provider's own calls are used.
/// </summary>
internal static unsafe partial class HotBinds
{
    private const string Library = "e_sqlite3";

    /// <summary>Whether the statements are e_sqlite3's, so the direct calls apply.</summary>
    public static readonly bool Direct = raw.GetNativeLibraryName() == Library;

    // SQLITE_STATIC: SQLite reads the bytes where they are whenever the statement is stepped, until the parameter is bound again.
    private static readonly IntPtr Static = IntPtr.Zero;

    // Where an empty text points: a null pointer would bind NULL, not ''.
    private static readonly byte* Empty = (byte*)NativeMemory.AllocZeroed(1);

    public static int Int64(sqlite3_stmt stmt, IntPtr handle, int index, long value) =>
        Direct ? sqlite3_bind_int64(handle, index, value) : raw.sqlite3_bind_int64(stmt, index, value);

    /// <summary>
    /// Binds UTF-8 text without a copy: the caller keeps <paramref name="utf8"/> pinned through the step that reads it,
    /// and binds the parameter again before any later step (the insert pins each row around its binds and step; the type
    /// names are literals in the assembly's data, which never move). Copying (SQLITE_TRANSIENT) cost a free and a malloc
    /// per text, each under SQLite's global memory mutex. Through the provider (not e_sqlite3) the text is copied as before.
    /// </summary>
    public static int Text(sqlite3_stmt stmt, IntPtr handle, int index, bool present, ReadOnlySpan<byte> utf8)
    {
        if (!Direct)
        {
            return present ? raw.sqlite3_bind_text(stmt, index, utf8) : raw.sqlite3_bind_null(stmt, index);
        }
        if (!present)
        {
            return sqlite3_bind_null(handle, index);
        }
        fixed (byte* p = utf8)
        {
            return sqlite3_bind_text(handle, index, utf8.IsEmpty ? Empty : p, utf8.Length, Static);
        }
    }

    [LibraryImport(Library)]
    [SuppressGCTransition]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial int sqlite3_bind_int64(IntPtr stmt, int index, long value);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial int sqlite3_bind_null(IntPtr stmt, int index);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial int sqlite3_bind_text(IntPtr stmt, int index, byte* text, int length, IntPtr destructor);
}
