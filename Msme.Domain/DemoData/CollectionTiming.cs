namespace Msme.Domain.DemoData;

/// <summary>
/// How a customer's money meets its EMIs: the timing risk Smart Collect has to learn (README, "A realistic demo book").
/// <see cref="Steady"/> customers keep a buffer; the others run their balance down before the due date and are paid
/// in lumps on days of their own, so a presentment on the due date bounces in most months and one a few days later
/// does not.
/// </summary>
public enum TimingArchetype
{
    /// <summary>Keeps a buffer; bounces only when business is bad.</summary>
    Steady,
    /// <summary>Due on the 5th, receivables on the 9th-11th; suppliers are paid as money comes in.</summary>
    LateReceipts,
    /// <summary>Due on the 2nd; month-end receivables land on the last working days or wrap to the 1st-3rd.</summary>
    MonthEndWrap,
    /// <summary>Stocks up before Diwali (2025-10-20, 2026-11-08: the season moves with the festival), sells after it.</summary>
    Festive,
    /// <summary>Inflow falls over the window and the balance runs dry before the due date more and more often.</summary>
    Deteriorating,
    /// <summary>An OD account paying from its limit: headroom at the due date varies month by month.</summary>
    OdFromLimit,
    /// <summary>Two loans on one account, due on the 5th and the 7th: the money covers the first more often than the second.</summary>
    TwoLoansOneAccount,
    /// <summary>UPI AutoPay mandate run in the morning; the day's receipts arrive in the afternoon or the next day.</summary>
    UpiAutoPay,
}

/// <summary>The festive season of the demo follows Smart Collect's festival calendar.</summary>
public static class DemoFestivals
{
    public static IReadOnlyList<DateOnly> Diwali => Collections.FestivalCalendar.Diwali;
}

/// <summary>One month's cycle of a timing customer: the evenings the balance is run down and the day the lump arrives.</summary>
internal readonly record struct TimingCycle(DateOnly SweepFrom, DateOnly SweepTo, decimal Keep, DateOnly Lump, double LumpHour, decimal LumpAmount);

/// <summary>Draws a customer's timing archetype and its monthly cycles.</summary>
internal static class CollectionTiming
{
    /// <summary>
    /// About half the customers are steady; the rest carry one timing risk. Festive needs a shop (kirana or ONDC
    /// seller); other businesses drawn for it stay steady.
    /// </summary>
    public static TimingArchetype Draw(DemoRandom rng, DemoArchetype business)
    {
        var t = (TimingArchetype)rng.Weighted(50, 10, 9, 12, 6, 6, 5, 4);
        if (t == TimingArchetype.Festive && business is not (DemoArchetype.Kirana or DemoArchetype.OndcSeller)) t = TimingArchetype.Steady;
        return t;
    }

    /// <summary>The due day a loan of this archetype gets (0: keep the drawn one); <paramref name="k"/> is the loan's position.</summary>
    public static int DueDay(TimingArchetype t, int k) => t switch
    {
        TimingArchetype.LateReceipts => 5,
        TimingArchetype.MonthEndWrap => 2,
        TimingArchetype.TwoLoansOneAccount => k == 0 ? 5 : 7,
        TimingArchetype.UpiAutoPay => 10,
        TimingArchetype.Deteriorating or TimingArchetype.OdFromLimit => 7,
        _ => 0,
    };

    /// <summary>
    /// The cycles over the window. Each month the balance is run down on the evenings from four days before the due
    /// date to the day before the lump (with a chance of a month without it), and the lump pays the EMIs and more.
    /// </summary>
    public static List<TimingCycle> Cycles(DemoRandom rng, TimingArchetype t, IReadOnlyList<LoanState> loans, decimal turnover, DateOnly start, DateOnly end)
    {
        var cycles = new List<TimingCycle>();
        if (t == TimingArchetype.Steady || loans.Count == 0) return cycles;
        var emis = loans.Sum(l => l.Emi);
        var firstEmi = loans[0].Emi;
        var dueDay = loans.Max(l => l.DueDay);
        if (t == TimingArchetype.Festive)
        {
            foreach (var diwali in DemoFestivals.Diwali)
            {
                if (diwali < start.AddDays(30) || diwali > end.AddDays(40)) continue;
                // Stock for the season is bought on credit and paid down every evening as money comes in.
                var from = diwali.AddDays(-rng.Next(32, 40));
                cycles.Add(new(from, diwali.AddDays(-3), emis * (decimal)rng.Between(0, 0.5), diwali.AddDays(-2), 13, Lump(rng, emis * 3, turnover)));
            }
            return cycles;
        }
        var months = (end.Year - start.Year) * 12 + end.Month - start.Month + 2;
        var first = new DateOnly(start.Year, start.Month, 1).AddMonths(-1);
        for (var m = 0; m < months; m++)
        {
            var month = first.AddMonths(m);
            var due = new DateOnly(month.Year, month.Month, Math.Min(dueDay, DateTime.DaysInMonth(month.Year, month.Month)));
            var share = m / (double)Math.Max(1, months - 1);
            var (offset, hour, sweepChance, keep) = t switch
            {
                TimingArchetype.LateReceipts => (rng.Next(4, 7), rng.Between(11, 17), 0.7, emis * (decimal)rng.Between(0, 0.6)),
                TimingArchetype.MonthEndWrap => (rng.Chance(0.45) ? -rng.Next(2, 4) : rng.Next(-1, 2), rng.Between(11, 17), 0.85, emis * (decimal)rng.Between(0, 0.6)),
                TimingArchetype.Deteriorating => (rng.Next(3, 7), rng.Between(11, 17), 0.1 + 0.85 * share, emis * (decimal)rng.Between(0, 0.7)),
                TimingArchetype.OdFromLimit => (rng.Next(3, 6), rng.Between(11, 17), 0.75, emis * (decimal)rng.Between(0.2, 1.6)),
                TimingArchetype.TwoLoansOneAccount => (rng.Next(2, 4), rng.Between(11, 17), 0.85, firstEmi * (decimal)rng.Between(0.6, 2.2)),
                // Mornings run the mandate; the lump comes that afternoon or the next day.
                TimingArchetype.UpiAutoPay => (rng.Chance(0.35) ? 0 : rng.Next(1, 3), rng.Between(13, 18), 0.7, emis * (decimal)rng.Between(0, 0.6)),
                _ => (0, 12.0, 0.0, 0m),
            };
            // Now and then the lump is a week late: no day in the window is safe that month.
            if (rng.Chance(0.08)) offset += rng.Next(6, 10);
            var lump = SkipSunday(due.AddDays(offset));
            var amount = Lump(rng, emis * (t == TimingArchetype.Deteriorating ? (decimal)(2.5 - 1.5 * share) : 2.2m), turnover);
            if (!rng.Chance(sweepChance)) cycles.Add(new(due, due.AddDays(-1), 0, lump, hour, amount)); // no run-down this month
            else cycles.Add(new(due.AddDays(-4), lump.AddDays(-1), keep, lump, hour, amount));
        }
        return cycles;
    }

    /// <summary>
    /// The lumps are receivables the business would otherwise get spread over the month: its other income shrinks by
    /// their average share, so monthly inflow stays near the turnover (and planted one-off spikes stay one-off).
    /// </summary>
    public static double IncomeScale(IReadOnlyList<TimingCycle> cycles, decimal turnover, DateOnly start, DateOnly end)
    {
        if (cycles.Count == 0 || turnover <= 0) return 1;
        var months = (end.Year - start.Year) * 12 + end.Month - start.Month + 1;
        var inside = cycles.Where(c => c.Lump >= start && c.Lump <= end).Sum(c => c.LumpAmount);
        return Math.Max(0.5, 1 - (double)(inside / months / turnover));
    }

    private static decimal Lump(DemoRandom rng, decimal emis, decimal turnover) =>
        DemoRandom.RoundTo(emis * (decimal)rng.Between(1.0, 1.6) + turnover * (decimal)rng.Between(0.03, 0.08), 100);

    private static DateOnly SkipSunday(DateOnly d) => d.DayOfWeek == DayOfWeek.Sunday ? d.AddDays(1) : d;
}
