using System.Text.RegularExpressions;
using Bunit;
using Msme.Domain;
using Msme.Domain.Analytics;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.DemoData;
using Msme.Domain.Privacy;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Components;

/// <summary>
/// Anomaly narratives, explanation inputs and narratives, and the figure list quote counterparties and narrations:
/// on the pages an agent sees none that <see cref="DisclosurePolicy"/> hides; a risk manager or admin sees them.
/// </summary>
public sealed class AgentMaskingTests : PortalComponentTest
{
    private static readonly (DemoCustomer Customer, CustomerInsights Insights) Picked = Pick();
    private static DemoCustomer Customer => Picked.Customer;
    private static CustomerInsights Insights => Picked.Insights;
    private static readonly CounterpartyNames Names = CounterpartyNames.Of(Insights.Accounts);
    private static readonly IReadOnlyList<string> LongNames = [.. Names.Names.Where(n => n.Length >= 5)];

    /// <summary>A generated customer with a monitoring consent (104), anomalies and explanations that quote counterparties.</summary>
    private static (DemoCustomer, CustomerInsights) Pick()
    {
        foreach (var c in DemoGenerator.Generate(new DemoOptions(new DateOnly(2026, 9, 30), Customers: 24, Months: 12, Seed: 3)).Where(c => c.Consent.PurposeCode == "104"))
        {
            var insights = CustomerInsights.Build([.. c.Accounts], c.Customer.LegalName);
            var names = CounterpartyNames.Of(insights.Accounts).Names.Where(n => n.Length >= 5).ToList();
            if (insights.Combined.Anomalies.Findings.Count > 0
                && insights.Accounts.Append(insights.Combined).SelectMany(a => a.ExplainAll()).Any(e => names.Any(n => Quotes(Text(e), n))))
            {
                return (c, insights);
            }
        }
        throw new InvalidOperationException("no generated customer with a monitoring consent, anomalies and explanations quoting counterparties");
    }

    [Fact]
    public void Explanations_that_quote_counterparties_or_narrations_are_masked_for_an_agent_and_shown_to_an_admin()
    {
        var all = Insights.Accounts.Append(Insights.Combined).SelectMany(a => a.ExplainAll()).ToList();
        var quoting = all.Where(e => LongNames.Any(n => Quotes(Text(e), n))).ToList();
        Assert.NotEmpty(quoting);

        foreach (var e in quoting)
        {
            var forAgent = Render<ExplanationView>(p => p.Add(x => x.Explanation, e).AddCascadingValue(DisclosurePolicy.For([Roles.Agent])).AddCascadingValue(Names)).Markup;
            var forAdmin = Render<ExplanationView>(p => p.Add(x => x.Explanation, e).AddCascadingValue(DisclosurePolicy.For([Roles.Admin])).AddCascadingValue(Names)).Markup;

            Assert.DoesNotContain(LongNames, n => Quotes(forAgent, n));
            Assert.Contains(LongNames, n => Quotes(forAdmin, n));
        }
        var narrationInputs = all.SelectMany(e => e.Inputs).Where(i => QuotedMasking.IsNarration(i.Label) && Masking.Narration(i.Value) != i.Value).ToList();
        Assert.NotEmpty(narrationInputs);
        Assert.All(narrationInputs, i => Assert.DoesNotContain(i.Value, QuotedMasking.Input(i, Names)));
    }

    [Fact]
    public void The_figure_list_and_the_anomaly_table_quote_no_counterparty_for_an_agent()
    {
        var list = Render<ExplanationList>(p => p.Add(x => x.Explanations, Insights.Combined.ExplainAll()).AddCascadingValue(DisclosurePolicy.For([Roles.Agent])).AddCascadingValue(Names));
        var anomalies = Render<AnomaliesTab>(p => p.Add(x => x.Report, Insights.Combined.Anomalies).AddCascadingValue(DisclosurePolicy.For([Roles.Agent])).AddCascadingValue(Names));
        var anomaliesForRisk = Render<AnomaliesTab>(p => p.Add(x => x.Report, Insights.Combined.Anomalies).AddCascadingValue(DisclosurePolicy.For([Roles.RiskManager])).AddCascadingValue(Names));

        Assert.NotEmpty(Insights.Combined.Anomalies.Findings);
        Assert.DoesNotContain(LongNames, n => Quotes(list.Markup, n));
        Assert.DoesNotContain(LongNames, n => Quotes(anomalies.Markup, n));
        Assert.Equal(Insights.Combined.Anomalies.Findings.Count, anomalies.FindAll("[data-testid=anomaly-why]").Count);
        // Without a policy (a component placed outside the customer page) the text is masked, not shown.
        var bare = Render<AnomaliesTab>(p => p.Add(x => x.Report, Insights.Combined.Anomalies).AddCascadingValue(Names));
        Assert.DoesNotContain(LongNames, n => Quotes(bare.Markup, n));
        Assert.Equal(anomaliesForRisk.FindAll("[data-testid=anomaly-why]").Select(c => c.TextContent),
            Insights.Combined.Anomalies.Findings.OrderByDescending(f => f.Severity).Select(f => f.Explanation.Narrative));
    }

    [Fact]
    public async Task The_insights_panel_of_an_agent_reads_monitoring_data_and_quotes_no_counterparty()
    {
        var dir = Directory.CreateTempSubdirectory("msme-masking-");
        DemoBundleWriter.Write(Customer, Path.Combine(dir.FullName, "b"));
        Assert.Equal(ImportStatus.Imported, (await Store.Importer.ImportAsync(Path.Combine(dir.FullName, "b"), null, "test")).Status);
        Auth.SetAuthorized("agent1@msme.local");
        Auth.SetRoles(Roles.Agent);

        var panel = Render<InsightsPanel>(p => p.Add(x => x.CustomerId, 1).Add(x => x.CustomerName, Customer.Customer.LegalName));

        panel.WaitForAssertion(() => Assert.Equal(
            Msme.Portal.Components.Shared.IndianFormat.Money(Insights.Combined.Contract.Metrics.AvgMonthlyInflow),
            panel.Find("[data-testid=metric-avg-monthly-inflow]").TextContent));
        Assert.DoesNotContain(LongNames, n => Quotes(panel.Markup, n));
        dir.Delete(recursive: true);
    }

    /// <summary>What ExplanationView shows of an explanation (the list shows figure and result).</summary>
    private static string Text(Explanation e) => string.Join("\n", [e.Narrative, .. e.Inputs.Select(i => i.Value)]);

    private static bool Quotes(string text, string name) =>
        Regex.IsMatch(System.Net.WebUtility.HtmlDecode(text), $@"(?<![A-Za-z0-9]){Regex.Escape(name)}(?![A-Za-z0-9])", RegexOptions.IgnoreCase);
}
