using System.Collections.Concurrent;

namespace Msme.Portal.Features.Analytics;

/// <summary>
/// One customer's analysis under one data stamp: every consumer's result (statements per use, insights, risk figures,
/// collections forecasts, account summaries) is a part computed once on first use and shared by every later caller,
/// in any scope, while the stamp holds. A new stamp is a new entry, so nothing computed from withheld data survives it.
/// </summary>
public sealed class CustomerAnalysis
{
    private readonly AnalysisCache _cache;
    private readonly ConcurrentDictionary<string, object> _parts = new(StringComparer.Ordinal);

    internal CustomerAnalysis(AnalysisCache cache, DataStampView stamp, long generation)
    {
        _cache = cache;
        Stamp = stamp;
        Generation = generation;
    }

    public DataStampView Stamp { get; }

    /// <summary>Unique per entry in the process: a key of anything aggregated over several customers (the loan book figures).</summary>
    public long Generation { get; }

    public int CustomerId => Stamp.CustomerId;

    /// <summary>The part if it is computed and held now (a light part, or a heavy one still alive); never computes.</summary>
    public T? Peek<T>(string key) where T : class => _parts.TryGetValue(key, out var slot) && slot is Slot<T> typed ? typed.Peek() : null;

    /// <summary>
    /// The part named <paramref name="key"/>, computing it once. Concurrent callers share one computation (one
    /// caller's cancellation does not cancel the others'). A heavy part (statements, insights: all of a customer's
    /// transactions; <paramref name="heavy"/> says how many it holds) is held weakly, plus strongly among the cache's
    /// most recent parts up to its budget of transactions, so a circuit that follows its prerender finds it and a store
    /// of 10,000 customers is not held in memory; a light part (<paramref name="heavy"/> null) is held for the entry's life.
    /// </summary>
    public async Task<T> GetAsync<T>(string key, Func<Task<T>> compute, Func<T, long>? heavy, CancellationToken ct = default) where T : class
    {
        while (true)
        {
            var slot = _parts.GetOrAdd(key, _ => new Slot<T>(compute, heavy, _cache, this));
            if (slot is not Slot<T> typed)
            {
                throw new InvalidOperationException($"part '{key}' is not a {typeof(T).Name}");
            }
            if (await typed.TryGetAsync(ct) is { } value)
            {
                return value;
            }
            // The weakly held value was collected, or its computation failed: compute again.
            _parts.TryRemove(new KeyValuePair<string, object>(key, slot));
        }
    }

    private sealed class Slot<T>(Func<Task<T>> compute, Func<T, long>? heavy, AnalysisCache cache, CustomerAnalysis owner) where T : class
    {
        private readonly Lock _gate = new();
        private Task<T>? _running;
        private T? _strong;
        private WeakReference<T>? _weak;

        public T? Peek()
        {
            lock (_gate)
            {
                return _strong ?? (_weak is not null && _weak.TryGetTarget(out var alive) ? alive : null);
            }
        }

        public async Task<T?> TryGetAsync(CancellationToken ct)
        {
            Task<T> running;
            TaskCompletionSource<T>? mine = null;
            lock (_gate)
            {
                if (_strong is { } held)
                {
                    cache.Metrics.CacheHit("part");
                    return held;
                }
                if (_weak is not null)
                {
                    if (_weak.TryGetTarget(out var alive))
                    {
                        cache.Metrics.CacheHit("part");
                        return alive;
                    }
                    return null;
                }
                if (_running is null)
                {
                    mine = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _running = mine.Task;
                }
                running = _running;
            }
            if (mine is not null)
            {
                // The first caller computes, in its own context and outside the lock; the others wait for its result.
                cache.Metrics.CacheRecompute("part");
                try
                {
                    mine.SetResult(await compute());
                }
                catch (Exception e)
                {
                    mine.SetException(e);
                }
            }
            T value;
            try
            {
                value = await running.WaitAsync(ct);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                lock (_gate) { if (_running == running) _running = null; }
                throw;
            }
            lock (_gate)
            {
                if (_running == running)
                {
                    _running = null;
                    if (heavy is not null)
                    {
                        _weak = new WeakReference<T>(value);
                        cache.KeepRecent(owner, value, heavy(value));
                    }
                    else
                    {
                        _strong = value;
                    }
                }
            }
            return value;
        }
    }
}

/// <summary>
/// The one cache of customers' analyses, keyed by each customer's data stamp (<see cref="ConsentGate"/> reads the
/// stamp and asks for the entry). Process-wide and shared by every consumer: the customer page and its tabs, the
/// collections queue and its exports and API, the risk dashboard and anomaly queue, the loan book panel, data
/// products, the lake export and the CLI. Portfolio-wide results (the loan book figures, the collections as-of date)
/// are kept here too, keyed by the entries (or the global stamp) they were computed from.
/// </summary>
public sealed class AnalysisCache
{
    /// <summary>
    /// The default budget of <see cref="HeldTransactions"/>, about 165 MiB of heap: on the render benchmark's store (200
    /// customers, 108,187 transactions) every customer page's four heavy parts fit, 772 parts weighing 363,198
    /// transactions in 119 MiB (≈ 330 bytes a weighed transaction); a bigger store keeps its most recently computed
    /// customers and reads and analyses the others again on their next page.
    /// </summary>
    public const long DefaultHeldTransactions = 500_000;

    private readonly ConcurrentDictionary<int, CustomerAnalysis> _customers = new();
    private readonly Lock _recentGate = new();
    private readonly Queue<(CustomerAnalysis Owner, object Value, long Transactions)> _recent = new();
    private long _held;
    private long _generation;
    private readonly ConcurrentDictionary<string, (string Key, object Value)> _portfolio = new(StringComparer.Ordinal);

    /// <param name="heldTransactions">
    /// Heavy parts (a customer's statements, insights, collections data) held strongly beyond their users, the most
    /// recently computed first, while the transactions they hold add up to this (a part holding more is still kept,
    /// alone). It was a count of 64 parts, about 16 customers: on a book of a few hundred customers nearly every page
    /// then read its statements again and recomputed its insights (issue 17).
    /// </param>
    /// <param name="metrics">Where hits and recomputes are counted (the host's; a cache built by hand counts on a detached meter).</param>
    public AnalysisCache(long heldTransactions = DefaultHeldTransactions, Msme.Portal.Hosting.MsmeMetrics? metrics = null)
    {
        HeldTransactions = Math.Max(0, heldTransactions);
        Metrics = metrics ?? Msme.Portal.Hosting.MsmeMetrics.Detached;
    }

    /// <summary>The budget of transactions the strongly held heavy parts may hold (a part counts what it holds, shared or not).</summary>
    public long HeldTransactions { get; }

    /// <summary>The transactions the strongly held heavy parts hold now, and how many parts.</summary>
    public (long Transactions, int Parts) Held
    {
        get
        {
            lock (_recentGate)
            {
                return (_held, _recent.Count);
            }
        }
    }

    /// <summary>The metrics this cache and its gate count on: hits and recomputes, and the gate's denials.</summary>
    public Msme.Portal.Hosting.MsmeMetrics Metrics { get; }

    /// <summary>The entry for this customer if its stamp still holds for this version at this instant.</summary>
    internal CustomerAnalysis? Current(int customerId, long version, DateTimeOffset now) =>
        _customers.TryGetValue(customerId, out var hit) && hit.Stamp.Holds(version, now) ? hit : null;

    /// <summary>
    /// A new entry for a new stamp. Concurrent callers with the same stamp share the first entry stored. The entry it
    /// supersedes lets go of its heavy parts at once: they were computed from data the new stamp may withhold (a
    /// revoked or purged consent), and nothing will read them again.
    /// </summary>
    internal CustomerAnalysis Replace(DataStampView stamp)
    {
        _customers.TryGetValue(stamp.CustomerId, out var before);
        var entry = _customers.AddOrUpdate(stamp.CustomerId,
            _ => new CustomerAnalysis(this, stamp, Interlocked.Increment(ref _generation)),
            (_, old) => old.Stamp.Version == stamp.Version && old.Stamp.Holds(stamp.Version, stamp.ReadAt) ? old : new CustomerAnalysis(this, stamp, Interlocked.Increment(ref _generation)));
        if (before is not null && !ReferenceEquals(before, entry))
        {
            Forget(before);
        }
        return entry;
    }

    internal void KeepRecent(CustomerAnalysis owner, object value, long transactions)
    {
        lock (_recentGate)
        {
            _recent.Enqueue((owner, value, Math.Max(0, transactions)));
            _held += Math.Max(0, transactions);
            while (_held > HeldTransactions && _recent.Count > 1)
            {
                _held -= _recent.Dequeue().Transactions;
            }
        }
    }

    private void Forget(CustomerAnalysis owner)
    {
        lock (_recentGate)
        {
            if (!_recent.Any(r => ReferenceEquals(r.Owner, owner)))
            {
                return;
            }
            var kept = _recent.Where(r => !ReferenceEquals(r.Owner, owner)).ToList();
            _recent.Clear();
            _held = 0;
            foreach (var r in kept)
            {
                _recent.Enqueue(r);
                _held += r.Transactions;
            }
        }
    }

    /// <summary>A portfolio-wide result if it was computed under this key (its inputs' stamps); otherwise null.</summary>
    internal T? Portfolio<T>(string name, string key) where T : class =>
        _portfolio.TryGetValue(name, out var hit) && hit.Key == key ? (T)hit.Value : null;

    /// <summary>The last portfolio-wide result of this name, whatever it was computed under (tests).</summary>
    internal T? LastPortfolio<T>(string name) where T : class => _portfolio.TryGetValue(name, out var hit) ? (T)hit.Value : null;

    internal void SetPortfolio<T>(string name, string key, T value) where T : class => _portfolio[name] = (key, value);

    /// <summary>Forget everything (benchmarks and tests measuring a cold start; the stamps already catch every data change).</summary>
    public void Clear()
    {
        _customers.Clear();
        _portfolio.Clear();
        lock (_recentGate)
        {
            _recent.Clear();
            _held = 0;
        }
    }
}
