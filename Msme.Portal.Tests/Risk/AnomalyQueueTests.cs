using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Risk;
using Msme.Portal.Tests.Infrastructure;
using MudBlazor;
using Severity = Msme.Domain.Analytics.Anomalies.Severity;

namespace Msme.Portal.Tests.Risk;

public sealed class AnomalyQueueTests : PortalComponentTest
{
    private static readonly Reviewer Risk = new("risk-id", "risk@msme.local");

    private void SignInAsRiskManager()
    {
        Auth.SetAuthorized(Risk.Name);
        Auth.SetRoles(Roles.RiskManager);
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, Risk.UserId));
    }

    [Fact]
    public async Task The_queue_lists_every_customer_level_anomaly_the_domain_finds()
    {
        var data = await RiskTestData.ImportAsync(Store);
        var expected = data.Sum(d => d.Insights.Combined.Anomalies.Findings.Count);
        Assert.True(expected > 0, "the demo data should hold anomalies");
        SignInAsRiskManager();
        Render<MudPopoverProvider>();

        var page = Render<AnomalyQueuePage>();

        page.WaitForAssertion(() => Assert.Equal(Math.Min(25, expected), page.FindAll("[data-testid=anomaly-queue] tbody tr").Count), TimeSpan.FromSeconds(20));
        Assert.Contains($"{expected} new since your last review", page.Find("[data-testid=queue-summary]").TextContent);
        // Highest severity first.
        var first = data.SelectMany(d => d.Insights.Combined.Anomalies.Findings).Max(f => f.Severity);
        Assert.Contains(first.ToString(), page.FindAll("[data-testid=anomaly-queue] tbody tr")[0].TextContent);
        Assert.Equal(Math.Min(25, expected), page.FindAll("[data-testid=new-badge]").Count);
    }

    [Fact]
    public async Task Filters_by_detector_severity_and_state_on_the_server()
    {
        var data = await RiskTestData.ImportAsync(Store);
        var findings = data.SelectMany(d => d.Insights.Combined.Anomalies.Findings).ToList();
        var service = Services.GetRequiredService<RiskService>();
        var detector = findings.GroupBy(f => f.Detector).OrderByDescending(g => g.Count()).First().Key;

        var byDetector = await service.QueueAsync(new AnomalyFilter([detector], [], []), Risk, 0, 10, null, false);
        var high = await service.QueueAsync(new AnomalyFilter([], [Severity.High], []), Risk, 0, 10, null, false);
        var dismissed = await service.QueueAsync(new AnomalyFilter([], [], [AnomalyReviewState.Dismissed]), Risk, 0, 10, null, false);

        Assert.Equal(findings.Count(f => f.Detector == detector), byDetector.TotalItems);
        Assert.All(byDetector.Items, r => Assert.Equal(detector, r.Finding.Detector));
        Assert.Equal(findings.Count(f => f.Severity == Severity.High), high.TotalItems);
        Assert.Equal(0, dismissed.TotalItems);
        Assert.Equal(byDetector.Detectors, findings.Select(f => f.Detector).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Dismissing_with_a_reason_takes_the_anomaly_out_of_the_default_queue_and_keeps_its_history()
    {
        await RiskTestData.ImportAsync(Store);
        SignInAsRiskManager();
        var dialogs = Render<MudDialogProvider>();
        Render<MudPopoverProvider>();
        var page = Render<AnomalyQueuePage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=dismiss]")), TimeSpan.FromSeconds(20));
        var service = Services.GetRequiredService<RiskService>();
        var before = await service.QueueAsync(AnomalyFilter.Open, Risk, 0, 1000, null, false);
        var target = before.Items[0];
        Assert.Equal(target.Key, page.FindAll("td[data-key]")[0].GetAttribute("data-key"));

        page.FindAll("[data-testid=dismiss]")[0].Click();
        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=review-submit]")));
        Assert.True(dialogs.Find("[data-testid=review-submit]").HasAttribute("disabled"), "no reason yet: dismiss stays disabled");
        dialogs.Find("textarea[data-testid=review-reason]").Input("Capital introduced by the proprietor, documented");
        dialogs.Find("[data-testid=review-submit]").Click();

        page.WaitForAssertion(() => Assert.DoesNotContain(target.Key, page.FindAll("td[data-key]").Select(td => td.GetAttribute("data-key"))));
        Assert.NotEmpty(page.FindAll("td[data-key]"));
        var after = await service.QueueAsync(AnomalyFilter.Open, Risk, 0, 1000, null, false);
        Assert.Equal(before.TotalItems - 1, after.TotalItems);
        Assert.DoesNotContain(after.Items, r => r.Key == target.Key);
        await using var db = await Store.DbAsync();
        var review = await db.AnomalyReviews.SingleAsync();
        Assert.Equal((target.Key, AnomalyReviewState.Dismissed, "Capital introduced by the proprietor, documented", Risk.UserId, Store.Clock.GetUtcNow()),
            (review.AnomalyKey, review.State, review.Reason, review.ReviewerId, review.ReviewedAt));
        var history = await service.HistoryAsync(target.Key);
        Assert.Equal((AnomalyReviewState.New, AnomalyReviewState.Dismissed, Risk.Name), (history.Single().FromState, history.Single().ToState, history.Single().ReviewerName));
    }

    [Fact]
    public async Task Decisions_append_to_the_history_and_need_a_reason_or_a_target()
    {
        await RiskTestData.ImportAsync(Store);
        var service = Services.GetRequiredService<RiskService>();
        var row = (await service.QueueAsync(AnomalyFilter.Open, Risk, 0, 1, null, false)).Items[0];

        await Assert.ThrowsAsync<ArgumentException>(() => service.ReviewAsync(row, AnomalyReviewState.Dismissed, " ", null, Risk));
        await Assert.ThrowsAsync<ArgumentException>(() => service.ReviewAsync(row, AnomalyReviewState.Escalated, null, null, Risk));
        await service.ReviewAsync(row, AnomalyReviewState.Acknowledged, null, null, Risk);
        Store.Clock.Advance(TimeSpan.FromHours(1));
        await service.ReviewAsync(row, AnomalyReviewState.Escalated, "limit review", EscalationTarget.CreditReview, Risk);

        var history = await service.HistoryAsync(row.Key);
        Assert.Equal([AnomalyReviewState.Acknowledged, AnomalyReviewState.Escalated], history.Select(h => h.ToState));
        Assert.Equal([AnomalyReviewState.New, AnomalyReviewState.Acknowledged], history.Select(h => h.FromState));
        var open = await service.QueueAsync(AnomalyFilter.Open, Risk, 0, 1000, null, false);
        Assert.DoesNotContain(open.Items, r => r.Key == row.Key);
        var escalated = await service.QueueAsync(new AnomalyFilter([], [], [AnomalyReviewState.Escalated]), Risk, 0, 10, null, false);
        Assert.Equal(EscalationTarget.CreditReview, escalated.Items.Single().Target);
        // Everything else is dated before the reviewer's last decision: no longer "new since last review".
        Assert.Equal(0, open.NewSinceLastReview);
    }

    [Fact]
    public async Task Filters_by_the_agent_portfolio_the_customer_is_in_and_shows_it_per_row()
    {
        var data = await RiskTestData.ImportAsync(Store);
        Dictionary<string, int> ids;
        await using (var db = await Store.DbAsync())
        {
            ids = await db.Customers.ToDictionaryAsync(c => c.AaHandle, c => c.Id);
        }
        // Up to two customers that hold anomalies, picked by that property, leaving at least one such customer unassigned.
        var holding = data.Where(d => d.Insights.Combined.Anomalies.Findings.Count > 0).ToList();
        var withAnomalies = holding.Take(Math.Min(2, holding.Count - 1)).ToList();
        var assigned = withAnomalies.Select(d => ids[d.Customer.Customer.AaHandle]).ToArray();
        await Collections.CollectionsData.AssignAsync(Store, "agent-1", assigned);
        var expectedMine = withAnomalies.Sum(d => d.Insights.Combined.Anomalies.Findings.Count);
        var expectedAll = data.Sum(d => d.Insights.Combined.Anomalies.Findings.Count);
        Assert.True(expectedMine > 0 && expectedMine < expectedAll, "both portfolios should hold anomalies");
        var service = Services.GetRequiredService<RiskService>();

        var mine = await service.QueueAsync(new AnomalyFilter([], [], [], ["agent-1"]), Risk, 0, 1000, null, false);
        var unassigned = await service.QueueAsync(new AnomalyFilter([], [], [], [AnomalyFilter.Unassigned]), Risk, 0, 1000, null, false);
        var all = await service.QueueAsync(new AnomalyFilter([], [], []), Risk, 0, 1000, "portfolio", true);

        Assert.Equal(expectedMine, mine.TotalItems);
        Assert.All(mine.Items, r => Assert.Equal(("agent-1", true), (r.Agent?.UserId, assigned.Contains(r.CustomerId))));
        Assert.Equal(expectedAll - expectedMine, unassigned.TotalItems);
        Assert.All(unassigned.Items, r => Assert.Null(r.Agent));
        Assert.Equal([new PortfolioAgent("agent-1", "agent-1")], all.Portfolios!);
        Assert.Equal("agent-1", all.Items[0].Agent?.Name);

        SignInAsRiskManager();
        Render<MudPopoverProvider>();
        var page = Render<AnomalyQueuePage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("td[data-testid=portfolio]")), TimeSpan.FromSeconds(20));
        Assert.NotNull(page.Find("[data-testid=filter-portfolio]"));
        var shown = page.FindAll("td[data-key]").Select(td => int.Parse(td.GetAttribute("data-key")!.Split('|')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var portfolios = page.FindAll("td[data-testid=portfolio]").Select(td => td.TextContent).ToList();
        Assert.Equal(shown.Select(id => assigned.Contains(id) ? "agent-1" : "Unassigned"), portfolios);
    }
}
