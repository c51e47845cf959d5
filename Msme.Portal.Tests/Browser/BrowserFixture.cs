using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Msme.Portal.Features.Admin;
using Msme.Portal.Tests.Infrastructure;

namespace Msme.Portal.Tests.Browser;

/// <summary>The portal on a real Kestrel port with a small demo dataset, and Debian's Chromium driven by Playwright.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>The demo customers the browser tests' portal loads (more make the risk dashboard's first load too slow for a 2-core CI under load).</summary>
    public const int DemoCustomers = 6;

    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly DemoPortalFactory _factory = new();
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public string? SkipReason { get; private set; }
    public string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");
    public IServiceProvider Services => _factory.Services;

    /// <summary>The portal's pinned clock: dates a journey types follow it, never the machine's calendar.</summary>
    public TimeProvider Clock => _factory.Clock;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            // CI sets MSME_REQUIRE_BROWSER=1 so a missing browser fails there instead of skipping.
            if (Environment.GetEnvironmentVariable("MSME_REQUIRE_BROWSER") == "1")
            {
                throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install -y chromium");
            }
            SkipReason = $"{ChromiumPath} is not installed (apt-get install -y chromium)";
            return;
        }
        Directory.CreateDirectory(ScreenshotDirectory);
        BaseUrl = Start(_factory);
        await WaitForDemoDataAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>Starts the portal on a real Kestrel port; answers its base URL.</summary>
    internal static string Start(PortalFactory factory)
    {
        factory.UseKestrel(0);
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // The template's passkey script rejects an IP address as its domain.
        return address.Replace("127.0.0.1", "localhost").Replace("[::1]", "localhost").TrimEnd('/');
    }

    private async Task WaitForDemoDataAsync()
    {
        await _factory.Services.WaitForDemoDataAsync();
    }

    /// <summary>A fresh browser context signed in as the user, on the page the sign-in lands on (of this portal, or the one at <paramref name="baseUrl"/>).</summary>
    public async Task<IPage> SignInAsync(string email, string? baseUrl = null) => await SignInAsync(email, 1400, 900, baseUrl);

    /// <summary>A fresh browser context of the given viewport signed in as the user; below 600 px wide it is a touch phone.</summary>
    public async Task<IPage> SignInAsync(string email, int width, int height, string? baseUrl = null)
    {
        baseUrl ??= BaseUrl;
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            IsMobile = width < 600,
            HasTouch = width < 600,
        });
        // Two cores shared with the server under test: give every wait room before calling it a failure.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        ConsoleErrors.Add(page, errors);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync($"{baseUrl}/Account/Login");
        await page.FillAsync("#Input\\.Email", email);
        await page.FillAsync("#Input\\.Password", PortalFactory.Password);
        await page.ClickAsync("button[type=submit]");
        // Admins and compliance users have two-factor sign-in: type the code their authenticator app would show.
        await WaitForUrlAsync(page, url => !url.Contains("/Account/Login?") && !url.EndsWith("/Account/Login", StringComparison.Ordinal));
        if (page.Url.Contains("/Account/LoginWith2fa", StringComparison.OrdinalIgnoreCase))
        {
            await page.FillAsync("#Input\\.TwoFactorCode", Totp.Code(Msme.Portal.Hosting.DemoUsers.AuthenticatorKey));
            await page.ClickAsync("button[type=submit]");
        }
        // Wait for the navigation itself, not the load event: a role's home may compute for a while on a loaded CI machine.
        await WaitForUrlAsync(page, url => !url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase));
        await WaitInteractiveAsync(page);
        return page;
    }

    /// <summary>
    /// Waits until the page's committed URL satisfies the predicate. Playwright's <c>WaitForURLAsync</c> with
    /// <c>WaitUntil = Commit</c> waits for a load state instead when the URL already matches on the call (the 2FA page
    /// committed before the wait began), and that state never came in one CI run; the URL itself is all a sign-in needs.
    /// </summary>
    private static async Task WaitForUrlAsync(IPage page, Func<string, bool> matches)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!matches(page.Url))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The page stayed at {page.Url} for 60 s after signing in.");
            }
            await Task.Delay(50);
        }
    }

    /// <summary>How many customers the store holds now (other tests in the collection may have imported more).</summary>
    public async Task<int> CustomerCountAsync()
    {
        var factory = _factory.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Msme.Portal.Data.ApplicationDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Customers);
    }

    /// <summary>A context on the portal's store, to check what a journey wrote (the audit trail, above all).</summary>
    public async Task<Msme.Portal.Data.ApplicationDbContext> DbAsync() =>
        await _factory.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Msme.Portal.Data.ApplicationDbContext>>().CreateDbContextAsync();

    /// <summary>Errors the browser reported for a page (console errors, uncaught exceptions, CSP violations).</summary>
    public System.Runtime.CompilerServices.ConditionalWeakTable<IPage, List<string>> ConsoleErrors { get; } = [];

    /// <summary>Clicks on prerendered HTML are lost until the circuit connects: wait for the layout's marker.</summary>
    public static Task WaitInteractiveAsync(IPage page) =>
        page.Locator("[data-testid=interactive]").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached, Timeout = 60_000 });

    public async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async Task DisposeAsync()
    {
        if (_playwright is not null)
        {
            await Browser.DisposeAsync();
            _playwright.Dispose();
        }
        await _factory.DisposeAsync();
    }

    internal sealed class DemoPortalFactory(TestProvider provider = TestProvider.Sqlite) : PortalFactory
    {
        protected override TestProvider Provider => provider;

        protected override int DemoCustomers => BrowserFixture.DemoCustomers;

        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Msme:DemoMonths", "8");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
