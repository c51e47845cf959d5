using Msme.Domain.Ingestion;

namespace Msme.Domain.Analytics.Cashflow;

/// <summary>Closing balance of every day from <see cref="First"/> to <see cref="Last"/> (IST dates), as the contract defines it.</summary>
/// <remarks>
/// A day with transactions closes at the balance of its last transaction in (timestamp, position) order, whatever
/// its type: a REVERSAL moves no money in our figures, but the bank's running balance after it is still the balance
/// the account held, so it does set the day's close. A day without transactions carries the previous close forward;
/// a day before the first transaction has the opening balance, which is derived from the first transaction
/// (balance − amount for a CREDIT, balance + amount for a DEBIT). When that first transaction is a REVERSAL we cannot
/// tell which way it moved money, so the opening balance is unknown and the series starts on the first transaction's day.
/// </remarks>
public sealed class DailyBalanceSeries
{
    private readonly decimal[] _closing;

    private DailyBalanceSeries(DateOnly first, decimal[] closing, decimal? openingBalance)
    {
        First = first;
        _closing = closing;
        OpeningBalance = openingBalance;
    }

    internal static readonly DailyBalanceSeries Empty = new(DateOnly.MinValue, [], null);

    /// <summary>First day in the series; meaningless when <see cref="Count"/> is 0.</summary>
    public DateOnly First { get; }

    public DateOnly Last => First.AddDays(_closing.Length - 1);

    public int Count => _closing.Length;

    /// <summary>The balance before the first transaction; null when there is none or it is a REVERSAL.</summary>
    public decimal? OpeningBalance { get; }

    /// <summary>Closing balances in day order, starting at <see cref="First"/>.</summary>
    public ReadOnlySpan<decimal> Values => _closing;

    public bool Contains(DateOnly day) => _closing.Length > 0 && day >= First && day <= Last;

    public decimal this[DateOnly day] => Contains(day)
        ? _closing[day.DayNumber - First.DayNumber]
        : throw new ArgumentOutOfRangeException(nameof(day), day, $"outside the series {First:yyyy-MM-dd}..{Last:yyyy-MM-dd}");

    public bool TryGet(DateOnly day, out decimal closingBalance)
    {
        var inside = Contains(day);
        closingBalance = inside ? _closing[day.DayNumber - First.DayNumber] : 0m;
        return inside;
    }

    /// <summary>The days and their closing balances, for charts and exports.</summary>
    public IEnumerable<KeyValuePair<DateOnly, decimal>> Days()
    {
        for (var i = 0; i < _closing.Length; i++) yield return new(First.AddDays(i), _closing[i]);
    }

    internal ReadOnlySpan<decimal> Slice(DateOnly from, DateOnly to) =>
        _closing.AsSpan(from.DayNumber - First.DayNumber, to.DayNumber - from.DayNumber + 1);

    internal static decimal? OpeningBalanceOf(Transaction first) => first.Type switch
    {
        TxnType.Credit => first.Balance - first.Amount,
        TxnType.Debit => first.Balance + first.Amount,
        _ => null,
    };

    /// <summary>Builds the series over [from, to] from transactions already in (timestamp, position) order.</summary>
    internal static DailyBalanceSeries Build(OrderedTransactions ordered, int fromDay, int toDay)
    {
        var items = ordered.Items;
        var days = ordered.Days;
        if (items.Length == 0) return Empty;
        var opening = OpeningBalanceOf(items[0]);
        if (opening is null && fromDay < days[0]) fromDay = days[0];
        if (toDay < fromDay) return new(DateOnly.FromDayNumber(fromDay), [], opening);

        var closing = new decimal[toDay - fromDay + 1];
        var i = 0;
        var current = opening ?? 0m; // never read when opening is null: fromDay is then at or after the first transaction's day
        while (i < items.Length && days[i] < fromDay) current = items[i++].Balance;
        for (var day = fromDay; day <= toDay; day++)
        {
            while (i < items.Length && days[i] == day) current = items[i++].Balance;
            closing[day - fromDay] = current;
        }
        return new(DateOnly.FromDayNumber(fromDay), closing, opening);
    }
}
