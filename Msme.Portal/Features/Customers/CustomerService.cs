using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Msme.Domain.Ingestion;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Features.Customers;

public sealed record CustomerRow(int Id, string? LegalName, string AaHandle, string? Pan, string? BusinessCategory, string? Scale, int Accounts);

public sealed record AccountRow(
    int Id, string FipId, string LinkedAccRef, string MaskedAccNumber, string? AccountType, string? AccountSubType, string? Ifsc,
    string? Branch, decimal? CurrentBalance, string? HoldingType, IReadOnlyList<Holder> Holders, int Transactions,
    DateOnly? FirstDate, DateOnly? LastDate);

public sealed record ConsentRow(int Id, string ConsentId, string Status, string? PurposeCode, string? PurposeText, string? FetchType,
    DateTimeOffset? FiDataFrom, DateTimeOffset? FiDataTo, DateTimeOffset? ConsentExpiry, int Sessions);

public sealed record CustomerDetail(Customer Customer, IReadOnlyList<AccountRow> Accounts, IReadOnlyList<ConsentRow> Consents);

public sealed record TransactionRow(long Id, DateTimeOffset Timestamp, DateOnly Date, string TxnId, string Type, string? Mode,
    decimal Amount, decimal Balance, string? Narration, string? Reference, string SessionId);

public sealed record Page<T>(IReadOnlyList<T> Items, int TotalItems);

/// <summary>
/// Reads customers, their accounts and transactions for the screens. One short-lived context per call. Everything
/// that came from AA data (balances, holders, transaction counts and rows) comes through the consent gate: what no
/// use may read now is not shown.
/// </summary>
public sealed class CustomerService(IDbContextFactory<ApplicationDbContext> dbFactory, Analytics.ConsentGate gate)
{
    /// <param name="onlyCustomers">An agent's portfolio; null when the role sees every customer.</param>
    public async Task<Page<CustomerRow>> SearchAsync(string? search, int page, int pageSize, string? sortBy, bool descending,
        IReadOnlyCollection<int>? onlyCustomers = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Customers.AsNoTracking();
        if (onlyCustomers is not null)
        {
            query = query.Where(c => onlyCustomers.Contains(c.Id));
        }
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            var like = $"%{term}%";
            // Name, PAN and handle by substring; account by its masked number (people type the visible digits).
            query = query.Where(c => EF.Functions.Like(c.LegalName!, like) || EF.Functions.Like(c.AaHandle, like)
                || c.Pan == term.ToUpper()
                || c.Accounts.Any(a => EF.Functions.Like(a.MaskedAccNumber, like)));
        }
        var total = await query.CountAsync(ct);
        query = (sortBy, descending) switch
        {
            ("handle", false) => query.OrderBy(c => c.AaHandle),
            ("handle", true) => query.OrderByDescending(c => c.AaHandle),
            ("category", false) => query.OrderBy(c => c.BusinessCategory).ThenBy(c => c.LegalName),
            ("category", true) => query.OrderByDescending(c => c.BusinessCategory).ThenBy(c => c.LegalName),
            (_, true) => query.OrderByDescending(c => c.LegalName),
            _ => query.OrderBy(c => c.LegalName),
        };
        var rows = await query.Skip(page * pageSize).Take(pageSize)
            .Select(c => new CustomerRow(c.Id, c.LegalName, c.AaHandle, c.Pan, c.BusinessCategory, c.Scale, c.Accounts.Count))
            .ToListAsync(ct);
        return new Page<CustomerRow>(rows, total);
    }

    public async Task<CustomerDetail?> GetAsync(int id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var customer = await db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (customer is null)
        {
            return null;
        }
        var rows = (await gate.AccountsAsync(id, ct)).Select(a => new AccountRow(a.Id, a.FipId, a.LinkedAccRef, a.MaskedAccNumber, a.AccountType,
            a.AccountSubType, a.Ifsc, a.Branch, a.CurrentBalance, a.HoldingType, a.Holders, a.Transactions, a.FirstDate, a.LastDate)).ToList();
        var consents = await db.Consents.AsNoTracking().Where(c => c.CustomerId == id)
            .Select(c => new ConsentRow(c.Id, c.ConsentId, c.Status.ToString(), c.PurposeCode, c.PurposeText, c.FetchType,
                c.FiDataFrom, c.FiDataTo, c.ConsentExpiry, c.Sessions.Count))
            .ToListAsync(ct);
        return new CustomerDetail(customer, rows, consents);
    }

    public async Task<Page<TransactionRow>> TransactionsAsync(int accountId, int page, int pageSize, bool newestFirst = true, CancellationToken ct = default)
    {
        int customerId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            customerId = await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.CustomerId).FirstOrDefaultAsync(ct);
        }
        var (items, total) = await gate.TransactionsAsync(customerId, accountId, page, pageSize, newestFirst, ct);
        return new Page<TransactionRow>([.. items.Select(t => new TransactionRow(t.Id, t.Timestamp, t.Date, t.TxnId, t.Type, t.Mode,
            t.Amount, t.Balance, t.Narration, t.Reference, t.SessionId))], total);
    }
}
