using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Msme.Portal.Tests.Browser;

/// <summary>
/// The navigation menu every page shares: at 1400 px it stays open, marks the page the user is on and moves between
/// pages without reloading; on a 390 px phone it opens from the menu button and closes itself once a link is tapped.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NavMenuJourneyTests(BrowserFixture browser)
{
    private static ILocator Drawer(IPage page) => page.Locator(".mud-drawer");

    private static ILocator Link(IPage page, string text) =>
        page.Locator(".mud-navmenu a.mud-nav-link").Filter(new LocatorFilterOptions { HasText = text });

    [SkippableFact]
    public async Task On_a_wide_screen_the_menu_marks_the_current_page_and_navigates_in_place()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        var page = await browser.SignInAsync("risk@msme.local");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/risk$"));

        await Assertions.Expect(Link(page, "Risk dashboard")).ToHaveClassAsync(new Regex(@"\bactive\b"));
        await Assertions.Expect(Link(page, "Anomaly review")).Not.ToHaveClassAsync(new Regex(@"\bactive\b"));
        // Prefix links: a page below a link's path marks that link (Home matches only itself).
        await Assertions.Expect(Link(page, "Home")).Not.ToHaveClassAsync(new Regex(@"\bactive\b"));

        // A marker in the window survives in-place navigation and is lost on a full reload.
        await page.EvaluateAsync("() => window.__msmeNavMarker = 1");
        await Link(page, "Anomaly review").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/risk/anomalies$"));
        await Assertions.Expect(Link(page, "Anomaly review")).ToHaveClassAsync(new Regex(@"\bactive\b"));
        await Assertions.Expect(Link(page, "Risk dashboard")).Not.ToHaveClassAsync(new Regex(@"\bactive\b"));
        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.__msmeNavMarker ?? 0"));
        await Assertions.Expect(Drawer(page)).ToHaveClassAsync(new Regex(@"\bmud-drawer--open\b"));

        // Links carry their icon and text; the groups show their titles.
        await Assertions.Expect(Link(page, "Anomaly review").Locator("svg")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator(".mud-navmenu").First).ToContainTextAsync("Risk");
        await browser.ScreenshotAsync(page, "nav-wide-risk-anomalies");

        Assert.True(browser.ConsoleErrors.TryGetValue(page, out var errors));
        Assert.Empty(errors);
    }

    [SkippableFact]
    public async Task On_a_phone_the_menu_opens_from_its_button_and_closes_after_a_link_is_tapped()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        var page = await browser.SignInAsync("agent1@msme.local", 390, 844);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/collections$"));
        await Assertions.Expect(Drawer(page)).Not.ToHaveClassAsync(new Regex(@"\bmud-drawer--open\b"));

        await page.GetByLabel("Toggle navigation").ClickAsync();
        await Assertions.Expect(Drawer(page)).ToHaveClassAsync(new Regex(@"\bmud-drawer--open\b"));
        await Assertions.Expect(Link(page, "Customers")).ToBeVisibleAsync();
        await browser.ScreenshotAsync(page, "nav-phone-open");

        await Link(page, "Customers").TapAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/customers$"));
        await Assertions.Expect(Drawer(page)).Not.ToHaveClassAsync(new Regex(@"\bmud-drawer--open\b"));
        await Assertions.Expect(Link(page, "Customers")).Not.ToBeInViewportAsync();

        Assert.True(browser.ConsoleErrors.TryGetValue(page, out var errors));
        Assert.Empty(errors);
    }
}
