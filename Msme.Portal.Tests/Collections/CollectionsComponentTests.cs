using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Domain;
using Msme.Domain.Collections;
using Msme.Portal.Features.Collections;
using Msme.Portal.Tests.Infrastructure;
using MudBlazor;
using Disposition = Msme.Portal.Data.Entities.Disposition;

namespace Msme.Portal.Tests.Collections;

/// <summary>The queue page and the log-contact dialog over six demo customers; agent1 (user id agent-1) works the even ids.</summary>
public sealed class CollectionsComponentTests : PortalComponentTest
{
    private const string AgentId = "agent-1";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await CollectionsData.ImportDemoWithPortfoliosAsync(Store, AgentId);
        Auth.SetAuthorized("agent1@msme.local");
        Auth.SetRoles(Roles.Agent);
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, AgentId));
    }

    private Task<QueuePage> ExpectedAsync() =>
        Services.GetRequiredService<CollectionsService>().QueueAsync(new CollectionsViewer(AgentId, false), new QueueQuery(PageSize: 1000));

    [Fact]
    public async Task Queue_shows_the_agents_rows_riskiest_first_with_figures_status_chips_and_reasons()
    {
        var expected = await ExpectedAsync();

        var page = Render<CollectionsPage>();

        page.WaitForAssertion(() => Assert.Equal(Math.Min(25, expected.TotalItems), page.FindAll("[data-testid=queue-table] tbody tr").Count), TimeSpan.FromSeconds(10));
        var rows = page.FindAll("[data-testid=queue-table] tbody tr");
        var first = expected.Items[0];
        Assert.Contains(first.CustomerName, rows[0].TextContent);
        Assert.Contains($"{first.LoanId} #{first.InstalmentNumber}", rows[0].TextContent);
        Assert.Equal(CollectionFormat.Probability(first.Probability), rows[0].QuerySelector("[data-testid=probability]")!.TextContent.Trim());
        Assert.Contains(Msme.Portal.Components.Shared.IndianFormat.Money(first.Emi), rows[0].TextContent);
        Assert.Equal(CollectionFormat.Status(first.Status), rows[0].QuerySelector("[data-testid=status-chip]")!.TextContent.Trim());
        Assert.Equal($"customers/{first.CustomerId}", rows[0].QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains($"{expected.TotalItems} instalments", page.Find("[data-testid=queue-totals]").TextContent);
        page.WaitForAssertion(() => Assert.Contains("Forecasts as of today, 01 Nov 2026", page.Find("[data-testid=queue-as-of]").TextContent));
        // No row of agent2's customers.
        Assert.All(expected.Items, i => Assert.Equal(0, i.CustomerId % 2));

        page.FindAll("[data-testid=expand-row]")[0].Click();

        page.WaitForAssertion(() =>
        {
            var reasons = page.Find("[data-testid=forecast-reasons]").TextContent;
            Assert.Contains(first.Reasons.First(r => r.StartsWith("due-date probability", StringComparison.Ordinal)), reasons);
        });
    }

    [Fact]
    public async Task Log_contact_dialog_refuses_an_empty_form_then_saves_a_promise_in_paise_with_a_snackbar()
    {
        var item = (await ExpectedAsync()).Items[0];
        var provider = Render<MudDialogProvider>();
        Render<MudPopoverProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        Task<bool>? shown = null;
        // The Action overload: the dialog's task completes only when it closes.
        await provider.InvokeAsync(() => { shown = LogContactDialog.ShowAsync(dialogs, item.CustomerId, item.CustomerName, [new(item.LoanKey, item.LoanId, item.Emi)], item.LoanKey); });
        provider.WaitForElement("[data-testid=contact-save]");

        provider.Find("[data-testid=contact-save]").Click();
        provider.WaitForAssertion(() => Assert.Equal("choose a disposition", provider.Find("[data-testid=contact-error]").TextContent.Trim()));

        var dialog = provider.FindComponent<LogContactDialog>();
        await provider.InvokeAsync(() => dialog.FindComponent<MudSelect<Disposition?>>().Instance.ValueChanged.InvokeAsync(Disposition.PromiseToPay));
        var ptpDate = dialog.FindComponents<MudDatePicker>().Single(p => p.Instance.Label == "PTP date");
        await provider.InvokeAsync(() => ptpDate.Instance.DateChanged.InvokeAsync(new DateTime(2026, 11, 6)));
        await provider.InvokeAsync(() => dialog.FindComponent<MudNumericField<decimal?>>().Instance.ValueChanged.InvokeAsync(12_345.50m));
        await provider.InvokeAsync(() => dialog.FindComponents<MudTextField<string>>().Single(f => f.Instance.Label == "Notes").Instance.ValueChanged.InvokeAsync("will pay after the Diwali sales"));
        provider.Find("[data-testid=contact-save]").Click();

        provider.WaitForAssertion(() => Assert.True(shown!.IsCompleted, string.Join(" | ", provider.FindAll("[data-testid=contact-error]").Select(e => e.TextContent))));
        Assert.True(await shown!);
        await using var db = await Store.DbAsync();
        var saved = await db.ContactLogs.SingleAsync();
        Assert.Equal((item.CustomerId, item.LoanKey, Disposition.PromiseToPay, new DateOnly(2026, 11, 6), 12_34_550L, AgentId),
            (saved.CustomerId, saved.LoanKey!.Value, saved.Disposition, saved.PtpDate!.Value, saved.PtpAmountPaise!.Value, saved.AgentUserId));
        Assert.Equal("will pay after the Diwali sales", saved.Notes);
        var snack = Assert.Single(Services.GetRequiredService<ISnackbar>().ShownSnackbars);
        Assert.Equal($"Contact logged for {item.CustomerName}: Promise to pay, PTP ₹12,345.50 by 06 Nov 2026", snack.Message);
    }

    [Fact]
    public async Task Customer_tabs_show_the_loan_its_reconciliation_and_the_logged_promise_as_open()
    {
        var item = (await ExpectedAsync()).Items[0];
        await Services.GetRequiredService<CollectionsService>().LogContactAsync(new CollectionsViewer(AgentId, false), "agent1@msme.local",
            new ContactInput { CustomerId = item.CustomerId, LoanKey = item.LoanKey, Disposition = Disposition.PromiseToPay, PtpDate = new DateOnly(2026, 11, 6), PtpAmount = item.Emi });

        var upcoming = Render<UpcomingTab>(p => p.Add(x => x.CustomerId, item.CustomerId));
        var history = Render<HistoryTab>(p => p.Add(x => x.CustomerId, item.CustomerId));

        upcoming.WaitForAssertion(() => Assert.NotEmpty(upcoming.FindAll("[data-testid=loan-card]")), TimeSpan.FromSeconds(10));
        Assert.Contains(item.LoanId, upcoming.Markup);
        Assert.Contains("disagree", upcoming.Find("[data-testid=reconciliation]").TextContent);
        history.WaitForAssertion(() => Assert.Equal("Open", history.Find("[data-testid=ptp-chip]").TextContent.Trim()), TimeSpan.FromSeconds(10));
        Assert.Contains("PTP date 2026-11-06 is 5 days away", history.Find("[data-testid=contact-history]").TextContent);
    }

    [Fact]
    public async Task Portfolio_backtest_panel_shows_the_walk_forward_figures_and_a_reliability_point_per_filled_bin()
    {
        Auth.SetRoles(Roles.RiskManager);
        var report = await Services.GetRequiredService<CollectionsService>().BacktestAsync();
        Assert.True(report.Fitted.Presentments > 0, "the demo book has past presentments to replay");

        var panel = Render<BacktestPanel>();

        panel.WaitForAssertion(() => Assert.NotEmpty(panel.FindAll("[data-testid=backtest-table]")), TimeSpan.FromSeconds(30));
        var f = report.Fitted;
        Assert.Contains((f.BounceReduction * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " %", panel.Find("[data-testid=backtest-reduction]").TextContent);
        Assert.Contains(f.Auc.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), panel.Find("[data-testid=backtest-auc]").TextContent);
        Assert.Contains($"{f.Presentments} presentments", panel.Find("[data-testid=backtest-summary]").TextContent);
        Assert.Contains(FittedCoefficients.Version, panel.Find("[data-testid=backtest-summary]").TextContent);
        Assert.Equal(f.Reliability.Count(b => b.Count > 0), panel.FindAll("[data-testid=reliability-bin]").Count);
        Assert.Equal(10, panel.FindAll("[data-testid=reliability-table] tbody tr").Count);
    }
}
