namespace Msme.Domain.Analytics.Cashflow;

/// <summary>A calendar month (IST calendar), printed as yyyy-MM.</summary>
public readonly record struct CalendarMonth(int Year, int Month) : IComparable<CalendarMonth>
{
    public static CalendarMonth Of(DateOnly day) => new(day.Year, day.Month);

    public DateOnly FirstDay => new(Year, Month, 1);

    public DateOnly LastDay => new(Year, Month, DateTime.DaysInMonth(Year, Month));

    /// <summary>Months since year 0: consecutive months differ by one, so spans of months index arrays directly.</summary>
    internal int Index => Year * 12 + Month - 1;

    internal static CalendarMonth FromIndex(int index) => new(index / 12, index % 12 + 1);

    public int CompareTo(CalendarMonth other) => Index.CompareTo(other.Index);

    public override string ToString() => $"{Year:D4}-{Month:D2}";
}
