using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Msme.Domain;
using Msme.Domain.Ingestion;
using Msme.Portal.Data;

namespace Msme.Portal.Features.Ingestion;

/// <summary>
/// A transaction's column values made ready for the store: the merge key, paise, epoch milliseconds, its IST date, and
/// every text column already in UTF-8, back to back in one array. The import's readers make these on their own
/// threads (<see cref="BundleFeed"/>), so the one writer thread only binds and steps: it was the bottleneck, at 100 %
/// of a core while the readers idled (measured, issue 17), and MD5 and UTF-16 to UTF-8 were a third of its managed time.
/// </summary>
internal readonly struct PreparedRow
{
    private readonly byte[] _utf8;
    // Lengths of the text columns in _utf8, in this order; -1 for a null column.
    private readonly int _txnId, _mode, _date, _valueDate, _narration, _reference;

    public long TxnKey { get; }
    public long AmountPaise { get; }
    public long BalancePaise { get; }
    public long TimestampUnixMs { get; }
    public DateOnly Date { get; }

    private PreparedRow(Transaction txn)
    {
        Date = IndianTime.DateOf(txn.Timestamp);
        TxnKey = TransactionKey.Of(txn.TxnId);
        AmountPaise = TransactionSink.Paise(txn.Amount);
        BalancePaise = TransactionSink.Paise(txn.Balance);
        TimestampUnixMs = txn.Timestamp.ToUnixTimeMilliseconds();
        var valueDate = txn.ValueDate;
        var size = Encoding.UTF8.GetByteCount(txn.TxnId) + Count(txn.Mode) + 10 + (valueDate is null ? 0 : 10) + Count(txn.Narration) + Count(txn.Reference);
        _utf8 = new byte[size];
        var at = 0;
        _txnId = Put(txn.TxnId, ref at);
        _mode = Put(txn.Mode, ref at);
        _date = PutDate(Date, ref at);
        _valueDate = valueDate is { } v ? PutDate(v, ref at) : -1;
        _narration = Put(txn.Narration, ref at);
        _reference = Put(txn.Reference, ref at);
    }

    /// <summary>The row for a transaction.</summary>
    public static PreparedRow Of(Transaction txn) => new(txn);

    private static int Count(string? text) => text is null ? 0 : Encoding.UTF8.GetByteCount(text);

    private int Put(string? text, ref int at)
    {
        if (text is null)
        {
            return -1;
        }

        var n = Encoding.UTF8.GetBytes(text, _utf8.AsSpan(at));
        at += n;
        return n;
    }

    private int PutDate(DateOnly date, ref int at)
    {
        date.TryFormat(_utf8.AsSpan(at, 10), out var n, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        at += n;
        return n;
    }

    // The columns in the order they were written: each starts where the one before ends.
    public ReadOnlySpan<byte> TxnId => Slice(0, _txnId);
    public bool HasMode => _mode >= 0;
    public ReadOnlySpan<byte> Mode => Slice(Start(1), _mode);
    public ReadOnlySpan<byte> DateText => Slice(Start(2), _date);
    public bool HasValueDate => _valueDate >= 0;
    public ReadOnlySpan<byte> ValueDateText => Slice(Start(3), _valueDate);
    public bool HasNarration => _narration >= 0;
    public ReadOnlySpan<byte> Narration => Slice(Start(4), _narration);
    public bool HasReference => _reference >= 0;
    public ReadOnlySpan<byte> Reference => Slice(Start(5), _reference);

    private int Start(int column)
    {
        var start = 0;
        ReadOnlySpan<int> lengths = [_txnId, _mode, _date, _valueDate, _narration, _reference];
        for (var i = 0; i < column; i++)
        {
            start += Math.Max(lengths[i], 0);
        }

        return start;
    }

    /// <summary>
    /// The first byte of the row's text columns, for <c>fixed</c>: the writer pins the row while SQLite reads its
    /// columns in place (bound without a copy) and steps.
    /// </summary>
    public ref readonly byte GetPinnableReference() => ref MemoryMarshal.GetArrayDataReference(_utf8);

    private ReadOnlySpan<byte> Slice(int start, int length) => length < 0 ? default : _utf8.AsSpan(start, length);
}
