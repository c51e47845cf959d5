using Msme.Domain.DemoData;
using Xunit.Abstractions;

namespace Msme.Domain.Tests.DemoData;

public sealed class DemoBookTimingTests(ITestOutputHelper output)
{
    [Fact]
    public void First_presentments_bounce_20_to_35_percent_of_the_time_and_steady_customers_least()
    {
        var customers = DemoGenerator.Generate(new DemoOptions(new DateOnly(2026, 11, 30), Customers: 200, Months: 18, Seed: 42)).ToList();
        var rows = DemoBookStats.FirstPresentmentBounces(customers);
        output.WriteLine(DemoBookStats.Describe(rows));
        var all = rows.Single(r => r.Group == "All");
        Assert.InRange(all.Rate, 0.20, 0.35);
        var steady = rows.Single(r => r.Group == nameof(TimingArchetype.Steady));
        Assert.All(rows.Where(r => r.Group is not ("All" or nameof(TimingArchetype.Steady) or nameof(TimingArchetype.Festive))),
            r => Assert.True(r.Rate > steady.Rate, $"{r.Group} {r.Rate:0.000} vs steady {steady.Rate:0.000}"));
        foreach (var (c, l) in DemoBookStats.LoansOutsideTheAaData(customers)) output.WriteLine($"outside the AA data: {c.Customer.AaHandle} {l.LoanId}");
    }
}
