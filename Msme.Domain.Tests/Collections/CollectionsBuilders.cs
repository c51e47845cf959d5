using Msme.Domain.Collections;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Collections;

/// <summary>Statements with narrations, running balances and a declared period, for Smart Collect tests.</summary>
internal sealed class StatementBuilder(decimal opening = 0m)
{
    private readonly List<Transaction> _txns = [];
    private decimal _balance = opening;
    private DateOnly? _start, _end;

    public decimal Balance => _balance;

    public StatementBuilder Period(DateOnly start, DateOnly end)
    {
        (_start, _end) = (start, end);
        return this;
    }

    public StatementBuilder Credit(DateOnly day, decimal amount, string narration = "NEFT-SALES") => Add(TxnType.Credit, day, amount, narration);

    public StatementBuilder Debit(DateOnly day, decimal amount, string narration = "UPI/PURCHASE") => Add(TxnType.Debit, day, amount, narration);

    public StatementBuilder Add(TxnType type, DateOnly day, decimal amount, string narration, int hour = 12)
    {
        _balance += type == TxnType.Credit ? amount : -amount;
        _txns.Add(new Transaction
        {
            TxnId = $"T{_txns.Count + 1}",
            Type = type,
            Amount = amount,
            Balance = _balance,
            Timestamp = new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, 0)), IndianTime.Offset),
            Narration = narration,
            Position = _txns.Count,
        });
        return this;
    }

    public DepositAccount Build() => new()
    {
        MaskedAccNumber = "XXXX1234",
        LinkedAccRef = "ref-1",
        StartDate = _start,
        EndDate = _end,
        Transactions = [.. _txns.OrderBy(t => t.Timestamp).Select((t, i) => t with { Position = i })],
    };
}

internal static class LoanBuilder
{
    public static Loan Loan(decimal emi, int dueDay, params LoanInstalment[] instalments) => new()
    {
        LoanId = "LN1",
        Customer = "shah@onemoney",
        Lender = "BAJAJ FINANCE LTD",
        Product = "Business Loan",
        SanctionedAmount = emi * 30,
        Emi = emi,
        DueDay = dueDay,
        TenureMonths = 36,
        StartDate = new DateOnly(2024, 1, 1),
        Mandate = Mandate.ENach,
        MandateRef = "UMRN1",
        MaskedAccNumber = "XXXX1234",
        Instalments = instalments,
    };

    /// <summary>A monthly schedule from <paramref name="firstDue"/>'s month for <paramref name="count"/> months, all with <paramref name="outcome"/>.</summary>
    public static LoanInstalment[] Schedule(decimal emi, int dueDay, DateOnly firstDue, int count, Func<int, DateOnly, InstalmentOutcome> outcome)
    {
        var list = new LoanInstalment[count];
        for (var k = 0; k < count; k++)
        {
            var m = new DateOnly(firstDue.Year, firstDue.Month, 1).AddMonths(k);
            var due = new DateOnly(m.Year, m.Month, Math.Min(dueDay, DateTime.DaysInMonth(m.Year, m.Month)));
            var o = outcome(k + 1, due);
            list[k] = new LoanInstalment(k + 1, due, o == InstalmentOutcome.Pending ? null : due, emi, o, o == InstalmentOutcome.Paid ? emi : 0);
        }
        return list;
    }
}
