using System.Linq.Expressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Msme.Domain;
using Msme.Domain.Consent;
using Msme.Domain.Ingestion;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Features.Analytics;

/// <summary>One stored account rebuilt as the domain's DepositAccount, with the lineage of the data behind it.</summary>
public sealed record StoredAccount(int AccountId, int CustomerId, DepositAccount Account, IReadOnlyList<AccountLineage> Lineage);

/// <summary>Which consent and fetch session delivered how much of an account's data: every figure names these.</summary>
public sealed record AccountLineage(string ConsentId, string ConsentStatus, string? PurposeCode, string SessionId, DateTimeOffset FetchedAt,
    int Transactions, DateOnly? FirstDate, DateOnly? LastDate);

/// <summary>What the gate knows of one fetch session: its consent's status, expiry, purpose, FIDataRange and DataLife, and the purge.</summary>
public sealed record SessionFacts(int Id, string SessionId, int CustomerId, string ConsentId, ConsentStatus Status, DateTimeOffset? Expiry, string? Purpose,
    DateTimeOffset? RangeFrom, DateTimeOffset? RangeTo, DateTimeOffset FetchedAt, DateTimeOffset? DataLifeEnds, bool Purged)
{
    /// <summary>May this use read the session's data now: not purged, consent ACTIVE and unexpired, purpose allows the use, DataLife not over.</summary>
    public bool UsableFor(DataUse use, DateTimeOffset now) =>
        !Purged && ConsentPurposes.Usable(Status, Expiry, now) && ConsentPurposes.Allows(Purpose, use) && (DataLifeEnds is null || DataLifeEnds > now);

    /// <summary>Why this use may not read the session now (purged, the consent's status, expired, purpose, data-life); null when it may.</summary>
    public string? WithheldBecause(DataUse use, DateTimeOffset now) =>
        UsableFor(use, now) ? null
        : Purged ? "purged"
        : Status != ConsentStatus.Active ? Status.ToString().ToLowerInvariant()
        : !ConsentPurposes.Usable(Status, Expiry, now) ? "expired"
        : !ConsentPurposes.Allows(Purpose, use) ? "purpose"
        : "data-life";

    /// <summary>The next instant at which the clock alone changes <see cref="UsableFor"/> (expiry or DataLife end); null when none.</summary>
    public DateTimeOffset? ChangesAt(DateTimeOffset now) =>
        Purged || Status != ConsentStatus.Active ? null : new[] { Expiry, DataLifeEnds }.Where(t => t > now).Min();
}

/// <summary>
/// A customer's data stamp: the version the database triggers keep (every consent, session, purge, account, loan book
/// and anomaly review write bumps it) and the sessions each data use may read, valid from the instant it was read
/// until the clock reaches the next expiry or DataLife end. Two stamps that hold name the same data.
/// </summary>
public sealed record DataStampView(int CustomerId, long Version, DateTimeOffset ReadAt, DateTimeOffset? Until, IReadOnlyList<SessionFacts> Sessions)
{
    private readonly Dictionary<DataUse, IReadOnlySet<int>> _usable = Enum.GetValues<DataUse>()
        .ToDictionary(u => u, u => (IReadOnlySet<int>)Sessions.Where(s => s.UsableFor(u, ReadAt)).Select(s => s.Id).ToHashSet());

    /// <summary>The sessions this use may read.</summary>
    public IReadOnlySet<int> Usable(DataUse use) => _usable[use];

    /// <summary>The sessions some use may read: what the statement views (Accounts tab, header) show.</summary>
    public IReadOnlySet<int> Viewable { get; } = Sessions.Where(s => Enum.GetValues<DataUse>().Any(u => s.UsableFor(u, ReadAt))).Select(s => s.Id).ToHashSet();

    /// <summary>The customer has received AA data (sessions), usable or not.</summary>
    public bool HasData => Sessions.Count > 0;

    public bool Holds(long version, DateTimeOffset now) => version == Version && now >= ReadAt && (Until is null || now < Until);

    public SessionFacts? Session(int id) => Sessions.FirstOrDefault(s => s.Id == id);
}

/// <summary>An account as the statement views show it: the summary and holders only when its latest session may be shown.</summary>
public sealed record GatedAccount(int Id, int CustomerId, string FipId, string LinkedAccRef, string MaskedAccNumber, string? AccountType, string? AccountSubType,
    string? Ifsc, string? Branch, decimal? CurrentBalance, string? HoldingType, IReadOnlyList<Holder> Holders, int Transactions, DateOnly? FirstDate, DateOnly? LastDate);

/// <summary>One transaction of the bulk reader, with its account and the session (and consent) that delivered it.</summary>
public sealed record BulkTransaction(int CustomerId, int AccountId, string MaskedAccNumber, string? FipId, SessionFacts Session, string TxnId, string Type,
    string? Mode, long AmountPaise, long BalancePaise, long TimestampUnixMs, DateOnly Date, DateOnly? ValueDate, string? Narration, string? Reference);

/// <summary>One transaction as the Accounts tab lists it.</summary>
public sealed record GatedTransaction(long Id, DateTimeOffset Timestamp, DateOnly Date, string TxnId, string Type, string? Mode,
    decimal Amount, decimal Balance, string? Narration, string? Reference, string SessionId);

/// <summary>
/// The consent gate: the one way from a feature to AA-derived data (transactions, balances, holders, and everything
/// computed from them). It applies consent status, expiry on the app's clock, the purpose-to-use map
/// (<see cref="ConsentPurposes"/>), FIDataRange, DataLife and the purge, and it keys the one analysis cache
/// (<see cref="AnalysisCache"/>) by the customer's data stamp, so a consumer never sees figures computed from data
/// that is no longer usable.
/// </summary>
/// <remarks>
/// The stamp is read from the database on every call (one primary-key seek on <c>DataStamps</c>, which triggers bump
/// in the same transaction as the write), so a change made by the CLI or a second portal takes effect at the next
/// request; the clock's effect (an expiry, a DataLife end) is part of the stamp's validity, so it needs no write.
/// </remarks>
public sealed class ConsentGate(IDbContextFactory<ApplicationDbContext> dbFactory, AnalysisCache cache, TimeProvider clock)
{
    /// <summary>The one analysis cache this gate keys; portfolio-wide results live there too.</summary>
    public AnalysisCache Cache => cache;

    /// <summary>The customer's current analysis entry: the cached one while its stamp holds, otherwise a new, empty one.</summary>
    public async Task<CustomerAnalysis> AnalysisAsync(int customerId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The version first, the facts after: a write in between makes the entry look older than it is, never newer.
        var version = await db.DataStamps.AsNoTracking().Where(s => s.CustomerId == customerId).Select(s => (long?)s.Version).FirstOrDefaultAsync(ct) ?? 0;
        var now = clock.GetUtcNow();
        if (cache.Current(customerId, version, now) is { } hit)
        {
            cache.Metrics.CacheHit("stamp");
            return hit;
        }
        cache.Metrics.CacheRecompute("stamp");
        var sessions = await FactsAsync(db, [customerId], ct);
        return cache.Replace(Stamp(customerId, version, now, sessions[customerId]));
    }

    /// <summary>Every given customer's current entry, with two queries for all of them (the risk dashboard, the queue, the loan book).</summary>
    public async Task<IReadOnlyDictionary<int, CustomerAnalysis>> AnalysesAsync(IReadOnlyCollection<int> customerIds, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var versions = await db.DataStamps.AsNoTracking().ToDictionaryAsync(s => s.CustomerId, s => s.Version, ct);
        var now = clock.GetUtcNow();
        var result = new Dictionary<int, CustomerAnalysis>(customerIds.Count);
        var stale = new List<int>();
        foreach (var id in customerIds)
        {
            if (cache.Current(id, versions.GetValueOrDefault(id), now) is { } hit) result[id] = hit;
            else stale.Add(id);
        }
        if (stale.Count < customerIds.Count)
        {
            cache.Metrics.CacheHit("stamp", customerIds.Count - stale.Count);
        }
        if (stale.Count > 0)
        {
            cache.Metrics.CacheRecompute("stamp", stale.Count);
            var sessions = await FactsAsync(db, stale, ct);
            foreach (var id in stale)
            {
                result[id] = cache.Replace(Stamp(id, versions.GetValueOrDefault(id), now, sessions[id]));
            }
        }
        return result;
    }

    /// <summary>The global data version (row 0): anything a customer's analysis depends on changed since.</summary>
    public async Task<long> GlobalVersionAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.DataStamps.AsNoTracking().Where(s => s.CustomerId == DataStamp.Global).Select(s => (long?)s.Version).FirstOrDefaultAsync(ct) ?? 0;
    }

    private static DataStampView Stamp(int customerId, long version, DateTimeOffset now, IEnumerable<SessionFacts> facts)
    {
        var sessions = facts.ToList();
        return new(customerId, version, now, sessions.Select(s => s.ChangesAt(now)).Where(t => t is not null).Min(), sessions);
    }

    private static async Task<ILookup<int, SessionFacts>> FactsAsync(ApplicationDbContext db, List<int> customerIds, CancellationToken ct)
    {
        var query = db.FetchSessions.AsNoTracking();
        // One customer: filtered in SQL; many: every session in one pass (a few per customer), grouped here.
        if (customerIds.Count == 1)
        {
            var only = customerIds[0];
            query = query.Where(s => s.Consent!.CustomerId == only);
        }
        var rows = await query.OrderBy(s => s.Id)
            .Select(s => new
            {
                s.Id, s.SessionId, s.Consent!.CustomerId, s.Consent.ConsentId, s.Consent.Status, s.Consent.ConsentExpiry, s.Consent.PurposeCode,
                s.Consent.FiDataFrom, s.Consent.FiDataTo, s.FetchedAt, s.ImportedAt, s.Consent.DataLifeUnit, s.Consent.DataLifeValue, s.PurgedAt,
            })
            .ToListAsync(ct);
        var wanted = customerIds.ToHashSet();
        return rows.Where(r => wanted.Contains(r.CustomerId)).Select(r => new SessionFacts(r.Id, r.SessionId, r.CustomerId, r.ConsentId, r.Status, r.ConsentExpiry,
                r.PurposeCode, r.FiDataFrom, r.FiDataTo, r.FetchedAt, ConsentRules.DataLifeEnds(r.DataLifeUnit, r.DataLifeValue, r.FetchedAt, r.ImportedAt), r.PurgedAt is not null))
            .ToLookup(s => s.CustomerId);
    }

    /// <summary>The customer's accounts rebuilt from the data this use may read now; accounts with none are left out.</summary>
    /// <remarks>
    /// One page asks for the same customer's statements several times (the analytics, the collections panel, a what-if
    /// per loan): the load is a part of the customer's analysis entry, so every caller in every scope shares it while
    /// the stamp holds (the prerender and the circuit that follows included).
    /// </remarks>
    public async Task<IReadOnlyList<StoredAccount>> LoadCustomerAsync(int customerId, DataUse use = DataUse.Monitoring, CancellationToken ct = default)
    {
        var analysis = await AnalysisAsync(customerId, ct);
        return await StatementsAsync(analysis, use, ct);
    }

    /// <summary>The statements of an entry for a use (a heavy part: held while used, and for the last few customers).</summary>
    public Task<IReadOnlyList<StoredAccount>> StatementsAsync(CustomerAnalysis analysis, DataUse use, CancellationToken ct = default)
    {
        CountDenials(analysis.Stamp, analysis.Stamp.Usable(use), use);
        return analysis.GetAsync($"statements:{use}", () => LoadAccountsAsync(analysis.Stamp, analysis.Stamp.Usable(use)), heavy: TransactionsIn, ct);
    }

    /// <summary>The transactions a customer's statements hold: what a heavy part built on them weighs in the cache.</summary>
    public static long TransactionsIn(IReadOnlyList<StoredAccount> accounts)
    {
        long total = 0;
        foreach (var account in accounts)
        {
            total += account.Account.Transactions.Count;
        }
        return total;
    }

    /// <summary>
    /// Counts the sessions this read is refused (msme.consent_gate.denials), per reason; the statement views (no one
    /// use) are tagged "view" and refused a session only when no use may read it.
    /// </summary>
    private void CountDenials(DataStampView stamp, IReadOnlySet<int> allowed, DataUse? use)
    {
        if (allowed.Count == stamp.Sessions.Count)
        {
            return;
        }
        var tag = use?.ToString().ToLowerInvariant() ?? "view";
        foreach (var reason in stamp.Sessions.Where(s => !allowed.Contains(s.Id))
                     .GroupBy(s => s.WithheldBecause(use ?? DataUse.Monitoring, stamp.ReadAt) ?? "consent"))
        {
            cache.Metrics.GateDenied(tag, reason.Key, reason.Count());
        }
    }

    /// <summary>The customer's accounts for the statement views (Accounts tab, header, API): counts and dates from the sessions that may be shown, summary and holders only when the account's latest session may be.</summary>
    public async Task<IReadOnlyList<GatedAccount>> AccountsAsync(int customerId, CancellationToken ct = default)
    {
        var analysis = await AnalysisAsync(customerId, ct);
        CountDenials(analysis.Stamp, analysis.Stamp.Viewable, null);
        return await analysis.GetAsync("accounts", async () =>
        {
            var shown = analysis.Stamp.Viewable;
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var accounts = await db.Accounts.AsNoTracking().Where(a => a.CustomerId == customerId).OrderBy(a => a.MaskedAccNumber).ToListAsync(CancellationToken.None);
            var accountIds = accounts.Select(a => a.Id).ToList();
            var stats = await Gated(db.Transactions.AsNoTracking().Where(t => accountIds.Contains(t.AccountId)), analysis.Stamp, shown)
                .GroupBy(t => t.AccountId)
                .Select(g => new { g.Key, Count = g.Count(), First = g.Min(t => t.Date), Last = g.Max(t => t.Date) })
                .ToDictionaryAsync(g => g.Key, CancellationToken.None);
            return (IReadOnlyList<GatedAccount>)[.. accounts.Select(a =>
            {
                stats.TryGetValue(a.Id, out var s);
                // The summary and holders are those of the latest delivery: shown only while that session may be.
                var summary = shown.Contains(a.LastFetchSessionId);
                return new GatedAccount(a.Id, a.CustomerId, a.FipId, a.LinkedAccRef, a.MaskedAccNumber, a.AccountType, a.AccountSubType, a.Ifsc, a.Branch,
                    summary ? a.CurrentBalancePaise / 100m : null, a.HoldingType, summary ? JsonSerializer.Deserialize<List<Holder>>(a.HoldersJson) ?? [] : [],
                    s?.Count ?? 0, s?.First, s?.Last);
            })];
        }, heavy: null, ct);
    }

    /// <summary>One page of an account's transactions that may be shown now, newest first unless asked otherwise.</summary>
    public async Task<(IReadOnlyList<GatedTransaction> Items, int Total)> TransactionsAsync(int customerId, int accountId, int page, int pageSize, bool newestFirst, CancellationToken ct = default)
    {
        var analysis = await AnalysisAsync(customerId, ct);
        CountDenials(analysis.Stamp, analysis.Stamp.Viewable, null);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var owned = db.Accounts.Where(a => a.Id == accountId && a.CustomerId == customerId).Select(a => a.Id);
        var query = Gated(db.Transactions.AsNoTracking().Where(t => owned.Contains(t.AccountId)), analysis.Stamp, analysis.Stamp.Viewable);
        var total = await query.CountAsync(ct);
        query = newestFirst
            ? query.OrderByDescending(t => t.TimestampUnixMs).ThenByDescending(t => t.Position)
            : query.OrderBy(t => t.TimestampUnixMs).ThenBy(t => t.Position);
        var rows = await query.Skip(page * pageSize).Take(pageSize)
            .Join(db.FetchSessions, t => t.FetchSessionId, s => s.Id, (t, s) => new { t, s.SessionId })
            .ToListAsync(ct);
        return ([.. rows.Select(r => new GatedTransaction(r.t.Id, r.t.Timestamp, r.t.Date, r.t.TxnId, r.t.Type, r.t.Mode,
            r.t.AmountPaise / 100m, r.t.BalancePaise / 100m, r.t.Narration, r.t.Reference, r.SessionId))], total);
    }

    /// <summary>Every session of the store and whether this use may read it now: for the bulk readers (the Parquet lake).</summary>
    public async Task<IReadOnlyDictionary<int, (SessionFacts Facts, bool Usable)>> SessionsAsync(DataUse use, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = await db.Customers.AsNoTracking().Select(c => c.Id).ToListAsync(ct);
        var analyses = await AnalysesAsync(ids, ct);
        return analyses.Values.SelectMany(a => a.Stamp.Sessions.Select(s => (s, a.Stamp.Usable(use).Contains(s.Id))))
            .ToDictionary(x => x.s.Id, x => (x.s, x.Item2));
    }

    /// <summary>
    /// Every transaction of the store that this use may read now (session usable, row inside its consent's FIDataRange),
    /// per account (customers and accounts in id order) in the contract's order: the bulk reader of the Parquet lake.
    /// Rows it holds back are counted in <paramref name="withheld"/>. One prepared statement, a data reader, no EF
    /// materialisation: it reads the whole table.
    /// </summary>
    public async IAsyncEnumerable<BulkTransaction> AllTransactionsAsync(DataUse use, System.Runtime.CompilerServices.StrongBox<long> withheld,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var sessions = await SessionsAsync(use, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var accountRows = await db.Accounts.AsNoTracking().OrderBy(a => a.CustomerId).ThenBy(a => a.Id)
            .Select(a => new { a.Id, a.CustomerId, a.MaskedAccNumber, a.FipId }).ToListAsync(ct);
        await db.Database.OpenConnectionAsync(ct);
        await using var command = db.Database.GetDbConnection().CreateCommand();
        // Per account, in the contract's order (time, then delivery): the (AccountId, TxnId) index finds an account's rows
        // (on PostgreSQL the account's hash partition first). The same SQL on both providers.
        command.CommandText = """
            SELECT "FetchSessionId", "TxnId", "Type", "Mode", "AmountPaise", "BalancePaise", "TimestampUnixMs", "Date", "ValueDate", "Narration", "Reference"
            FROM "Transactions" WHERE "AccountId" = @account ORDER BY "TimestampUnixMs", "FetchSessionId", "Position";
            """;
        var accountParameter = command.CreateParameter();
        accountParameter.ParameterName = "@account";
        accountParameter.DbType = System.Data.DbType.Int32;
        command.Parameters.Add(accountParameter);
        foreach (var a in accountRows)
        {
            accountParameter.Value = a.Id;
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var (session, usable) = sessions[reader.GetInt32(0)];
                var at = reader.GetInt64(6);
                if (!usable || (session.RangeFrom is { } from && at < from.ToUnixTimeMilliseconds()) || (session.RangeTo is { } to && at > to.ToUnixTimeMilliseconds()))
                {
                    withheld.Value++;
                    continue;
                }
                yield return new BulkTransaction(a.CustomerId, a.Id, a.MaskedAccNumber, a.FipId.Length == 0 ? null : a.FipId, session,
                    reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt64(4), reader.GetInt64(5), at,
                    reader.GetFieldValue<DateOnly>(7), reader.IsDBNull(8) ? null : reader.GetFieldValue<DateOnly>(8),
                    reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10));
            }
        }
    }

    /// <summary>
    /// Rows from the given sessions only, and inside their consent's FIDataRange (ingestion already refuses rows outside
    /// it; the gate does not rely on that). Sessions are grouped by range so the SQL stays one OR per distinct range.
    /// </summary>
    private static IQueryable<AccountTransaction> Gated(IQueryable<AccountTransaction> rows, DataStampView stamp, IReadOnlySet<int> sessions)
    {
        var t = Expression.Parameter(typeof(AccountTransaction), "t");
        var session = Expression.Property(t, nameof(AccountTransaction.FetchSessionId));
        var instant = Expression.Property(t, nameof(AccountTransaction.TimestampUnixMs));
        Expression body = Expression.Constant(false);
        foreach (var range in sessions.Select(id => stamp.Session(id)!).GroupBy(s => (s.RangeFrom, s.RangeTo)))
        {
            var ids = range.Select(s => s.Id).ToList();
            Expression part = Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(int)], Parameter(ids), session);
            if (range.Key.RangeFrom is { } from)
            {
                part = Expression.AndAlso(part, Expression.GreaterThanOrEqual(instant, Parameter(from.ToUnixTimeMilliseconds())));
            }
            if (range.Key.RangeTo is { } to)
            {
                part = Expression.AndAlso(part, Expression.LessThanOrEqual(instant, Parameter(to.ToUnixTimeMilliseconds())));
            }
            body = Expression.OrElse(body, part);
        }
        return rows.Where(Expression.Lambda<Func<AccountTransaction, bool>>(body, t));
    }

    /// <summary>
    /// A value the query reads from a captured object, as a C# closure would: EF Core sends it as a SQL parameter and
    /// caches the compiled query by its shape. A plain <c>Expression.Constant</c> is part of the cache key, so each
    /// customer's session ids and ranges compiled a new query (and a new dynamic method) on every cold page.
    /// </summary>
    private static MemberExpression Parameter<T>(T value) =>
        Expression.Field(Expression.Constant(new Captured<T>(value)), nameof(Captured<T>.Value));

    private sealed class Captured<T>(T value)
    {
        public readonly T Value = value;
    }

    private async Task<IReadOnlyList<StoredAccount>> LoadAccountsAsync(DataStampView stamp, IReadOnlySet<int> usable)
    {
        if (usable.Count == 0)
        {
            return [];
        }
        await using var db = await dbFactory.CreateDbContextAsync();
        var accounts = await db.Accounts.AsNoTracking().Where(a => a.CustomerId == stamp.CustomerId).OrderBy(a => a.Id).ToListAsync();
        var result = new List<StoredAccount>(accounts.Count);
        foreach (var a in accounts)
        {
            if (await LoadAsync(db, a, stamp, usable) is { } account)
            {
                result.Add(account);
            }
        }
        return result;
    }

    private static async Task<StoredAccount?> LoadAsync(ApplicationDbContext db, Account a, DataStampView stamp, IReadOnlySet<int> usable)
    {
        var rows = await Gated(db.Transactions.AsNoTracking().Where(t => t.AccountId == a.Id), stamp, usable)
            .OrderBy(t => t.TimestampUnixMs).ThenBy(t => t.FetchSessionId).ThenBy(t => t.Position)
            .Select(t => new { t.TxnId, t.Type, t.Mode, t.AmountPaise, t.BalancePaise, t.TimestampUnixMs, t.ValueDate, t.Narration, t.Reference, t.FetchSessionId })
            .ToListAsync();
        if (rows.Count == 0)
        {
            return null;
        }
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

        // The summary and holders came with the latest delivery: they are used only while this use may read that session.
        var summary = usable.Contains(a.LastFetchSessionId);
        var account = new DepositAccount
        {
            LinkedAccRef = a.LinkedAccRef.Length == 0 ? null : a.LinkedAccRef,
            MaskedAccNumber = a.MaskedAccNumber,
            Version = a.SchemaVersion,
            Generation = a.SchemaVersion?.StartsWith('2') == true ? SchemaGeneration.V2 : SchemaGeneration.V1,
            FipId = a.FipId.Length == 0 ? null : a.FipId,
            HoldingType = a.HoldingType,
            Holders = summary ? JsonSerializer.Deserialize<List<Holder>>(a.HoldersJson) ?? [] : [],
            Summary = new AccountSummary
            {
                CurrentBalance = summary ? a.CurrentBalancePaise / 100m : null,
                Currency = a.Currency,
                BalanceDateTime = summary ? a.BalanceDateTime : null,
                Branch = a.Branch,
                OpeningDate = a.OpeningDate,
                Status = a.Status,
                Ifsc = a.Ifsc,
                AccountSubType = a.AccountSubType,
                AccountType = a.AccountType,
                Facility = a.Facility,
                DrawingLimit = summary ? a.DrawingLimitPaise / 100m : null,
                CurrentOdLimit = summary ? a.CurrentOdLimitPaise / 100m : null,
            },
            StartDate = a.StatementStart,
            EndDate = a.StatementEnd,
            Transactions = transactions,
        };

        var perSession = rows.GroupBy(r => r.FetchSessionId).ToDictionary(g => g.Key, g => g.Count());
        var delivering = perSession.Keys.ToList();
        var lineage = await db.FetchSessions.AsNoTracking().Where(s => delivering.Contains(s.Id))
            .Select(s => new { s.Id, s.SessionId, s.FetchedAt, s.FirstTransactionDate, s.LastTransactionDate, s.Consent!.ConsentId, s.Consent.Status, s.Consent.PurposeCode })
            .ToListAsync();
        return new StoredAccount(a.Id, a.CustomerId, account, [.. lineage
            .OrderBy(s => s.FetchedAt)
            .Select(s => new AccountLineage(s.ConsentId, s.Status.ToString().ToUpperInvariant(), s.PurposeCode, s.SessionId, s.FetchedAt,
                perSession[s.Id], s.FirstTransactionDate, s.LastTransactionDate))]);
    }
}

public static class ConsentGateServiceCollectionExtensions
{
    /// <summary>The consent gate and the one analysis cache it keys (process-wide); safe to call from every feature's registration.</summary>
    public static IServiceCollection AddConsentGate(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new AnalysisCache(
            sp.GetService<Microsoft.Extensions.Options.IOptions<Msme.Portal.Hosting.MsmeOptions>>()?.Value.AnalysisCacheTransactions ?? AnalysisCache.DefaultHeldTransactions,
            sp.GetService<Msme.Portal.Hosting.MsmeMetrics>()));
        services.TryAddSingleton<ConsentGate>();
        return services;
    }
}
