using System.Collections.Concurrent;
using Msme.Domain.Ingestion;

namespace Msme.Portal.Features.Ingestion;

/// <summary>
/// Parses a bundle on a worker thread while the caller's thread writes to SQLite, so the two halves of an import
/// use both cores. Events cross in order, in arrays of a few hundred, through a bounded queue (bounded memory: the
/// parser waits when the writer falls behind).
/// </summary>
internal sealed class PipelinedSink : IDepositSink
{
    private const int BatchSize = 512;
    private readonly BlockingCollection<Event[]> _queue = new(boundedCapacity: 32);
    private Event[] _batch = new Event[BatchSize];
    private int _count;

    private enum Kind : byte { Begin, Transaction, End, Stop }

    private readonly record struct Event(Kind Kind, AccountKey? Key, Transaction? Txn, DepositAccount? Header);

    /// <summary>Reads the bundle's documents into the target, parsing ahead on another thread; returns what the reader returns.</summary>
    public static BundleReadResult ReadDocuments(Bundle bundle, IDepositSink target)
    {
        var pipe = new PipelinedSink();
        var producer = Task.Run(() =>
        {
            try
            {
                return bundle.ReadDocuments(pipe);
            }
            finally
            {
                pipe.Complete();
            }
        });
        Exception? failure = null;
        foreach (var batch in pipe._queue.GetConsumingEnumerable())
        {
            // After a write fails, keep draining so the parser is never left blocked on a full queue.
            if (failure is not null)
            {
                continue;
            }
            try
            {
                Dispatch(batch, target);
            }
            catch (Exception e)
            {
                failure = e;
            }
        }
        var result = producer.GetAwaiter().GetResult();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
        return result;
    }

    private static void Dispatch(Event[] batch, IDepositSink target)
    {
        foreach (var e in batch)
        {
            switch (e.Kind)
            {
                case Kind.Begin: target.BeginAccount(e.Key!); break;
                case Kind.Transaction: target.OnTransaction(e.Key!, e.Txn!); break;
                case Kind.End: target.EndAccount(e.Header!); break;
                default: return; // Stop: the rest of a last, partly filled batch is empty
            }
        }
    }

    public void BeginAccount(AccountKey key) => Add(new Event(Kind.Begin, key, null, null));

    public void OnTransaction(AccountKey key, Transaction txn) => Add(new Event(Kind.Transaction, key, txn, null));

    public void EndAccount(DepositAccount header) => Add(new Event(Kind.End, null, null, header));

    private void Add(Event e)
    {
        _batch[_count++] = e;
        if (_count == BatchSize)
        {
            Flush();
        }
    }

    private void Flush()
    {
        if (_count == 0)
        {
            return;
        }
        if (_count < BatchSize)
        {
            _batch[_count] = new Event(Kind.Stop, null, null, null);
        }
        _queue.Add(_batch);
        _batch = new Event[BatchSize];
        _count = 0;
    }

    private void Complete()
    {
        Flush();
        _queue.CompleteAdding();
    }
}
