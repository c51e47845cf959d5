using System.Collections.Concurrent;

namespace Msme.Portal.Features.Collections;

/// <summary>What one customer's forecasts depend on: their accounts' latest fetch sessions and their loans' last change.</summary>
internal sealed record CustomerStamp(int MaxSessionId, int Accounts, int Loans, long LoansUpdatedTicks);

/// <summary>
/// Forecasts per customer, kept while the as-of date and the customer's stamp stay the same, shared across requests
/// and users. The queue is sorted by risk × amount over the whole portfolio, so every visible instalment must be
/// forecast before the first page can be shown: computing 10,000 loans from scratch takes seconds (loading and
/// analysing every account), serving them from here takes milliseconds, and an import recomputes only the customers
/// it changed.
/// </summary>
public sealed class CollectionsCache
{
    private readonly Lock _gate = new();
    private DateOnly? _asOf;
    private ConcurrentDictionary<int, (CustomerStamp Stamp, IReadOnlyList<QueueItem> Items)> _customers = new();
    private (string Stamp, LoanBookSummary Summary)? _book;

    internal ConcurrentDictionary<int, (CustomerStamp Stamp, IReadOnlyList<QueueItem> Items)> For(DateOnly asOf)
    {
        lock (_gate)
        {
            if (_asOf != asOf)
            {
                _asOf = asOf;
                _customers = new();
            }
            return _customers;
        }
    }

    /// <summary>The loan book figures computed for this as-of date, with the stamps of every customer they were computed from.</summary>
    internal (string Stamp, LoanBookSummary Summary)? Book(DateOnly asOf)
    {
        lock (_gate) { return _book is { } b && b.Summary.AsOf == asOf ? b : null; }
    }

    internal void SetBook(DateOnly asOf, string stamp, LoanBookSummary summary)
    {
        lock (_gate) { _book = summary.AsOf == asOf ? (stamp, summary) : null; }
    }

    private (int Stamp, DateOnly? LastData)? _lastData;

    /// <summary>
    /// The latest statement end over every account, as last read for this stamp (the highest session any account was
    /// last written by: an import that moves a statement end also moves it). MAX over the accounts' statement ends has
    /// no index and scans every account (~50 ms at 14,000 accounts); the stamp is one index seek.
    /// </summary>
    internal bool TryLastData(int stamp, out DateOnly? lastData)
    {
        lock (_gate)
        {
            lastData = _lastData is { } hit && hit.Stamp == stamp ? hit.LastData : null;
            return _lastData is { } known && known.Stamp == stamp;
        }
    }

    internal void SetLastData(int stamp, DateOnly? lastData)
    {
        lock (_gate)
        {
            _lastData = (stamp, lastData);
        }
    }

    /// <summary>Forget everything (the stamps already catch changes made by any process; this is for tests and benchmarks).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _asOf = null;
            _customers = new();
            _book = null;
            _lastData = null;
        }
    }
}
