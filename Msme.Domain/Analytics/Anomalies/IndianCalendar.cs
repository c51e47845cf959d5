using System.Collections.Frozen;
using Msme.Domain.Analytics.Cashflow;
using static System.FormattableString;

namespace Msme.Domain.Analytics.Anomalies;

/// <summary>A festival or business-cycle date that moves a small business's money.</summary>
public enum Observance
{
    Diwali, Dussehra, EidAlFitr, PongalSankranti, Onam, GaneshChaturthi, Christmas,
    /// <summary>31 March: the financial year's end (targets, year-end purchases and settlements).</summary>
    FinancialYearEnd,
    /// <summary>Quarterly advance tax instalments: 15 June, 15 September, 15 December, 15 March.</summary>
    AdvanceTax,
    /// <summary>GSTR-3B return and payment: the 20th of every month for the month before (monthly filers).</summary>
    GstDue,
}

/// <summary>One observance on one day.</summary>
public sealed record CalendarFact(Observance What, DateOnly Day)
{
    public override string ToString() => Invariant($"{IndianCalendar.Name(What)} {Day:yyyy-MM-dd}");
}

/// <summary>
/// The Indian festival and business calendar the seasonal baseline aligns on. Festival dates are those of the
/// Government of India's holiday lists for Central Government offices (Department of Personnel and Training, Office
/// Memorandum "Holidays to be observed in Central Government Offices during the year YYYY", published at
/// https://dopt.gov.in each July for the next year; 2026: O.M. of 3 July 2025), which fix the national dates of
/// Diwali, Dussehra and Id-ul-Fitr and list Pongal/Makar Sankranti, Onam and Ganesh Chaturthi among the restricted
/// holidays. Id-ul-Fitr depends on the moon's sighting and can move by a day; a day does not change the month here.
/// 2027 is not yet listed by DoPT when this was written: its dates are the panchang's (drikpanchang.com) and should
/// be checked against the O.M. when it appears. Years outside <see cref="FirstYear"/>..<see cref="LastYear"/> have no
/// festival dates: the baseline then falls back to the same calendar month last year and says so.
/// Business facts are statutory and fixed: GSTR-3B due on the 20th (CGST Rules, rule 61), advance tax on 15 June,
/// 15 September, 15 December and 15 March (Income-tax Act, section 211), the financial year ending 31 March.
/// </summary>
public static class IndianCalendar
{
    public const int FirstYear = 2023;
    public const int LastYear = 2027;
    public const string Source = "DoPT holiday lists for Central Government offices (dopt.gov.in), 2023-2026; 2027 from the panchang";

    private static readonly FrozenDictionary<(Observance, int), DateOnly> Festivals = new Dictionary<(Observance, int), DateOnly>
    {
        [(Observance.Diwali, 2023)] = new(2023, 11, 12),
        [(Observance.Diwali, 2024)] = new(2024, 10, 31),
        [(Observance.Diwali, 2025)] = new(2025, 10, 20),
        [(Observance.Diwali, 2026)] = new(2026, 11, 8),
        [(Observance.Diwali, 2027)] = new(2027, 10, 29),
        [(Observance.Dussehra, 2023)] = new(2023, 10, 24),
        [(Observance.Dussehra, 2024)] = new(2024, 10, 12),
        [(Observance.Dussehra, 2025)] = new(2025, 10, 2),
        [(Observance.Dussehra, 2026)] = new(2026, 10, 20),
        [(Observance.Dussehra, 2027)] = new(2027, 10, 9),
        [(Observance.EidAlFitr, 2023)] = new(2023, 4, 22),
        [(Observance.EidAlFitr, 2024)] = new(2024, 4, 11),
        [(Observance.EidAlFitr, 2025)] = new(2025, 3, 31),
        [(Observance.EidAlFitr, 2026)] = new(2026, 3, 21),
        [(Observance.EidAlFitr, 2027)] = new(2027, 3, 10),
        [(Observance.PongalSankranti, 2023)] = new(2023, 1, 15),
        [(Observance.PongalSankranti, 2024)] = new(2024, 1, 15),
        [(Observance.PongalSankranti, 2025)] = new(2025, 1, 14),
        [(Observance.PongalSankranti, 2026)] = new(2026, 1, 14),
        [(Observance.PongalSankranti, 2027)] = new(2027, 1, 15),
        [(Observance.Onam, 2023)] = new(2023, 8, 29),
        [(Observance.Onam, 2024)] = new(2024, 9, 15),
        [(Observance.Onam, 2025)] = new(2025, 9, 5),
        [(Observance.Onam, 2026)] = new(2026, 8, 26),
        [(Observance.Onam, 2027)] = new(2027, 9, 14),
        [(Observance.GaneshChaturthi, 2023)] = new(2023, 9, 19),
        [(Observance.GaneshChaturthi, 2024)] = new(2024, 9, 7),
        [(Observance.GaneshChaturthi, 2025)] = new(2025, 8, 27),
        [(Observance.GaneshChaturthi, 2026)] = new(2026, 9, 14),
        [(Observance.GaneshChaturthi, 2027)] = new(2027, 9, 4),
    }.ToFrozenDictionary();

    /// <summary>Diwali's shopping comes in the days before it: a Diwali on the 1st-5th of a month makes the month before the festive one.</summary>
    public const int EarlyDiwaliDay = 5;

    public static string Name(Observance o) => o switch
    {
        Observance.Diwali => "Diwali",
        Observance.Dussehra => "Dussehra",
        Observance.EidAlFitr => "Eid al-Fitr",
        Observance.PongalSankranti => "Pongal/Makar Sankranti",
        Observance.Onam => "Onam",
        Observance.GaneshChaturthi => "Ganesh Chaturthi",
        Observance.Christmas => "Christmas",
        Observance.FinancialYearEnd => "financial-year end",
        Observance.AdvanceTax => "advance tax instalment",
        Observance.GstDue => "GSTR-3B due date",
        _ => o.ToString(),
    };

    /// <summary>Whether the calendar knows the moving festivals of <paramref name="year"/>.</summary>
    public static bool Covers(int year) => year is >= FirstYear and <= LastYear;

    /// <summary>The day of a festival in a year; null when the year is outside the table.</summary>
    public static DateOnly? Day(Observance festival, int year) => festival switch
    {
        Observance.Christmas => new DateOnly(year, 12, 25),
        Observance.FinancialYearEnd => new DateOnly(year, 3, 31),
        _ => Festivals.TryGetValue((festival, year), out var d) ? d : null,
    };

    /// <summary>The month that carries Diwali's festive trade in a year (see <see cref="EarlyDiwaliDay"/>); null outside the table.</summary>
    public static CalendarMonth? FestiveMonth(int year) =>
        Day(Observance.Diwali, year) is { } d ? (d.Day <= EarlyDiwaliDay ? CalendarMonth.Of(d.AddMonths(-1)) : CalendarMonth.Of(d)) : null;

    /// <summary>Every festival and business fact that falls in a month.</summary>
    public static IReadOnlyList<CalendarFact> In(CalendarMonth month)
    {
        var facts = new List<CalendarFact>();
        foreach (var f in (ReadOnlySpan<Observance>)[Observance.Diwali, Observance.Dussehra, Observance.EidAlFitr, Observance.PongalSankranti,
                     Observance.Onam, Observance.GaneshChaturthi, Observance.Christmas, Observance.FinancialYearEnd])
        {
            if (Day(f, month.Year) is { } d && d.Month == month.Month) facts.Add(new(f, d));
        }
        if (month.Month is 3 or 6 or 9 or 12) facts.Add(new(Observance.AdvanceTax, new DateOnly(month.Year, month.Month, 15)));
        facts.Add(new(Observance.GstDue, new DateOnly(month.Year, month.Month, 20)));
        return facts;
    }

    /// <summary>
    /// The month last year that a month's seasonal baseline compares with. Months around Diwali (the festive month and
    /// its neighbours) compare with the same position around last year's Diwali, so a festival that moved from October
    /// to November compares November with last October. A month whose calendar twin last year sat next to Diwali, but
    /// which does not this year, has no seasonal twin (null: trend only). Every other month compares with the same
    /// calendar month last year. Outside the calendar's years, the same calendar month, with <paramref name="aligned"/> false.
    /// </summary>
    public static CalendarMonth? SeasonalTwin(CalendarMonth month, out bool aligned, out string note)
    {
        var plain = CalendarMonth.FromIndex(month.Index - 12);
        if (FestiveMonth(month.Year) is not { } now || FestiveMonth(month.Year - 1) is not { } then)
        {
            aligned = false;
            note = Invariant($"calendar does not cover {month.Year - 1}-{month.Year}: same month last year");
            return plain;
        }
        aligned = true;
        var offset = month.Index - now.Index;
        if (Math.Abs(offset) <= 1)
        {
            var twin = CalendarMonth.FromIndex(then.Index + offset);
            note = twin == plain ? "same month last year (Diwali in the same month)"
                : Invariant($"{twin}: Diwali moved from {Day(Observance.Diwali, month.Year - 1):yyyy-MM-dd} to {Day(Observance.Diwali, month.Year):yyyy-MM-dd}");
            return twin;
        }
        if (Math.Abs(plain.Index - then.Index) <= 1)
        {
            note = Invariant($"{plain} sat next to Diwali {Day(Observance.Diwali, month.Year - 1):yyyy-MM-dd}, this month does not: no seasonal twin");
            return null;
        }
        note = "same month last year";
        return plain;
    }
}
