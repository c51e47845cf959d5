using System.Data.Common;
using Msme.Domain.Ingestion;
using Msme.Portal.Data;
using Msme.Portal.Data.Store;
using Npgsql;

namespace Msme.Portal.Features.Ingestion;

/// <summary>
/// PostgreSQL's bulk path: a batch holds the import advisory lock (so batches from several instances queue, as SQLite's
/// one writer makes them), and transactions arrive by binary COPY.
/// </summary>
internal sealed class PostgreSqlBulkWriter : IBulkTransactionWriter
{
    public async Task<DbTransaction> BeginBatchAsync(DbConnection connection, CancellationToken ct)
    {
        var tx = await connection.BeginTransactionAsync(ct);
        await PostgreSqlStore.AdvisoryXactLockAsync(connection, tx, PostgreSqlStore.ImportLock, ct);
        return tx;
    }

    public TransactionSink CreateSink(StatementCache sql) => new PostgreSqlTransactionSink(sql);
}

/// <summary>
/// Buffers a bundle's transactions, then writes them by binary COPY when the bundle ends (the connection cannot run
/// other statements while a COPY is open, and the stream interleaves account look-ups with rows). A bundle whose
/// accounts are all new and whose txnIds are distinct (the first fetch of a customer: the bulk load) is copied straight
/// into the table; any other is copied into a temporary table and merged with one INSERT … SELECT … ON CONFLICT DO
/// NOTHING, after which one join finds the rows that met a stored row with other values (the conflicts).
/// </summary>
internal sealed class PostgreSqlTransactionSink(StatementCache sql) : TransactionSink(sql)
{
    private const string Columns = """
        "AccountId", "FetchSessionId", "TxnId", "Type", "Mode", "AmountPaise", "BalancePaise", "TimestampUnixMs", "Date", "ValueDate", "Narration", "Reference", "Position", "TxnKey"
        """;

    private readonly List<(AccountKey Key, int AccountId, Transaction Txn, long TxnKey)> _rows = [];
    private readonly PostgreSqlCopyRows _copy = new();
    private bool _stagingReady;

    public override void Start(int customerId, int sessionId, string? sessionFip)
    {
        base.Start(customerId, sessionId, sessionFip);
        _rows.Clear();
    }

    // The key once per row: MD5 is a fifth of a row's cost here.
    private protected override void Write(AccountKey key, int accountId, Transaction txn, in PreparedRow row) => _rows.Add((key, accountId, txn, row.TxnKey));

    public override void Finish()
    {
        if (_rows.Count == 0)
        {
            return;
        }
        var connection = (NpgsqlConnection)Sql.Connection;
        var keys = new HashSet<(int, long)>();
        if (_rows.All(r => CreatedAccounts.Contains(r.AccountId) && keys.Add((r.AccountId, r.TxnKey))))
        {
            Copy(connection, "\"Transactions\"", ordinal: false);
            foreach (var row in _rows)
            {
                Counted(row.Txn.Date);
            }
            _rows.Clear();
            return;
        }
        if (!_stagingReady)
        {
            // Per connection, and emptied at every commit: pooled connections keep it between batches.
            Sql.Run("""
                CREATE TEMPORARY TABLE IF NOT EXISTS msme_import_transactions (
                    "Ordinal" integer NOT NULL, "AccountId" integer NOT NULL, "FetchSessionId" integer NOT NULL, "TxnId" text NOT NULL,
                    "Type" text NOT NULL, "Mode" text, "AmountPaise" bigint NOT NULL, "BalancePaise" bigint NOT NULL,
                    "TimestampUnixMs" bigint NOT NULL, "Date" date NOT NULL, "ValueDate" date, "Narration" text, "Reference" text,
                    "Position" integer NOT NULL, "TxnKey" bigint NOT NULL) ON COMMIT DELETE ROWS;
                """);
            _stagingReady = true;
        }
        Sql.Run("TRUNCATE msme_import_transactions;");
        Copy(connection, "msme_import_transactions", ordinal: true);
        // In ordinal order, so that of two rows with one txnId in the bundle the first is kept, as the row-by-row path does.
        using (var reader = Sql.Get($"""
            WITH added AS (
                INSERT INTO "Transactions" ({Columns})
                SELECT {Columns} FROM msme_import_transactions ORDER BY "Ordinal"
                ON CONFLICT ("AccountId", "TxnKey") DO NOTHING
                RETURNING "Date")
            SELECT count(*)::integer, min("Date"), max("Date") FROM added;
            """).ExecuteReader())
        {
            reader.Read();
            Added += reader.GetInt32(0);
            if (!reader.IsDBNull(1))
            {
                var (first, last) = (reader.GetFieldValue<DateOnly>(1), reader.GetFieldValue<DateOnly>(2));
                if (FirstDate is null || first < FirstDate) FirstDate = first;
                if (LastDate is null || last > LastDate) LastDate = last;
            }
        }
        var conflicts = 0;
        using (var reader = Sql.Get("""
            SELECT s."Ordinal", t."TxnId", t."Type", t."AmountPaise", t."TimestampUnixMs"
            FROM msme_import_transactions s JOIN "Transactions" t ON t."AccountId" = s."AccountId" AND t."TxnKey" = s."TxnKey"
            WHERE (t."TxnId", t."Type", t."AmountPaise", t."TimestampUnixMs") IS DISTINCT FROM (s."TxnId", s."Type", s."AmountPaise", s."TimestampUnixMs")
            ORDER BY s."Ordinal";
            """).ExecuteReader())
        {
            while (reader.Read())
            {
                var row = _rows[reader.GetInt32(0)];
                Met(row.Key.MaskedAccNumber, row.Txn, reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4));
                conflicts++;
            }
        }
        Overlapping += _rows.Count - Added - conflicts;
        _rows.Clear();
    }

    private void Copy(NpgsqlConnection connection, string table, bool ordinal)
    {
        _copy.Begin(connection, $"COPY {table} ({(ordinal ? "\"Ordinal\", " : "")}{Columns}) FROM STDIN (FORMAT BINARY)");
        try
        {
            var fields = (short)(ordinal ? 15 : 14);
            for (var i = 0; i < _rows.Count; i++)
            {
                var (_, accountId, txn, txnKey) = _rows[i];
                _copy.Row(fields);
                if (ordinal)
                {
                    _copy.Int32(i);
                }
                _copy.Int32(accountId);
                _copy.Int32(SessionId);
                _copy.Text(txn.TxnId);
                _copy.Text(TypeText(txn.Type));
                _copy.Text(txn.Mode);
                _copy.Int64(Paise(txn.Amount));
                _copy.Int64(Paise(txn.Balance));
                _copy.Int64(txn.Timestamp.ToUnixTimeMilliseconds());
                _copy.Date(txn.Date);
                _copy.Date(txn.ValueDate);
                _copy.Text(txn.Narration);
                _copy.Text(txn.Reference);
                _copy.Int32(txn.Position);
                _copy.Int64(txnKey);
            }
        }
        catch
        {
            _copy.Cancel();
            throw;
        }
        _copy.Complete();
    }
}
