using Msme.Domain.Analytics;
using Msme.Domain.DemoData;
using Xunit.Abstractions;

namespace Msme.Domain.Tests.Analytics.Insights;

/// <summary>The detectors against what the demo generator planted (one-off spikes, round trips).</summary>
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
    public void Every_round_trip_found_is_one_the_generator_planted()
    {
        // The generator plants round trips now (labelled in DemoCustomer.Planted); nothing else in the demo is one.
        var customers = Customers();
        var found = 0;
        foreach (var c in customers)
        {
            var trips = c.Accounts.SelectMany(a => AccountInsights.Build(a).Anomalies.Of("round-trip")).ToList();
            foreach (var f in trips)
            {
                found++;
                output.WriteLine(f.Explanation.Narrative);
                Assert.Contains(c.Planted, p => p.Kind == PlantedKind.RoundTrip && p.Date == f.Date);
            }
        }
        Assert.True(customers.Sum(c => c.Planted.Count(p => p.Kind == PlantedKind.RoundTrip)) == found, "a planted round trip was missed");
    }
}
