using Bunit;
using Msme.Domain.DemoData;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Components;

public sealed class InsightsPanelTests : PortalComponentTest
{
    [Fact]
    public async Task Shows_the_contract_figures_of_the_stored_data_with_lineage()
    {
        var dir = Directory.CreateTempSubdirectory("msme-insights-");
        var customer = DemoGenerator.Generate(new DemoOptions(new DateOnly(2026, 9, 30), Customers: 1, Months: 6, Seed: 3)).Single();
        DemoBundleWriter.Write(customer, Path.Combine(dir.FullName, "b"));
        Assert.Equal(ImportStatus.Imported, (await Store.Importer.ImportAsync(Path.Combine(dir.FullName, "b"), null, "test")).Status);
        var expected = Msme.Domain.Analytics.CustomerInsights.Build([.. customer.Accounts], customer.Customer.LegalName).Combined;
        // A credit reviewer: the underwriting use reads whichever purpose (103 or 104) the generated consent has.
        Auth.SetAuthorized("risk@msme.local");
        Auth.SetRoles(Msme.Domain.Roles.RiskManager);

        var panel = Render<InsightsPanel>(p => p.Add(x => x.CustomerId, 1).Add(x => x.CustomerName, customer.Customer.LegalName));

        panel.WaitForAssertion(() => Assert.Equal(
            Msme.Portal.Components.Shared.IndianFormat.Money(expected.Contract.Metrics.AvgMonthlyInflow),
            panel.Find("[data-testid=metric-avg-monthly-inflow]").TextContent));
        var rows = panel.FindAll("[data-testid=monthly-table] tbody tr");
        Assert.Equal(expected.Contract.Monthly.Count, rows.Count);
        Assert.Contains(expected.Contract.Monthly[1].Month.ToString(), rows[1].TextContent);
        Assert.Contains($"From {customer.Accounts.Sum(a => a.Transactions.Count)} transactions", panel.Find("[data-testid=lineage]").TextContent);
        dir.Delete(recursive: true);
    }

    [Fact]
    public void A_customer_without_data_gets_the_designed_empty_state()
    {
        var panel = Render<InsightsPanel>(p => p.Add(x => x.CustomerId, 42));

        panel.WaitForAssertion(() => Assert.Contains("No analytics yet", panel.Markup));
    }
}
