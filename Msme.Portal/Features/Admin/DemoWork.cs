using Microsoft.EntityFrameworkCore;
using Msme.Domain;
using Msme.Portal.Data;
using Msme.Portal.Data.Entities;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Risk;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Admin;

/// <summary>
/// The demo's collections work, so an agent signing in has a day's work to do: for agent1, one promise to pay broken
/// (logged five days ago for the day before yesterday, and no payment since), one callback due today (asked for three
/// days ago), and the most severe open anomaly event of a customer in agent1's queue, escalated by the demo risk
/// manager for agent follow-up through the ordinary review. Dates follow the
/// clock, so the work is "today" whatever day the demo (or a test host's pinned clock) starts on. Written once, into a
/// store with no contact yet; each promise is checked against the book and statement by the same rules the queue uses.
/// </summary>
public sealed class DemoWork(IDbContextFactory<ApplicationDbContext> dbFactory, CollectionsService collections, RiskService risk, TimeProvider clock)
{
    public async Task<string> SeedAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.ContactLogs.AnyAsync(ct) || await db.EscalationWorkItems.AnyAsync(ct)) return "contacts already logged: no demo work added";
        var users = await db.Users.Where(u => u.Email == DemoUsers.Agent1 || u.Email == "risk@msme.local")
            .ToDictionaryAsync(u => u.Email!, u => (u.Id, Name: u.DisplayName ?? u.Email!), ct);
        if (!users.TryGetValue(DemoUsers.Agent1, out var agent) || !users.TryGetValue("risk@msme.local", out var reviewer)) return "no demo agent or risk manager";

        var viewer = new CollectionsViewer(agent.Id, false);
        var queue = await collections.QueueAsync(viewer, new QueueQuery(PageSize: 10_000), ct);
        var today = IndianTime.Today(clock);
        // Scored rows first (a promise is judged against the statement), the most overdue first; the customer on top of
        // the queue last, so a contact logged from the first row (the first thing a new agent tries) leaves this work standing.
        var top = queue.Items.FirstOrDefault()?.CustomerId;
        var candidates = queue.Items.Where(i => i.Probability is not null).OrderByDescending(i => i.Dpd).ThenBy(i => i.CustomerId)
            .Concat(queue.Items.Where(i => i.Probability is null))
            .OrderBy(i => i.CustomerId == top ? 1 : 0).ToList();
        var done = new List<string>();
        var used = new HashSet<int>();

        foreach (var row in candidates.DistinctBy(i => i.CustomerId))
        {
            var id = await LogAsync(db, agent, row, daysAgo: 5, Disposition.PromiseToPay, today.AddDays(-2), row.Emi, null,
                "owner promised to pay the EMI after the weekly market", ct);
            if ((await collections.CustomerAsync(viewer, row.CustomerId, ct))?.Flags.Any(f => f.Kind == QueueFlagKind.BrokenPromise) == true)
            {
                used.Add(row.CustomerId);
                done.Add($"broken promise: customer {row.CustomerId}");
                break;
            }
            // The statement shows a payment in the promise's span: not a broken promise; try the next customer.
            await db.ContactLogs.Where(c => c.Id == id).ExecuteDeleteAsync(ct);
        }
        // Another customer when agent1 has one besides the top of the queue; else the broken promise's customer (a
        // callback asked for while a promise stood); never the top row's, whose first contact would answer it.
        if ((candidates.FirstOrDefault(i => !used.Contains(i.CustomerId) && i.CustomerId != top)
                ?? candidates.FirstOrDefault(i => used.Contains(i.CustomerId))
                ?? candidates.FirstOrDefault()) is { } callback)
        {
            await LogAsync(db, agent, callback, daysAgo: 3, Disposition.Callback, null, null, today,
                "accountant asked for a call back after 4 pm about the due EMI", ct);
            used.Add(callback.CustomerId);
            done.Add($"callback due today: customer {callback.CustomerId}");
        }

        // The most severe open event of a customer with rows in agent1's queue; else of any of agent1's customers (the
        // queue then lists the customer for the follow-up alone).
        var inQueue = queue.Items.Select(i => i.CustomerId).ToHashSet();
        var events = await risk.QueueAsync(AnomalyFilter.Open with { Portfolios = [agent.Id] }, new Reviewer(reviewer.Id, reviewer.Name), 0, 1000, null, true, ct);
        if ((events.Items.FirstOrDefault(e => inQueue.Contains(e.CustomerId)) ?? events.Items.FirstOrDefault()) is { } anomaly)
        {
            await risk.ReviewAsync(anomaly, AnomalyReviewState.Escalated,
                "please call the owner: ask what this was and whether the next EMI is covered", EscalationTarget.AgentFollowUp, new Reviewer(reviewer.Id, reviewer.Name), ct);
            done.Add($"escalation: customer {anomaly.CustomerId} {anomaly.Event.KindName} {anomaly.Period}");
        }
        return string.Join("; ", done);
    }

    private async Task<long> LogAsync(ApplicationDbContext db, (string Id, string Name) agent, QueueItem row, int daysAgo, Disposition disposition,
        DateOnly? ptpDate, decimal? ptpAmount, DateOnly? followUp, string notes, CancellationToken ct)
    {
        // Late morning IST of that day: when field agents call.
        var day = IndianTime.Today(clock).AddDays(-daysAgo);
        var contact = new ContactLog
        {
            CustomerId = row.CustomerId, LoanKey = row.LoanKey, AgentUserId = agent.Id, AgentName = agent.Name,
            At = new DateTimeOffset(day.ToDateTime(new TimeOnly(11, 30)), IndianTime.Offset),
            Disposition = disposition, PtpDate = ptpDate, PtpAmountPaise = ptpAmount is { } a ? LoanMapping.Paise(a) : null,
            Notes = notes, NextFollowUp = followUp,
        };
        db.ContactLogs.Add(contact);
        await db.SaveChangesAsync(ct);
        return contact.Id;
    }
}
