using Msme.Domain.Analytics;
using Msme.Domain.DemoData;
using Xunit.Abstractions;

namespace Msme.Domain.Tests.Analytics.Insights;

/// <summary>The detectors against what the demo generator planted (one-off spikes) and did not plant (round trips).</summary>
public class DemoAnomalyTests(ITestOutputHelper output)
{
    private static readonly string[] SpikeReasons = ["CAPITAL INTRODUCED", "SALE OF PROPERTY", "INSURANCE CLAIM SETTLEMENT", "ADVANCE AGAINST ORDER"];

    private static List<DemoCustomer> Customers() =>
        [.. DemoGenerator.Generate(new DemoOptions(new DateOnly(2025, 3, 31), Customers: 40, Months: 12, Seed: 5))];

    [Fact]
    public void Every_planted_one_off_credit_is_a_txn_spike()
    {
        // The generator plants a one-off RTGS credit (at least ₹3.09 lakh, 1.5–4 months of turnover) in about 40% of customers.
        var planted = 0;
        foreach (var c in Customers())
        {
            var account = c.Accounts[0];
            var spikes = account.Transactions.Where(t => t.Narration!.StartsWith("RTGS/", StringComparison.Ordinal) && SpikeReasons.Any(r => t.Narration.EndsWith(r, StringComparison.Ordinal))).ToList();
            if (spikes.Count == 0) continue;
            var flagged = AccountInsights.Build(account).Anomalies.Of("txn-spike").Select(f => f.Subject).ToHashSet();
            foreach (var s in spikes)
            {
                planted++;
                output.WriteLine($"{c.Archetype} {s.Amount} {(flagged.Contains("txn " + s.TxnId) ? "flagged" : "MISSED")}");
                Assert.Contains("txn " + s.TxnId, flagged);
            }
        }
        Assert.True(planted >= 5, $"only {planted} planted spikes");
    }

    [Fact]
    public void The_generator_plants_no_round_trips_and_none_are_found()
    {
        var found = Customers().SelectMany(c => c.Accounts.Select(a => AccountInsights.Build(a).Anomalies.Of("round-trip"))).SelectMany(f => f).ToList();
        foreach (var f in found) output.WriteLine(f.Explanation.Narrative);
        Assert.Empty(found);
    }
}
