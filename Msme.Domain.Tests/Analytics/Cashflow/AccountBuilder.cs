using System.Globalization;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Analytics.Cashflow;

/// <summary>
/// Builds DepositAccounts for analytics tests. Transactions get positions in the order they are added, and balances
/// follow a running balance from <see cref="Opening"/> unless one is given explicitly.
/// </summary>
/// <remarks>
/// "when" accepts "yyyy-MM-dd" (noon IST), or a timestamp; a timestamp without an offset is taken as IST, which is
/// what the ingestion parser does with such feeds (contract, Inputs and calendar).
/// </remarks>
internal sealed class AccountBuilder
{
    private readonly List<Transaction> _transactions = [];
    private DateOnly? _start;
    private DateOnly? _end;
    private decimal _balance;
    private string _masked = "XXXXXXXX1234";
    private string? _linkedRef = "ref-1";

    public AccountBuilder Opening(decimal balance)
    {
        _balance = balance;
        return this;
    }

    public AccountBuilder Statement(string? startDate, string? endDate)
    {
        _start = startDate is null ? null : DateOnly.Parse(startDate, CultureInfo.InvariantCulture);
        _end = endDate is null ? null : DateOnly.Parse(endDate, CultureInfo.InvariantCulture);
        return this;
    }

    public AccountBuilder Named(string masked, string? linkedRef)
    {
        _masked = masked;
        _linkedRef = linkedRef;
        return this;
    }

    public AccountBuilder Credit(string when, decimal amount, decimal? balance = null) => Add(TxnType.Credit, when, amount, balance ?? _balance + amount);

    public AccountBuilder Debit(string when, decimal amount, decimal? balance = null) => Add(TxnType.Debit, when, amount, balance ?? _balance - amount);

    /// <summary>A reversal needs its balance stated: the feed's balance is the only thing that says which way it went.</summary>
    public AccountBuilder Reversal(string when, decimal amount, decimal balance) => Add(TxnType.Reversal, when, amount, balance);

    public AccountBuilder Add(TxnType type, string when, decimal amount, decimal balance)
    {
        _transactions.Add(new Transaction
        {
            TxnId = $"T{_transactions.Count + 1}",
            Type = type,
            Amount = amount,
            Balance = balance,
            Timestamp = Timestamp(when),
            Position = _transactions.Count,
        });
        _balance = balance;
        return this;
    }

    public DepositAccount Build() => new()
    {
        MaskedAccNumber = _masked,
        LinkedAccRef = _linkedRef,
        StartDate = _start,
        EndDate = _end,
        Transactions = _transactions.ToArray(),
    };

    public static DateTimeOffset Timestamp(string when)
    {
        if (when.Length == 10) return new DateTimeOffset(DateTime.Parse(when, CultureInfo.InvariantCulture).AddHours(12), IndianTime.Offset);
        var hasOffset = when.EndsWith('Z') || when.LastIndexOfAny(['+', '-']) > 10;
        return hasOffset
            ? DateTimeOffset.Parse(when, CultureInfo.InvariantCulture)
            : new DateTimeOffset(DateTime.Parse(when, CultureInfo.InvariantCulture), IndianTime.Offset);
    }
}
