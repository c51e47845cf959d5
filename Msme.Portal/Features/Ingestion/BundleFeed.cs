using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Msme.Domain.Ingestion;

namespace Msme.Portal.Features.Ingestion;

/// <summary>
/// Reads bundles ahead of the database writer on worker threads: opens each bundle, stages its files in the import's
/// spool (promoted into the payload store once committed) and parses its documents, handing the writer a stream of items.
/// When the import has more than one bundle, several bundles are parsed at once (one worker per core), each into its own
/// bounded queue, and the writer takes the queues in the order of the paths, so outcomes and merges happen exactly as
/// if the bundles were read one after another. The bounds (queues per bundle, bundles ahead) keep memory flat however
/// large the input; the writer (one connection) waits for a parser only when all of them are behind.
/// </summary>
internal sealed class BundleFeed : IDisposable
{
    private const int EventsPerBatch = 64;
    private const int ItemsPerBundle = 256;
    private readonly BlockingCollection<Slot> _order;
    private readonly BlockingCollection<Slot> _work = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _tasks;
    private Slot? _current;
    private bool _drained;

    /// <summary>One bundle's place in the import order and the queue its worker fills.</summary>
    private sealed class Slot(string path)
    {
        public string Path { get; } = path;
        public BlockingCollection<object> Items { get; } = new(boundedCapacity: ItemsPerBundle);
    }

    public BundleFeed(IEnumerable<string> paths, string? consentPath, TimeProvider clock, PayloadSpool spool)
    {
        var list = paths as IReadOnlyCollection<string> ?? [.. paths];
        var workers = Math.Clamp(Math.Min(Environment.ProcessorCount, list.Count), 1, 8);
        _order = new BlockingCollection<Slot>(boundedCapacity: workers + 1);
        _tasks = [Task.Run(() => Dispatch(list)), .. Enumerable.Range(0, workers).Select(_ => Task.Run(() => Work(consentPath, clock, spool)))];
    }

    private void Dispatch(IEnumerable<string> paths)
    {
        try
        {
            foreach (var path in paths)
            {
                var slot = new Slot(path);
                _order.Add(slot, _stop.Token);
                _work.Add(slot, _stop.Token);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // Paths that cannot be enumerated end the import with this error, after what came before.
            var failed = new Slot("");
            failed.Items.Add(new Failed(ExceptionDispatchInfo.Capture(e)));
            failed.Items.CompleteAdding();
            _order.Add(failed, _stop.Token);
        }
        finally
        {
            _order.CompleteAdding();
            _work.CompleteAdding();
        }
    }

    private void Work(string? consentPath, TimeProvider clock, PayloadSpool spool)
    {
        try
        {
            foreach (var slot in _work.GetConsumingEnumerable(_stop.Token))
            {
                try
                {
                    Produce(slot, consentPath, clock, spool);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    slot.Items.Add(new Failed(ExceptionDispatchInfo.Capture(e)));
                }
                finally
                {
                    slot.Items.CompleteAdding();
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>A bundle opened (or not) by the reader; its documents' events follow when it opened cleanly.</summary>
    public sealed record Opened(string Path, string Name, BundleOpenResult Result)
    {
        public bool Clean => Result.Bundle is not null && !Result.Issues.Any(i => i.Severity == IssueSeverity.Error);
    }

    private sealed record Done(BundleReadResult Result, Exception? CopyFailure);

    private sealed record Failed(ExceptionDispatchInfo Error);

    private enum Kind : byte { Begin, Transaction, End }

    private readonly record struct Event(Kind Kind, AccountKey? Key, Transaction? Txn, DepositAccount? Header, PreparedRow Row = default);

    /// <summary>The next bundle, or null when there are no more.</summary>
    public Opened? Next() => Take() switch
    {
        null => null,
        Opened opened => opened,
        _ => throw new InvalidOperationException("bundle feed out of step: the previous bundle's events were not consumed"),
    };

    /// <summary>Feeds the current bundle's events into the sink; returns the reader's result.</summary>
    public BundleReadResult ReadInto(IDepositSink sink)
    {
        while (true)
        {
            switch (Take())
            {
                case Event[] batch:
                    foreach (var e in batch)
                    {
                        switch (e.Kind)
                        {
                            case Kind.Begin: sink.BeginAccount(e.Key!); break;
                            case Kind.Transaction when sink is TransactionSink store: store.OnTransaction(e.Key!, e.Txn!, e.Row); break;
                            case Kind.Transaction: sink.OnTransaction(e.Key!, e.Txn!); break;
                            case Kind.End: sink.EndAccount(e.Header!); break;
                        }
                    }
                    break;
                case Done done when done.CopyFailure is not null:
                    ExceptionDispatchInfo.Capture(done.CopyFailure).Throw();
                    break;
                case Done done:
                    return done.Result;
                default:
                    throw new InvalidOperationException("bundle feed out of step");
            }
        }
    }

    /// <summary>Passes over the current bundle's events (it was unchanged or rejected before its documents were needed).</summary>
    public void Skip()
    {
        while (Take() is not Done)
        {
        }
    }

    private object? Take()
    {
        while (true)
        {
            if (_current is null)
            {
                if (!_order.TryTake(out _current, Timeout.Infinite))
                {
                    _drained = true;
                    return null;
                }
            }
            if (_current.Items.TryTake(out var item, Timeout.Infinite))
            {
                if (item is Failed failed)
                {
                    failed.Error.Throw();
                }
                return item;
            }
            // This bundle's worker is done with it: on to the next in order.
            _current = null;
        }
    }

    private void Produce(Slot slot, string? consentPath, TimeProvider clock, PayloadSpool spool)
    {
        var path = slot.Path;
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
        BundleOpenResult result;
        try
        {
            result = BundleReader.Open(path, consentPath, clock);
        }
        catch (IOException e)
        {
            result = new BundleOpenResult(null, [new IngestionIssue(IssueSeverity.Error, name, null, "$", null, e.Message)]);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The readers report every fault they know as an issue; anything else still rejects this bundle alone,
            // with a line that names it, rather than ending the whole import with a stack trace.
            result = new BundleOpenResult(null, [new IngestionIssue(IssueSeverity.Error, name, null, "$", null,
                $"the bundle could not be read ({e.GetType().Name}: {e.Message}); nothing was imported")]);
        }
        var opened = new Opened(path, name, result);
        Add(slot, opened);
        if (!opened.Clean)
        {
            return;
        }
        var bundle = result.Bundle!;
        Exception? copyFailure = null;
        BundleReadResult read;
        try
        {
            try
            {
                foreach (var file in bundle.Files)
                {
                    spool.Stage(file, bundle.TryGetContent(file, out var content) ? content : null);
                }
            }
            catch (IOException e)
            {
                copyFailure = e;
            }
            var sink = new Batcher(this, slot);
            try
            {
                read = bundle.ReadDocuments(sink);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // As for opening: this bundle is rejected (its SAVEPOINT rolls back), the import goes on.
                read = new BundleReadResult([new IngestionIssue(IssueSeverity.Error, name, null, "$", null,
                    $"the bundle's documents could not be read ({e.GetType().Name}: {e.Message}); nothing was imported")], 0, 0);
            }
            sink.Flush();
        }
        finally
        {
            // Staged and parsed (or given up): the bytes read once for both go back to the pool; the writer needs only the bundle's facts.
            bundle.ReleaseContent();
        }
        Add(slot, new Done(read, copyFailure));
    }

    private void Add(Slot slot, object item) => slot.Items.Add(item, _stop.Token);

    public void Dispose()
    {
        // Stop the workers, so none is left blocked on a full queue; after a complete read they have already finished.
        if (!_drained)
        {
            _stop.Cancel();
        }
        try
        {
            Task.WaitAll(_tasks);
        }
        catch (AggregateException)
        {
        }
        _order.Dispose();
        _work.Dispose();
        _stop.Dispose();
    }

    /// <summary>Groups the reader's events into small arrays: few enough hand-offs, small enough for the writer to start early.</summary>
    private sealed class Batcher(BundleFeed feed, Slot slot) : IDepositSink
    {
        private Event[] _batch = new Event[EventsPerBatch];
        private int _count;

        public void BeginAccount(AccountKey key) => Add(new Event(Kind.Begin, key, null, null));

        // The row's column values are made here, on the reader's thread, not on the writer's (see PreparedRow).
        public void OnTransaction(AccountKey key, Transaction txn) => Add(new Event(Kind.Transaction, key, txn, null, PreparedRow.Of(txn)));

        public void EndAccount(DepositAccount header) => Add(new Event(Kind.End, null, null, header));

        private void Add(Event e)
        {
            _batch[_count++] = e;
            if (_count == _batch.Length)
            {
                Flush();
            }
        }

        public void Flush()
        {
            if (_count == 0)
            {
                return;
            }
            feed.Add(slot, _count == _batch.Length ? _batch : _batch[.._count]);
            _batch = new Event[EventsPerBatch];
            _count = 0;
        }
    }
}
