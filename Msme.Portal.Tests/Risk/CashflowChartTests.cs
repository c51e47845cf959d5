using Bunit;
using Msme.Domain.Analytics;
using Msme.Domain.DemoData;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Risk;

public sealed class CashflowChartTests : PortalComponentTest
{
    private static AccountInsights Insights()
    {
        var customer = DemoGenerator.Generate(new DemoOptions(new DateOnly(2026, 9, 30), Customers: 1, Months: 8, Seed: 3)).Single();
        return AccountInsights.Build(customer.Accounts[0]);
    }

    [Fact]
    public void Monthly_and_daily_balance_charts_draw_svg_and_their_tables_hold_the_same_numbers()
    {
        var insights = Insights();
        SetUpChartSize();

        var tab = Render<CashflowTab>(p => p.Add(x => x.Insights, insights));

        tab.WaitForAssertion(() => Assert.NotEmpty(tab.FindAll("[data-testid=chart-monthly] svg path")));
        tab.WaitForAssertion(() => Assert.NotEmpty(tab.FindAll("[data-testid=chart-daily-balance] svg path")));
        tab.Find("[data-testid=chart-monthly-toggle]").Change(true);
        tab.WaitForAssertion(() => Assert.Equal(insights.Contract.Monthly.Count, tab.FindAll("[data-testid=chart-monthly-table] tbody tr").Count));
        var first = tab.FindAll("[data-testid=chart-monthly-table] tbody tr")[1];
        Assert.Equal(Msme.Portal.Components.Shared.IndianFormat.Compact(insights.Contract.Monthly[1].Inflow), first.Children[1].TextContent);
        tab.Find("[data-testid=chart-daily-balance-toggle]").Change(true);
        tab.WaitForAssertion(() => Assert.Equal(insights.Contract.DailyBalances.Count, tab.FindAll("[data-testid=chart-daily-balance-table] tbody tr").Count));
        Assert.Contains($"Typical credit day: {insights.Contract.Metrics.TypicalCreditDay}", tab.Find("[data-testid=typical-credit-day]").TextContent);
    }

    [Fact]
    public void Robust_z_months_are_marked_in_the_chart_series()
    {
        var insights = Insights();
        SetUpChartSize();

        var tab = Render<CashflowTab>(p => p.Add(x => x.Insights, insights));
        tab.Find("[data-testid=chart-monthly-toggle]").Change(true);

        tab.WaitForAssertion(() => Assert.NotEmpty(tab.FindAll("[data-testid=chart-monthly-table] tbody tr")));
        var rows = tab.FindAll("[data-testid=chart-monthly-table] tbody tr");
        for (var i = 0; i < insights.Contract.Monthly.Count; i++)
        {
            var flagged = insights.Contract.Anomalies.FirstOrDefault(a => a.Month == insights.Contract.Monthly[i].Month);
            var marker = rows[i].Children[4].TextContent;
            Assert.Equal(flagged is null ? "—" : Msme.Portal.Components.Shared.IndianFormat.Compact(flagged.Value), marker);
        }
    }

    [Fact]
    public void Category_donuts_draw_a_slice_per_category()
    {
        var insights = Insights();
        SetUpChartSize();

        var tab = Render<CategoriesTab>(p => p.Add(x => x.Insights, insights));

        tab.WaitForAssertion(() => Assert.NotEmpty(tab.FindAll("[data-testid=chart-outflow-categories] svg path")));
        tab.Find("[data-testid=chart-outflow-categories-toggle]").Change(true);
        var categories = insights.ByCategory.Where(b => b.Type == Msme.Domain.Ingestion.TxnType.Debit).Select(b => b.Key).Distinct().Count();
        tab.WaitForAssertion(() => Assert.Equal(categories, tab.FindAll("[data-testid=chart-outflow-categories-table] tbody tr").Count));
    }
}
