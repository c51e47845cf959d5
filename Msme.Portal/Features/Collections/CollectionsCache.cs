using System.Collections.Concurrent;

namespace Msme.Portal.Features.Collections;

/// <summary>What the computed queue depends on: the as-of date, the AA sessions and the loan book. Any change drops the cache.</summary>
internal sealed record StoreStamp(DateOnly AsOf, int Sessions, int MaxSessionId, int Loans, long LoansUpdated, int Instalments);

/// <summary>
/// Forecasts per customer, computed once per store stamp and shared across requests and users. The queue is sorted by
/// risk × amount over the whole portfolio, so every visible instalment must be forecast before the first page can be
/// shown; computing 10,000 loans takes seconds, serving them from here takes milliseconds.
/// </summary>
public sealed class CollectionsCache
{
    private readonly Lock _gate = new();
    private StoreStamp? _stamp;
    private ConcurrentDictionary<int, IReadOnlyList<QueueItem>> _customers = new();

    internal ConcurrentDictionary<int, IReadOnlyList<QueueItem>> For(StoreStamp stamp)
    {
        lock (_gate)
        {
            if (_stamp != stamp)
            {
                _stamp = stamp;
                _customers = new();
            }
            return _customers;
        }
    }

    /// <summary>Forget everything (after an import in this process; other processes are caught by the stamp).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _stamp = null;
            _customers = new();
        }
    }
}
