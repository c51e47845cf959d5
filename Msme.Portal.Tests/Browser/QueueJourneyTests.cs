using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Msme.Portal.Tests.Browser;

/// <summary>
/// The agent queue's follow-up filters and layout: at 1400 × 900 the table fits without scrolling sideways; at 390 × 844
/// (a common phone) nothing overlaps, nothing scrolls sideways, and on the customer page the next action is on the
/// first screen. The demo gives agent1 a broken promise, a callback due today and an escalation from risk.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class QueueJourneyTests(BrowserFixture browser)
{
    private const int PhoneWidth = 390, PhoneHeight = 844;

    /// <summary>
    /// Opens the queue, filters broken promises and opens the first row's customer (the customer 360, Smart Collect tab).
    /// Answers the customer's page path and name. The first step of the agent's end-to-end journey.
    /// </summary>
    public static async Task<(string CustomerHref, string CustomerName)> OpenFirstBrokenPromiseAsync(BrowserFixture browser, IPage page)
    {
        await page.GotoAsync($"{browser.BaseUrl}/collections");
        await BrowserFixture.WaitInteractiveAsync(page);
        var chip = page.Locator("[data-testid=chip-BrokenPromises]");
        await Assertions.Expect(chip).Not.ToHaveAttributeAsync("data-count", "", new() { Timeout = 60_000 });
        await chip.ClickAsync();
        var row = page.Locator("[data-testid=queue-table] tbody tr").Filter(new LocatorFilterOptions { Has = page.Locator("[data-testid=flag-BrokenPromise]") }).First;
        await row.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        var link = row.Locator("a").First;
        var href = (await link.GetAttributeAsync("href"))!;
        var name = (await link.InnerTextAsync()).Trim();
        await link.ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"/{href}", StringComparison.Ordinal));
        await BrowserFixture.WaitInteractiveAsync(page);
        return (href, name);
    }

    /// <summary>
    /// Fails when the page scrolls sideways: the document is wider than the viewport. A phone context may widen its
    /// layout viewport to fit wide content, so the width compared with is the one the test asked for; a failure names
    /// the elements that stick out.
    /// </summary>
    private static async Task AssertNoSidewaysScrollAsync(IPage page, string where)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.scrollingElement.scrollWidth, window.innerWidth]");
        var (scroll, inner) = (widths[0], Math.Min(widths[1], page.ViewportSize!.Width));
        if (scroll <= inner) return;
        var culprits = await page.EvaluateAsync<string[]>(@"w => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > w + 0.5 && e.getBoundingClientRect().width > 0)
            .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > w + 0.5))
            .slice(0, 6).map(e => e.tagName + '.' + e.className + ' [' + (e.getAttribute('data-testid') || '') + '] ' + Math.round(e.getBoundingClientRect().right))", inner);
        Assert.Fail($"{where}: document {scroll} px wide in a {inner} px viewport; sticking out: {string.Join(" | ", culprits)}");
    }

    private static async Task<LocatorBoundingBoxResult> BoxAsync(ILocator locator) =>
        await locator.BoundingBoxAsync() ?? throw new InvalidOperationException("not visible");

    /// <summary>The whole page, and on a phone also the first screen (what the agent sees without scrolling).</summary>
    private async Task ShotAsync(IPage page, string name)
    {
        var path = await browser.ScreenshotAsync(page, name);
        var copies = Environment.GetEnvironmentVariable("MSME_SHOTS_DIR");
        if (copies is { Length: > 0 }) Directory.CreateDirectory(copies);
        if (copies is { Length: > 0 }) File.Copy(path, Path.Combine(copies, Path.GetFileName(path)), overwrite: true);
        if (page.ViewportSize!.Width < 600)
        {
            var screen = Path.Combine(browser.ScreenshotDirectory, name + "-first-screen.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screen });
            if (copies is { Length: > 0 }) File.Copy(screen, Path.Combine(copies, Path.GetFileName(screen)), overwrite: true);
        }
    }

    [SkippableFact]
    public async Task At_1400_px_the_queue_fits_and_the_chips_count_agent1s_follow_ups()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        var page = await browser.SignInAsync("agent1@msme.local");
        await page.GotoAsync($"{browser.BaseUrl}/collections");
        await BrowserFixture.WaitInteractiveAsync(page);
        var rows = page.Locator("[data-testid=queue-table] tbody tr");
        await rows.First.Locator("[data-testid=status-chip]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });

        // Every chip has its count; the demo's broken promise is there whatever ran before (the escalation journey marks
        // agent1's escalation done, and a contact logged from a row answers that customer's callback).
        foreach (var chip in Enum.GetNames<Msme.Portal.Features.Collections.QueueFilter>())
        {
            Assert.Matches(@"^\d+$", await page.Locator($"[data-testid=chip-{chip}]").GetAttributeAsync("data-count") ?? "");
        }
        var broken = int.Parse((await page.Locator("[data-testid=chip-BrokenPromises]").GetAttributeAsync("data-count"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(broken >= 1, $"broken promises: {broken}");
        await ShotAsync(page, "40-queue-1400");
        await AssertNoSidewaysScrollAsync(page, "queue at 1400 px");
        var container = page.Locator("[data-testid=queue-table] .mud-table-container");
        var sizes = await container.EvaluateAsync<int[]>("e => [e.scrollWidth, e.clientWidth]");
        var (inner, outer) = (sizes[0], sizes[1]);
        Assert.True(inner <= outer, $"the table is {inner} px wide in its {outer} px container");
        var viewport = page.ViewportSize!.Width;
        foreach (var header in new[] { "DPD", "Top action" })
        {
            var box = await BoxAsync(page.Locator("[data-testid=queue-table] th", new PageLocatorOptions { HasText = header }).First);
            Assert.True(box.X + box.Width <= viewport, $"{header} header ends at {box.X + box.Width} px of {viewport}");
        }
        await ShotAsync(page, "40-queue-1400");

        await page.Locator("[data-testid=chip-BrokenPromises]").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(broken, new() { Timeout = 30_000 });
        await Assertions.Expect(rows.Locator("[data-testid=flag-BrokenPromise]")).ToHaveCountAsync(broken);
        await rows.First.Locator("[data-testid=expand-row]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=flag-reasons]").Filter(new LocatorFilterOptions { HasText = "has passed" }).First).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(page, "broken promises at 1400 px");
        await ShotAsync(page, "41-queue-broken-promises-1400");
    }

    [SkippableFact]
    public async Task At_390_px_the_queue_and_the_customers_collections_work_one_handed()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        var page = await browser.SignInAsync("agent1@msme.local", PhoneWidth, PhoneHeight);
        await page.GotoAsync($"{browser.BaseUrl}/collections");
        await BrowserFixture.WaitInteractiveAsync(page);
        var rows = page.Locator("[data-testid=queue-table] tbody tr");
        await rows.First.Locator("[data-testid=status-chip]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });

        await ShotAsync(page, "30-phone-queue");
        await AssertNoSidewaysScrollAsync(page, "queue at 390 px");
        var description = await BoxAsync(page.Locator("[data-testid=queue-as-of]"));
        var chips = await BoxAsync(page.Locator("[data-testid=queue-filter]"));
        Assert.True(description.Y + description.Height <= chips.Y + 0.5, $"the chips (top {chips.Y}) overlap the description (bottom {description.Y + description.Height})");
        var export = await BoxAsync(page.Locator("[data-testid=export-menu]"));
        var first = await BoxAsync(rows.First);
        Assert.True(export.Y + export.Height <= first.Y + 0.5, $"the download button (bottom {export.Y + export.Height}) overlaps the first card (top {first.Y})");
        Assert.True(first.Width <= PhoneWidth, $"a card is {first.Width} px wide");
        await ShotAsync(page, "30-phone-queue");

        var (href, _) = await OpenFirstBrokenPromiseAsync(browser, page);
        await page.Locator("[data-testid=panel-log-contact]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await AssertNoSidewaysScrollAsync(page, "Smart Collect at 390 px");
        // The next action before the profile: the tabs and the log-contact button on the first screen.
        var log = await BoxAsync(page.Locator("[data-testid=panel-log-contact]"));
        Assert.True(log.Y + log.Height <= PhoneHeight, $"log contact is at {log.Y} px, below the first screen");
        var tabs = await BoxAsync(page.Locator("[data-testid=customer-tabs]"));
        Assert.True(tabs.Y < log.Y);
        await Assertions.Expect(page.Locator("[data-testid=consents-table]")).Not.ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=customer-flag-BrokenPromise]")).ToBeVisibleAsync();
        await ShotAsync(page, "31-phone-smart-collect");

        await page.Locator("[data-testid=profile-toggle]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=consents-table]")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(page, "profile open at 390 px");
        await page.Locator("[data-testid=profile-toggle]").ClickAsync();

        await page.Locator("[data-testid=tab-upcoming]").ClickAsync();
        await page.Locator("[data-testid=loan-card]").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await AssertNoSidewaysScrollAsync(page, "Upcoming at 390 px");
        await ShotAsync(page, "32-phone-upcoming");

        await page.Locator("[data-testid=tab-history]").ClickAsync();
        await page.Locator("[data-testid=collection-summary]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
        await AssertNoSidewaysScrollAsync(page, "History at 390 px");
        await ShotAsync(page, "33-phone-history");

        await page.Locator("[data-testid=panel-log-contact]").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await dialog.WaitForAsync();
        var box = await BoxAsync(dialog);
        Assert.True(box.X >= 0 && box.X + box.Width <= PhoneWidth, $"the dialog spans {box.X}..{box.X + box.Width} px");
        await AssertNoSidewaysScrollAsync(page, "log-contact dialog at 390 px");
        await ShotAsync(page, "34-phone-log-contact");
        Assert.Contains("/customers/", href.StartsWith('/') ? href : "/" + href);
    }

    [SkippableFact]
    public async Task Agent1_marks_an_escalation_from_risk_done_and_it_leaves_the_queue()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        var page = await browser.SignInAsync("agent1@msme.local");
        await page.GotoAsync($"{browser.BaseUrl}/collections");
        await BrowserFixture.WaitInteractiveAsync(page);
        var chip = page.Locator("[data-testid=chip-Escalated]");
        await Assertions.Expect(chip).Not.ToHaveAttributeAsync("data-count", "", new() { Timeout = 60_000 });
        var before = int.Parse((await chip.GetAttributeAsync("data-count"))!, System.Globalization.CultureInfo.InvariantCulture);
        if (before == 0)
        {
            // Only when no customer the queue may show agent1 has an anomaly event (on some calendars agent1's other
            // customers' consents no longer allow monitoring): then the demo cannot escalate one, and says why.
            using var scope = browser.Services.CreateScope();
            await using var store = await browser.DbAsync();
            var agent = store.Users.Single(u => u.Email == "agent1@msme.local").Id;
            var queue = await scope.ServiceProvider.GetRequiredService<Msme.Portal.Features.Collections.CollectionsService>()
                .QueueAsync(new(agent, false), new(PageSize: 10_000));
            var events = await scope.ServiceProvider.GetRequiredService<Msme.Portal.Features.Risk.RiskService>()
                .QueueAsync(new([], [], [], [agent]), new("test", "test"), 0, 10_000, null, true);
            var shown = queue.Items.Select(i => i.CustomerId).ToHashSet();
            Assert.DoesNotContain(events.Items, e => shown.Contains(e.CustomerId));
            Skip.If(true, "no customer in agent1's queue has an anomaly event on this calendar: nothing to escalate");
        }
        await chip.ClickAsync();
        var flag = page.Locator("[data-testid=queue-table] tbody tr [data-testid=flag-Escalated]").First;
        await Assertions.Expect(page.Locator("[data-testid=queue-table] tbody tr")).ToHaveCountAsync(before, new() { Timeout = 30_000 });
        await flag.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=escalation-note]")).ToContainTextAsync("please call the owner", new() { Timeout = 30_000 });
        await page.Locator("[data-testid=escalation-outcome] textarea").FillAsync("called the owner: a one-off order, the EMI is covered");
        await Assertions.Expect(page.Locator("[data-testid=escalation-done]")).ToBeEnabledAsync();
        await ShotAsync(page, "42-escalation-dialog");
        await page.Locator("[data-testid=escalation-done]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("marked done");
        await Assertions.Expect(chip).ToHaveAttributeAsync("data-count", (before - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await using var db = await browser.DbAsync();
        var closed = db.AuditEntries.Where(a => a.Action == "work-item-closed").ToList();
        Assert.Contains(closed, a => a.Details!.Contains("called the owner", StringComparison.Ordinal) && a.Target == "/collections");
    }
}
