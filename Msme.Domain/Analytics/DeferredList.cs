using System.Collections;

namespace Msme.Domain.Analytics;

/// <summary>
/// A read-only list made on first read, once, from any thread. For what most callers never read: each account's
/// detector summaries are shown only on an anomalies tab with nothing found, and <c>analyze</c> never prints them;
/// building them eagerly was a fifth of the anomaly detectors' time over a million transactions (issue 17).
/// </summary>
internal sealed class DeferredList<T>(Func<IReadOnlyList<T>> build) : IReadOnlyList<T>
{
    private readonly Lazy<IReadOnlyList<T>> _items = new(build, LazyThreadSafetyMode.ExecutionAndPublication);

    public T this[int index] => _items.Value[index];

    public int Count => _items.Value.Count;

    public IEnumerator<T> GetEnumerator() => _items.Value.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
