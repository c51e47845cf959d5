namespace Msme.Domain;

/// <summary>India Standard Time (UTC+05:30, no daylight saving): the calendar every business date uses.</summary>
public static class IndianTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromMinutes(330);

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    public static DateOnly Today(TimeProvider clock) => DateOf(clock.GetUtcNow());
}
