using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain;
using Msme.Domain.Analytics.Cashflow;
using Msme.Portal.Components.Shared;
using Msme.Portal.Features.Risk;
using Msme.Portal.Tests.Infrastructure;
using MudBlazor;

namespace Msme.Portal.Tests.Risk;

public sealed class RiskDashboardTests : PortalComponentTest
{
    [Fact]
    public async Task Shows_the_figures_the_domain_computes_for_the_same_data()
    {
        var data = await RiskTestData.ImportAsync(Store);
        var events = data.SelectMany(d => d.Insights.Combined.Anomalies.Events).ToList();
        SetUpChartSize();
        Auth.SetAuthorized("risk@msme.local");
        Auth.SetRoles(Roles.RiskManager);
        Render<MudPopoverProvider>();

        var page = Render<RiskDashboardPage>();

        page.WaitForAssertion(() => Assert.Equal(IndianFormat.Number(data.Count), page.Find("[data-testid=kpi-customers]").TextContent), TimeSpan.FromSeconds(20));
        Assert.Equal(IndianFormat.Number(events.Count), page.Find("[data-testid=kpi-anomalies]").TextContent);
        Assert.Equal(IndianFormat.Number(events.Count(e => e.Severity == Msme.Domain.Analytics.Anomalies.Severity.High)), page.Find("[data-testid=kpi-high-severity]").TextContent);
        Assert.Equal(IndianFormat.Number(events.Count), page.Find("[data-testid=kpi-open]").TextContent);

        page.Find("[data-testid=chart-tiers-toggle]").Change(true);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=chart-tiers-table] tbody tr")));
        var tierRows = page.FindAll("[data-testid=chart-tiers-table] tbody tr");
        foreach (var tier in Enum.GetValues<StabilityTier>())
        {
            var count = data.Count(d => d.Insights.Combined.Contract.Metrics.StabilityTier == tier);
            Assert.Contains(tierRows, r => r.Children[0].TextContent == tier.ToString() && r.Children[1].TextContent == count.ToString(CultureInfo.InvariantCulture));
        }

        page.Find("[data-testid=chart-inflow-toggle]").Change(true);
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=chart-inflow-table] tbody tr")));
        var months = data.SelectMany(d => d.Insights.Combined.Contract.Monthly.Where(m => m.Complete)).GroupBy(m => m.Month).OrderBy(g => g.Key).ToList();
        var inflowRows = page.FindAll("[data-testid=chart-inflow-table] tbody tr");
        Assert.Equal(months.Count, inflowRows.Count);
        Assert.Equal(months[0].Key.ToString(), inflowRows[0].Children[0].TextContent);
        Assert.Equal(IndianFormat.Compact(months[0].Sum(m => m.Inflow)), inflowRows[0].Children[1].TextContent);
        Assert.Equal(months[0].Count().ToString(CultureInfo.InvariantCulture), inflowRows[0].Children[2].TextContent);
        Assert.Contains("customers computed now", page.Find("[data-testid=risk-cost]").TextContent);
    }

    [Fact]
    public async Task Charts_draw_svg_series_and_the_cache_serves_the_second_visit()
    {
        await RiskTestData.ImportAsync(Store, customers: 3, months: 8);
        SetUpChartSize();
        Auth.SetAuthorized("risk@msme.local");
        Auth.SetRoles(Roles.RiskManager);

        var page = Render<RiskDashboardPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=chart-inflow] svg path.mud-chart-serie, [data-testid=chart-inflow] svg path.mud-chart-line")), TimeSpan.FromSeconds(20));
        Assert.NotEmpty(page.FindAll("[data-testid=chart-tiers] svg path"));

        var again = Render<RiskDashboardPage>();
        again.WaitForAssertion(() => Assert.Contains("3 from the cache", again.Find("[data-testid=risk-cost]").TextContent), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void Without_data_the_dashboard_says_so()
    {
        Auth.SetAuthorized("risk@msme.local");
        Auth.SetRoles(Roles.RiskManager);

        var page = Render<RiskDashboardPage>();

        page.WaitForAssertion(() => Assert.Contains("No customer data yet", page.Markup));
    }

    [Fact]
    public async Task While_the_warm_up_computes_the_dashboard_shows_its_progress_then_the_figures()
    {
        await RiskTestData.ImportAsync(Store, customers: 2, months: 6);
        Auth.SetAuthorized("risk@msme.local");
        Auth.SetRoles(Roles.RiskManager);
        var cache = Services.GetRequiredService<RiskCache>();
        // Stand in for a warm-up pass in progress: it holds the gate and reports its steps.
        await cache.Gate.WaitAsync();
        cache.Report(new RiskCacheState(1, 2, Running: true, null));

        var page = Render<RiskDashboardPage>();

        page.WaitForAssertion(() => Assert.Contains("1 of 2 customers", page.Find("[data-testid=risk-computing]").TextContent));
        cache.Report(new RiskCacheState(2, 2, Running: true, null));
        page.WaitForAssertion(() => Assert.Contains("2 of 2 customers", page.Find("[data-testid=risk-computing]").TextContent));
        cache.Report(new RiskCacheState(2, 2, Running: false, Store.Clock.GetUtcNow()));
        cache.Gate.Release();

        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-testid=kpi-customers]").TextContent), TimeSpan.FromSeconds(20));
        Assert.Empty(page.FindAll("[data-testid=risk-computing]"));
    }
}
