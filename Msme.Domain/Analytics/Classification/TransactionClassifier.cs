using System.Text.RegularExpressions;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Ingestion;
using static System.FormattableString;

namespace Msme.Domain.Analytics.Classification;

/// <summary>
/// Classifies a statement line by its narration (rail and purpose), falling back to the <c>mode</c> field for the rail.
/// Rules: <see cref="ClassificationRules"/>; rendered in docs/classification-rules.md.
/// </summary>
public static class TransactionClassifier
{
    /// <summary>Id of the rule that labels every REVERSAL-typed line, before the table is read.</summary>
    public const string ReversalTypeRule = "C-TYPE";

    private static readonly Regex Vpa = new(@"[\w.\-]+@[\w]+", RegexOptions.Compiled | RegexOptions.CultureInvariant);

    public static Classification Classify(Transaction txn)
    {
        ArgumentNullException.ThrowIfNull(txn);
        return Classify(txn.Narration, txn.Type, txn.Mode, null);
    }

    public static Classification Classify(string? narration, TxnType type, string? mode) => Classify(narration, type, mode, null);

    /// <summary>Which rules fired and why, from the same code path that labelled the line.</summary>
    public static Explanation Explain(Transaction txn)
    {
        ArgumentNullException.ThrowIfNull(txn);
        var why = new ExplanationBuilder();
        var c = Classify(txn.Narration, txn.Type, txn.Mode, why);
        return why.Build("classification", "first matching rail rule (else the mode field); first matching category rule",
            Invariant($"{c.Channel} / {c.Category}{(c.Counterparty is null ? "" : " / " + c.Counterparty)}"));
    }

    private static Classification Classify(string? narration, TxnType type, string? mode, ExplanationBuilder? why)
    {
        var text = narration?.Trim() ?? "";
        why?.Input("narration", text);
        why?.Input("type", type.ToString().ToUpperInvariant());
        why?.Input("mode", mode ?? "none");

        var (channel, channelRule) = Rail(text, mode);
        why?.Input("rail rule", channelRule);
        var counterparty = CounterpartyExtractor.Extract(text);
        why?.Input("counterparty", counterparty ?? "none");

        if (type == TxnType.Reversal)
        {
            why?.Narrate("The feed typed this line REVERSAL: it undoes another line and counts in neither inflow nor outflow.");
            return new(channel, Category.Reversal, counterparty, ReversalTypeRule, channelRule);
        }

        // VPAs and handles carry words by accident (parent@ybl, @airtel): purposes are read with them taken out.
        var purposeText = text.Contains('@') ? Vpa.Replace(text, " ") : text;
        foreach (var rule in ClassificationRules.Categories)
        {
            if (!rule.AppliesTo.Matches(type)) continue;
            if (rule.OnChannels is { } rails && !rails.Contains(channel)) continue;
            if (rule.NeedsCounterparty && counterparty is null) continue;
            if (rule.Regex is { } regex && !regex.IsMatch(purposeText)) continue;
            var finalChannel = rule.Channel ?? channel;
            why?.Input("category rule", rule.Id);
            why?.Input("pattern", rule.Pattern.Length == 0 ? "(any narration)" : rule.Pattern);
            why?.Narrate(Invariant($"{rule.Category} by rule {rule.Id}: {rule.Why}"));
            return new(finalChannel, rule.Category, counterparty, rule.Id, channelRule);
        }
        throw new InvalidOperationException("the category table ends with a catch-all rule"); // C-OTHER matches any CREDIT or DEBIT
    }

    private static (Channel Channel, string RuleId) Rail(string narration, string? mode)
    {
        if (narration.Length > 0)
            foreach (var rule in ClassificationRules.Channels)
                if (rule.Regex.IsMatch(narration)) return (rule.Channel, rule.Id);
        if (mode is not null)
            foreach (var (m, channel) in ClassificationRules.Modes)
                if (m.Equals(mode.Trim(), StringComparison.OrdinalIgnoreCase)) return (channel, "M-" + m);
        return (Channel.Other, "M-NONE");
    }
}
