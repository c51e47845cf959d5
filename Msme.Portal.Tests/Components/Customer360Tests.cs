using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain;
using Msme.Domain.Privacy;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Customers;
using Msme.Portal.Tests.Collections;
using Msme.Portal.Tests.Infrastructure;
using Disposition = Msme.Portal.Data.Entities.Disposition;
using IndianFormat = Msme.Portal.Components.Shared.IndianFormat;

namespace Msme.Portal.Tests.Components;

/// <summary>
/// The customer 360 over six demo customers imported through the real importers with the demo loan book; agent1
/// (user id agent-1) works the even ids. Every figure is checked against the feature services' own answer.
/// </summary>
public sealed class Customer360Tests : PortalComponentTest
{
    private const string AgentId = "agent-1";
    private int _customer;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CollectionsData.ImportDemoWithPortfoliosAsync(Store, AgentId);
        SignIn(Roles.Agent);
        // The riskiest instalment of agent1's queue: a customer with something to collect.
        _customer = (await Collections().QueueAsync(new CollectionsViewer(AgentId, false), new QueueQuery())).Items[0].CustomerId;
    }

    private void SignIn(string role)
    {
        Auth.SetAuthorized(role == Roles.Agent ? "agent1@msme.local" : $"{role.ToLowerInvariant()}@msme.local");
        Auth.SetRoles(role);
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, role == Roles.Agent ? AgentId : "user-" + role));
    }

    private CollectionsService Collections() => Services.GetRequiredService<CollectionsService>();

    private async Task<CustomerCollections> ExpectedAsync() => (await Collections().CustomerAsync(new CollectionsViewer(AgentId, false), _customer))!;

    private IRenderedComponent<CustomerPage> Open(string? tab = null) =>
        Render<CustomerPage>(p => p.Add(x => x.Id, _customer).Add(x => x.Tab, tab));

    private static void WaitForTab(IRenderedComponent<CustomerPage> page, string slug) =>
        page.WaitForAssertion(() => Assert.Equal(slug, page.Find("[data-testid=customer-tab-content]").GetAttribute("data-tab")));

    [Theory]
    [InlineData(Roles.Agent, "smart-collect,upcoming,recommendations,insights,history,explain,accounts")]
    [InlineData(Roles.RiskManager, "smart-collect,upcoming,recommendations,insights,history,explain,products,accounts")]
    [InlineData(Roles.Compliance, "insights,explain,accounts,raw")]
    [InlineData(Roles.Admin, "smart-collect,upcoming,recommendations,insights,history,explain,products,accounts,raw")]
    public void Each_role_sees_only_the_tabs_it_may_open_and_lands_on_the_first(string role, string tabs)
    {
        SignIn(role);

        var page = Open();

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=customer-tabs] a")));
        var links = page.FindAll("[data-testid=customer-tabs] a");
        Assert.Equal(tabs, string.Join(",", links.Select(a => a.GetAttribute("data-testid")!["tab-".Length..])));
        Assert.All(links, a => Assert.Equal($"customers/{_customer}/{a.GetAttribute("data-testid")!["tab-".Length..]}", a.GetAttribute("href")));
        var first = tabs.Split(',')[0];
        WaitForTab(page, first);
        Assert.Equal("true", page.Find($"[data-testid=tab-{first}]").GetAttribute("aria-selected"));
        Assert.Single(page.FindAll("[data-testid=customer-tabs] [aria-selected=true]"));
    }

    [Fact]
    public async Task Smart_collect_dashboard_shows_the_next_instalments_figures_risk_signals_and_a_timeline()
    {
        var expected = await ExpectedAsync();
        var next = expected.Loans.SelectMany(l => l.Upcoming).OrderBy(u => u.DueDate).ThenBy(u => u.LoanId, StringComparer.Ordinal).First();

        var page = Open();

        page.WaitForAssertion(() => Assert.Equal(IndianFormat.Money(next.Emi), page.Find("[data-testid=kpi-next-emi]").TextContent), TimeSpan.FromSeconds(20));
        Assert.Equal(CollectionFormat.Probability(next.Probability), page.Find("[data-testid=kpi-success-probability]").TextContent);
        Assert.Equal(IndianFormat.Money(next.ExpectedBalance), page.Find("[data-testid=kpi-balance-estimate]").TextContent);
        Assert.Equal(CollectionFormat.Window(next.Window), page.Find("[data-testid=kpi-recommended-window]").TextContent);
        Assert.Equal(expected.Loans.Max(l => l.Delinquency.Dpd).ToString(), page.Find("[data-testid=kpi-days-past-due]").TextContent);
        Assert.Contains($"{next.LoanId} #{next.InstalmentNumber} due {IndianFormat.Date(next.DueDate)}", page.Find("[data-testid=smart-collect-kpis]").TextContent);
        var signals = page.Find("[data-testid=risk-signals]").TextContent;
        Assert.All(expected.RiskSignals, s => Assert.Contains(s.Signal.Reasons[0], signals));
        var timeline = page.FindAll("[data-testid=timeline-item]").Select(i => i.TextContent).ToList();
        Assert.Contains(timeline, t => t.Contains($"{next.LoanId} EMI #{next.InstalmentNumber}") && t.Contains("upcoming"));
        var lastPast = expected.Loans[0].Loan.Instalments.Where(i => i.DueDate < expected.AsOf).MaxBy(i => i.DueDate)!;
        Assert.Contains(timeline, t => t.Contains($"{expected.Loans[0].Loan.LoanId} EMI #{lastPast.Number}") && t.Contains(Msme.Domain.Collections.LoanBookCodes.Of(lastPast.Outcome)));
        // Only the active tab loaded: nothing of the other tabs is in the page.
        Assert.Empty(page.FindAll("[data-testid=transactions-table]"));
        Assert.Empty(page.FindAll("[data-testid=contact-history]"));
    }

    [Fact]
    public async Task Upcoming_charts_each_repayment_accounts_balance_with_due_dates_the_window_and_the_estimate()
    {
        var expected = await ExpectedAsync();
        var next = expected.Loans.SelectMany(l => l.Upcoming).OrderBy(u => u.DueDate).ThenBy(u => u.LoanId, StringComparer.Ordinal).First();
        var loan = expected.Loans.Single(l => l.LoanKey == next.LoanKey).Loan;
        var stored = await Services.GetRequiredService<Msme.Portal.Features.Analytics.ConsentGate>().LoadCustomerAsync(_customer);
        var account = stored.Single(a => a.Account.MaskedAccNumber == loan.MaskedAccNumber).Account;
        var chart = $"chart-balance-{loan.LoanId}";
        var page = Open("upcoming");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll($"[data-testid={chart}]")), TimeSpan.FromSeconds(20));
        // One chart per loan with something upcoming.
        Assert.Equal(expected.Loans.Count(l => l.Upcoming.Count > 0), page.FindAll("[data-testid^=chart-balance-]").Count(e => !e.GetAttribute("data-testid")!.EndsWith("-toggle")));

        page.Find($"input[data-testid={chart}-toggle]").Change(true);

        var rows = page.FindAll($"[data-testid={chart}-table] tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent).ToList()).ToList();
        var first = expected.AsOf.AddDays(-BalanceOutlookChart.HistoryDays);
        Assert.Equal(first.ToString("dd MMM yyyy", System.Globalization.CultureInfo.InvariantCulture), rows[0][0]);
        Assert.Equal(new[] { next.DueDate, next.Window!.To }.Max().AddDays(2).ToString("dd MMM yyyy", System.Globalization.CultureInfo.InvariantCulture), rows[^1][0]);
        // The line is the contract's daily closing balance of the loan's account plus its OD limit (the forecast's basis).
        var lastDay = expected.AsOf.AddDays(-1);
        var daily = Msme.Domain.Analytics.Cashflow.CashflowAnalyzer.DailyBalances(account, lastDay, lastDay);
        var lastRow = rows[BalanceOutlookChart.HistoryDays - 1];
        var limit = account.Summary?.CurrentOdLimit is > 0 and var od ? od : 0m;
        Assert.Equal(IndianFormat.Compact(Math.Round((daily.Values[0] + limit) / 1_00_000m, 4) * 1_00_000m), lastRow[1]);
        // A due date of the loan in view carries its balance; the coming due date carries the estimate; the window its days.
        var pastDue = loan.DueDateIn(lastDay.Year, lastDay.Month) <= lastDay ? loan.DueDateIn(lastDay.Year, lastDay.Month) : loan.DueDateIn(lastDay.AddMonths(-1).Year, lastDay.AddMonths(-1).Month);
        var dueRow = rows[pastDue.DayNumber - first.DayNumber];
        Assert.Equal(dueRow[1], dueRow[2]);
        Assert.NotEqual(IndianFormat.Missing, dueRow[2]);
        var estimateRow = rows[next.DueDate.DayNumber - first.DayNumber];
        Assert.Equal(IndianFormat.Compact(Math.Round(next.ExpectedBalance!.Value / 1_00_000m, 4) * 1_00_000m), estimateRow[4]);
        Assert.Equal(next.Window.Days, rows.Count(r => r[5] == "in window"));
        Assert.Equal("in window", rows[next.Window.From.DayNumber - first.DayNumber][5]);
        Assert.Contains($"Due dates in view: ", page.Find("[data-testid=balance-outlook-legend]").TextContent);
    }

    [Fact]
    public async Task The_balance_chart_of_a_long_overdue_instalment_starts_before_its_due_date_and_ends_after_the_as_of_date()
    {
        var expected = await ExpectedAsync();
        var next = expected.Loans.SelectMany(l => l.Upcoming).First();
        var loan = expected.Loans.Single(l => l.LoanKey == next.LoanKey).Loan;
        var stored = await Services.GetRequiredService<Msme.Portal.Features.Analytics.ConsentGate>().LoadCustomerAsync(_customer);
        var account = stored.Single(a => a.Account.MaskedAccNumber == loan.MaskedAccNumber).Account;
        var overdue = next with { DueDate = expected.AsOf.AddDays(-120), Window = null, ExpectedBalance = null };

        var model = BalanceOutlookChart.Build(account, 10, loan, overdue, expected.AsOf);

        Assert.Equal(overdue.DueDate.AddDays(-5).ToString("dd MMM yyyy", System.Globalization.CultureInfo.InvariantCulture), model.Labels[0]);
        Assert.Equal(expected.AsOf.AddDays(2).ToString("dd MMM yyyy", System.Globalization.CultureInfo.InvariantCulture), model.Labels[^1]);
        Assert.Null(model.Window);
        Assert.All(model.Series[4].Values, v => Assert.Null(v));
    }

    [Fact]
    public async Task Deep_link_to_history_shows_instalments_bucket_moves_and_the_promise_logged_as_open()
    {
        var expected = await ExpectedAsync();
        var loan = expected.Loans[0];
        await Collections().LogContactAsync(new CollectionsViewer(AgentId, false), "agent1@msme.local",
            new ContactInput { CustomerId = _customer, LoanKey = loan.LoanKey, Disposition = Disposition.PromiseToPay, PtpDate = new DateOnly(2026, 11, 6), PtpAmount = loan.Loan.Emi });

        var page = Open("history");

        WaitForTab(page, "history");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=instalment-history]")), TimeSpan.FromSeconds(20));
        Assert.Equal("true", page.Find("[data-testid=tab-history]").GetAttribute("aria-selected"));
        Assert.Equal("Open", page.Find("[data-testid=ptp-chip]").TextContent.Trim());
        Assert.Contains("PTP date 2026-11-06 is 5 days away", page.Find("[data-testid=contact-history]").TextContent);
        Assert.Contains(IndianFormat.Money(loan.Loan.Emi), page.Find("[data-testid=contact-history]").TextContent);
        Assert.Equal(loan.Loan.Instalments.Count(i => i.DueDate < loan.Delinquency.AsOf), page.FindAll("[data-testid=instalment-history]")[0].QuerySelectorAll("tbody tr").Length);
        var moves = page.FindAll("[data-testid=bucket-moves]")[0].QuerySelectorAll("li").Select(li => li.TextContent).ToList();
        Assert.Equal(loan.BucketMoves.Count, moves.Count);
        Assert.All(loan.BucketMoves.Zip(moves), m => Assert.Contains(m.First.Reason, m.Second));
        Assert.Contains("1", page.Find("[data-testid=history-summary]").TextContent);
    }

    [Fact]
    public async Task Upcoming_tab_shows_every_loan_with_its_instalments_and_reconciliation()
    {
        var expected = await ExpectedAsync();

        var page = Open("upcoming");

        page.WaitForAssertion(() => Assert.Equal(expected.Loans.Count, page.FindAll("[data-testid=loan-card]").Count), TimeSpan.FromSeconds(20));
        Assert.Equal(expected.Loans.Sum(l => l.Upcoming.Count), page.FindAll("[data-testid=upcoming-row]").Count);
        var first = expected.Loans.First(l => l.Upcoming.Count > 0).Upcoming[0];
        Assert.Contains($"#{first.InstalmentNumber} due {IndianFormat.Date(first.DueDate)}", page.FindAll("[data-testid=upcoming-row]")[0].TextContent);
        Assert.Contains(CollectionFormat.Probability(first.Probability), page.FindAll("[data-testid=upcoming-row]")[0].TextContent);
        Assert.Contains("instalments agree with the statement", page.Find("[data-testid=reconciliation]").TextContent);
    }

    [Fact]
    public async Task Recommendations_tab_shows_each_action_with_its_reasons_and_a_what_if()
    {
        var expected = await ExpectedAsync();
        var item = expected.Loans.SelectMany(l => l.Upcoming).First(u => u.Top is not null);

        var page = Open("recommendations");

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=top-action]")), TimeSpan.FromSeconds(20));
        Assert.Contains(CollectionFormat.Action(item.Top!), page.FindAll("[data-testid=top-action]").Select(a => a.TextContent.Trim()));
        Assert.Contains(item.Top!.Reasons[0], page.Markup);
        Assert.Contains("What if: present on another day or channel", page.Markup);
    }

    [Fact]
    public async Task Insights_tab_shows_the_contract_figures_with_counterparties_masked_for_an_agent()
    {
        var view = (await Services.GetRequiredService<InsightsService>().GetAsync(_customer, null))!;
        var legalName = view.Insights.Combined.MaskedAccNumber + (await Services.GetRequiredService<CustomerService>().GetAsync(_customer))!.Customer.LegalName;
        var party = view.Insights.Combined.Counterparties.InByValue.First(p => p.Name.Length > 3 && !legalName.Contains(p.Name, StringComparison.OrdinalIgnoreCase));

        var page = Open("insights");

        page.WaitForAssertion(() => Assert.Equal(IndianFormat.Money(view.Insights.Combined.Contract.Metrics.AvgMonthlyInflow),
            page.Find("[data-testid=metric-avg-monthly-inflow]").TextContent), TimeSpan.FromSeconds(20));
        Assert.Equal(view.Insights.Combined.Contract.Monthly.Count, page.FindAll("[data-testid=monthly-table] tbody tr").Count);
        // The explanations have their own tab.
        Assert.DoesNotContain(">Explainability<", page.Find("[data-testid=insights-tabs]").OuterHtml);
        Assert.DoesNotContain(party.Name, page.Markup);
    }

    [Fact]
    public async Task Explain_tab_drills_from_a_figure_to_its_months_and_their_transactions()
    {
        var view = (await Services.GetRequiredService<InsightsService>().GetAsync(_customer, null))!;
        var combined = view.Insights.Combined;
        var explanations = combined.ExplainAll();
        var average = explanations.First(e => e.Figure == "avgMonthlyInflow");
        var month = combined.Contract.Monthly.First(m => m.Complete);
        var lines = combined.Transactions.Where(t => t.Month == month.Month).ToList();

        var page = Open("explain");

        page.WaitForAssertion(() => Assert.Equal(explanations.Count, page.Find("[data-testid=explanations]").Children.Length), TimeSpan.FromSeconds(20));
        var panel = page.FindAll("[data-testid=explanations] .mud-expand-panel").First(p => p.TextContent.Contains($"avgMonthlyInflow = {average.Result}"));
        panel.QuerySelector(".mud-expand-panel-header")!.Click();
        page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-testid=drill-month]"), c => c.TextContent.Trim() == month.Month.ToString()));
        page.FindAll("[data-testid=drill-month]").First(c => c.TextContent.Trim() == month.Month.ToString()).Click();

        page.WaitForAssertion(() => Assert.Contains(IndianFormat.Money(month.Inflow), page.Find("[data-testid=month-drill]").TextContent));
        var rows = page.FindAll("[data-testid=month-transactions] tbody tr");
        Assert.Equal(lines.Count, rows.Count);
        Assert.Contains(lines[0].Txn.TxnId, rows[0].TextContent);
        // An agent sees narrations masked (counterparties are not theirs to see).
        var named = lines.First(l => Masking.Narration(l.Txn.Narration) != l.Txn.Narration);
        Assert.Contains(Masking.Narration(named.Txn.Narration)!, page.Find("[data-testid=month-transactions]").TextContent);
        Assert.DoesNotContain(named.Txn.Narration!, page.Find("[data-testid=month-transactions]").TextContent);
        // The Smart Collect figures follow with their reasons.
        page.WaitForAssertion(() => Assert.Contains("probability =", page.Find("[data-testid=smart-collect-explanations]").TextContent));
    }

    [Fact]
    public async Task Explain_tab_lists_the_transactions_an_explanation_names_by_txn_id()
    {
        var combined = (await Services.GetRequiredService<InsightsService>().GetAsync(_customer, null))!.Insights.Combined;
        var ids = combined.Transactions.Select(t => t.Txn.TxnId).ToHashSet();
        var (explanation, named) = combined.ExplainAll()
            .Select(e => (e, Named: e.Inputs.SelectMany(i => i.Label.Split([' ', '(', ')', ','])).Where(ids.Contains).Distinct().ToList()))
            .First(x => x.Named.Count > 0);

        var page = Open("explain");

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=explanations] .mud-expand-panel")), TimeSpan.FromSeconds(20));
        Assert.Empty(page.FindAll("[data-testid=drill-named-transactions]"));
        page.FindAll("[data-testid=explanations] .mud-expand-panel").First(p => p.TextContent.Contains($"{explanation.Figure} = {explanation.Result}"))
            .QuerySelector(".mud-expand-panel-header")!.Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=drill-named-transactions] tbody tr")));
        // Only the opened figure rendered its drill.
        Assert.Single(page.FindAll("[data-testid=drill-named-transactions]"));
        var rows = page.FindAll("[data-testid=drill-named-transactions] tbody tr");
        Assert.Equal(named.Count, rows.Count);
        Assert.All(named.Zip(rows), x => Assert.Contains(x.First, x.Second.TextContent));
    }

    [Fact]
    public async Task Accounts_tab_shows_each_account_and_its_transactions()
    {
        // The first account's transactions that some use may read now (the consent gate): a page of 25 when it has that many.
        var first = (await Services.GetRequiredService<CustomerService>().GetAsync(_customer))!.Accounts[0];
        Assert.True(first.Transactions >= 25, $"account {first.MaskedAccNumber} has {first.Transactions} usable transactions");

        var page = Open("accounts");

        page.WaitForAssertion(() => Assert.Equal(25, page.FindAll("[data-testid=transactions-table] tbody tr").Count), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Compliance_opens_the_raw_aa_data_tab()
    {
        SignIn(Roles.Compliance);
        await using var db = await Store.DbAsync();
        var files = await db.FetchSessions.CountAsync(s => s.Consent!.CustomerId == _customer);

        var page = Open("raw");

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=raw-files] tbody tr")), TimeSpan.FromSeconds(20));
        Assert.True(page.FindAll("[data-testid=raw-files] tbody tr").Count >= files);
    }

    [Fact]
    public async Task An_agent_deep_linking_to_raw_aa_data_gets_not_available_and_the_attempt_is_audited()
    {
        var page = Open("raw");

        page.WaitForAssertion(() => Assert.Contains("Not available for your role", page.Find("[data-testid=tab-refused]").TextContent));
        Assert.Contains("Raw AA data is shown to Compliance, Admin only", page.Find("[data-testid=tab-refused]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=raw-files]"));
        Assert.Empty(page.FindAll("[data-testid=tab-raw]"));
        Assert.Empty(page.FindAll("[data-testid=customer-tabs] [aria-selected=true]"));
        await using var db = await Store.DbAsync();
        var refused = await db.AuditEntries.SingleAsync(e => e.Action == "access-refused");
        Assert.Equal((_customer, $"/customers/{_customer}/raw", "agent1@msme.local"), (refused.CustomerId!.Value, refused.Target, refused.UserName));
        Assert.Contains("tab raw is for Compliance, Admin only", refused.Details);
    }

    [Fact]
    public void An_unknown_tab_gets_the_designed_not_found_state_with_the_header_still_shown()
    {
        var page = Open("payments");

        page.WaitForAssertion(() => Assert.Contains("No such tab", page.Find("[data-testid=tab-not-found]").TextContent));
        Assert.Contains("\"payments\"", page.Find("[data-testid=tab-not-found]").TextContent);
        Assert.NotEmpty(page.Find("[data-testid=customer-name]").TextContent);

        page.Find("[data-testid=tab-not-found] button").Click();

        Assert.EndsWith($"/customers/{_customer}/smart-collect", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void Clicking_a_tab_navigates_to_its_url_and_the_page_follows_the_url()
    {
        var page = Open();
        WaitForTab(page, "smart-collect");
        var navigation = Services.GetRequiredService<NavigationManager>();

        page.Find("[data-testid=tab-history]").Click();

        Assert.Equal($"http://localhost/customers/{_customer}/history", navigation.Uri);
        // The router hands the page the new segment (as it does after a click or the back button).
        page.Render(p => p.Add(x => x.Tab, "history"));
        WaitForTab(page, "history");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=contact-history]")), TimeSpan.FromSeconds(20));
        Assert.Empty(page.FindAll("[data-testid=smart-collect-kpis]"));
        page.Render(p => p.Add(x => x.Tab, "smart-collect"));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=smart-collect-kpis]")), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Every_tab_shown_is_audited_with_its_sections_once()
    {
        var page = Open();
        WaitForTab(page, "smart-collect");
        page.Render(p => p.Add(x => x.Tab, "history"));
        WaitForTab(page, "history");

        await using var db = await Store.DbAsync();
        var views = await db.AuditEntries.Where(e => e.Action == "view").OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([$"/customers/{_customer}/smart-collect", $"/customers/{_customer}/history"], views.Select(v => v.Target));
        Assert.StartsWith("sections: profile, consents, tab smart-collect (next EMI, success probability", views[0].Details);
        Assert.Contains("tab history (instalments, bucket moves, contacts, promises to pay)", views[1].Details);
        Assert.All(views, v => Assert.EndsWith("masked: pan,email,counterparties", v.Details));
    }

    [Theory]
    [InlineData(Roles.Agent, false, true, false)]
    [InlineData(Roles.RiskManager, false, false, false)]
    [InlineData(Roles.Compliance, true, true, true)]
    public async Task The_header_masks_pan_mobile_and_email_per_role(string role, bool pan, bool mobile, bool email)
    {
        SignIn(role);
        await using var db = await Store.DbAsync();
        var customer = await db.Customers.SingleAsync(c => c.Id == _customer);
        var detail = (await Services.GetRequiredService<CustomerService>().GetAsync(_customer))!;
        var holder = detail.Accounts.SelectMany(a => a.Holders).First(h => h.Mobile is not null || h.Email is not null);

        var page = Open("accounts");

        page.WaitForAssertion(() => Assert.Equal(customer.LegalName, page.Find("[data-testid=customer-name]").TextContent));
        var header = page.Find("[data-testid=customer-header]").TextContent;
        Assert.Contains(pan ? customer.Pan! : Masking.Pan(customer.Pan)!, header);
        Assert.Contains(mobile ? holder.Mobile! : Masking.Mobile(holder.Mobile)!, header);
        Assert.Contains(email ? holder.Email! : Masking.Email(holder.Email)!, header);
        if (!pan) Assert.DoesNotContain(customer.Pan!, page.Markup);
        if (!mobile) Assert.DoesNotContain(holder.Mobile!, header);
    }

    [Fact]
    public async Task A_customer_without_loans_gets_the_designed_empty_state_on_the_collections_tabs()
    {
        SignIn(Roles.Admin);
        await using (var db = await Store.DbAsync())
        {
            var keys = await db.Loans.Where(l => l.CustomerId == _customer).Select(l => l.Id).ToListAsync();
            db.RemoveRange(db.LoanInstalments.Where(i => keys.Contains(i.LoanKey)));
            db.RemoveRange(db.BucketMoves.Where(m => keys.Contains(m.LoanKey)));
            db.RemoveRange(db.Loans.Where(l => keys.Contains(l.Id)));
            await db.SaveChangesAsync();
        }

        var page = Open();

        page.WaitForAssertion(() => Assert.Contains("No loans", page.Find("[data-testid=empty-state]").TextContent), TimeSpan.FromSeconds(20));
        Assert.Empty(page.FindAll("[data-testid=smart-collect-kpis]"));
    }

    [Fact]
    public void A_throwing_tab_shows_the_designed_error_and_leaves_the_rest_of_the_page_standing()
    {
        ThrowingTab.Attempts = 0;
        var tab = new CustomerTab("broken", "Broken panel", MudBlazor.Icons.Material.Filled.Error, typeof(ThrowingTab), [Roles.Agent], "nothing");

        var host = Render<HostWithNeighbour>(p => p.Add(x => x.Tab, tab));

        host.WaitForAssertion(() => Assert.Contains("Broken panel could not be shown", host.Find("[data-testid=tab-error]").TextContent));
        Assert.Equal("still here", host.Find("#neighbour").TextContent);
        Assert.Equal(1, ThrowingTab.Attempts);

        host.Find("[data-testid=tab-retry]").Click();

        host.WaitForAssertion(() => Assert.Equal(2, ThrowingTab.Attempts));
        // The attempt is counted before it throws: wait for the error it leads to, not just for the count.
        host.WaitForAssertion(() => Assert.NotEmpty(host.FindAll("[data-testid=tab-error]")));
    }

    /// <summary>A tab whose data load fails, as a broken panel would.</summary>
    public sealed class ThrowingTab : ComponentBase
    {
        public static int Attempts;

        [Parameter] public int CustomerId { get; set; }

        protected override async Task OnInitializedAsync()
        {
            Interlocked.Increment(ref Attempts);
            await Task.Yield();
            throw new InvalidOperationException("the panel's service failed");
        }
    }

    /// <summary>The tab host next to other content, as on the customer page.</summary>
    public sealed class HostWithNeighbour : ComponentBase
    {
        [Parameter] public CustomerTab Tab { get; set; } = null!;

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
        {
            builder.OpenElement(0, "p");
            builder.AddAttribute(1, "id", "neighbour");
            builder.AddContent(2, "still here");
            builder.CloseElement();
            builder.OpenComponent<CustomerTabHost>(3);
            builder.AddAttribute(4, nameof(CustomerTabHost.Tab), Tab);
            builder.AddAttribute(5, nameof(CustomerTabHost.CustomerId), 1);
            builder.CloseComponent();
        }
    }
}
