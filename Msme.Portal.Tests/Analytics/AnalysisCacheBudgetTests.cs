using System.Runtime.CompilerServices;
using Msme.Portal.Features.Analytics;

namespace Msme.Portal.Tests.Analytics;

/// <summary>
/// The analysis cache holds heavy parts (statements, insights, collections data) strongly up to a budget of
/// transactions, the most recently computed first; beyond it a part is held weakly and computed again once collected.
/// </summary>
public class AnalysisCacheBudgetTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 10, 0, 0, TimeSpan.FromHours(5.5));

    private sealed class Part(long transactions)
    {
        public long Transactions { get; } = transactions;
    }

    private static CustomerAnalysis Entry(AnalysisCache cache, int customerId) => cache.Replace(new DataStampView(customerId, 1, Now, null, []));

    [Fact]
    public async Task Parts_are_kept_newest_first_while_their_transactions_fit_the_budget()
    {
        var cache = new AnalysisCache(heldTransactions: 1_000);
        for (var i = 1; i <= 4; i++)
        {
            await Entry(cache, i).GetAsync("statements", () => Task.FromResult(new Part(300)), heavy: static p => p.Transactions);
        }
        // 4 × 300 = 1,200 > 1,000: the oldest part goes, three are held.
        Assert.Equal((900L, 3), cache.Held);

        await Entry(cache, 5).GetAsync("statements", () => Task.FromResult(new Part(5_000)), heavy: static p => p.Transactions);
        // A part bigger than the whole budget is still held, alone: the page that computed it is using it.
        Assert.Equal((5_000L, 1), cache.Held);

        // Light parts are held by their entry and weigh nothing here.
        await Entry(cache, 6).GetAsync("risk", () => Task.FromResult(new Part(10_000)), heavy: null);
        Assert.Equal((5_000L, 1), cache.Held);

        cache.Clear();
        Assert.Equal((0L, 0), cache.Held);
    }

    [Fact]
    public async Task A_part_within_the_budget_survives_a_collection_and_one_beyond_it_is_computed_again()
    {
        var cache = new AnalysisCache(heldTransactions: 1_000);
        var computed = new Dictionary<int, int>();
        Task<Part> Compute(int customer)
        {
            computed[customer] = computed.GetValueOrDefault(customer) + 1;
            return Task.FromResult(new Part(400));
        }

        var entries = Enumerable.Range(1, 3).Select(i => Entry(cache, i)).ToArray();
        await Fill(entries, Compute);
        Collect();
        // Customers 2 and 3 (800 transactions) are held; customer 1 fell out of the budget and was collected.
        Assert.Null(entries[0].Peek<Part>("statements"));
        Assert.NotNull(entries[1].Peek<Part>("statements"));
        Assert.NotNull(entries[2].Peek<Part>("statements"));

        await entries[2].GetAsync("statements", () => Compute(3), heavy: static p => p.Transactions);
        await entries[0].GetAsync("statements", () => Compute(1), heavy: static p => p.Transactions);
        Assert.Equal(1, computed[3]);
        Assert.Equal(2, computed[1]);
    }

    [Fact]
    public async Task A_new_stamp_lets_go_of_the_old_entrys_heavy_parts_at_once()
    {
        // Revoked or purged data is never read through the old entry again, so the cache does not keep it in memory either.
        var cache = new AnalysisCache(heldTransactions: 1_000_000);
        var old = cache.Replace(new DataStampView(1, 1, Now, null, []));
        await Hold(old, "statements:Monitoring", 300);
        await Hold(old, "insights:Underwriting:", 300);
        await Hold(cache.Replace(new DataStampView(2, 1, Now, null, [])), "statements:Monitoring", 200);
        Assert.Equal((800L, 3), cache.Held);

        Assert.Same(old, cache.Replace(new DataStampView(1, 1, Now.AddSeconds(1), null, [])));
        Assert.Equal((800L, 3), cache.Held);

        var next = cache.Replace(new DataStampView(1, 2, Now.AddSeconds(2), null, []));
        Assert.NotSame(old, next);
        Assert.Equal((200L, 1), cache.Held);
        Collect();
        Assert.Null(old.Peek<Part>("statements:Monitoring"));
    }

    // Awaited in here, so no caller's frame keeps the part (a debug build keeps a completed awaiter's task alive).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task Hold(CustomerAnalysis entry, string key, long transactions) =>
        await entry.GetAsync(key, () => Task.FromResult(new Part(transactions)), heavy: static p => p.Transactions);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task Fill(CustomerAnalysis[] entries, Func<int, Task<Part>> compute)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            var customer = i + 1;
            await entries[i].GetAsync("statements", () => compute(customer), heavy: static p => p.Transactions);
        }
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
