using Microsoft.Playwright;

namespace Msme.Portal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class PortalJourneyTests(BrowserFixture browser)
{
    [SkippableFact]
    public async Task Admin_signs_in_sees_the_store_opens_a_customer_and_its_transactions()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        var page = await browser.SignInAsync("admin@msme.local");

        await Assertions.Expect(page.Locator("[data-testid=kpi-customers]")).ToHaveTextAsync("6");
        await browser.ScreenshotAsync(page, "01-admin-home");

        await page.GotoAsync($"{browser.BaseUrl}/customers");
        await BrowserFixture.WaitInteractiveAsync(page);
        var rows = page.Locator("[data-testid=customers-table] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(6);
        await browser.ScreenshotAsync(page, "02-customers");

        await rows.First.Locator("a").ClickAsync();
        await page.Locator("[data-testid=customer-name]").WaitForAsync();
        await page.Locator("[data-testid=transactions-table] tbody tr").First.WaitForAsync();
        Assert.Contains("ACTIVE", await page.Locator("[data-testid=consents-table]").InnerTextAsync());
        await browser.ScreenshotAsync(page, "03-customer");

        await page.GotoAsync($"{browser.BaseUrl}/admin/imports");
        await page.Locator("[data-testid=import-history]").WaitForAsync();
        Assert.Contains("demo-loader", await page.Locator("[data-testid=import-history]").InnerTextAsync());
        await browser.ScreenshotAsync(page, "04-imports");

        // The content security policy holds: the app itself triggers no violation and no script error.
        Assert.True(browser.ConsoleErrors.TryGetValue(page, out var errors));
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task Agent_opening_the_admin_import_page_is_refused()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        var page = await browser.SignInAsync("agent1@msme.local");

        await page.GotoAsync($"{browser.BaseUrl}/admin/imports");

        await page.WaitForURLAsync(url => url.Contains("/Account/AccessDenied"));
        Assert.Contains("Access denied", await page.ContentAsync(), StringComparison.OrdinalIgnoreCase);
        await browser.ScreenshotAsync(page, "05-agent-refused");
    }
}
