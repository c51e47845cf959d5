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
    public async Task The_queue_lists_every_customer_level_event_the_domain_finds()
    {
        var data = await RiskTestData.ImportAsync(Store);
        var expected = data.Sum(d => d.Insights.Combined.Anomalies.Events.Count);
        Assert.True(expected > 0, "the demo data should hold anomaly events");
        Assert.True(expected < data.Sum(d => d.Insights.Combined.Anomalies.Findings.Count), "events merge findings: fewer events than findings");
        SignInAsRiskManager();
        Render<MudPopoverProvider>();

        var page = Render<AnomalyQueuePage>();

        page.WaitForAssertion(() => Assert.Equal(Math.Min(25, expected), page.FindAll("[data-testid=anomaly-queue] tbody tr").Count), TimeSpan.FromSeconds(20));
        Assert.Contains($"{expected} new since your last review", page.Find("[data-testid=queue-summary]").TextContent);
        // Highest severity first.
        var first = data.SelectMany(d => d.Insights.Combined.Anomalies.Events).Max(e => e.Severity);
        Assert.Contains(first.ToString(), page.FindAll("[data-testid=anomaly-queue] tbody tr")[0].TextContent);
        Assert.Equal(Math.Min(25, expected), page.FindAll("[data-testid=new-badge]").Count);
    }

    [Fact]
    public async Task Filters_by_detector_severity_and_state_on_the_server()
    {
        var data = await RiskTestData.ImportAsync(Store);
        var events = data.SelectMany(d => d.Insights.Combined.Anomalies.Events).ToList();
        var service = Services.GetRequiredService<RiskService>();
        var detector = events.SelectMany(e => e.Detectors).GroupBy(d => d).OrderByDescending(g => g.Count()).First().Key;

        var byDetector = await service.QueueAsync(new AnomalyFilter([detector], [], []), Risk, 0, 10, null, false);
        var high = await service.QueueAsync(new AnomalyFilter([], [Severity.High], []), Risk, 0, 10, null, false);
        var dismissed = await service.QueueAsync(new AnomalyFilter([], [], [AnomalyReviewState.Dismissed]), Risk, 0, 10, null, false);

        Assert.Equal(events.Count(e => e.Detectors.Contains(detector)), byDetector.TotalItems);
        Assert.All(byDetector.Items, r => Assert.Contains(detector, r.Event.Detectors));
        Assert.Equal(events.Count(e => e.Severity == Severity.High), high.TotalItems);
        Assert.Equal(0, dismissed.TotalItems);
        Assert.Equal(byDetector.Detectors, events.SelectMany(e => e.Detectors).Distinct().Order(StringComparer.Ordinal));
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
        var holding = data.Where(d => d.Insights.Combined.Anomalies.Events.Count > 0).ToList();
        var withAnomalies = holding.Take(Math.Min(2, holding.Count - 1)).ToList();
        var assigned = withAnomalies.Select(d => ids[d.Customer.Customer.AaHandle]).ToArray();
        await Collections.CollectionsData.AssignAsync(Store, "agent-1", assigned);
        var expectedMine = withAnomalies.Sum(d => d.Insights.Combined.Anomalies.Events.Count);
        var expectedAll = data.Sum(d => d.Insights.Combined.Anomalies.Events.Count);
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

    [Fact]
    public async Task A_review_applies_to_the_event_and_its_history_keeps_every_detector_finding()
    {
        var data = await RiskTestData.ImportAsync(Store);
        var service = Services.GetRequiredService<RiskService>();
        var all = await service.QueueAsync(AnomalyFilter.Open, Risk, 0, 1000, null, false);
        var row = all.Items.First(r => r.Event.Detectors.Count > 1);

        await service.ReviewAsync(row, AnomalyReviewState.Acknowledged, null, null, Risk);

        var entry = (await service.HistoryAsync(row.Key)).Single();
        foreach (var f in row.Event.Findings) Assert.Contains($"{f.Detector} {f.Subject}", entry.Findings, StringComparison.Ordinal);
        await using var db = await Store.DbAsync();
        var review = await db.AnomalyReviews.SingleAsync();
        Assert.Equal((string.Join(',', row.Event.Detectors), row.Event.KindName, row.Period), (review.Detector, review.Subject, review.Period));
        // One decision, one row of the queue: the event's other detectors do not leave rows behind.
        var after = await service.QueueAsync(new AnomalyFilter([], [], []), Risk, 0, 1000, null, false);
        Assert.Equal(AnomalyReviewState.Acknowledged, after.Items.Single(r => r.Key == row.Key).State);
        Assert.Equal(all.TotalItems, after.TotalItems);
    }

    [Fact]
    public async Task Bulk_acknowledge_takes_exactly_the_new_Low_events()
    {
        // Low events are rare once findings merge and are sized: import, by that property, a customer holding a Low
        // event and one holding a Medium or High event, drawn from 40 generated customers.
        var data = await RiskTestData.ImportAsync(Store, customers: 40, pick: all =>
        {
            static bool Holds(Msme.Domain.Analytics.CustomerInsights i, Func<Severity, bool> which) => i.Combined.Anomalies.Events.Any(e => which(e.Severity));
            var withLow = all.First(d => Holds(d.Insights, s => s == Severity.Low));
            var other = all.First(d => d.Customer.Index != withLow.Customer.Index && Holds(d.Insights, s => s != Severity.Low));
            return [withLow, other];
        });
        Assert.Equal(2, data.Count);
        var service = Services.GetRequiredService<RiskService>();
        var before = await service.QueueAsync(new AnomalyFilter([], [], []), Risk, 0, 1000, null, false);
        var low = before.Items.Where(r => r.Event.Severity == Severity.Low).Select(r => r.Key).ToHashSet();
        Assert.True(low.Count > 0, "the demo data should hold Low events");
        Assert.Contains(before.Items, r => r.Event.Severity != Severity.Low);

        var done = await service.AcknowledgeLowAsync(new AnomalyFilter([], [], []), Risk);

        Assert.Equal(low.Count, done);
        var after = await service.QueueAsync(new AnomalyFilter([], [], []), Risk, 0, 1000, null, false);
        Assert.All(after.Items, r => Assert.Equal(low.Contains(r.Key) ? AnomalyReviewState.Acknowledged : AnomalyReviewState.New, r.State));
        Assert.Equal(0, await service.AcknowledgeLowAsync(new AnomalyFilter([], [], []), Risk));
    }

    [Fact]
    public async Task Escalating_to_credit_review_creates_a_work_item_the_credit_review_list_shows()
    {
        await RiskTestData.ImportAsync(Store);
        var service = Services.GetRequiredService<RiskService>();
        var rows = (await service.QueueAsync(AnomalyFilter.Open, Risk, 0, 2, null, false)).Items;

        await service.ReviewAsync(rows[0], AnomalyReviewState.Escalated, "limit review", EscalationTarget.CreditReview, Risk);
        await service.ReviewAsync(rows[1], AnomalyReviewState.Escalated, "call the owner", EscalationTarget.AgentFollowUp, Risk);

        var item = Assert.Single(await service.WorkItemsAsync(EscalationTarget.CreditReview, includeDone: false));
        Assert.Equal((rows[0].Key, rows[0].CustomerId, rows[0].Event.KindName, "limit review"), (item.AnomalyKey, item.CustomerId, item.Kind, item.Note));
        Assert.Equal(rows[0].Event.Amount, item.AmountPaise / 100m);
        Assert.Single(await service.WorkItemsAsync(EscalationTarget.AgentFollowUp, includeDone: false));

        SignInAsRiskManager();
        var page = Render<CreditReviewPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=work-item]")));
        Assert.Equal(rows[0].Key, page.Find("[data-testid=work-item]").GetAttribute("data-key"));
        page.Find("input[data-testid=outcome]").Input("limit cut to 8 lakh");
        page.Find("[data-testid=close-item]").Click();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=work-item]")));
        var closed = Assert.Single(await service.WorkItemsAsync(EscalationTarget.CreditReview, includeDone: true));
        Assert.Equal(("limit cut to 8 lakh", Risk.UserId), (closed.Outcome, closed.DoneById));
    }
}
