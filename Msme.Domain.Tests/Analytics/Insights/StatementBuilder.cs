using System.Globalization;
using Msme.Domain.Analytics.Patterns;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Analytics.Insights;

/// <summary>
/// Builds a statement with narrations for the insight tests: lines at noon IST (or a given time), a running balance
/// from <see cref="Opening"/>, positions in the order added, the statement period from the first to the last line
/// unless set.
/// </summary>
internal sealed class StatementBuilder(string masked = "XXXXXXXX1234")
{
    private readonly List<Transaction> _lines = [];
    private readonly List<Holder> _holders = [];
    private decimal _balance = 1_000_000m;
    private DateOnly? _start, _end;

    public StatementBuilder Opening(decimal balance)
    {
        _balance = balance;
        return this;
    }

    public StatementBuilder Period(string start, string end)
    {
        _start = D(start);
        _end = D(end);
        return this;
    }

    public StatementBuilder Holder(string name)
    {
        _holders.Add(new Holder { Name = name });
        return this;
    }

    public StatementBuilder Credit(string date, decimal amount, string narration, string mode = "OTHERS", string time = "12:00") =>
        Add(TxnType.Credit, date, amount, narration, mode, time);

    public StatementBuilder Debit(string date, decimal amount, string narration, string mode = "OTHERS", string time = "12:00") =>
        Add(TxnType.Debit, date, amount, narration, mode, time);

    private StatementBuilder Add(TxnType type, string date, decimal amount, string narration, string mode, string time)
    {
        _balance += type == TxnType.Credit ? amount : -amount;
        _lines.Add(new Transaction
        {
            TxnId = $"{masked[^4..]}-{_lines.Count + 1}",
            Type = type,
            Mode = mode,
            Amount = amount,
            Balance = _balance,
            Timestamp = new DateTimeOffset(D(date).ToDateTime(TimeOnly.Parse(time, CultureInfo.InvariantCulture)), IndianTime.Offset),
            Narration = narration,
            Position = _lines.Count,
        });
        return this;
    }

    public DepositAccount Build() => new()
    {
        MaskedAccNumber = masked,
        LinkedAccRef = "ref-" + masked[^4..],
        Holders = _holders.ToArray(),
        StartDate = _start ?? _lines.Min(l => l.Date),
        EndDate = _end ?? _lines.Max(l => l.Date),
        Transactions = _lines.ToArray(),
    };

    public IReadOnlyList<ClassifiedTransaction> Classified() => ClassifiedTransaction.Of(Build());

    public static DateOnly D(string s) => DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
