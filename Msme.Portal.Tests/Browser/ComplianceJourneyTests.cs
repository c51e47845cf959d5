using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Msme.Portal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ComplianceJourneyTests(BrowserFixture browser)
{
    [SkippableFact]
    public async Task Compliance_goes_from_the_registry_to_a_consent_and_the_customers_data_passport()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        var page = await browser.SignInAsync("compliance@msme.local");

        // A consent whose monitoring use is live by its own properties (ACTIVE, unexpired on the portal's clock, purpose
        // 104), not whichever the registry lists first: the demo's consents vary with its seed and as-of.
        var now = browser.Clock.GetUtcNow();
        int consentId;
        await using (var db = await browser.DbAsync())
        {
            var candidates = await db.Consents.AsNoTracking()
                .Where(c => c.Status == Msme.Domain.Consent.ConsentStatus.Active && c.PurposeCode == "104")
                .Select(c => new { c.Id, c.ConsentExpiry }).ToListAsync();
            consentId = candidates.Where(c => c.ConsentExpiry is null || c.ConsentExpiry > now).Select(c => c.Id).Order().First();
        }
        await page.Locator("[data-testid=consents-list] tbody tr").First.WaitForAsync();
        await page.Locator($"[data-testid=consents-list] tbody tr td a[href='compliance/consents/{consentId}']").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/compliance/consents/"));
        await Assertions.Expect(page.Locator("[data-testid=sessions] tbody tr")).Not.ToHaveCountAsync(0);
        await browser.ScreenshotAsync(page, "compliance-01-lineage");

        await page.Locator("[data-testid=passport-link]").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/compliance/customers/"));
        await Assertions.Expect(page.Locator("[data-testid=passport-consents] tbody tr")).ToHaveCountAsync(1);
        // The lineage page just viewed is itself on the passport's audit of who saw the data.
        await Assertions.Expect(page.Locator("[data-testid=passport-viewers]")).ToContainTextAsync("compliance@msme.local");
        await Assertions.Expect(page.Locator("[data-testid=use-Monitoring]")).ToHaveTextAsync("live");
        await browser.ScreenshotAsync(page, "compliance-02-passport");
        Assert.Empty(browser.ConsoleErrors.TryGetValue(page, out var errors) ? errors : []);
    }

    [SkippableFact]
    public async Task Admin_sees_users_with_their_roles()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        var page = await browser.SignInAsync("admin@msme.local");

        await page.GotoAsync($"{browser.BaseUrl}/admin/users");
        await BrowserFixture.WaitInteractiveAsync(page);

        await Assertions.Expect(page.Locator("[data-testid=users]")).ToContainTextAsync("agent1@msme.local");
        await page.Locator("[data-testid='edit-roles-agent2@msme.local']").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=save-roles]")).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "admin-01-users");
    }
}
