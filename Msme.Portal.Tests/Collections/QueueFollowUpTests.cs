using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain;
using Msme.Domain.Collections;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Risk;
using Msme.Portal.Tests.Infrastructure;
using MudBlazor;

namespace Msme.Portal.Tests.Collections;

/// <summary>
/// Follow-ups and escalations in the agent queue, over six demo customers (store clock 01 Nov 2026 IST): agent-1 works
/// the even customer ids, agent-2 the odd ones.
/// </summary>
public sealed class QueueFollowUpTests : PortalComponentTest
{
    private const string AgentId = "agent-1";
    private static readonly CollectionsViewer Agent1 = new(AgentId, false), Agent2 = new("agent-2", false), Admin = new("admin", true);
    private static readonly DateOnly Today = new(2026, 11, 1);

    private CollectionsService Collections => Services.GetRequiredService<CollectionsService>();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CollectionsData.ImportDemoWithPortfoliosAsync(Store, AgentId);
        Auth.SetAuthorized("agent1@msme.local");
        Auth.SetRoles(Roles.Agent);
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, AgentId));
    }

    private async Task<long> LogAsync(QueueItem row, int daysAgo, Disposition disposition, DateOnly? ptp = null, decimal? amount = null, DateOnly? followUp = null)
    {
        await using var db = await Store.DbAsync();
        var c = new ContactLog
        {
            CustomerId = row.CustomerId, LoanKey = row.LoanKey, AgentUserId = AgentId, AgentName = "agent1", Disposition = disposition,
            At = new DateTimeOffset(Today.AddDays(-daysAgo).ToDateTime(new TimeOnly(11, 30)), IndianTime.Offset),
            PtpDate = ptp, PtpAmountPaise = amount is { } a ? LoanMapping.Paise(a) : null, NextFollowUp = followUp,
        };
        db.ContactLogs.Add(c);
        await db.SaveChangesAsync();
        return c.Id;
    }

    /// <summary>A promise on one of agent-1's loans that the book and statement show broken (the first customer for which they do).</summary>
    private async Task<QueueItem> BrokenPromiseAsync(IEnumerable<QueueItem> rows)
    {
        foreach (var row in rows.DistinctBy(r => r.CustomerId))
        {
            var id = await LogAsync(row, 5, Disposition.PromiseToPay, Today.AddDays(-2), row.Emi);
            var contact = (await Collections.CustomerAsync(Admin, row.CustomerId))!.Contacts.Single(c => c.Id == id);
            if (contact.Ptp!.State == PtpState.Broken) return row;
            await using var db = await Store.DbAsync();
            await db.ContactLogs.Where(c => c.Id == id).ExecuteDeleteAsync();
        }
        throw new InvalidOperationException("no agent-1 loan without a payment in the promise's span");
    }

    [Fact]
    public async Task Chip_counts_match_the_filters_rows_for_callbacks_promises_and_broken_promises_and_stay_in_the_agents_portfolio()
    {
        var rows = (await Collections.QueueAsync(Agent1, new QueueQuery(PageSize: 1000))).Items;
        var before = await Collections.QueueAsync(Agent1, new QueueQuery());
        Assert.Equal(QueueCounts.Empty with { All = before.Counts.All, DueToday = before.Counts.DueToday, Next7Days = before.Counts.Next7Days, Overdue = before.Counts.Overdue }, before.Counts);

        var customers = rows.Select(r => r.CustomerId).Distinct().ToList();
        Assert.True(customers.Count >= 3, "agent-1 should have three customers with queue rows");
        var broken = await BrokenPromiseAsync(rows);
        var others = rows.Where(r => r.CustomerId != broken.CustomerId).DistinctBy(r => r.CustomerId).ToList();
        await LogAsync(others[0], 3, Disposition.Callback, followUp: Today);
        await LogAsync(others[1], 1, Disposition.PromiseToPay, Today, 1_000_000m);
        // Not due: a callback for tomorrow, and a callback answered by a later contact.
        await LogAsync(others[1], 2, Disposition.Callback, followUp: Today.AddDays(1));

        var page = await Collections.QueueAsync(Agent1, new QueueQuery());
        Assert.Equal(Today, page.Today);
        Assert.Equal(1, page.Counts.CallbacksDue);
        Assert.Equal(1, page.Counts.PromisesDueToday);
        Assert.Equal(1, page.Counts.BrokenPromises);
        Assert.Equal(0, page.Counts.Escalated);
        Assert.Equal(rows.Count, page.Counts.All);
        foreach (var filter in Enum.GetValues<QueueFilter>())
        {
            var filtered = await Collections.QueueAsync(Agent1, new QueueQuery(filter, PageSize: 1000));
            Assert.Equal(page.Counts.Of(filter), filtered.TotalItems);
        }
        var brokenRow = Assert.Single((await Collections.QueueAsync(Agent1, new QueueQuery(QueueFilter.BrokenPromises))).Items);
        Assert.Equal((broken.CustomerId, broken.LoanId), (brokenRow.CustomerId, brokenRow.LoanId));
        var flag = Assert.Single(brokenRow.Flags);
        Assert.Equal(QueueFlagKind.BrokenPromise, flag.Kind);
        Assert.Equal(Today.AddDays(-2), flag.Date);
        Assert.Contains(flag.Reasons, r => r.StartsWith($"PTP date {Today.AddDays(-2):yyyy-MM-dd} has passed", StringComparison.Ordinal));
        Assert.Equal(others[0].CustomerId, Assert.Single((await Collections.QueueAsync(Agent1, new QueueQuery(QueueFilter.CallbacksDue))).Items).CustomerId);
        // The status and search filters narrow the counts too.
        Assert.Equal(0, (await Collections.QueueAsync(Agent1, new QueueQuery(Search: "no such customer"))).Counts.BrokenPromises);

        var two = await Collections.QueueAsync(Agent2, new QueueQuery());
        Assert.Equal((0, 0, 0), (two.Counts.CallbacksDue, two.Counts.PromisesDueToday, two.Counts.BrokenPromises));
        var admin = await Collections.QueueAsync(Admin, new QueueQuery());
        Assert.Equal((1, 1, 1), (admin.Counts.CallbacksDue, admin.Counts.PromisesDueToday, admin.Counts.BrokenPromises));
    }

    [Fact]
    public async Task An_agent_follow_up_escalation_lands_in_the_customers_agents_queue_with_the_note_not_in_another_agents_and_is_marked_done_audited()
    {
        var risk = Services.GetRequiredService<RiskService>();
        var reviewer = new Reviewer("risk-id", "Meera Iyer");
        await using (var db = await Store.DbAsync())
        {
            db.Users.Add(new Msme.Portal.Data.ApplicationUser { Id = reviewer.UserId, UserName = "risk@msme.local", Email = "risk@msme.local" });
            await db.SaveChangesAsync();
        }
        var events = await risk.QueueAsync(AnomalyFilter.Open with { Portfolios = [AgentId] }, reviewer, 0, 1000, null, true);
        Assert.True(events.Items.Count >= 2, "agent-1's customers should have anomaly events");
        var escalated = events.Items[0];
        var toCredit = events.Items.First(e => e.Key != escalated.Key);
        var otherAgents = (await risk.QueueAsync(AnomalyFilter.Open with { Portfolios = ["agent-2"] }, reviewer, 0, 1, null, true)).Items.FirstOrDefault();
        var rows = (await Collections.QueueAsync(Agent1, new QueueQuery(PageSize: 1000))).Items;
        var before = await risk.CustomerAnomaliesAsync(escalated.CustomerId);
        Assert.Equal(0, before.EscalatedOpen + before.EscalatedDone + before.Acknowledged + before.Dismissed);
        var sameCustomer = toCredit.CustomerId == escalated.CustomerId ? 1 : 0;

        await risk.ReviewAsync(escalated, AnomalyReviewState.Escalated, "call the owner about this month", EscalationTarget.AgentFollowUp, reviewer);
        await risk.ReviewAsync(toCredit, AnomalyReviewState.Escalated, "limit review", EscalationTarget.CreditReview, reviewer);
        if (otherAgents is not null) await risk.ReviewAsync(otherAgents, AnomalyReviewState.Escalated, "agent-2's customer", EscalationTarget.AgentFollowUp, reviewer);

        var one = await Collections.QueueAsync(Agent1, new QueueQuery(QueueFilter.Escalated));
        Assert.Equal(1, one.Counts.Escalated);
        var row = Assert.Single(one.Items);
        Assert.Equal(escalated.CustomerId, row.CustomerId);
        Assert.Equal(rows.Where(r => r.CustomerId == escalated.CustomerId).OrderBy(r => r.DueDate).First().LoanId, row.LoanId);
        var flag = Assert.Single(row.Flags, f => f.Kind == QueueFlagKind.Escalated);
        Assert.Equal("call the owner about this month", flag.Note);
        Assert.Equal("Meera Iyer", flag.By);
        Assert.Contains($"{escalated.Event.KindName} {escalated.Period}", flag.Reasons[0]);
        var two = await Collections.QueueAsync(Agent2, new QueueQuery(QueueFilter.Escalated));
        Assert.All(two.Items, i => Assert.NotEqual(escalated.CustomerId, i.CustomerId));
        Assert.Equal(otherAgents is null ? 0 : 1, two.Counts.Escalated);
        // The escalated event is still unresolved while its follow-up is open.
        Assert.Equal(new AnomalyReviewTally(before.New - 1 - sameCustomer, 0, 0, 1 + sameCustomer, 0), await risk.CustomerAnomaliesAsync(escalated.CustomerId));
        var during = (await Collections.CustomerAsync(Agent1, escalated.CustomerId))!;
        Assert.Contains(during.Flags, f => f.Kind == QueueFlagKind.Escalated && f.Note == "call the owner about this month");

        Assert.Equal(["this escalation is not in your queue"], await Collections.CompleteEscalationAsync(Agent2, "agent2", flag.WorkItemId!.Value, "called"));
        Assert.Equal(["say what was done (the outcome)"], await Collections.CompleteEscalationAsync(Agent1, "agent1", flag.WorkItemId!.Value, " "));
        Assert.Empty(await Collections.CompleteEscalationAsync(Agent1, "agent1", flag.WorkItemId!.Value, "owner explained: a one-off order; EMI covered"));

        Assert.Equal(0, (await Collections.QueueAsync(Agent1, new QueueQuery())).Counts.Escalated);
        await using var check = await Store.DbAsync();
        var item = await check.EscalationWorkItems.SingleAsync(w => w.Id == flag.WorkItemId);
        Assert.Equal((AgentId, "owner explained: a one-off order; EMI covered"), (item.DoneById, item.Outcome));
        var audit = await check.AuditEntries.Where(a => a.Action == "work-item-closed").ToListAsync();
        Assert.Contains(audit, a => a.UserId == AgentId && a.CustomerId == escalated.CustomerId && a.Details!.Contains("AgentFollowUp done (owner explained"));
        // Unresolved: the events nobody decided on and the open escalations; the agent's follow-up, now done, is resolved.
        var after = await risk.CustomerAnomaliesAsync(escalated.CustomerId);
        Assert.Equal(new AnomalyReviewTally(before.New - 1 - sameCustomer, 0, 0, sameCustomer, 1), after);
        var signal = (await Collections.CustomerAsync(Agent1, escalated.CustomerId))!.RiskSignals.Select(s => s.Signal)
            .SingleOrDefault(s => s.Kind == RiskSignalKind.UnresolvedAnomalies);
        if (after.Unresolved == 0) Assert.Null(signal);
        else Assert.Equal($"{after.Unresolved} unresolved anomalies: {after.New} not reviewed yet, {sameCustomer} escalated and still open", signal!.Reasons[0]);
    }

    [Fact]
    public async Task A_revoked_consent_withholds_the_escalated_events_figures_in_both_work_queues_at_the_next_read()
    {
        var risk = Services.GetRequiredService<RiskService>();
        var reviewer = new Reviewer("risk-id", "Meera Iyer");
        await using (var db = await Store.DbAsync())
        {
            db.Users.Add(new Msme.Portal.Data.ApplicationUser { Id = reviewer.UserId, UserName = "risk@msme.local", Email = "risk@msme.local" });
            await db.SaveChangesAsync();
        }
        var events = (await risk.QueueAsync(AnomalyFilter.Open with { Portfolios = [AgentId] }, reviewer, 0, 1000, null, true)).Items;
        var customer = events.GroupBy(e => e.CustomerId).First(g => g.Count() >= 2).ToList();
        var (toAgent, toCredit) = (customer[0], customer[1]);
        await risk.ReviewAsync(toAgent, AnomalyReviewState.Escalated, "call the owner", EscalationTarget.AgentFollowUp, reviewer);
        await risk.ReviewAsync(toCredit, AnomalyReviewState.Escalated, "limit review", EscalationTarget.CreditReview, reviewer);
        var credit = Assert.Single(await risk.WorkItemsAsync(EscalationTarget.CreditReview, includeDone: false));
        Assert.False(WorkItemDisclosure.IsWithheld(credit));
        Assert.True(credit.AmountPaise > 0);
        var shown = Assert.Single((await Collections.CustomerAsync(Agent1, toAgent.CustomerId))!.Flags, f => f.Kind == QueueFlagKind.Escalated);
        Assert.Contains("out of line", shown.Reasons[0]);

        await using (var db = await Store.DbAsync())
        {
            await db.Consents.Where(c => c.CustomerId == toAgent.CustomerId).ExecuteUpdateAsync(u => u.SetProperty(c => c.Status, Msme.Domain.Consent.ConsentStatus.Revoked));
        }

        var withheld = Assert.Single(await risk.WorkItemsAsync(EscalationTarget.CreditReview, includeDone: false));
        Assert.True(WorkItemDisclosure.IsWithheld(withheld));
        Assert.Equal((0L, WorkItemDisclosure.Withheld, WorkItemDisclosure.Withheld, WorkItemDisclosure.Withheld), (withheld.AmountPaise, withheld.Period, withheld.Kind, withheld.Severity));
        Assert.Contains("revoked", withheld.Summary);
        Assert.DoesNotContain(credit.Summary, withheld.Summary);
        Assert.Equal("limit review", withheld.Note);
        var flag = Assert.Single((await Collections.CustomerAsync(Admin, toAgent.CustomerId))!.Flags, f => f.Kind == QueueFlagKind.Escalated);
        Assert.DoesNotContain("out of line", flag.Reasons[0]);
        Assert.DoesNotContain(toAgent.Period, string.Join(" ", flag.Reasons));
        Assert.Equal("call the owner", flag.Note);
        // The item stays workable: the agent closes it, and the audit names the real event.
        Assert.Empty(await Collections.CompleteEscalationAsync(Agent1, "agent1", flag.WorkItemId!.Value, "consent withdrawn; no further action"));
    }

    [Fact]
    public async Task An_escalation_for_a_customer_with_nothing_due_gets_a_follow_up_only_row_in_that_agents_queue()
    {
        int id;
        await using (var db = await Store.DbAsync())
        {
            var customer = new Customer { AaHandle = "nodue@onemoney", LegalName = "Nothing Due Traders", CreatedAt = Store.Clock.GetUtcNow() };
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
            id = customer.Id;
            db.EscalationWorkItems.Add(new EscalationWorkItem
            {
                AnomalyKey = $"{id}|combined|event|inflow-spike|2026-10", CustomerId = id, Target = EscalationTarget.AgentFollowUp, Period = "2026-10",
                Kind = "inflow-spike", Severity = "High", AmountPaise = 10_000_000, Summary = "money came in far above the usual", Note = "call the owner",
                CreatedById = "risk-id", CreatedByName = "Meera Iyer", CreatedAt = Store.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }
        await CollectionsData.AssignAsync(Store, AgentId, id);
        var before = await Collections.QueueAsync(Agent1, new QueueQuery(PageSize: 1000));

        var page = await Collections.QueueAsync(Agent1, new QueueQuery(QueueFilter.Escalated));

        var row = Assert.Single(page.Items);
        Assert.True(row.FollowUpOnly);
        Assert.Equal((id, "Nothing Due Traders", 0, 0m), (row.CustomerId, row.CustomerName, row.LoanKey, row.Emi));
        Assert.Equal("call the owner", Assert.Single(row.Flags).Note);
        Assert.Equal(1, before.Counts.Escalated);
        Assert.Equal(before.WithoutStatement, before.Items.Count(i => i.Probability is null) - 1);
        Assert.Equal(0, (await Collections.QueueAsync(Agent2, new QueueQuery())).Counts.Escalated);
    }

    [Fact]
    public async Task Dismissed_and_acknowledged_events_are_not_unresolved()
    {
        var risk = Services.GetRequiredService<RiskService>();
        var reviewer = new Reviewer("risk-id", "Meera Iyer");
        var events = (await risk.QueueAsync(AnomalyFilter.Open with { Portfolios = [AgentId] }, reviewer, 0, 1000, null, true)).Items;
        var customer = events.GroupBy(e => e.CustomerId).OrderByDescending(g => g.Count()).First();
        var total = customer.Count();
        Assert.Equal(new AnomalyReviewTally(total, 0, 0, 0, 0), await risk.CustomerAnomaliesAsync(customer.Key));

        await risk.ReviewAsync(customer.First(), AnomalyReviewState.Dismissed, "festival stock purchase", null, reviewer);
        if (total > 1) await risk.ReviewAsync(customer.Skip(1).First(), AnomalyReviewState.Acknowledged, null, null, reviewer);

        var tally = await risk.CustomerAnomaliesAsync(customer.Key);
        Assert.Equal(new AnomalyReviewTally(total - Math.Min(total, 2), total > 1 ? 1 : 0, 1, 0, 0), tally);
        var signal = (await Collections.CustomerAsync(Agent1, customer.Key))!.RiskSignals.Select(s => s.Signal).SingleOrDefault(s => s.Kind == RiskSignalKind.UnresolvedAnomalies);
        if (tally.Unresolved == 0) Assert.Null(signal);
        else Assert.StartsWith($"{tally.Unresolved} unresolved anomalies: {tally.Unresolved} not reviewed yet", signal!.Reasons[0]);
    }

    [Fact]
    public async Task Filter_chips_show_each_count_and_a_click_filters_the_queue()
    {
        var rows = (await Collections.QueueAsync(Agent1, new QueueQuery(PageSize: 1000))).Items;
        var broken = await BrokenPromiseAsync(rows);
        Render<MudPopoverProvider>();

        var page = Render<CollectionsPage>();

        page.WaitForAssertion(() => Assert.Equal("1", page.Find("[data-testid=chip-BrokenPromises]").GetAttribute("data-count")), TimeSpan.FromSeconds(10));
        Assert.Equal("0", page.Find("[data-testid=chip-CallbacksDue]").GetAttribute("data-count"));
        Assert.Equal(rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), page.Find("[data-testid=chip-All]").GetAttribute("data-count"));
        Assert.Contains("Broken promises", page.Find("[data-testid=chip-BrokenPromises]").TextContent);

        page.Find("[data-testid=chip-BrokenPromises]").Click();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=queue-table] tbody tr")), TimeSpan.FromSeconds(10));
        var row = page.Find("[data-testid=queue-table] tbody tr");
        Assert.Contains(broken.CustomerName, row.TextContent);
        Assert.Contains($"Broken promise {Msme.Portal.Components.Shared.IndianFormat.Date(Today.AddDays(-2))}", row.QuerySelector("[data-testid=flag-BrokenPromise]")!.TextContent);
    }

    [Fact]
    public async Task History_tab_shows_the_collection_summary_by_loan_and_in_total()
    {
        var customer = (await Collections.QueueAsync(Agent1, new QueueQuery(PageSize: 1000))).Items[0].CustomerId;
        var expected = (await Collections.CustomerAsync(Agent1, customer))!.Summary!;
        Assert.NotEmpty(expected.Loans);
        Assert.Contains(expected.Loans, l => l.Presentments > 0);

        var tab = Render<HistoryTab>(p => p.Add(x => x.CustomerId, customer));

        tab.WaitForAssertion(() => Assert.Equal(expected.Loans.Count, tab.FindAll("[data-testid=summary-loan]").Count), TimeSpan.FromSeconds(10));
        var first = tab.FindAll("[data-testid=summary-loan]")[0];
        var l = expected.Loans[0];
        Assert.Equal(l.LoanId, first.GetAttribute("data-loan"));
        Assert.Equal(l.Presentments.ToString(System.Globalization.CultureInfo.InvariantCulture), first.QuerySelector("[data-testid=summary-presentments]")!.TextContent.Trim());
        Assert.Equal(Msme.Portal.Components.Shared.IndianFormat.Money(l.Collected), first.QuerySelector("[data-testid=summary-collected]")!.TextContent.Trim());
        Assert.Equal(Msme.Portal.Components.Shared.IndianFormat.Money(l.Overdue), first.QuerySelector("[data-testid=summary-overdue]")!.TextContent.Trim());
        var total = tab.Find("[data-testid=summary-total]");
        Assert.Equal(Msme.Portal.Components.Shared.IndianFormat.Money(expected.Total.Collected), total.QuerySelector("[data-testid=summary-collected]")!.TextContent.Trim());
        Assert.Equal(expected.Loans.Sum(x => x.Bounces), expected.Total.Bounces);
    }
}
