using System.Diagnostics;
using System.Globalization;

namespace Msme.Portal.Tests.Infrastructure;

/// <summary>
/// The clock of the test hosts: it starts at a fixed instant and then runs at real speed, so timers, delays and
/// time-outs behave as in production while nothing a test sees depends on today's date (the demo's as-of, consent
/// expiries, "due in 30 days" all follow this clock). <c>MSME_TEST_NOW</c> (ISO 8601) moves the start, to check
/// that the suite passes whatever the calendar says.
/// </summary>
public sealed class PinnedClock(DateTimeOffset start) : TimeProvider
{
    /// <summary>The instant every test host starts at unless <c>MSME_TEST_NOW</c> says otherwise.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 12, 6, 10, 0, 0, TimeSpan.FromHours(5.5));

    private readonly long _started = Stopwatch.GetTimestamp();

    public DateTimeOffset Start { get; } = start;

    public static DateTimeOffset ConfiguredStart =>
        Environment.GetEnvironmentVariable("MSME_TEST_NOW") is { Length: > 0 } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : DefaultStart;

    public static PinnedClock FromEnvironment() => new(ConfiguredStart);

    public override DateTimeOffset GetUtcNow() => (Start + Stopwatch.GetElapsedTime(_started)).ToUniversalTime();
}
