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
/// <para>
/// Consent is enforced here, where data leaves the store for any use: only transactions delivered by sessions whose
/// consent is ACTIVE, unexpired and for a purpose that allows the use are returned. A PAUSED, REVOKED or EXPIRED
/// consent hides its data at once, before any purge has run.
/// </para>
/// <para>
/// One page asks for the same customer's statements several times (the analytics, the collections panel, a what-if
/// per loan), so a load is shared by every caller of this scope that asks for the same data: same customer, same
/// usable sessions, same accounts at the same latest session. Loaded data is held weakly: it lives only as long as a
/// component holds it, so a circuit keeps no second copy, and any change to consents or data is a different key.
/// </para>
/// </remarks>
public sealed class AccountDataService(IDbContextFactory<ApplicationDbContext> dbFactory, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Task<IReadOnlyList<StoredAccount>>> _loading = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WeakReference<IReadOnlyList<StoredAccount>>> _loaded = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<StoredAccount>> LoadCustomerAsync(int customerId, DataUse use = DataUse.Monitoring, CancellationToken ct = default)
    {
        HashSet<int> usable;
        List<(int Id, int LastSession)> accounts;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            usable = await UsableSessionsAsync(db, customerId, use, ct);
            accounts = [.. (await db.Accounts.Where(a => a.CustomerId == customerId).OrderBy(a => a.Id)
                .Select(a => new { a.Id, a.LastFetchSessionId }).ToListAsync(ct)).Select(a => (a.Id, a.LastFetchSessionId))];
        }
        // Transactions only arrive with a new session and only leave with a whole session (purge), so this names the data exactly.
        var key = $"{customerId}|{string.Join(',', usable.Order())}|{string.Join(',', accounts.Select(a => $"{a.Id}@{a.LastSession}"))}";
        Task<IReadOnlyList<StoredAccount>> load;
        lock (_gate)
        {
            if (_loaded.TryGetValue(key, out var weak) && weak.TryGetTarget(out var held))
            {
                return held;
            }
            if (!_loading.TryGetValue(key, out load!))
            {
                // Shared by every caller, so one caller's cancellation does not cancel the others' load (each stops waiting on its own).
                load = LoadAccountsAsync(accounts.Select(a => a.Id).ToList(), usable, CancellationToken.None);
                _loading[key] = load;
            }
        }
        try
        {
            var result = await load.WaitAsync(ct);
            lock (_gate)
            {
                if (_loaded.Count >= 64)
                {
                    foreach (var dead in _loaded.Where(e => !e.Value.TryGetTarget(out _)).Select(e => e.Key).ToList())
                    {
                        _loaded.Remove(dead);
                    }
                }
                _loaded[key] = new WeakReference<IReadOnlyList<StoredAccount>>(result);
            }
            return result;
        }
        finally
        {
            lock (_gate)
            {
                _loading.Remove(key);
            }
        }
    }

    private async Task<IReadOnlyList<StoredAccount>> LoadAccountsAsync(List<int> accountIds, HashSet<int> usable, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
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

    private static async Task<StoredAccount?> LoadAsync(ApplicationDbContext db, int accountId, HashSet<int> usableSessions, CancellationToken ct)
    {
        var a = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(x => x.Id == accountId, ct);
        if (a is null || usableSessions.Count == 0)
        {
            return null;
        }
        var sessionIds = usableSessions.ToList();
        var rows = await db.Transactions.AsNoTracking().Where(t => t.AccountId == accountId && sessionIds.Contains(t.FetchSessionId))
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
