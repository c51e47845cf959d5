using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Msme.Domain.Ingestion;

namespace Msme.Portal.Features.Ingestion;

/// <summary>
/// Reads bundles ahead of the database writer on a worker thread: opens each bundle, stages its files in the import's
/// spool (promoted into the payload store once committed) and parses its documents, handing the writer a stream of items through a bounded queue. The writer
/// (one SQLite connection) never waits for parsing unless the parser is truly behind, so an import uses both cores;
/// the queue's bound keeps memory flat however large the input.
/// </summary>
internal sealed class BundleFeed : IDisposable
{
    private const int EventsPerBatch = 64;
    private readonly BlockingCollection<object> _queue = new(boundedCapacity: 512);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _producer;

    public BundleFeed(IEnumerable<string> paths, string? consentPath, TimeProvider clock, PayloadSpool spool) =>
        _producer = Task.Run(() => Produce(paths, consentPath, clock, spool));

    /// <summary>A bundle opened (or not) by the reader; its documents' events follow when it opened cleanly.</summary>
    public sealed record Opened(string Path, string Name, BundleOpenResult Result)
    {
        public bool Clean => Result.Bundle is not null && !Result.Issues.Any(i => i.Severity == IssueSeverity.Error);
    }

    private sealed record Done(BundleReadResult Result, Exception? CopyFailure);

    private sealed record Failed(ExceptionDispatchInfo Error);

    private enum Kind : byte { Begin, Transaction, End }

    private readonly record struct Event(Kind Kind, AccountKey? Key, Transaction? Txn, DepositAccount? Header);

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
        if (!_queue.TryTake(out var item, Timeout.Infinite))
        {
            return null;
        }
        if (item is Failed failed)
        {
            failed.Error.Throw();
        }
        return item;
    }

    private void Produce(IEnumerable<string> paths, string? consentPath, TimeProvider clock, PayloadSpool spool)
    {
        try
        {
            foreach (var path in paths)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }
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
                Add(opened);
                if (!opened.Clean)
                {
                    continue;
                }
                var bundle = result.Bundle!;
                Exception? copyFailure = null;
                try
                {
                    foreach (var file in bundle.Files)
                    {
                        spool.Stage(file);
                    }
                }
                catch (IOException e)
                {
                    copyFailure = e;
                }
                var sink = new Batcher(this);
                BundleReadResult read;
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
                Add(new Done(read, copyFailure));
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _queue.Add(new Failed(ExceptionDispatchInfo.Capture(e)));
        }
        finally
        {
            _queue.CompleteAdding();
        }
    }

    private void Add(object item) => _queue.Add(item, _stop.Token);

    public void Dispose()
    {
        // Stop the reader and drain, so it is never left blocked on a full queue.
        _stop.Cancel();
        while (_queue.TryTake(out _))
        {
        }
        try
        {
            _producer.Wait();
        }
        catch (AggregateException)
        {
        }
        _queue.Dispose();
        _stop.Dispose();
    }

    /// <summary>Groups the reader's events into small arrays: few enough hand-offs, small enough for the writer to start early.</summary>
    private sealed class Batcher(BundleFeed feed) : IDepositSink
    {
        private Event[] _batch = new Event[EventsPerBatch];
        private int _count;

        public void BeginAccount(AccountKey key) => Add(new Event(Kind.Begin, key, null, null));

        public void OnTransaction(AccountKey key, Transaction txn) => Add(new Event(Kind.Transaction, key, txn, null));

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
            feed.Add(_count == _batch.Length ? _batch : _batch[.._count]);
            _batch = new Event[EventsPerBatch];
            _count = 0;
        }
    }
}
