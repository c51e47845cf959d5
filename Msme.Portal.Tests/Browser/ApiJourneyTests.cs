using Microsoft.Playwright;

namespace Msme.Portal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ApiJourneyTests(BrowserFixture browser)
{
    [SkippableFact]
    public async Task Admin_creates_an_api_client_and_reads_the_reference_offline_under_the_csp()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        var page = await browser.SignInAsync("admin@msme.local");
        // Anything the pages fetch from another host fails, as on a machine without internet, and is recorded.
        var foreign = new List<string>();
        var origin = new Uri(browser.BaseUrl).Authority;
        await page.Context.RouteAsync("**/*", async route =>
        {
            if (new Uri(route.Request.Url).Authority != origin)
            {
                foreign.Add(route.Request.Url);
                await route.AbortAsync();
                return;
            }
            await route.ContinueAsync();
        });

        await page.GotoAsync($"{browser.BaseUrl}/admin/api-clients");
        await BrowserFixture.WaitInteractiveAsync(page);
        await page.Locator("input[data-testid=client-name]").FillAsync("collections-bot");
        await page.Locator("[data-testid=create-client]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=new-token]")).ToContainTextAsync("shown only this once");
        await Assertions.Expect(page.Locator("[data-testid=client-collections-bot]")).ToContainTextAsync("active");
        await browser.ScreenshotAsync(page, "api-01-clients-created");

        await page.GotoAsync($"{browser.BaseUrl}/scalar/v1");
        await Assertions.Expect(page.GetByText("Customers the caller may see, paged").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("a[href='#tag/consents']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("a[href='#tag/smart-collect']")).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "api-02-reference");

        Assert.True(browser.ConsoleErrors.TryGetValue(page, out var errors));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.True(foreign.Count == 0, "requests to other hosts: " + string.Join(", ", foreign));
    }
}
