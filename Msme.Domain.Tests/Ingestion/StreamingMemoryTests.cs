using System.Text;

using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Ingestion;

/// <summary>A large statement is read without holding it: memory stays bounded while the sink only counts.</summary>
/// <summary>Heap growth is process-wide, so this runs alone: other tests allocating in parallel would be counted as ours.</summary>
[CollectionDefinition(nameof(StreamingMemoryTests), DisableParallelization = true)]
public sealed class StreamingMemoryCollection;

[Collection(nameof(StreamingMemoryTests))]
public sealed class StreamingMemoryTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"msme-large-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void A_50_MB_document_streams_with_bounded_managed_heap_growth()
    {
        var written = WriteLargeDocument(_path, targetBytes: 50L * 1024 * 1024);
        Assert.True(new FileInfo(_path).Length >= 50L * 1024 * 1024);
        var sink = new PeakSamplingSink();

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        sink.Baseline = before;
        IReadOnlyList<IngestionIssue> issues;
        using (var stream = File.OpenRead(_path))
        {
            issues = DepositDocumentReader.Read(stream, "large.json", sink);
        }

        Assert.Empty(issues);
        Assert.Equal(written, sink.Count);
        Assert.Equal(1, sink.Accounts);
        // The document is 50 MB; what the reader may keep is its buffers plus the txnId index (~100 bytes each).
        var peakGrowthMb = sink.PeakGrowth / (1024.0 * 1024.0);
        Assert.True(peakGrowthMb < 16, $"managed heap grew by {peakGrowthMb:F1} MB while reading");
    }

    /// <summary>Writes one account with as many transactions as it takes to reach the size; returns their count.</summary>
    private static int WriteLargeDocument(string path, long targetBytes)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 16);
        writer.Write("""{"maskedAccNumber":"XXXXXXX999","linkedAccRef":"big-1","version":"1.1","type":"deposit","transactions":{"startDate":"2020-01-01","endDate":"2025-12-31","transaction":[""");
        var start = new DateTimeOffset(2020, 1, 1, 9, 0, 0, TimeSpan.FromMinutes(330));
        var balance = 1_000_000m;
        var n = 0;
        long bytes = 0;
        while (bytes < targetBytes)
        {
            var credit = n % 3 == 0;
            var amount = 100 + (n % 997) + 0.25m;
            balance += credit ? amount : -amount;
            var line = $$"""{"txnId":"T{{n:D9}}","type":"{{(credit ? "CREDIT" : "DEBIT")}}","mode":"UPI","amount":"{{amount}}","currentBalance":"{{balance}}","transactionTimestamp":"{{start.AddMinutes(n * 7):yyyy-MM-ddTHH:mm:sszzz}}","valueDate":"{{start.AddMinutes(n * 7):yyyy-MM-dd}}","narration":"UPI/{{n}}/PARTY {{n % 101}}/payee{{n % 53}}@bank/Some Bank Ltd","reference":"RFN{{n:D10}}"}""";
            if (n > 0)
            {
                writer.Write(',');
            }

            writer.Write(line);
            bytes += line.Length + 1;
            n++;
        }

        writer.Write("]}}");
        return n;
    }

    /// <summary>Counts, and samples the live heap now and then (after a full collection) to find the peak.</summary>
    private sealed class PeakSamplingSink : IDepositSink
    {
        public long Baseline { get; set; }
        public long PeakGrowth { get; private set; }
        public int Count { get; private set; }
        public int Accounts { get; private set; }

        public void BeginAccount(AccountKey key)
        {
        }

        public void OnTransaction(AccountKey key, Transaction txn)
        {
            if (++Count % 40_000 == 0)
            {
                PeakGrowth = Math.Max(PeakGrowth, GC.GetTotalMemory(forceFullCollection: true) - Baseline);
            }
        }

        public void EndAccount(DepositAccount header)
        {
            Accounts++;
            PeakGrowth = Math.Max(PeakGrowth, GC.GetTotalMemory(forceFullCollection: true) - Baseline);
        }
    }
}
