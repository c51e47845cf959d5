using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.Classification;
using Msme.Domain.Ingestion;
using static System.FormattableString;

namespace Msme.Domain.Analytics.Patterns;

/// <summary>One party's total with the account, and its share of all credits (or debits).</summary>
public sealed record CounterpartyTotal(string Name, int Count, decimal Total, decimal Share);

/// <summary>Top parties in and out, by value and by count. Lines without a named party are left out (and counted).</summary>
public sealed record TopCounterparties(
    IReadOnlyList<CounterpartyTotal> InByValue,
    IReadOnlyList<CounterpartyTotal> InByCount,
    IReadOnlyList<CounterpartyTotal> OutByValue,
    IReadOnlyList<CounterpartyTotal> OutByCount,
    decimal UnnamedInflow,
    decimal UnnamedOutflow,
    Explanation Explanation);

/// <summary>Ranks counterparties; concentration (one buyer bringing most of the money) is a risk signal of its own.</summary>
public static class CounterpartyRanking
{
    public const int DefaultTop = 10;

    public static TopCounterparties Rank(IReadOnlyList<ClassifiedTransaction> txns, int top = DefaultTop)
    {
        ArgumentNullException.ThrowIfNull(txns);
        var inflow = new Dictionary<string, (int Count, decimal Total)>();
        var outflow = new Dictionary<string, (int Count, decimal Total)>();
        decimal totalIn = 0m, totalOut = 0m, unnamedIn = 0m, unnamedOut = 0m;
        foreach (var t in txns)
        {
            // Reversals and own transfers are not dealings with a party.
            if (t.Type == TxnType.Reversal || t.Class.Category is Category.Reversal or Category.OwnTransfer) continue;
            var credit = t.Type == TxnType.Credit;
            if (credit) totalIn += t.Amount; else totalOut += t.Amount;
            if (t.Class.Counterparty is not { } name)
            {
                if (credit) unnamedIn += t.Amount; else unnamedOut += t.Amount;
                continue;
            }
            var map = credit ? inflow : outflow;
            map.TryGetValue(name, out var acc);
            map[name] = (acc.Count + 1, acc.Total + t.Amount);
        }
        var why = new ExplanationBuilder();
        why.Input("Σ credits (excl. reversals, own transfers)", totalIn);
        why.Input("Σ debits (excl. reversals, own transfers)", totalOut);
        why.Input("credits without a named party", unnamedIn);
        why.Input("debits without a named party", unnamedOut);
        var inByValue = Top(inflow, totalIn, top, byValue: true);
        var outByValue = Top(outflow, totalOut, top, byValue: true);
        why.Narrate(inByValue.Count == 0
            ? "No credit names a party."
            : Invariant($"The largest payer, {inByValue[0].Name}, brought {inByValue[0].Share:P1} of all credits."));
        return new TopCounterparties(inByValue, Top(inflow, totalIn, top, byValue: false), outByValue, Top(outflow, totalOut, top, byValue: false),
            Rounding.Money(unnamedIn), Rounding.Money(unnamedOut),
            why.Build("counterparties", "per party: count, Σ amount, share = Σ amount / Σ of all credits (debits)",
                Invariant($"{inflow.Count} payers, {outflow.Count} payees")));
    }

    private static List<CounterpartyTotal> Top(Dictionary<string, (int Count, decimal Total)> map, decimal total, int top, bool byValue)
    {
        var ordered = byValue
            ? map.OrderByDescending(kv => kv.Value.Total).ThenByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            : map.OrderByDescending(kv => kv.Value.Count).ThenByDescending(kv => kv.Value.Total).ThenBy(kv => kv.Key, StringComparer.Ordinal);
        return [.. ordered.Take(top).Select(kv => new CounterpartyTotal(kv.Key, kv.Value.Count, Rounding.Money(kv.Value.Total),
            total == 0m ? 0m : Rounding.Ratio(kv.Value.Total / total)))];
    }
}
