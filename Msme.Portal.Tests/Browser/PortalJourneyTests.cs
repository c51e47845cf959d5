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
        var customers = await browser.CustomerCountAsync();

        await Assertions.Expect(page.Locator("[data-testid=kpi-customers]")).ToHaveTextAsync(customers.ToString());
        await browser.ScreenshotAsync(page, "01-admin-home");

        await page.GotoAsync($"{browser.BaseUrl}/customers");
        await BrowserFixture.WaitInteractiveAsync(page);
        var rows = page.Locator("[data-testid=customers-table] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(customers);
        await browser.ScreenshotAsync(page, "02-customers");

        await rows.First.Locator("a").ClickAsync();
        await page.Locator("[data-testid=customer-name]").WaitForAsync();
        await page.Locator("[data-testid=tab-accounts]").ClickAsync();
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
    public async Task Admin_uploads_a_zipped_bundle_and_sees_it_imported_then_unchanged()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        var work = Directory.CreateTempSubdirectory("msme-upload-");
        var customer = Msme.Domain.DemoData.DemoGenerator.Generate(new Msme.Domain.DemoData.DemoOptions(new DateOnly(2026, 9, 30), Customers: 1, Months: 3, Seed: 99)).Single();
        Msme.Domain.DemoData.DemoBundleWriter.Write(customer, Path.Combine(work.FullName, "bundle", "upload-customer"));
        var zip = Path.Combine(work.FullName, "upload.zip");
        System.IO.Compression.ZipFile.CreateFromDirectory(Path.Combine(work.FullName, "bundle"), zip);
        var page = await browser.SignInAsync("admin@msme.local");
        await page.GotoAsync($"{browser.BaseUrl}/admin/imports");
        await BrowserFixture.WaitInteractiveAsync(page);

        await page.Locator("input[type=file]").First.SetInputFilesAsync(zip);

        var results = page.Locator("[data-testid=import-results]");
        await Assertions.Expect(results).ToContainTextAsync("imported upload-customer", new() { Timeout = 30_000 });
        await browser.ScreenshotAsync(page, "06-upload-imported");
        await page.Locator("input[type=file]").First.SetInputFilesAsync(zip);
        await Assertions.Expect(results).ToContainTextAsync("unchanged upload-customer", new() { Timeout = 30_000 });
        work.Delete(recursive: true);
    }

    [SkippableFact]
    public async Task Compliance_opens_a_consent_and_sees_its_history_sessions_and_who_saw_the_data()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        var page = await browser.SignInAsync("compliance@msme.local");

        await page.Locator("table a[href^='compliance/consents/']").First.ClickAsync();

        // The demo's consents came from the AA: the first history entry is the verified artefact, and the lineage lists its fetch.
        await Assertions.Expect(page.Locator("[data-testid=status-history]")).ToContainTextAsync("signature verified");
        await Assertions.Expect(page.Locator("[data-testid=aa-fetches] [data-testid=aa-fetch-row]")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=sessions] tbody tr")).Not.ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=viewers]")).ToBeAttachedAsync();
        await browser.ScreenshotAsync(page, "07-consent-lineage");

        await page.GotoAsync($"{browser.BaseUrl}/compliance/audit");
        await Assertions.Expect(page.Locator("[data-testid=audit-verification]")).ToContainTextAsync("audit chain intact");
        await Assertions.Expect(page.Locator("[data-testid=audit-table]")).ToContainTextAsync("compliance@msme.local");
        await browser.ScreenshotAsync(page, "08-audit-trail");
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
