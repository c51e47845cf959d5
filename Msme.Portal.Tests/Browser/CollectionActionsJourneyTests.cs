using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Msme.Domain.Collections.Actions;

namespace Msme.Portal.Tests.Browser;

/// <summary>
/// Steps of the collection-action journeys, for composing end-to-end tests (filter broken promises → open a row →
/// send a link → log the contact → see both on the timeline).
/// </summary>
internal static class CollectionActionSteps
{
    /// <summary>
    /// On a customer page (any collections tab): opens "Send message", keeps the UPI payment link for the first loan,
    /// checks the preview (UPI URI and QR code), queues it, and finds it on the Smart Collect timeline. Returns the
    /// message's timeline text.
    /// </summary>
    public static async Task<string> SendUpiLinkAsync(BrowserFixture browser, IPage page, string screenshotPrefix)
    {
        await page.Locator("[data-testid=panel-send-message]").ClickAsync();
        var dialog = page.Locator(".mud-dialog");
        await dialog.WaitForAsync();
        var uri = dialog.Locator("[data-testid=message-upi-uri]");
        await uri.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await Assertions.Expect(uri).ToContainTextAsync("upi://pay?pa=");
        await Assertions.Expect(uri).ToContainTextAsync("&cu=INR");
        await Assertions.Expect(dialog.Locator("[data-testid=message-qr] img")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^data:image/png;base64,"));
        var loanId = System.Text.RegularExpressions.Regex.Match(await uri.InnerTextAsync(), @"&tn=([^&]+)&").Groups[1].Value;
        loanId = Uri.UnescapeDataString(loanId);
        await browser.ScreenshotAsync(page, $"{screenshotPrefix}-send-upi-link");
        await dialog.Locator("[data-testid=message-queue]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("UPI payment link queued for");
        await Assertions.Expect(dialog).ToHaveCountAsync(0);

        await page.Locator("[data-testid=tab-smart-collect]").ClickAsync();
        var item = page.Locator("[data-testid=timeline-item]", new PageLocatorOptions { HasText = $"UPI payment link for {loanId}" });
        await item.First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        await item.First.ScrollIntoViewIfNeededAsync();
        await browser.ScreenshotAsync(page, $"{screenshotPrefix}-timeline-with-link");
        return (await item.First.InnerTextAsync()).Trim();
    }
}

[Collection(BrowserCollection.Name)]
public sealed class CollectionActionsJourneyTests(BrowserFixture browser)
{
    [SkippableFact]
    public async Task Agent_sends_a_upi_link_from_the_customer_page_and_sees_it_on_the_timeline()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        var page = await browser.SignInAsync("agent1@msme.local");
        try
        {
            await page.GotoAsync($"{browser.BaseUrl}/collections");
            await BrowserFixture.WaitInteractiveAsync(page);
            var link = CollectionsJourneyTests.ScoredQueueRows(page).First.Locator("a").First;
            await link.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
            var href = await link.GetAttributeAsync("href");
            await page.GotoAsync($"{browser.BaseUrl}/{href}");
            await BrowserFixture.WaitInteractiveAsync(page);
            await page.Locator("[data-testid=timeline]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });

            var text = await CollectionActionSteps.SendUpiLinkAsync(browser, page, "40");
            // The dispatcher may already have sent it by the time the timeline reloads: queued or sent.
            Assert.Matches(@"\((queued|sent)\)", text);

            var customerId = int.Parse(href!.Split('/')[1], System.Globalization.CultureInfo.InvariantCulture);
            await using var db = await browser.DbAsync();
            var message = await db.OutboxMessages.AsNoTracking().Where(m => m.CustomerId == customerId).OrderByDescending(m => m.Id).FirstAsync();
            Assert.Equal(MessageKind.UpiPaymentLink, message.Kind);
            Assert.StartsWith("upi://pay?", message.UpiUri);
            Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == "message-queue" && e.CustomerId == customerId));

            await page.Locator("[data-testid=tab-history]").ClickAsync();
            var history = page.Locator("[data-testid=outbox-history]");
            await history.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
            await Assertions.Expect(history).ToContainTextAsync("UPI payment link");
            await browser.ScreenshotAsync(page, "41-history-with-messages");

            // On a phone (390 × 844) the dialog fits the screen: no wider than the viewport, the queue button in reach.
            await page.SetViewportSizeAsync(390, 844);
            await page.Locator("[data-testid=panel-send-message]").ClickAsync();
            var dialog = page.Locator(".mud-dialog");
            await dialog.Locator("[data-testid=message-upi-uri]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
            var box = await dialog.BoundingBoxAsync();
            Assert.True(box!.X >= 0 && box.X + box.Width <= 390, $"dialog spans {box.X}..{box.X + box.Width} px on a 390 px screen");
            var queueButton = await dialog.Locator("[data-testid=message-queue]").BoundingBoxAsync();
            Assert.True(queueButton!.Y + queueButton.Height <= 844, $"the queue button ends at {queueButton.Y + queueButton.Height} px, below the screen");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(browser.ScreenshotDirectory, "45-send-message-phone.png") });
            await dialog.GetByText("Cancel").ClickAsync();
        }
        catch
        {
            await browser.ScreenshotAsync(page, "49-actions-failure");
            throw;
        }
    }

    [SkippableFact]
    public async Task Risk_manager_previews_and_prepares_a_presentment_batch_and_sees_the_return_rates()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        var page = await browser.SignInAsync("risk@msme.local");
        try
        {
            await page.GotoAsync($"{browser.BaseUrl}/collections/return-rates");
            await BrowserFixture.WaitInteractiveAsync(page);
            await page.Locator("[data-testid=return-rate-outlook]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
            await page.Locator("[data-testid=return-rate-chart]").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
            await browser.ScreenshotAsync(page, "42-return-rates");

            await page.GotoAsync($"{browser.BaseUrl}/collections/presentments");
            await BrowserFixture.WaitInteractiveAsync(page);
            await page.Locator("[data-testid=presentment-preview]").ClickAsync();
            await page.Locator("[data-testid=presentment-summary]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60_000 });
            await browser.ScreenshotAsync(page, "43-presentment-preview");
            // The demo book's next week may hold no presentment under the pinned clock; the batch steps need one.
            if (await page.Locator("[data-testid=presentment-line]").CountAsync() > 0)
            {
                await Assertions.Expect(page.Locator("[data-testid=presentment-projection]").First).ToContainTextAsync("against NPCI's 50 % line");
                await page.Locator("[data-testid=presentment-prepare]").ClickAsync();
                await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("prepared");
                // The preparer cannot approve their own batch: the row offers only a withdrawal.
                var row = page.Locator("[data-testid=presentment-batch]").First;
                await Assertions.Expect(row).ToContainTextAsync("waiting for another approver");
                await Assertions.Expect(row.Locator("[data-testid=batch-approve]")).ToHaveCountAsync(0);
                await browser.ScreenshotAsync(page, "44-presentment-batch-prepared");
            }
        }
        catch
        {
            await browser.ScreenshotAsync(page, "49-presentments-failure");
            throw;
        }
    }
}
