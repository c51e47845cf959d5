namespace Msme.Domain.Collections;

/// <summary>Diwali (Lakshmi Puja) dates Smart Collect's festival-proximity feature reads (drikpanchang.com).</summary>
public static class FestivalCalendar
{
    public static readonly DateOnly[] Diwali =
    [
        new(2022, 10, 24), new(2023, 11, 12), new(2024, 11, 1), new(2025, 10, 20), new(2026, 11, 8), new(2027, 10, 29), new(2028, 10, 17),
    ];

    /// <summary>Days from <paramref name="date"/> to the next Diwali on or after it; null past the table.</summary>
    public static int? DaysToNextDiwali(DateOnly date)
    {
        foreach (var d in Diwali)
            if (d >= date) return d.DayNumber - date.DayNumber;
        return null;
    }
}
