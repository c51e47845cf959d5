using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Msme.Portal.Tests.Browser;

/// <summary>Each role signs in through the real form and lands on its own home, with its own menu.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RoleHomeJourneyTests(BrowserFixture browser)
{
    [SkippableTheory]
    [InlineData("agent1@msme.local", "/collections", "Collections queue", "Audit trail")]
    [InlineData("risk@msme.local", "/risk", "Anomaly review", "Users and roles")]
    [InlineData("compliance@msme.local", "/compliance", "Audit trail", "Collections queue")]
    [InlineData("admin@msme.local", "/admin", "Users and roles", null)]
    public async Task Each_role_signs_in_and_lands_on_its_home_with_its_menu(string email, string home, string inMenu, string? notInMenu)
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        var page = await browser.SignInAsync(email);

        await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(home) + "$"));
        var menu = page.Locator(".mud-navmenu").First; // the outer menu (groups nest their own)
        await Assertions.Expect(menu).ToContainTextAsync(inMenu);
        if (notInMenu is not null)
        {
            await Assertions.Expect(menu).Not.ToContainTextAsync(notInMenu);
        }
        await browser.ScreenshotAsync(page, $"home-{email.Split('@')[0]}");
        Assert.True(browser.ConsoleErrors.TryGetValue(page, out var errors));
        Assert.Empty(errors);
    }
}
