using System.Globalization;
using System.Text.Json;
using Msme.Domain.Ingestion;
using Msme.Portal.Data;

namespace Msme.Portal.Features.Ingestion;

/// <summary>
/// Receives the parser's stream of accounts and transactions for one bundle and writes them inside the bundle's
/// savepoint. Accounts (found or created, then their header) are written here, the same SQL on both providers; how the
/// transactions reach their table is the provider's (<see cref="IBulkTransactionWriter"/>). Merges by (account, txnId):
/// a transaction already stored with the same values is an overlap, with different values a conflict (an error, so
/// the bundle is rejected rather than anything overwritten).
/// </summary>
public abstract class TransactionSink(StatementCache sql) : IDepositSink, IDisposable
{
    private readonly Dictionary<AccountKey, int> _accounts = [];
    private readonly List<IngestionIssue> _issues = [];
    private int _customerId;
    private string _sessionFip = "";

    protected StatementCache Sql => sql;
    protected int CustomerId => _customerId;

    /// <summary>The accounts this bundle wrote to (found or created; not those of another customer).</summary>
    protected IEnumerable<int> BundleAccounts => _accounts.Values.Where(id => id >= 0);
    protected int SessionId { get; private set; }

    /// <summary>Accounts this bundle created: nothing of theirs can be stored yet, so their rows cannot overlap.</summary>
    protected HashSet<int> CreatedAccounts { get; } = [];

    /// <summary>Begins a bundle: its customer, its session and the session's FIP; counters and the account cache start afresh.</summary>
    public virtual void Start(int customerId, int sessionId, string? sessionFip)
    {
        (_customerId, SessionId, _sessionFip) = (customerId, sessionId, sessionFip ?? "");
        _accounts.Clear();
        _issues.Clear();
        CreatedAccounts.Clear();
        (_lastKey, _lastAccountId) = (null, 0);
        (Added, Overlapping, FirstDate, LastDate) = (0, 0, null, null);
    }

    /// <summary>After the bundle's last event: a sink that buffers writes its rows now. Counters are final after this.</summary>
    public virtual void Finish()
    {
    }

    public IReadOnlyList<IngestionIssue> Issues => _issues;
    public int Added { get; protected set; }
    public int Overlapping { get; protected set; }
    public DateOnly? FirstDate { get; protected set; }
    public DateOnly? LastDate { get; protected set; }

    public void BeginAccount(AccountKey key) => AccountId(key);

    // Consecutive transactions share their account: remember the last one.
    private AccountKey? _lastKey;
    private int _lastAccountId;

    public void OnTransaction(AccountKey key, Transaction txn) => OnTransaction(key, txn, PreparedRow.Of(txn));

    /// <summary>A transaction whose column values a reader thread has already made.</summary>
    internal void OnTransaction(AccountKey key, Transaction txn, PreparedRow row)
    {
        if (!ReferenceEquals(key, _lastKey))
        {
            (_lastKey, _lastAccountId) = (key, AccountId(key));
        }
        if (_lastAccountId >= 0)
        {
            Write(key, _lastAccountId, txn, row);
        }
    }

    /// <summary>One transaction of a known account of this customer, with its column values.</summary>
    private protected abstract void Write(AccountKey key, int accountId, Transaction txn, in PreparedRow row);

    protected void Counted(DateOnly date)
    {
        Added++;
        if (FirstDate is null || date < FirstDate) FirstDate = date;
        if (LastDate is null || date > LastDate) LastDate = date;
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
        sql.Run("""
            UPDATE "Accounts" SET "SchemaVersion" = @ver, "AccountType" = @type, "AccountSubType" = @sub, "Ifsc" = @ifsc, "Branch" = @branch,
                "Currency" = @cur, "Status" = @status, "Facility" = @fac, "OpeningDate" = @open, "CurrentBalancePaise" = @bal,
                "CurrentOdLimitPaise" = @od, "DrawingLimitPaise" = @draw, "BalanceDateTime" = @baldt, "HoldingType" = @holding,
                "HoldersJson" = @holders, "StatementStart" = @start, "StatementEnd" = @end, "LastFetchSessionId" = @session
            WHERE "Id" = @id;
            """,
            ("@ver", header.Version), ("@type", s?.AccountType), ("@sub", s?.AccountSubType), ("@ifsc", s?.Ifsc), ("@branch", s?.Branch),
            ("@cur", s?.Currency), ("@status", s?.Status), ("@fac", s?.Facility), ("@open", s?.OpeningDate),
            ("@bal", s?.CurrentBalance is { } b ? Paise(b) : null), ("@od", s?.CurrentOdLimit is { } od ? Paise(od) : null),
            ("@draw", s?.DrawingLimit is { } d ? Paise(d) : null),
            // Same ordered encoding EF Core uses for DateTimeOffset columns (DateTimeOffsetToBinaryConverter).
            ("@baldt", s?.BalanceDateTime is { } bdt ? DateTimeOffsetStorage.ToProvider(bdt) : null),
            ("@holding", header.HoldingType), ("@holders", JsonSerializer.Serialize(header.Holders)),
            ("@start", header.StartDate), ("@end", header.EndDate), ("@session", SessionId), ("@id", id));
    }

    /// <summary>The account's row id, created on first sight; -1 when the account belongs to another customer.</summary>
    protected int AccountId(AccountKey key)
    {
        if (_accounts.TryGetValue(key, out var known))
        {
            return known;
        }
        var fip = key.FipId ?? _sessionFip;
        var linkRef = key.LinkedAccRef ?? "";
        using (var reader = sql.Get("""
            SELECT "Id", "CustomerId" FROM "Accounts" WHERE "FipId" = @fip AND "LinkedAccRef" = @ref AND "MaskedAccNumber" = @masked;
            """, ("@fip", fip), ("@ref", linkRef), ("@masked", key.MaskedAccNumber)).ExecuteReader())
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
        var newId = Convert.ToInt32(sql.Get("""
            INSERT INTO "Accounts" ("CustomerId", "FipId", "LinkedAccRef", "MaskedAccNumber", "HoldersJson", "LastFetchSessionId")
            VALUES (@customer, @fip, @ref, @masked, '[]', @session) RETURNING "Id";
            """, ("@customer", _customerId), ("@fip", fip), ("@ref", linkRef), ("@masked", key.MaskedAccNumber), ("@session", SessionId))
            .ExecuteScalar(), CultureInfo.InvariantCulture);
        _accounts[key] = newId;
        CreatedAccounts.Add(newId);
        return newId;
    }

    /// <summary>
    /// A transaction that met a stored one with its (account, txnKey): the same txnId and values are an overlap, other
    /// values a conflict; another txnId is a collision of the 64-bit key (<see cref="TransactionKey"/>), refused as a conflict too.
    /// </summary>
    protected void Met(string maskedAccNumber, Transaction txn, string storedTxnId, string type, long amount, long timestampUnixMs)
    {
        if (!string.Equals(storedTxnId, txn.TxnId, StringComparison.Ordinal))
        {
            _issues.Add(new IngestionIssue(IssueSeverity.Error, "bundle", maskedAccNumber, $"transaction[txnId={txn.TxnId}]", txn.TxnId,
                $"its 64-bit merge key equals that of the stored transaction {storedTxnId} of this account (a hash collision); not stored"));
            return;
        }
        if (type == TypeText(txn.Type) && amount == Paise(txn.Amount) && timestampUnixMs == txn.Timestamp.ToUnixTimeMilliseconds())
        {
            Overlapping++;
            return;
        }
        _issues.Add(new IngestionIssue(IssueSeverity.Error, "bundle", maskedAccNumber, $"transaction[txnId={txn.TxnId}]",
            $"{TypeText(txn.Type)} {txn.Amount.ToString(CultureInfo.InvariantCulture)} at {txn.Timestamp:O}",
            $"conflicts with the stored transaction ({type} {(amount / 100m).ToString(CultureInfo.InvariantCulture)} at {DateTimeOffset.FromUnixTimeMilliseconds(timestampUnixMs).ToOffset(Msme.Domain.IndianTime.Offset):O}); not overwritten"));
    }

    internal static long Paise(decimal rupees) => checked((long)decimal.Round(rupees * 100m, 0, MidpointRounding.AwayFromZero));

    internal static string TypeText(TxnType type) => type switch
    {
        TxnType.Credit => "CREDIT",
        TxnType.Debit => "DEBIT",
        _ => "REVERSAL",
    };

    public virtual void Dispose()
    {
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// The import's bulk path, one per provider, chosen at registration: how a batch's transaction begins (and which lock
/// it holds against other writers) and how transactions reach their table.
/// </summary>
public interface IBulkTransactionWriter
{
    /// <summary>
    /// A connection of the batch's own, open, which the caller disposes; or null (the default) for the store context's
    /// connection.
    /// </summary>
    Task<System.Data.Common.DbConnection?> OpenBatchConnectionAsync(System.Data.Common.DbConnection storeConnection, CancellationToken ct) =>
        Task.FromResult<System.Data.Common.DbConnection?>(null);

    /// <summary>Begins the batch's transaction on the open connection, holding the store's import lock until it ends.</summary>
    Task<System.Data.Common.DbTransaction> BeginBatchAsync(System.Data.Common.DbConnection connection, CancellationToken ct);

    /// <summary>The sink that writes one bundle's transactions at a time, for the life of the batch.</summary>
    TransactionSink CreateSink(StatementCache sql);

    /// <summary>After the batch's transaction has ended (committed or not): undoes what <see cref="BeginBatchAsync"/> set on the connection.</summary>
    void EndBatch(System.Data.Common.DbConnection connection)
    {
    }
}
