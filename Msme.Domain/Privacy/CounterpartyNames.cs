using System.Runtime.CompilerServices;
using Msme.Domain.Analytics;
using Msme.Domain.Analytics.Cashflow;

namespace Msme.Domain.Privacy;

/// <summary>
/// The names of the parties a customer deals with, as the classifier read them from the customer's narrations, so that
/// texts quoting them (an explanation's narrative and inputs, an anomaly's subject and reason) can be masked for roles
/// that may not see counterparties. Longest names first, so "ABC TRADERS PVT" is masked before "ABC TRADERS".
/// </summary>
public sealed class CounterpartyNames
{
    public static readonly CounterpartyNames None = new([]);

    private static readonly ConditionalWeakTable<AccountInsights, CounterpartyNames> Cache = [];

    private CounterpartyNames(IReadOnlyList<string> names) => Names = names;

    public IReadOnlyList<string> Names { get; }

    /// <summary>Every counterparty of the accounts' lines, ranked lists and recurring series (computed once per insights object).</summary>
    public static CounterpartyNames Of(IEnumerable<AccountInsights> insights) => From(insights.SelectMany(a => Cache.GetValue(a, Collect).Names));

    /// <summary>These names, de-duplicated (case ignored), longest first.</summary>
    public static CounterpartyNames From(IEnumerable<string> names) =>
        new([.. names.Where(n => n.Length > 1).Distinct(StringComparer.OrdinalIgnoreCase).OrderByDescending(n => n.Length).ThenBy(n => n, StringComparer.Ordinal)]);

    private static CounterpartyNames Collect(AccountInsights a)
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        void Add(string? name)
        {
            if (name is { Length: > 1 })
            {
                set.Add(name.Trim());
            }
        }
        foreach (var t in a.Transactions)
        {
            Add(t.Class.Counterparty);
        }
        var parties = a.Counterparties;
        foreach (var t in parties.InByValue.Concat(parties.InByCount).Concat(parties.OutByValue).Concat(parties.OutByCount))
        {
            Add(t.Name);
        }
        foreach (var r in a.Recurring)
        {
            Add(r.Counterparty);
        }
        return new([.. set]);
    }
}

/// <summary>Masking of texts that quote counterparties or narrations; figures in them stay readable.</summary>
public static class QuotedMasking
{
    /// <summary>Explanation inputs that carry a whole narration (the label says so): masked as a narration is.</summary>
    public static bool IsNarration(string label) =>
        label.Equals("narration", StringComparison.OrdinalIgnoreCase)
        || label.StartsWith("DEBIT ", StringComparison.Ordinal) || label.StartsWith("CREDIT ", StringComparison.Ordinal);

    /// <summary>A narrative, subject or input value: each known name becomes its initials, UPI handles lose their user part.</summary>
    public static string? Text(string? text, CounterpartyNames names)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }
        foreach (var name in names.Names)
        {
            if (text.Contains(name, StringComparison.OrdinalIgnoreCase))
            {
                text = text.Replace(name, Masking.Counterparty(name), StringComparison.OrdinalIgnoreCase);
            }
        }
        return Masking.Handles(text);
    }

    public static string? Input(ExplanationInput input, CounterpartyNames names) =>
        IsNarration(input.Label) ? Text(Masking.Narration(input.Value), names) : Text(input.Value, names);

    /// <summary>The explanation with its narrative, inputs and result masked (formula and figure names carry no names).</summary>
    public static Explanation Explanation(Explanation e, CounterpartyNames names) => e with
    {
        Narrative = Text(e.Narrative, names) ?? "",
        Result = Text(e.Result, names) ?? "",
        Inputs = [.. e.Inputs.Select(i => i with { Value = Input(i, names) ?? "" })],
    };
}
