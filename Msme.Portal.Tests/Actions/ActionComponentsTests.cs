using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Msme.Domain;
using Msme.Domain.Collections;
using Msme.Domain.Collections.Actions;
using Msme.Portal.Features.Actions;
using Msme.Portal.Features.Collections;
using Msme.Portal.Hosting;
using Msme.Portal.Tests.Collections;
using Msme.Portal.Tests.Infrastructure;
using MudBlazor;

namespace Msme.Portal.Tests.Actions;

/// <summary>The collection-action components over six demo customers; agent1 (user id agent-1) works the even ids.</summary>
public sealed class ActionComponentsTests : PortalComponentTest
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

    [Fact]
    public async Task Send_message_dialog_previews_the_upi_link_with_its_qr_code_and_queues_it()
    {
        var item = (await Services.GetRequiredService<CollectionsService>().QueueAsync(new CollectionsViewer(AgentId, false), new QueueQuery(PageSize: 1000)))
            .Items.First(i => i.Probability is not null);
        var provider = Render<MudDialogProvider>();
        Render<MudPopoverProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();
        Task<bool>? shown = null;
        await provider.InvokeAsync(() => { shown = SendMessageDialog.ShowAsync(dialogs, item.CustomerId, item.CustomerName, [new(item.LoanKey, item.LoanId, item.Emi)], item.LoanKey); });

        provider.WaitForAssertion(() => Assert.Contains("upi://pay?pa=collections.demofinance@okdemo", provider.Find("[data-testid=message-upi-uri]").TextContent), TimeSpan.FromSeconds(10));
        Assert.StartsWith("data:image/png;base64,", provider.Find("[data-testid=message-qr] img").GetAttribute("src"));
        Assert.Contains($"for loan {item.LoanId} by UPI", provider.Find("[data-testid=message-text]").TextContent);

        // Another template re-renders with the same figures.
        var dialog = provider.FindComponent<SendMessageDialog>();
        await provider.InvokeAsync(() => dialog.FindComponent<MudSelect<MessageKind>>().Instance.ValueChanged.InvokeAsync(MessageKind.Reminder));
        provider.WaitForAssertion(() => Assert.StartsWith("Dear ", provider.Find("[data-testid=message-text]").TextContent.Trim()));
        Assert.Empty(provider.FindAll("[data-testid=message-qr]"));

        provider.Find("[data-testid=message-queue]").Click();
        provider.WaitForAssertion(() => Assert.True(shown!.IsCompleted));
        Assert.True(await shown!);
        await using var db = await Store.DbAsync();
        var row = await db.OutboxMessages.SingleAsync();
        Assert.Equal((item.CustomerId, item.LoanKey, MessageKind.Reminder, OutboxStatus.Queued, AgentId), (row.CustomerId, row.LoanKey!.Value, row.Kind, row.Status, row.CreatedByUserId));
        Assert.Equal($"Reminder queued for {item.CustomerName} (message #{row.Id})", Assert.Single(Services.GetRequiredService<ISnackbar>().ShownSnackbars).Message);
    }

    [Fact]
    public void Outbox_history_lists_each_message_with_its_status()
    {
        var at = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.FromHours(5.5));
        var history = Render<OutboxHistory>(p => p.Add(x => x.Messages, [
            new OutboxEntry(2, at, "Agent One", MessageKind.UpiPaymentLink, "LN-1", 1500m, OutboxStatus.Sent),
            new OutboxEntry(1, at, "Agent One", MessageKind.Reminder, "LN-1", 1500m, OutboxStatus.Failed),
        ]));
        var rows = history.FindAll("[data-testid=outbox-row]");
        Assert.Equal(2, rows.Count);
        Assert.Contains("UPI payment link", rows[0].TextContent);
        Assert.Contains("₹1,500", rows[0].TextContent);
        Assert.Equal(["Sent", "Failed"], history.FindAll("[data-testid=outbox-status]").Select(c => c.TextContent.Trim()));
        Assert.Equal("No message sent yet.", Render<OutboxHistory>().Find("[data-testid=outbox-history]").TextContent.Trim());
    }

    [Fact]
    public void Preview_panel_warns_when_a_month_would_cross_the_npci_line()
    {
        var day = new DateOnly(2026, 11, 10);
        var line = new PresentmentLine("NACH00000000000001", "LN-1", "UMRN1", Mandate.ENach, "Shah Traders", "XXXX1234", 3, day, day, 10_000m, 2, 0.2, "re-presentment 1 of 2");
        var schedule = new PresentmentSchedule(day, day, [line], [new HeldInstalment("NACH00000000000001", "LN-2", "Rao Stores", 4, day, 5_000m, "no mandate: the customer pays by hand")]);
        var projection = new ReturnRateProjection(10, 5, 1, 0.8);
        var panel = Render<PresentmentPreviewPanel>(p => p.Add(x => x.Preview,
            new PresentmentPreview("NACH00000000000001", "DEMO SPONSOR BANK", day, schedule, [(2026, 11, projection)], "")));

        var alert = panel.Find("[data-testid=presentment-projection]");
        Assert.Contains("Nov 2026 would cross NPCI's 50 % return line", alert.TextContent);
        Assert.Contains("5 returns of 10 presentments so far this month, 0.8 expected of 1 to present: 52.7 %", alert.TextContent);
        Assert.Contains("re-presentment 1 of 2", panel.Find("[data-testid=presentment-line]").TextContent);
        Assert.Contains("LN-1/3/R1", panel.Find("[data-testid=presentment-line]").TextContent);
        Assert.Contains("no mandate", panel.Find("[data-testid=presentment-held]").TextContent);
        Assert.Contains("expected return rate 80.0 %", panel.Find("[data-testid=presentment-summary]").TextContent);
    }

    [Fact]
    public async Task Return_rate_chart_has_a_table_with_the_rates_and_counts()
    {
        SetUpChartSize();
        var chart = Render<ReturnRateChart>(p => p
            .Add(x => x.UtilityCode, "NACH00000000000001")
            .Add(x => x.Months, [new ReturnRateMonth("NACH00000000000001", 2026, 9, 40, 12), new ReturnRateMonth("NACH00000000000001", 2026, 10, 40, 22)]));
        chart.WaitForAssertion(() => Assert.NotEmpty(chart.FindAll("svg")));
        await chart.InvokeAsync(() => chart.FindComponent<MudSwitch<bool>>().Instance.ValueChanged.InvokeAsync(true));
        chart.WaitForAssertion(() => Assert.NotEmpty(chart.FindAll("[data-testid='return-rate-NACH00000000000001-table']")));
        var rows = chart.FindAll("[data-testid='return-rate-NACH00000000000001-table'] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Equal(["Sep 2026", "30.0 %", "50.0 %", "40", "12"], rows[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Equal(["Oct 2026", "55.0 %", "50.0 %", "40", "22"], rows[1].QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
    }
}
