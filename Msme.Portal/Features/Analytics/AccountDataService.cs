using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Msme.Domain;
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
public sealed class AccountDataService(IDbContextFactory<ApplicationDbContext> dbFactory)
{
    public async Task<IReadOnlyList<StoredAccount>> LoadCustomerAsync(int customerId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var accountIds = await db.Accounts.Where(a => a.CustomerId == customerId).OrderBy(a => a.Id).Select(a => a.Id).ToListAsync(ct);
        var result = new List<StoredAccount>(accountIds.Count);
        foreach (var id in accountIds)
        {
            result.Add((await LoadAsync(db, id, ct))!);
        }
        return result;
    }

    public async Task<StoredAccount?> LoadAccountAsync(int accountId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await LoadAsync(db, accountId, ct);
    }

    private static async Task<StoredAccount?> LoadAsync(ApplicationDbContext db, int accountId, CancellationToken ct)
    {
        var a = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(x => x.Id == accountId, ct);
        if (a is null)
        {
            return null;
        }
        var rows = await db.Transactions.AsNoTracking().Where(t => t.AccountId == accountId)
            .OrderBy(t => t.TimestampUnixMs).ThenBy(t => t.FetchSessionId).ThenBy(t => t.Position)
            .Select(t => new { t.TxnId, t.Type, t.Mode, t.AmountPaise, t.BalancePaise, t.TimestampUnixMs, t.ValueDate, t.Narration, t.Reference, t.FetchSessionId })
            .ToListAsync(ct);
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

        var perSession = rows.GroupBy(r => r.FetchSessionId).ToDictionary(g => g.Key, g => g.Count());
        var sessionIds = perSession.Keys.ToList();
        var lineage = await db.FetchSessions.AsNoTracking().Where(s => sessionIds.Contains(s.Id))
            .Select(s => new { s.Id, s.SessionId, s.FetchedAt, s.FirstTransactionDate, s.LastTransactionDate, s.Consent!.ConsentId, s.Consent.Status, s.Consent.PurposeCode })
            .ToListAsync(ct);
        return new StoredAccount(a.Id, a.CustomerId, account, [.. lineage
            .OrderBy(s => s.FetchedAt)
            .Select(s => new AccountLineage(s.ConsentId, s.Status.ToString().ToUpperInvariant(), s.PurposeCode, s.SessionId, s.FetchedAt,
                perSession[s.Id], s.FirstTransactionDate, s.LastTransactionDate))]);
    }
}
