using System.Globalization;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Tests.Analytics.Cashflow;

/// <summary>Ready-made shapes of account for the metric tests.</summary>
internal static class Accounts
{
    /// <summary>
    /// Consecutive complete months from <paramref name="firstMonth"/>: month i gets one CREDIT of inflows[i] on day 1
    /// (none when 0) and one DEBIT of outflows[i] (0 when not given) on its last day, which also makes every month
    /// complete: coverage runs from day 1 of the first month to the last day of the last.
    /// </summary>
    public static DepositAccount CompleteMonths(string firstMonth, decimal[] inflows, decimal[]? outflows = null, decimal opening = 1_000_000m)
    {
        var builder = new AccountBuilder().Opening(opening);
        var month = DateOnly.ParseExact(firstMonth + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
        for (var i = 0; i < inflows.Length; i++, month = month.AddMonths(1))
        {
            if (inflows[i] > 0m) builder.Credit(Day(month), inflows[i]);
            builder.Debit(Day(CalendarMonth.Of(month).LastDay), outflows?[i] ?? 0m);
        }
        return builder.Build();
    }

    public static AccountAnalysis Analyze(string firstMonth, decimal[] inflows, decimal[]? outflows = null) =>
        CashflowAnalyzer.Analyze(CompleteMonths(firstMonth, inflows, outflows));

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
