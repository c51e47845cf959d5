using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Msme.Portal.Tests.Infrastructure;

/// <summary>The portal on a clock the test moves: sign-in cookies and API tokens are issued and checked on the app's TimeProvider.</summary>
public sealed class ClockedPortalFactory : PortalFactory
{
    /// <summary>Replaces the pinned clock of every test host with one the test moves by hand.</summary>
    public new FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // Moving this clock by months fires every periodic job once per interval it skips, synchronously inside
        // Advance: the outbox dispatcher's 10-second interval made a 90-day move take about 780,000 lease round trips
        // (tens of minutes). These tests move the clock for sign-ins and tokens, not for the outbox or the AA fetch.
        builder.UseSetting("Msme:Collections:Outbox:DispatchInterval", "1.00:00:00");
        builder.UseSetting("Msme:Aa:PeriodicCheckInterval", "1.00:00:00");
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
    }
}
