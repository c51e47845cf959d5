using System.Diagnostics;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Browser;

/// <summary>A real browser's Blazor circuit is counted open on the host's meter when it connects, and closed when the page goes away.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CircuitMetricsJourneyTests(BrowserFixture browser)
{
    [SkippableFact]
    public async Task A_page_that_connects_opens_a_circuit_and_leaving_it_closes_it()
    {
        Skip.If(browser.SkipReason is not null, browser.SkipReason);
        using var metrics = new MetricsCapture(browser.Services);

        var page = await browser.SignInAsync("risk@msme.local");

        // Tests of this collection run one at a time, so the circuit that just connected is this page's.
        Assert.Contains(1d, metrics.Values("msme.circuits.open"));

        // Leaving the document sends Blazor's disconnect beacon; the server closes the circuit then, not minutes later.
        await page.GotoAsync("about:blank");
        var waited = Stopwatch.StartNew();
        while (!metrics.Values("msme.circuits.open").Contains(-1d) && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
        }
        Assert.Contains(-1d, metrics.Values("msme.circuits.open"));
        await page.Context.CloseAsync();
    }
}
