using System.Globalization;
using System.Text.Json.Nodes;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain;
using Msme.Domain.Collections;
using Msme.Domain.DemoData;
using Msme.Domain.Ingestion;
using Msme.Portal.Components.Shared;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Risk;
using Msme.Portal.Tests.Collections;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Risk;

/// <summary>The dashboard's loan book panel against the domain's figures over the same book and statements.</summary>
public sealed class LoanBookDashboardTests : PortalComponentTest
{
    private const int Customers = 8, Months = 8, Seed = 42;

    /// <summary>
    /// Imports the demo bundles and their loan book with two edits (the demo's small books are all paid on time): one
    /// loan's October instalment returned and never paid, another's book asking ₹5,000 more than the statement shows
    /// debited. Returns the domain's figures over the same edited book and the generated statements.
    /// </summary>
    private async Task<LoanBookFigures> ImportAndExpectAsync()
    {
        var original = await CollectionsData.ImportDemoBundlesAsync(Store, Customers, Months, Seed);
        var edited = await CollectionsData.EditAsync(original, "edited-book.json", root =>
        {
            var candidates = root["loans"]!.AsArray().Select(l => LastPaidBefore(l!, "2026-10-25")).Where(i => i is not null).Select(i => i!).ToList();
            Assert.True(candidates.Count >= 2, "two demo loans with a paid instalment to edit");
            candidates[0]["outcome"] = "BOUNCED";
            candidates[0]["paidAmount"] = 0;
            candidates[0]["attempts"] = new JsonArray();
            candidates[1]["amount"] = candidates[1]["amount"]!.GetValue<decimal>() + 5_000m;
        });
        Assert.NotEqual(LoanImportStatus.Rejected, (await Services.GetRequiredService<LoanBookImporter>().ImportFileAsync(edited, "test")).Status);

        var generated = DemoGenerator.Generate(new DemoOptions(CollectionsData.DemoAsOf, Customers, Months, Seed)).ToList();
        var accounts = DemoLoanBook.Portfolio(generated).ToDictionary(p => p.Loan.LoanId, p => p.Account);
        await using var stream = File.OpenRead(edited);
        var loans = LoanBookReader.ReadJson(stream, "edited-book.json").Loans;
        // The store's clock is 2026-11-01 IST and the statements end 2026-10-31: figures are as of 2026-11-01.
        return LoanBookFigures.Build([.. loans.Select(l => (l, accounts.TryGetValue(l.LoanId, out var a) ? a : (DepositAccount?)null))], new DateOnly(2026, 11, 1));
    }

    private static JsonObject? LastPaidBefore(JsonNode loan, string date) =>
        loan["instalments"]!.AsArray().Select(i => i!.AsObject())
            .LastOrDefault(i => i["outcome"]!.GetValue<string>() == "PAID" && string.CompareOrdinal(i["dueDate"]!.GetValue<string>(), date) < 0);

    private IRenderedComponent<RiskDashboardPage> RenderDashboard()
    {
        SetUpChartSize();
        Auth.SetAuthorized("risk@msme.local");
        Auth.SetRoles(Roles.RiskManager);
        var page = Render<RiskDashboardPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=chart-dpd]")), TimeSpan.FromSeconds(30));
        return page;
    }

    [Fact]
    public async Task Dpd_buckets_show_loans_outstanding_and_overdue_as_the_domain_computes_them()
    {
        var expected = await ImportAndExpectAsync();
        Assert.True(expected.Dpd.Loans > 0);
        Assert.True(expected.Dpd.Overdue > 0, "the demo book has overdue loans, so the table is not all zeros");

        var page = RenderDashboard();

        Assert.Equal(IndianFormat.Number(expected.Dpd.Loans), page.Find("[data-testid=kpi-loans-on-book]").TextContent);
        Assert.Equal(IndianFormat.Compact(expected.Dpd.Overdue), page.Find("[data-testid=kpi-overdue]").TextContent);
        page.Find("[data-testid=chart-dpd-toggle]").Change(true);
        var rows = page.WaitForElements("[data-testid=chart-dpd-table] tbody tr");
        Assert.Equal(["Current", "1-30", "31-60", "61-90", "90+"], rows.Select(r => r.Children[0].TextContent));
        for (var i = 0; i < 5; i++)
        {
            var b = expected.Dpd.Buckets[i];
            Assert.Equal([IndianFormat.Money(b.Outstanding), IndianFormat.Money(b.Overdue), b.Loans.ToString(CultureInfo.InvariantCulture)],
                rows[i].Children.Skip(1).Select(c => c.TextContent));
        }
        Assert.Contains("Delinquency.Compute", page.Find("[data-testid=chart-dpd]").TextContent);
    }

    [Fact]
    public async Task Roll_rates_and_the_bucket_flow_matrix_match_the_domain()
    {
        var expected = await ImportAndExpectAsync();
        var latest = expected.Rolls.Months[^1];

        var page = RenderDashboard();

        var matrix = page.Find("[data-testid=roll-matrix]");
        foreach (var from in Enum.GetValues<DpdBucket>())
        {
            var cells = matrix.QuerySelector($"tr[data-from={from}]")!.QuerySelectorAll("td").Select(td => td.TextContent).ToList();
            var counts = Enum.GetValues<DpdBucket>().Select(to => expected.Rolls.Matrix.Single(c => c.From == from && c.To == to).Loans.ToString(CultureInfo.InvariantCulture));
            var roll = latest.Buckets.Single(r => r.From == from);
            Assert.Equal([.. counts, roll.Loans.ToString(CultureInfo.InvariantCulture), LoanBookPanel.Pct(roll.RollRate), LoanBookPanel.Pct(roll.CureRate)], cells);
        }
        Assert.Equal(expected.Rolls.Matrix.Sum(c => c.Loans), latest.Buckets.Sum(b => b.Loans));

        page.Find("[data-testid=chart-roll-toggle]").Change(true);
        var rows = page.WaitForElements("[data-testid=chart-roll-table] tbody tr");
        Assert.Equal(expected.Rolls.Months.Select(m => m.MonthEnd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), rows.Select(r => r.Children[0].TextContent));
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(expected.Rolls.Months[i].Buckets.Where(b => b.From != DpdBucket.Dpd90Plus).Select(b => LoanBookPanel.Pct(b.RollRate)),
                rows[i].Children.Skip(1).Select(c => c.TextContent));
        }
    }

    [Fact]
    public async Task Collection_efficiency_by_month_matches_the_domain_with_due_and_collected_to_the_paisa()
    {
        var expected = await ImportAndExpectAsync();
        Assert.NotEmpty(expected.Efficiency.Months);
        Assert.Contains(expected.Efficiency.Months, m => m.Collected < m.Due);

        var page = RenderDashboard();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=chart-efficiency] svg path")));

        page.Find("[data-testid=chart-efficiency-toggle]").Change(true);
        var rows = page.WaitForElements("[data-testid=chart-efficiency-table] tbody tr");
        Assert.Equal(expected.Efficiency.Months.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var m = expected.Efficiency.Months[i];
            Assert.Equal([m.Month.ToString(), LoanBookPanel.Pct(m.AmountEfficiency), LoanBookPanel.Pct(m.CountEfficiency),
                          m.Instalments.ToString(CultureInfo.InvariantCulture),
                          IndianFormat.Money(m.Due), IndianFormat.Money(m.Collected)],
                rows[i].Children.Select(c => c.TextContent));
        }
        Assert.Equal(LoanBookPanel.Pct(expected.Efficiency.Months[^1].AmountEfficiency), page.Find("[data-testid=kpi-collection-efficiency]").TextContent);
    }

    [Fact]
    public async Task Without_a_loan_book_the_panel_says_how_to_get_one()
    {
        await CollectionsData.ImportDemoBundlesAsync(Store, customers: 2, months: 4);

        var page = RenderDashboardWithoutCharts();

        page.WaitForAssertion(() => Assert.Contains("No loan book yet", page.Markup), TimeSpan.FromSeconds(30));
        Assert.Empty(page.FindAll("[data-testid=chart-dpd]"));
    }

    private IRenderedComponent<RiskDashboardPage> RenderDashboardWithoutCharts()
    {
        Auth.SetAuthorized("risk@msme.local");
        Auth.SetRoles(Roles.RiskManager);
        return Render<RiskDashboardPage>();
    }
}
