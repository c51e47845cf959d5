using Msme.Domain.Analytics;
using Msme.Domain.DemoData;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Risk;

/// <summary>A few demo customers imported through the real importer, and the domain's own insights over the same data.</summary>
internal static class RiskTestData
{
    public static async Task<IReadOnlyList<(DemoCustomer Customer, CustomerInsights Insights)>> ImportAsync(TestStore store, int customers = 5, int months = 12, int seed = 5)
    {
        var dir = Directory.CreateTempSubdirectory("msme-risk-");
        try
        {
            var generated = DemoGenerator.Generate(new DemoOptions(new DateOnly(2026, 9, 30), customers, months, seed)).ToList();
            for (var i = 0; i < generated.Count; i++)
            {
                var path = Path.Combine(dir.FullName, $"b{i}");
                DemoBundleWriter.Write(generated[i], path);
                Assert.Equal(ImportStatus.Imported, (await store.Importer.ImportAsync(path, null, "test")).Status);
            }
            return [.. generated.Select(c => (c, CustomerInsights.Build([.. c.Accounts], c.Customer.LegalName)))];
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
