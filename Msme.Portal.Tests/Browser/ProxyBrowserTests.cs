using Microsoft.Playwright;
using Msme.Portal.Tests.Scale;

namespace Msme.Portal.Tests.Browser;

/// <summary>
/// Two PostgreSQL instances behind the shipped proxy (Msme.Proxy) in a real browser: a signed-in user's interactive
/// page keeps its circuit, WebSocket and all, on the instance the affinity cookie names; a second browser's circuit
/// opens on the other instance.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ProxyBrowserTests(BrowserFixture browser, ProxiedPortals portals) : IClassFixture<ProxiedPortals>
{
    [SkippableFact]
    public async Task Interactive_pages_through_the_proxy_keep_their_circuit_on_one_instance_and_a_second_browser_uses_the_other()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        Skip.If(portals.SkipReason is not null, portals.SkipReason);

        var first = await browser.SignInAsync("risk@msme.local", portals.ProxyUrl);
        var (home, sockets) = await OpenAccountsAsync(first);
        var homeInstance = portals.Instances.Single(i => i.Name == home);
        var otherInstance = portals.Instances.Single(i => i.Name != home);
        Assert.True(homeInstance.CircuitsOpened >= 2, $"circuits on {home}: {homeInstance.CircuitsOpened}"); // the sign-in's landing page and this one
        Assert.Equal(0, otherInstance.CircuitsOpened);
        Assert.Contains(sockets, url => url.StartsWith(portals.ProxyUrl.Replace("http://", "ws://"), StringComparison.Ordinal) && url.Contains("/_blazor", StringComparison.Ordinal));
        await browser.ScreenshotAsync(first, "proxy-01-accounts-through-proxy");

        // A click works over the circuit (the tab switch is a server round trip), still on the same instance.
        // The tab switch changes the URL in the page (no load event), so poll the URL as the other journeys do.
        await first.Locator("[data-testid=tab-insights]").ClickAsync();
        await Assertions.Expect(first).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/insights$"), new() { Timeout = 60_000 });
        await Assertions.Expect(first.Locator("[data-testid=customer-tab-content]")).ToHaveAttributeAsync("data-tab", "insights", new() { Timeout = 60_000 });
        Assert.Equal(0, otherInstance.CircuitsOpened);

        var second = await browser.SignInAsync("risk@msme.local", portals.ProxyUrl);
        var (secondHome, _) = await OpenAccountsAsync(second);
        Assert.Equal(otherInstance.Name, secondHome);
        Assert.True(otherInstance.CircuitsOpened >= 1);

        foreach (var page in new[] { first, second })
        {
            Assert.True(browser.ConsoleErrors.TryGetValue(page, out var errors));
            Assert.Empty(errors);
            Assert.Equal(0, await page.Locator("#components-reconnect-modal[open], .components-reconnect-show").CountAsync());
        }
    }

    /// <summary>Opens the imported customer's Accounts tab (a full navigation: a new circuit); answers the instance that served it and the WebSockets the page opened.</summary>
    private async Task<(string Instance, List<string> Sockets)> OpenAccountsAsync(IPage page)
    {
        var sockets = new List<string>();
        page.WebSocket += (_, socket) => sockets.Add(socket.Url);
        var response = await page.GotoAsync($"{portals.ProxyUrl}/customers/{portals.CustomerId}/accounts");
        Assert.NotNull(response);
        var instance = await response.HeaderValueAsync(ProxiedPortals.InstanceHeader);
        Assert.NotNull(instance);
        await BrowserFixture.WaitInteractiveAsync(page);
        // Rows of the store, not the grid's loading placeholders: the page of transactions came over the circuit.
        await Assertions.Expect(page.Locator("[data-testid=transactions-table]")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("DEBIT|CREDIT"));
        return (instance, sockets);
    }
}
