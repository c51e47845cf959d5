using Microsoft.Playwright;

namespace Msme.Portal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ExportJourneyTests(BrowserFixture browser)
{
    private static async Task<string[]> CsvLinesAsync(IPage page)
    {
        var csv = page.Locator("[data-testid=export-csv]");
        var href = await csv.GetAttributeAsync("href") ?? await csv.Locator("a").First.GetAttributeAsync("href");
        Assert.NotNull(href);
        // The same cookies as the page: the link downloads what this user may see.
        var response = await page.Context.APIRequest.GetAsync(new Uri(new Uri(page.Url), href).ToString());
        Assert.Equal(200, response.Status);
        return [href, .. (await response.TextAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries)];
    }

    [SkippableFact]
    public async Task Agent_downloads_the_queue_from_the_menu_and_the_link_carries_the_filter_on_screen()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        var page = await browser.SignInAsync("agent1@msme.local");
        await page.Locator("[data-testid=queue-table] tbody tr").First.WaitForAsync(new() { Timeout = 30_000 });
        var shown = int.Parse(((await page.Locator("[data-testid=queue-totals]").TextContentAsync()) ?? "").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

        await page.Locator("[data-testid=export-menu] button").First.ClickAsync();
        await page.Locator("[data-testid=export-csv]").WaitForAsync();
        await Assertions.Expect(page.Locator("[data-testid=export-xlsx]")).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "export-01-queue-menu");
        var all = await CsvLinesAsync(page);

        Assert.True(shown > 0);
        Assert.Contains("exports/collections-queue.csv?filter=All", all[0]);
        Assert.StartsWith("Customer id,Customer,Loan,", all[1]);
        Assert.Equal(shown, all.Length - 2);

        // The open menu closes on its own button, not on Escape. The chip is clicked only once the menu is gone, or that
        // click may be the one that closes it and the filter never changes (seen in CI); and the filter must have
        // reached the server (the totals change) before the menu opens again.
        var totals = await page.Locator("[data-testid=queue-totals]").TextContentAsync();
        await page.Locator("[data-testid=export-menu] button").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=export-csv]")).ToBeHiddenAsync();
        await page.Locator("[data-testid=queue-filter]").GetByText("Overdue").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=queue-totals]")).Not.ToHaveTextAsync(totals ?? "", new() { Timeout = 30_000 });
        await page.Locator("[data-testid=export-menu] button").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=export-csv]")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("filter=Overdue"), new() { Timeout = 30_000 });
        var overdue = await CsvLinesAsync(page);

        Assert.All(overdue.Skip(2), l => Assert.Contains(",Overdue,", l));
        Assert.True(overdue.Length < all.Length);
    }

    [SkippableFact]
    public async Task Risk_manager_sees_the_download_menu_and_the_lake_button_on_the_dashboard()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        var page = await browser.SignInAsync("risk@msme.local");
        // Other tests of the browser collection may have imported more customers than the demo's six.
        var customers = await browser.CustomerCountAsync();
        await Assertions.Expect(page.Locator("[data-testid=kpi-customers]")).ToHaveTextAsync(customers.ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 30_000 });

        await page.Locator("[data-testid=export-menu] button").First.ClickAsync();
        await page.Locator("[data-testid=export-xlsx]").WaitForAsync();
        await Assertions.Expect(page.Locator("[data-testid=lake-download]")).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "export-02-dashboard-menu");
    }
}
