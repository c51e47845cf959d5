using SQLitePCL;
using Msme.Portal.Data;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Msme.Domain.Ingestion;

namespace Msme.Portal.Features.Ingestion;

/// <summary>
/// Receives the parser's stream of accounts and transactions and writes them with prepared statements inside the
/// bundle's transaction. Merges by (account, txnId): a transaction already stored with the same values is an overlap,
/// with different values a conflict (an error, so the bundle is rejected rather than anything overwritten).
/// </summary>
internal sealed class SqliteTransactionSink : IDepositSink, IDisposable
{
    private readonly StatementCache _sql;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _insertTxn;
    private readonly Dictionary<AccountKey, int> _accounts = [];
    private readonly List<IngestionIssue> _issues = [];
    private int _customerId;
    private int _sessionId;
    private string _sessionFip = "";

    /// <summary>
    /// One sink serves every bundle of a batch, so its insert statement is compiled once. The hot insert binds by
    /// position through SQLitePCLRaw (the provider under Microsoft.Data.Sqlite, on the same connection and transaction):
    /// the ADO layer looks every parameter up by name on every row, which was most of the import's time (measured).
    /// </summary>
    public SqliteTransactionSink(StatementCache sql)
    {
        _sql = sql;
        _db = sql.Connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, """
            INSERT INTO Transactions (AccountId, FetchSessionId, TxnId, Type, Mode, AmountPaise, BalancePaise, TimestampUnixMs, Date, ValueDate, Narration, Reference, Position)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
            ON CONFLICT (AccountId, TxnId) DO NOTHING;
            """, out _insertTxn));
    }

    private void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private void BindText(int index, string? value) => Check(value is null ? raw.sqlite3_bind_null(_insertTxn, index) : raw.sqlite3_bind_text(_insertTxn, index, value));

    /// <summary>Begins a bundle: its customer, its session and the session's FIP; counters and the account cache start afresh.</summary>
    public void Start(int customerId, int sessionId, string? sessionFip)
    {
        (_customerId, _sessionId, _sessionFip) = (customerId, sessionId, sessionFip ?? "");
        _accounts.Clear();
        _issues.Clear();
        (_lastKey, _lastAccountId) = (null, 0);
        (Added, Overlapping, FirstDate, LastDate) = (0, 0, null, null);
    }

    public IReadOnlyList<IngestionIssue> Issues => _issues;
    public int Added { get; private set; }
    public int Overlapping { get; private set; }
    public DateOnly? FirstDate { get; private set; }
    public DateOnly? LastDate { get; private set; }

    public void BeginAccount(AccountKey key) => AccountId(key);

    // Consecutive transactions share their account and often their date: remember the last ones.
    private AccountKey? _lastKey;
    private int _lastAccountId;
    private DateOnly _lastDate;
    private string _lastDateText = "";

    private string DateText(DateOnly date)
    {
        if (date != _lastDate || _lastDateText.Length == 0)
        {
            (_lastDate, _lastDateText) = (date, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        return _lastDateText;
    }

    public void OnTransaction(AccountKey key, Transaction txn)
    {
        if (!ReferenceEquals(key, _lastKey))
        {
            (_lastKey, _lastAccountId) = (key, AccountId(key));
        }
        var accountId = _lastAccountId;
        if (accountId < 0)
        {
            return;
        }
        var date = txn.Date;
        Check(raw.sqlite3_bind_int64(_insertTxn, 1, accountId));
        Check(raw.sqlite3_bind_int64(_insertTxn, 2, _sessionId));
        BindText(3, txn.TxnId);
        BindText(4, TypeText(txn.Type));
        BindText(5, txn.Mode);
        Check(raw.sqlite3_bind_int64(_insertTxn, 6, Paise(txn.Amount)));
        Check(raw.sqlite3_bind_int64(_insertTxn, 7, Paise(txn.Balance)));
        Check(raw.sqlite3_bind_int64(_insertTxn, 8, txn.Timestamp.ToUnixTimeMilliseconds()));
        BindText(9, DateText(date));
        BindText(10, txn.ValueDate is { } v ? (v == date ? _lastDateText : v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : null);
        BindText(11, txn.Narration);
        BindText(12, txn.Reference);
        Check(raw.sqlite3_bind_int64(_insertTxn, 13, txn.Position));
        var rc = raw.sqlite3_step(_insertTxn);
        raw.sqlite3_reset(_insertTxn);
        Check(rc);
        if (raw.sqlite3_changes(_db) == 1)
        {
            Added++;
            if (FirstDate is null || date < FirstDate) FirstDate = date;
            if (LastDate is null || date > LastDate) LastDate = date;
            return;
        }
        CheckOverlap(key, accountId, txn);
    }

    public void EndAccount(DepositAccount header)
    {
        var key = new AccountKey(header.FipId, header.LinkedAccRef, header.MaskedAccNumber);
        var id = AccountId(key);
        if (id < 0)
        {
            return;
        }
        var s = header.Summary;
        var update = _sql.Get("""
            UPDATE Accounts SET SchemaVersion = $ver, AccountType = $type, AccountSubType = $sub, Ifsc = $ifsc, Branch = $branch,
                Currency = $cur, Status = $status, Facility = $fac, OpeningDate = $open, CurrentBalancePaise = $bal,
                CurrentOdLimitPaise = $od, DrawingLimitPaise = $draw, BalanceDateTime = $baldt, HoldingType = $holding,
                HoldersJson = $holders, StatementStart = $start, StatementEnd = $end, LastFetchSessionId = $session
            WHERE Id = $id;
            """);
        update.Parameters.AddWithValue("$ver", (object?)header.Version ?? DBNull.Value);
        update.Parameters.AddWithValue("$type", (object?)s?.AccountType ?? DBNull.Value);
        update.Parameters.AddWithValue("$sub", (object?)s?.AccountSubType ?? DBNull.Value);
        update.Parameters.AddWithValue("$ifsc", (object?)s?.Ifsc ?? DBNull.Value);
        update.Parameters.AddWithValue("$branch", (object?)s?.Branch ?? DBNull.Value);
        update.Parameters.AddWithValue("$cur", (object?)s?.Currency ?? DBNull.Value);
        update.Parameters.AddWithValue("$status", (object?)s?.Status ?? DBNull.Value);
        update.Parameters.AddWithValue("$fac", (object?)s?.Facility ?? DBNull.Value);
        update.Parameters.AddWithValue("$open", s?.OpeningDate is { } o ? o.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : DBNull.Value);
        update.Parameters.AddWithValue("$bal", s?.CurrentBalance is { } b ? Paise(b) : DBNull.Value);
        update.Parameters.AddWithValue("$od", s?.CurrentOdLimit is { } od ? Paise(od) : DBNull.Value);
        update.Parameters.AddWithValue("$draw", s?.DrawingLimit is { } d ? Paise(d) : DBNull.Value);
        // Same ordered encoding EF Core uses for DateTimeOffset columns (DateTimeOffsetToBinaryConverter).
        update.Parameters.AddWithValue("$baldt", s?.BalanceDateTime is { } bdt ? DateTimeOffsetStorage.ToProvider(bdt) : DBNull.Value);
        update.Parameters.AddWithValue("$holding", (object?)header.HoldingType ?? DBNull.Value);
        update.Parameters.AddWithValue("$holders", JsonSerializer.Serialize(header.Holders));
        update.Parameters.AddWithValue("$start", header.StartDate is { } sd ? sd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : DBNull.Value);
        update.Parameters.AddWithValue("$end", header.EndDate is { } ed ? ed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : DBNull.Value);
        update.Parameters.AddWithValue("$session", _sessionId);
        update.Parameters.AddWithValue("$id", id);
        update.ExecuteNonQuery();
    }

    /// <summary>The account's row id, created on first sight; -1 when the account belongs to another customer.</summary>
    private int AccountId(AccountKey key)
    {
        if (_accounts.TryGetValue(key, out var known))
        {
            return known;
        }
        var fip = key.FipId ?? _sessionFip;
        var linkRef = key.LinkedAccRef ?? "";
        var find = _sql.Get("SELECT Id, CustomerId FROM Accounts WHERE FipId = $fip AND LinkedAccRef = $ref AND MaskedAccNumber = $masked;");
        find.Parameters.AddWithValue("$fip", fip);
        find.Parameters.AddWithValue("$ref", linkRef);
        find.Parameters.AddWithValue("$masked", key.MaskedAccNumber);
        using (var reader = find.ExecuteReader())
        {
            if (reader.Read())
            {
                var id = reader.GetInt32(0);
                if (reader.GetInt32(1) != _customerId)
                {
                    _issues.Add(new IngestionIssue(IssueSeverity.Error, "bundle", key.MaskedAccNumber, "account",
                        $"{fip}/{linkRef}/{key.MaskedAccNumber}", "this account is already on file for another customer"));
                    id = -1;
                }
                _accounts[key] = id;
                return id;
            }
        }
        var insert = _sql.Get("""
            INSERT INTO Accounts (CustomerId, FipId, LinkedAccRef, MaskedAccNumber, HoldersJson, LastFetchSessionId)
            VALUES ($customer, $fip, $ref, $masked, '[]', $session) RETURNING Id;
            """);
        insert.Parameters.AddWithValue("$customer", _customerId);
        insert.Parameters.AddWithValue("$fip", fip);
        insert.Parameters.AddWithValue("$ref", linkRef);
        insert.Parameters.AddWithValue("$masked", key.MaskedAccNumber);
        insert.Parameters.AddWithValue("$session", _sessionId);
        var newId = Convert.ToInt32(insert.ExecuteScalar(), CultureInfo.InvariantCulture);
        _accounts[key] = newId;
        return newId;
    }

    private void CheckOverlap(AccountKey key, int accountId, Transaction txn)
    {
        var find = _sql.Get("SELECT Type, AmountPaise, TimestampUnixMs FROM Transactions WHERE AccountId = $a AND TxnId = $id;");
        find.Parameters.AddWithValue("$a", accountId);
        find.Parameters.AddWithValue("$id", txn.TxnId);
        using var reader = find.ExecuteReader();
        reader.Read();
        var (type, amount, ts) = (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2));
        if (type == TypeText(txn.Type) && amount == Paise(txn.Amount) && ts == txn.Timestamp.ToUnixTimeMilliseconds())
        {
            Overlapping++;
            return;
        }
        _issues.Add(new IngestionIssue(IssueSeverity.Error, "bundle", key.MaskedAccNumber, $"transaction[txnId={txn.TxnId}]",
            $"{TypeText(txn.Type)} {txn.Amount.ToString(CultureInfo.InvariantCulture)} at {txn.Timestamp:O}",
            $"conflicts with the stored transaction ({type} {(amount / 100m).ToString(CultureInfo.InvariantCulture)} at {DateTimeOffset.FromUnixTimeMilliseconds(ts).ToOffset(Msme.Domain.IndianTime.Offset):O}); not overwritten"));
    }


    internal static long Paise(decimal rupees) => checked((long)decimal.Round(rupees * 100m, 0, MidpointRounding.AwayFromZero));

    internal static string TypeText(TxnType type) => type switch
    {
        TxnType.Credit => "CREDIT",
        TxnType.Debit => "DEBIT",
        _ => "REVERSAL",
    };

    public void Dispose() => _insertTxn.Dispose();
}
