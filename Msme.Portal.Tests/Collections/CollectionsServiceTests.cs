using Microsoft.EntityFrameworkCore;
using Msme.Domain.Collections;
using Disposition = Msme.Portal.Data.Entities.Disposition;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Collections;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Collections;

/// <summary>Six demo customers with their loan book; agent-1 works the even customer ids, agent-2 the odd ones.</summary>
public sealed class CollectionsServiceTests : IAsyncLifetime
{
    private static readonly CollectionsViewer Agent1 = new("agent-1", false), Agent2 = new("agent-2", false), Admin = new("admin", true);
    private TestStore _store = null!;
    private int[] _customers = [];

    private CollectionsService Service => new(_store.DbFactory, new ConsentGate(_store.DbFactory, new AnalysisCache(), _store.Clock), _store.Clock);

    public async Task InitializeAsync()
    {
        _store = await TestStore.CreateAsync();
        var book = await CollectionsData.ImportDemoBundlesAsync(_store);
        await new LoanBookImporter(_store.DbFactory, _store.Clock).ImportFileAsync(book, "test");
        await using var db = await _store.DbAsync();
        _customers = await db.Customers.OrderBy(c => c.Id).Select(c => c.Id).ToArrayAsync();
        await CollectionsData.AssignAsync(_store, "agent-1", [.. _customers.Where(id => id % 2 == 0)]);
        await CollectionsData.AssignAsync(_store, "agent-2", [.. _customers.Where(id => id % 2 == 1)]);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task Agents_see_only_their_portfolio_and_admins_see_both()
    {
        var all = await Service.QueueAsync(Admin, new QueueQuery(PageSize: 1000));
        var one = await Service.QueueAsync(Agent1, new QueueQuery(PageSize: 1000));
        var two = await Service.QueueAsync(Agent2, new QueueQuery(PageSize: 1000));

        Assert.NotEmpty(one.Items);
        Assert.NotEmpty(two.Items);
        Assert.All(one.Items, i => Assert.Equal(0, i.CustomerId % 2));
        Assert.All(two.Items, i => Assert.Equal(1, i.CustomerId % 2));
        Assert.Equal(all.TotalItems, one.TotalItems + two.TotalItems);
        var other = two.Items[0].CustomerId;
        Assert.Null(await Service.CustomerAsync(Agent1, other));
        Assert.Null(await Service.WhatIfAsync(Agent1, other, two.Items[0].LoanKey, 5, PresentmentChannel.ENach));
        var refused = await Service.LogContactAsync(Agent1, "agent1", new ContactInput { CustomerId = other, Disposition = Disposition.Reached });
        Assert.False(refused.Saved);
        Assert.Equal(["this customer is not in your portfolio"], refused.Errors);
    }

    [Fact]
    public async Task A_loan_view_carries_its_accounts_balances_for_the_chart_not_the_account()
    {
        // A circuit keeps its tab's loan views while open: they hold the chart's daily balances, not every transaction.
        Assert.DoesNotContain(typeof(LoanView).GetProperties(), p => p.PropertyType == typeof(Msme.Domain.Ingestion.DepositAccount));
        var gate = new ConsentGate(_store.DbFactory, new AnalysisCache(), _store.Clock);
        var charted = 0;
        foreach (var id in _customers)
        {
            var plan = await Service.CustomerAsync(Admin, id);
            var accounts = await gate.LoadCustomerAsync(id);
            foreach (var loan in plan!.Loans)
            {
                var account = accounts.Select(a => a.Account).FirstOrDefault(loan.Loan.IsCollectedFrom);
                Assert.Equal(account is null, loan.Balances is null);
                Assert.Equal(account?.Holders.Select(h => h.Mobile).FirstOrDefault(m => !string.IsNullOrWhiteSpace(m)), loan.HolderMobile);
                if (account is null) continue;
                foreach (var next in loan.Upcoming)
                {
                    // The chart drawn from the view's history is the chart drawn from the whole account, figure for figure.
                    var fromView = BalanceOutlookChart.Build(loan.Balances!, 10, loan.Loan, next, plan.AsOf);
                    var fromAccount = BalanceOutlookChart.Build(account, 10, loan.Loan, next, plan.AsOf);
                    Assert.Equal(fromAccount.Labels, fromView.Labels);
                    Assert.Equal(fromAccount.Series.Select(l => l.Values), fromView.Series.Select(l => l.Values));
                    Assert.Contains(fromView.Series[0].Values, v => v is not null);
                    charted++;
                }
                // Only the days the charts show: from the earliest chart's first day to the day before the as-of date.
                var first = loan.Upcoming.Select(u => BalanceHistory.From(plan.AsOf, u.DueDate)).DefaultIfEmpty(BalanceHistory.From(plan.AsOf, plan.AsOf)).Min();
                Assert.True(loan.Balances!.Daily.First >= first, $"{loan.Balances.Daily.First} before {first}");
                Assert.True(loan.Balances.Daily.Last < plan.AsOf);
            }
        }
        Assert.True(charted > 0);
    }

    [Fact]
    public async Task Queue_is_sorted_by_risk_times_emi_and_each_figure_has_reasons()
    {
        var page = await Service.QueueAsync(Admin, new QueueQuery(PageSize: 1000));

        Assert.Equal(new DateOnly(2026, 11, 1), page.AsOf);
        // Scored rows riskiest first; rows without a statement are one group after them, never ranked as if known.
        var scored = page.Items.Count(i => i.Probability is not null);
        Assert.All(page.Items.Skip(scored), i => Assert.Null(i.Probability));
        Assert.Equal(page.Items.Count - scored, page.WithoutStatement);
        var risk = page.Items.Take(scored).Select(i => i.RiskAmount).ToList();
        Assert.Equal(risk.OrderByDescending(r => r), risk);
        var top = page.Items[0];
        Assert.Equal(Math.Round((decimal)(1 - top.Probability!.Value) * top.Emi, 2), top.RiskAmount);
        Assert.All(page.Items, i =>
        {
            Assert.NotEqual(CollectionStatus.Collected, i.Status);
            Assert.True(i.DueDate <= page.AsOf.AddDays(30));
            Assert.Contains(i.Reasons, r => r.StartsWith("due-date probability", StringComparison.Ordinal));
        });
        Assert.Equal(page.Items.Sum(i => i.Emi), page.TotalEmi);

        var byDue = await Service.QueueAsync(Admin, new QueueQuery(SortBy: "due", Descending: false, PageSize: 3));
        Assert.Equal(page.Items.Min(i => i.DueDate), byDue.Items[0].DueDate);
        Assert.Equal(page.TotalItems, byDue.TotalItems);
        Assert.Equal(3, byDue.Items.Count);
    }

    [Fact]
    public async Task A_later_loan_book_shows_in_the_cached_queue_at_once()
    {
        var service = Service; // one cache across the calls, as in the app
        var before = await service.QueueAsync(Admin, new QueueQuery(PageSize: 1000));
        // The demo book has overdue loans of its own: the target is the riskiest loan with nothing overdue.
        var overdueBefore = before.Items.Where(i => i.Status == CollectionStatus.Overdue).Select(i => i.LoanKey).ToHashSet();
        var target = before.Items.First(i => !overdueBefore.Contains(i.LoanKey));
        await using (var db = await _store.DbAsync())
        {
            // October's instalment of the top loan is restated as bounced: it becomes overdue on 1 Nov.
            var instalment = await db.LoanInstalments.Where(i => i.LoanKey == target.LoanKey && i.DueDate < new DateOnly(2026, 11, 1))
                .OrderByDescending(i => i.DueDate).FirstAsync();
            instalment.Outcome = InstalmentOutcome.Bounced;
            instalment.PaidPaise = 0;
            instalment.AttemptsJson = "[]";
            (await db.Loans.SingleAsync(l => l.Id == target.LoanKey)).UpdatedAt = _store.Clock.GetUtcNow().AddMinutes(1);
            await db.SaveChangesAsync();
        }

        var after = await service.QueueAsync(Admin, new QueueQuery(QueueFilter.Overdue, PageSize: 1000));

        var overdue = Assert.Single(after.Items, i => i.LoanKey == target.LoanKey);
        Assert.True(overdue.Dpd > 0);
        Assert.Equal(overdueBefore, after.Items.Where(i => i.LoanKey != target.LoanKey).Select(i => i.LoanKey).ToHashSet());
    }

    [Fact]
    public async Task The_as_of_date_follows_newer_bank_data_through_a_shared_cache()
    {
        // One cache for both calls, as in the app (a singleton): the latest statement end it keeps must not outlive an import.
        var service = new CollectionsService(_store.DbFactory, new ConsentGate(_store.DbFactory, new AnalysisCache(), _store.Clock), _store.Clock);
        _store.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 10, 6, 0, 0, TimeSpan.Zero));
        var before = await service.QueueAsync(Admin, new QueueQuery(PageSize: 1));
        Assert.Equal(new DateOnly(2026, 11, 1), before.AsOf);

        // Two more customers (another seed) whose statements run a month further.
        var later = Path.Combine(_store.Directory, "later");
        var outcomes = await _store.Importer.ImportManyAsync(
            Msme.Portal.Features.Admin.DemoDataset.Write(new Msme.Domain.DemoData.DemoOptions(new DateOnly(2026, 11, 30), 2, 8, 7), later), null, "test");
        Assert.Contains(outcomes, o => o.Status == Msme.Portal.Features.Ingestion.ImportStatus.Imported);

        var after = await service.QueueAsync(Admin, new QueueQuery(PageSize: 1));
        Assert.Equal(new DateOnly(2026, 12, 1), after.AsOf);
    }

    [Fact]
    public async Task Filters_narrow_to_the_next_seven_days_and_to_a_status()
    {
        var all = await Service.QueueAsync(Admin, new QueueQuery(PageSize: 1000));

        var week = await Service.QueueAsync(Admin, new QueueQuery(QueueFilter.Next7Days, PageSize: 1000));
        var status = all.Items[0].Status;
        var same = await Service.QueueAsync(Admin, new QueueQuery(Status: status, PageSize: 1000));

        Assert.Equal(all.Items.Count(i => i.DueDate >= all.AsOf && i.DueDate <= all.AsOf.AddDays(7)), week.TotalItems);
        Assert.Equal(all.Items.Count(i => i.Status == status), same.TotalItems);
    }

    [Fact]
    public async Task Customer_panel_has_loans_reconciliation_and_a_what_if_backtest_sentence()
    {
        var item = (await Service.QueueAsync(Agent1, new QueueQuery())).Items[0];

        var panel = await Service.CustomerAsync(Agent1, item.CustomerId);
        var whatIf = await Service.WhatIfAsync(Agent1, item.CustomerId, item.LoanKey, 9, PresentmentChannel.ENach);

        Assert.NotNull(panel);
        var loan = Assert.Single(panel.Loans, l => l.LoanKey == item.LoanKey);
        Assert.Contains(loan.Upcoming, u => u.InstalmentNumber == item.InstalmentNumber);
        Assert.NotNull(loan.Reconciliation);
        Assert.Equal(0, loan.Reconciliation.Disagreements); // the demo book agrees with its statements
        Assert.NotNull(whatIf);
        Assert.Equal(9, whatIf.PresentmentDay);
        Assert.StartsWith($"presenting on day 9 would have collected {whatIf.MonthsCollected} of {whatIf.Months} complete months; the due date", whatIf.Reasons[0]);
    }

    [Fact]
    public async Task Contact_validation_names_what_is_wrong()
    {
        var customer = _customers.First(id => id % 2 == 0);

        var noDisposition = await Service.LogContactAsync(Agent1, "a", new ContactInput { CustomerId = customer });
        var pastPtp = await Service.LogContactAsync(Agent1, "a", new ContactInput { CustomerId = customer, Disposition = Disposition.PromiseToPay, PtpDate = new DateOnly(2026, 10, 30), PtpAmount = 0 });
        var ptpOnReached = await Service.LogContactAsync(Agent1, "a", new ContactInput { CustomerId = customer, Disposition = Disposition.Reached, PtpAmount = 100 });

        Assert.Equal(["choose a disposition"], noDisposition.Errors);
        Assert.Equal(["the PTP date cannot be before today (01 Nov 2026)", "the PTP amount must be more than ₹0"], pastPtp.Errors);
        Assert.Equal(["a PTP date and amount go only with the PromiseToPay disposition"], ptpOnReached.Errors);
        await using var db = await _store.DbAsync();
        Assert.Equal(0, await db.ContactLogs.CountAsync());
    }
}
