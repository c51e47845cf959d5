using Msme.Domain.Ingestion;

namespace Msme.Domain.Analytics.Cashflow;

/// <summary>An account's transactions in the contract's order (timestamp, then position) with their IST day numbers.</summary>
internal sealed class OrderedTransactions
{
    private static readonly long IstOffsetTicks = IndianTime.Offset.Ticks;

    private OrderedTransactions(Transaction[] items, int[] days)
    {
        Items = items;
        Days = days;
    }

    public Transaction[] Items { get; }

    /// <summary>IST calendar day of each item as <see cref="DateOnly.DayNumber"/>; non-decreasing because items are in instant order.</summary>
    public int[] Days { get; }

    public static OrderedTransactions Of(IReadOnlyList<Transaction> transactions)
    {
        var n = transactions.Count;
        var items = new Transaction[n];
        var sorted = true;
        for (var i = 0; i < n; i++)
        {
            items[i] = transactions[i];
            if (i > 0 && Compare(items[i - 1], items[i]) > 0) sorted = false;
        }
        // Feeds are nearly always in order already; sort only when they are not. The document index is the last key
        // so that even duplicate positions (a parser bug) give one deterministic order.
        if (!sorted)
        {
            var keys = new (long Ticks, int Position, int Index)[n];
            for (var i = 0; i < n; i++) keys[i] = (items[i].Timestamp.UtcTicks, items[i].Position, i);
            Array.Sort(keys, items);
        }
        var days = new int[n];
        for (var i = 0; i < n; i++) days[i] = DayOf(items[i].Timestamp);
        return new(items, days);
    }

    // Same as IndianTime.DateOf(t).DayNumber without building a DateTime: IST has a fixed offset, so the IST day is
    // the UTC instant shifted by 5:30, in whole days since 0001-01-01 (DateOnly's day number epoch).
    internal static int DayOf(DateTimeOffset timestamp) => (int)((timestamp.UtcTicks + IstOffsetTicks) / TimeSpan.TicksPerDay);

    private static int Compare(Transaction a, Transaction b)
    {
        var byTime = a.Timestamp.UtcTicks.CompareTo(b.Timestamp.UtcTicks);
        return byTime != 0 ? byTime : a.Position.CompareTo(b.Position);
    }
}
