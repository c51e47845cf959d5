using Msme.Domain.Analytics;
using Msme.Domain.DemoData;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Risk;

/// <summary>A few demo customers imported through the real importer, and the domain's own insights over the same data.</summary>
internal static class RiskTestData
{
    /// <param name="pick">Chooses, by their properties, which of the generated customers to import (all when null).</param>
    public static async Task<IReadOnlyList<(DemoCustomer Customer, CustomerInsights Insights)>> ImportAsync(TestStore store, int customers = 5, int months = 12, int seed = 5,
        Func<IReadOnlyList<(DemoCustomer Customer, CustomerInsights Insights)>, IEnumerable<(DemoCustomer Customer, CustomerInsights Insights)>>? pick = null)
    {
        var dir = Directory.CreateTempSubdirectory("msme-risk-");
        try
        {
            IReadOnlyList<(DemoCustomer Customer, CustomerInsights Insights)> generated =
                [.. DemoGenerator.Generate(new DemoOptions(new DateOnly(2026, 9, 30), customers, months, seed)).Select(c => (c, CustomerInsights.Build([.. c.Accounts], c.Customer.LegalName)))];
            if (pick is not null) generated = [.. pick(generated)];
            for (var i = 0; i < generated.Count; i++)
            {
                var path = Path.Combine(dir.FullName, $"b{i}");
                DemoBundleWriter.Write(generated[i].Customer, path);
                Assert.Equal(ImportStatus.Imported, (await store.Importer.ImportAsync(path, null, "test")).Status);
            }
            return generated;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
