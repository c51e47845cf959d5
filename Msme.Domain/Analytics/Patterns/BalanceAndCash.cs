using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.Classification;
using Msme.Domain.Ingestion;
using static System.FormattableString;

namespace Msme.Domain.Analytics.Patterns;

/// <summary>Cash deposits as a share of all credits, overall and per month.</summary>
/// <param name="Ratio">Σ cash-deposit credits / Σ all credits over the complete months (all months when none is complete); null without credits.</param>
public sealed record CashDepositRatio(decimal? Ratio, decimal CashCredits, decimal AllCredits, IReadOnlyList<(CalendarMonth Month, decimal? Ratio)> Monthly, Explanation Explanation);

/// <summary>Average closing balance on one checkpoint day of the month, across complete months.</summary>
/// <param name="Day">5, 10, 15, 20, 25, or 0 for the month's last day.</param>
public sealed record CheckpointBalance(int Day, decimal? Average, IReadOnlyList<(CalendarMonth Month, decimal Balance)> Values, Explanation Explanation)
{
    public string Label => Day == 0 ? "month end" : Invariant($"day {Day}");
}

/// <summary>Cash ratio and checkpoint-day balances: two figures lenders read straight off a bank statement.</summary>
public static class BalanceAndCash
{
    public static readonly int[] Checkpoints = [5, 10, 15, 20, 25, 0];

    public static CashDepositRatio CashRatio(IReadOnlyList<ClassifiedTransaction> txns, AccountAnalysis contract)
    {
        ArgumentNullException.ThrowIfNull(txns);
        ArgumentNullException.ThrowIfNull(contract);
        var complete = contract.Monthly.Where(m => m.Complete).Select(m => m.Month).ToHashSet();
        var useAll = complete.Count == 0;
        var perMonth = new SortedDictionary<CalendarMonth, (decimal Cash, decimal All)>();
        foreach (var t in txns)
        {
            if (t.Type != TxnType.Credit) continue;
            perMonth.TryGetValue(t.Month, out var acc);
            perMonth[t.Month] = (acc.Cash + (t.Class.Category == Category.CashDeposit ? t.Amount : 0m), acc.All + t.Amount);
        }
        decimal cash = 0m, all = 0m;
        var why = new ExplanationBuilder();
        foreach (var (month, v) in perMonth)
        {
            if (!useAll && !complete.Contains(month)) continue;
            cash += v.Cash;
            all += v.All;
            why.Input(Invariant($"{month} cash / all credits"), Invariant($"{v.Cash} / {v.All}"));
        }
        decimal? ratio = all == 0m ? null : Rounding.Ratio(cash / all);
        why.Narrate(ratio is null ? "No credits." : Invariant($"{ratio:P1} of the money that came in{(useAll ? "" : " over complete months")} was cash paid in."));
        return new CashDepositRatio(ratio, Rounding.Money(cash), Rounding.Money(all),
            [.. perMonth.Select(kv => (kv.Key, kv.Value.All == 0m ? (decimal?)null : Rounding.Ratio(kv.Value.Cash / kv.Value.All)))],
            why.Build("cashDepositRatio", "Σ CashDeposit credits / Σ credits (complete months)", ExplanationBuilder.Format(ratio)));
    }

    /// <summary>Mean closing balance on days 5, 10, 15, 20, 25 and the month's last day, over complete months, from the contract's daily series.</summary>
    public static IReadOnlyList<CheckpointBalance> CheckpointBalances(AccountAnalysis contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var result = new List<CheckpointBalance>(Checkpoints.Length);
        foreach (var day in Checkpoints)
        {
            var values = new List<(CalendarMonth, decimal)>();
            var why = new ExplanationBuilder();
            var sum = 0m;
            foreach (var m in contract.Monthly)
            {
                if (!m.Complete) continue;
                var date = day == 0 ? m.Month.LastDay : new DateOnly(m.Month.Year, m.Month.Month, day);
                if (!contract.DailyBalances.TryGet(date, out var balance)) continue;
                values.Add((m.Month, balance));
                sum += balance;
                why.Input(Invariant($"{date:yyyy-MM-dd}"), balance);
            }
            decimal? average = values.Count == 0 ? null : Rounding.Money(sum / values.Count);
            var label = day == 0 ? "month end" : Invariant($"day {day}");
            why.Narrate(average is null ? "No complete month." : Invariant($"On {label} the account closed at {average} on average over {values.Count} complete months."));
            result.Add(new CheckpointBalance(day, average, values, why.Build(Invariant($"balance.{(day == 0 ? "monthEnd" : "day" + day)}"),
                "mean of the daily closing balance on that day over complete months", ExplanationBuilder.Format(average))));
        }
        return result;
    }
}
