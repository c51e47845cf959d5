using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Msme.Domain;
using Msme.Domain.Consent;
using Msme.Domain.Ingestion;
using Msme.Portal.Data;

namespace Msme.Portal.Features.Analytics;

/// <summary>One stored account rebuilt as the domain's DepositAccount, with the lineage of the data behind it.</summary>
public sealed record StoredAccount(int AccountId, int CustomerId, DepositAccount Account, IReadOnlyList<AccountLineage> Lineage);

/// <summary>Which consent and fetch session delivered how much of an account's data: every figure names these.</summary>
public sealed record AccountLineage(string ConsentId, string ConsentStatus, string? PurposeCode, string SessionId, DateTimeOffset FetchedAt,
    int Transactions, DateOnly? FirstDate, DateOnly? LastDate);

/// <summary>
/// Reads the stored AA data back into the domain's immutable records, so analytics run on exactly what was received:
/// no second copy of figures that could drift from the data.
/// </summary>
/// <remarks>
/// Consent is enforced here, where data leaves the store for any use: only transactions delivered by sessions whose
/// consent is ACTIVE, unexpired and for a purpose that allows the use are returned. A PAUSED, REVOKED or EXPIRED
/// consent hides its data at once, before any purge has run.
/// </remarks>
public sealed class AccountDataService(IDbContextFactory<ApplicationDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<StoredAccount>> LoadCustomerAsync(int customerId, DataUse use = DataUse.Monitoring, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var usable = await UsableSessionsAsync(db, customerId, use, ct);
        var accountIds = await db.Accounts.Where(a => a.CustomerId == customerId).OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(ct);
        var result = new List<StoredAccount>(accountIds.Count);
        foreach (var id in accountIds)
        {
            if (await LoadAsync(db, id, usable, ct) is { } account)
            {
                result.Add(account);
            }
        }
        return result;
    }

    /// <summary>The customer's fetch sessions whose data this use may read now.</summary>
    private async Task<HashSet<int>> UsableSessionsAsync(ApplicationDbContext db, int customerId, DataUse use, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var sessions = await db.FetchSessions.AsNoTracking().Where(s => s.Consent!.CustomerId == customerId)
            .Select(s => new { s.Id, s.Consent!.Status, s.Consent.ConsentExpiry, s.Consent.PurposeCode }).ToListAsync(ct);
        return [.. sessions.Where(s => ConsentPurposes.Usable(s.Status, s.ConsentExpiry, now) && ConsentPurposes.Allows(s.PurposeCode, use)).Select(s => s.Id)];
    }

    private sealed record TransactionRow(string TxnId, string Type, string? Mode, long AmountPaise, long BalancePaise, long TimestampUnixMs,
        DateOnly? ValueDate, string? Narration, string? Reference, int FetchSessionId);

    /// <summary>
    /// The account's rows from the usable sessions in (time, session, position) order. Read with a plain data reader on
    /// the context's connection: materialising a few thousand rows per account through EF's projection cost about three
    /// times the reading itself, and this read is most of a cold risk dashboard (Msme.Benchmarks risk).
    /// </summary>
    private static async Task<List<TransactionRow>> TransactionRowsAsync(ApplicationDbContext db, int accountId, HashSet<int> sessions, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(ct);
        }
        await using var command = connection.CreateCommand();
        // Session ids are integers from our own store, so they are inlined; the account id is a parameter.
        command.CommandText = "SELECT TxnId, Type, Mode, AmountPaise, BalancePaise, TimestampUnixMs, ValueDate, Narration, Reference, FetchSessionId " +
            "FROM Transactions WHERE AccountId = $account AND FetchSessionId IN (" + string.Join(',', sessions.Order().Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture))) + ") " +
            "ORDER BY TimestampUnixMs, FetchSessionId, Position";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "$account";
        parameter.Value = accountId;
        command.Parameters.Add(parameter);
        var rows = new List<TransactionRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new TransactionRow(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetInt64(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateOnly>(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.GetInt32(9)));
        }
        return rows;
    }

    private static async Task<StoredAccount?> LoadAsync(ApplicationDbContext db, int accountId, HashSet<int> usableSessions, CancellationToken ct)
    {
        var a = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(x => x.Id == accountId, ct);
        if (a is null || usableSessions.Count == 0)
        {
            return null;
        }
        var rows = await TransactionRowsAsync(db, accountId, usableSessions, ct);
        // Positions restart in every delivered document; the order above (time, session, position) is renumbered so the
        // contract's tie-breaker "position in the document" stays well defined across merged deliveries.
        var transactions = rows.Select((t, i) => new Transaction
        {
            TxnId = t.TxnId,
            Type = t.Type switch { "CREDIT" => TxnType.Credit, "DEBIT" => TxnType.Debit, _ => TxnType.Reversal },
            Mode = t.Mode,
            Amount = t.AmountPaise / 100m,
            Balance = t.BalancePaise / 100m,
            Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(t.TimestampUnixMs).ToOffset(IndianTime.Offset),
            ValueDate = t.ValueDate,
            Narration = t.Narration,
            Reference = t.Reference,
            Position = i,
        }).ToList();

        var account = new DepositAccount
        {
            LinkedAccRef = a.LinkedAccRef.Length == 0 ? null : a.LinkedAccRef,
            MaskedAccNumber = a.MaskedAccNumber,
            Version = a.SchemaVersion,
            Generation = a.SchemaVersion?.StartsWith('2') == true ? SchemaGeneration.V2 : SchemaGeneration.V1,
            FipId = a.FipId.Length == 0 ? null : a.FipId,
            HoldingType = a.HoldingType,
            Holders = JsonSerializer.Deserialize<List<Holder>>(a.HoldersJson) ?? [],
            Summary = new AccountSummary
            {
                CurrentBalance = a.CurrentBalancePaise / 100m,
                Currency = a.Currency,
                BalanceDateTime = a.BalanceDateTime,
                Branch = a.Branch,
                OpeningDate = a.OpeningDate,
                Status = a.Status,
                Ifsc = a.Ifsc,
                AccountSubType = a.AccountSubType,
                AccountType = a.AccountType,
                Facility = a.Facility,
                DrawingLimit = a.DrawingLimitPaise / 100m,
                CurrentOdLimit = a.CurrentOdLimitPaise / 100m,
            },
            StartDate = a.StatementStart,
            EndDate = a.StatementEnd,
            Transactions = transactions,
        };

        if (rows.Count == 0)
        {
            return null;
        }
        var perSession = rows.GroupBy(r => r.FetchSessionId).ToDictionary(g => g.Key, g => g.Count());
        var delivering = perSession.Keys.ToList();
        var lineage = await db.FetchSessions.AsNoTracking().Where(s => delivering.Contains(s.Id))
            .Select(s => new { s.Id, s.SessionId, s.FetchedAt, s.FirstTransactionDate, s.LastTransactionDate, s.Consent!.ConsentId, s.Consent.Status, s.Consent.PurposeCode })
            .ToListAsync(ct);
        return new StoredAccount(a.Id, a.CustomerId, account, [.. lineage
            .OrderBy(s => s.FetchedAt)
            .Select(s => new AccountLineage(s.ConsentId, s.Status.ToString().ToUpperInvariant(), s.PurposeCode, s.SessionId, s.FetchedAt,
                perSession[s.Id], s.FirstTransactionDate, s.LastTransactionDate))]);
    }
}
