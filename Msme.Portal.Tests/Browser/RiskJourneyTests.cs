using Microsoft.Playwright;

namespace Msme.Portal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class RiskJourneyTests(BrowserFixture browser)
{
    [SkippableFact]
    public async Task Risk_manager_lands_on_the_dashboard_dismisses_an_anomaly_and_it_stays_gone()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        var page = await browser.SignInAsync("risk@msme.local");

        Assert.EndsWith("/risk", page.Url);
        await Assertions.Expect(page.Locator("[data-testid=kpi-customers]")).ToHaveTextAsync(BrowserFixture.DemoCustomers.ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 30_000 });
        await page.Locator("[data-testid=chart-inflow] svg").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        // The loan book panel: DPD buckets, roll rates with the bucket flow, collection efficiency.
        await page.Locator("[data-testid=chart-efficiency] svg").First.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-testid=kpi-loans-on-book]")).Not.ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("[data-testid=roll-matrix] tbody tr")).ToHaveCountAsync(5);
        await page.WaitForTimeoutAsync(1000);
        await browser.ScreenshotAsync(page, "risk-01-dashboard");
        foreach (var chart in new[] { "chart-dpd", "chart-roll", "chart-efficiency" })
        {
            await page.Locator($"[data-testid={chart}-toggle]").ClickAsync();
            await page.Locator($"[data-testid={chart}-table]").WaitForAsync();
        }
        await Assertions.Expect(page.Locator("[data-testid=chart-dpd-table] tbody tr")).ToHaveCountAsync(5);
        // Fixed app bar and drawer are painted where the viewport is: take the full page from the top.
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await browser.ScreenshotAsync(page, "risk-01b-loan-book-tables");

        await page.GotoAsync($"{browser.BaseUrl}/risk/anomalies");
        await BrowserFixture.WaitInteractiveAsync(page);
        var keys = page.Locator("td[data-key]");
        await keys.First.WaitForAsync(new() { Timeout = 30_000 });
        var key = await keys.First.GetAttributeAsync("data-key");
        // The demo assigns every customer to an agent: the portfolio column names them.
        await Assertions.Expect(page.Locator("td[data-testid=portfolio]").First).Not.ToHaveTextAsync("Unassigned");
        // At 1400 px (the fixture's viewport) the filter row ends above the table's header: it overlapped it when the
        // filters sat in the table's fixed-height toolbar.
        var filters = await page.Locator("[data-testid=queue-filters]").BoundingBoxAsync();
        var header = await page.Locator("[data-testid=anomaly-queue] thead").BoundingBoxAsync();
        Assert.True(filters is not null && header is not null, "filters and header are on the page");
        Assert.True(filters!.Y + filters.Height <= header!.Y, $"filters end at {filters.Y + filters.Height}, the header starts at {header.Y}");
        // One row per event, its detectors as chips, the explanation one click away.
        await Assertions.Expect(page.Locator("td[data-key]").First.Locator("xpath=..").Locator("[data-testid=detector-chip]").First).ToBeVisibleAsync();
        await page.Locator("[data-testid=why-toggle]").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=why]").First).ToContainTextAsync("size");
        await browser.ScreenshotAsync(page, "risk-02-queue");
        await page.Locator("[data-testid=why-toggle]").First.ClickAsync();

        await page.Locator("[data-testid=dismiss]").First.ClickAsync();
        await page.Locator("textarea[data-testid=review-reason]").FillAsync("Seasonal order, confirmed with the relationship manager");
        await browser.ScreenshotAsync(page, "risk-03-dismiss-dialog");
        await page.Locator("[data-testid=review-submit]").ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Dismissed");
        await Assertions.Expect(page.Locator($"td[data-key=\"{key}\"]")).ToHaveCountAsync(0);

        await page.ReloadAsync();
        await BrowserFixture.WaitInteractiveAsync(page);
        await keys.First.WaitForAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator($"td[data-key=\"{key}\"]")).ToHaveCountAsync(0);
        await browser.ScreenshotAsync(page, "risk-04-queue-after-reload");
    }

    [SkippableFact]
    public async Task Compliance_lands_on_the_consent_list()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        var page = await browser.SignInAsync("compliance@msme.local");

        Assert.EndsWith("/compliance", page.Url);
        await Assertions.Expect(page.Locator("[data-testid=consents-list] tbody tr")).ToHaveCountAsync(BrowserFixture.DemoCustomers);
        await browser.ScreenshotAsync(page, "risk-05-compliance");
    }

    [SkippableFact]
    public async Task Agent_opening_the_risk_dashboard_is_refused()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        var page = await browser.SignInAsync("agent2@msme.local");

        await page.GotoAsync($"{browser.BaseUrl}/risk");

        await page.WaitForURLAsync(url => url.Contains("/Account/AccessDenied"));
        await browser.ScreenshotAsync(page, "risk-06-agent-refused");
    }
}
