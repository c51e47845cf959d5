using Microsoft.Playwright;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Browser;

/// <summary>
/// The portal on PostgreSQL, in a real browser: a second portal with the same demo load, started only for this class
/// (so it never computes alongside the SQLite portal's journeys), driven by the collection's Chromium.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PostgreSqlSmokeTests(BrowserFixture browser, PostgreSqlSmokeTests.Portal portal) : IClassFixture<PostgreSqlSmokeTests.Portal>
{
    public sealed class Portal : IAsyncLifetime
    {
        private readonly BrowserFixture.DemoPortalFactory _factory = new(TestProvider.PostgreSql);
        private bool _started;

        public string? SkipReason { get; private set; }
        public string BaseUrl { get; private set; } = "";

        public async Task InitializeAsync()
        {
            // Without Chromium the browser fixture skips (or, in CI, fails) on its own; without a server, this skips.
            if (TestPostgres.SkipReason is { } reason || !File.Exists(BrowserFixture.ChromiumPath))
            {
                SkipReason = TestPostgres.SkipReason ?? $"{BrowserFixture.ChromiumPath} is not installed";
                return;
            }
            BaseUrl = BrowserFixture.Start(_factory);
            _started = true;
            await _factory.Services.WaitForDemoDataAsync();
        }

        public async Task DisposeAsync()
        {
            if (_started)
            {
                await _factory.DisposeAsync();
            }
        }
    }

    [SkippableFact]
    public async Task Admin_signs_in_on_PostgreSQL_and_opens_a_customer_with_its_transactions()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        Skip.If(portal.SkipReason is not null, portal.SkipReason);
        var page = await browser.SignInAsync("admin@msme.local", portal.BaseUrl);

        await Assertions.Expect(page.Locator("[data-testid=kpi-customers]")).ToHaveTextAsync(BrowserFixture.DemoCustomers.ToString());
        await page.GotoAsync($"{portal.BaseUrl}/customers");
        await BrowserFixture.WaitInteractiveAsync(page);
        var rows = page.Locator("[data-testid=customers-table] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(BrowserFixture.DemoCustomers);

        await rows.First.Locator("a").ClickAsync();
        await page.Locator("[data-testid=customer-name]").WaitForAsync();
        await page.Locator("[data-testid=tab-accounts]").ClickAsync();
        await page.Locator("[data-testid=transactions-table] tbody tr").First.WaitForAsync();
        // Rows of the store, not the grid's loading placeholders: the page of transactions came from PostgreSQL.
        await Assertions.Expect(page.Locator("[data-testid=transactions-table]")).ToContainTextAsync("DEBIT");
        Assert.Contains("ACTIVE", await page.Locator("[data-testid=consents-table]").InnerTextAsync());
        await browser.ScreenshotAsync(page, "postgresql-01-customer");

        Assert.True(browser.ConsoleErrors.TryGetValue(page, out var errors));
        Assert.Empty(errors);
    }
}
