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


    public static Classification Classify(Transaction txn)
    {
        ArgumentNullException.ThrowIfNull(txn);
        return Classify(txn.Narration, txn.Type, txn.Mode, null);
    }

    public static Classification Classify(string? narration, TxnType type, string? mode) => Classify(narration, type, mode, null);

    /// <summary>
    /// As <see cref="Classify(Transaction)"/>, remembering in <paramref name="cache"/> (one per statement) what the rules
    /// decided and the names read. The same steps on spans: a line whose rule text the statement has seen (a kirana's
    /// UPI receipts differ only in their reference numbers) costs no string but its party's, and that is shared too.
    /// </summary>
    internal static Classification Classify(Transaction txn, StatementCache cache)
    {
        var text = (txn.Narration ?? "").AsSpan().Trim();
        var length = text.Length;
        // The key: type, whether there is a party and a mode, the mode's length (two chars) and the mode, then the rule
        // text (digits collapsed).
        var mode = txn.Mode ?? "";
        var keyLength = 4 + mode.Length + length * 2;
        char[]? rented = null;
        var buffer = keyLength + length <= 512 ? stackalloc char[keyLength + length]
            : (rented = System.Buffers.ArrayPool<char>.Shared.Rent(keyLength + length));
        try
        {
            var name = buffer[keyLength..];
            var nameLength = CounterpartyExtractor.Extract(text, name);
            var key = buffer[..keyLength];
            key[0] = (char)('0' + (int)txn.Type);
            key[1] = (char)('0' + (nameLength < 0 ? 0 : 1) + (txn.Mode is null ? 0 : 2));
            key[2] = (char)(mode.Length >> 16);
            key[3] = (char)(mode.Length & 0xFFFF);
            mode.CopyTo(key[4..]);
            var ruleStart = 4 + mode.Length;
            var ruleLength = CollapseDigits(text, key[ruleStart..]);
            key = key[..(ruleStart + ruleLength)];
            var counterparty = nameLength < 0 ? null : cache.Name(name[..nameLength]);
            if (!cache.Decisions.TryGetValue(key, out var decision))
            {
                decision = Decide(new string(key[ruleStart..]), txn.Type, txn.Mode, nameLength >= 0, null);
                cache.Decisions.TryAdd(key, decision);
            }
            return new(decision.Channel, decision.Category, counterparty, decision.RuleId, decision.ChannelRuleId);
        }
        finally
        {
            if (rented is not null) System.Buffers.ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>One statement's memory for <see cref="Classify(Transaction, StatementCache)"/>: decisions by rule text, type, mode and party-or-not; one string per party name.</summary>
    internal sealed class StatementCache
    {
        private readonly Dictionary<string, Decision> _decisions = new(StringComparer.Ordinal);
        private readonly HashSet<string> _names = new(StringComparer.Ordinal);

        public StatementCache()
        {
            Decisions = _decisions.GetAlternateLookup<ReadOnlySpan<char>>();
            Names = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public Dictionary<string, Decision>.AlternateLookup<ReadOnlySpan<char>> Decisions { get; }

        private HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Names { get; }

        public string Name(ReadOnlySpan<char> name)
        {
            if (!Names.TryGetValue(name, out var known))
            {
                known = new string(name);
                _names.Add(known);
            }
            return known;
        }
    }

    /// <summary>Which rules fired and why, from the same code path that labelled the line.</summary>
    public static Explanation Explain(Transaction txn)
    {
        ArgumentNullException.ThrowIfNull(txn);
        var why = new ExplanationBuilder();
        var c = Classify(txn.Narration, txn.Type, txn.Mode, why);
        return why.Build("classification", "first matching rail rule (else the mode field); first matching category rule",
            Invariant($"{c.Channel} / {c.Category}{(c.Counterparty is null ? "" : " / " + c.Counterparty)}"));
    }

    /// <summary>What the rules decided for one rule text, type, mode and party-or-not: a function of those alone, so it can be remembered.</summary>
    internal readonly record struct Decision(Channel Channel, Category Category, string RuleId, string ChannelRuleId);

    private static Classification Classify(string? narration, TxnType type, string? mode, ExplanationBuilder? why)
    {
        var text = narration?.Trim() ?? "";
        var counterparty = CounterpartyExtractor.Extract(text);
        // The rules read the narration with every run of digits written "00": no rule needs the exact digits (only
        // "two or more", as in an N-prefixed NEFT UTR), and lines that differ only in reference numbers (a kirana's
        // UPI receipts) then share one decision, which a statement can remember instead of re-running every pattern.
        var ruleText = CollapseDigits(text);
        why?.Input("narration", text);
        why?.Input("text the rules read", ruleText);
        why?.Input("type", type.ToString().ToUpperInvariant());
        why?.Input("mode", mode ?? "none");
        why?.Input("counterparty", counterparty ?? "none");

        var decision = Decide(ruleText, type, mode, counterparty is not null, why);
        return new(decision.Channel, decision.Category, counterparty, decision.RuleId, decision.ChannelRuleId);
    }

    private static Decision Decide(string ruleText, TxnType type, string? mode, bool hasCounterparty, ExplanationBuilder? why)
    {
        var (channel, channelRule) = Rail(ruleText, mode);
        why?.Input("rail rule", channelRule);

        if (type == TxnType.Reversal)
        {
            why?.Narrate("The feed typed this line REVERSAL: it undoes another line and counts in neither inflow nor outflow.");
            return new(channel, Category.Reversal, ReversalTypeRule, channelRule);
        }

        // VPAs and handles carry words by accident (parent@ybl, @airtel): purposes are read with them taken out.
        var purposeText = ruleText.Contains('@') ? WithoutHandles(ruleText) : ruleText;
        foreach (var rule in ClassificationRules.Categories)
        {
            if (!rule.AppliesTo.Matches(type)) continue;
            if (rule.OnChannels is { } rails && !rails.Contains(channel)) continue;
            if (rule.NeedsCounterparty && !hasCounterparty) continue;
            if (rule.Regex is { } regex && !regex.IsMatch(purposeText)) continue;
            var finalChannel = rule.Channel ?? channel;
            why?.Input("category rule", rule.Id);
            why?.Input("pattern", rule.Pattern.Length == 0 ? "(any narration)" : rule.Pattern);
            why?.Narrate(Invariant($"{rule.Category} by rule {rule.Id}: {rule.Why}"));
            return new(finalChannel, rule.Category, rule.Id, channelRule);
        }
        throw new InvalidOperationException("the category table ends with a catch-all rule"); // C-OTHER matches any CREDIT or DEBIT
    }

    /// <summary>Every run of ASCII digits replaced by "00".</summary>
    internal static string CollapseDigits(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('0', '9')) return text;
        Span<char> buffer = text.Length <= 256 ? stackalloc char[text.Length * 2] : new char[text.Length * 2];
        return new string(buffer[..CollapseDigits(text, buffer)]);
    }

    /// <summary>As <see cref="CollapseDigits(string)"/>, into <paramref name="buffer"/> (twice the text's length at most: only a lone digit grows); returns the length.</summary>
    private static int CollapseDigits(ReadOnlySpan<char> text, Span<char> buffer)
    {
        var n = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i])) buffer[n++] = text[i];
            else if (i == 0 || !char.IsAsciiDigit(text[i - 1]))
            {
                buffer[n++] = '0';
                buffer[n++] = '0';
            }
        }
        return n;
    }

    /// <summary>The narration with every UPI handle (name@psp: letters, digits, '.', '-', '_' around an '@') blanked out.</summary>
    internal static string WithoutHandles(string text)
    {
        // A hand-rolled scan: this runs for every UPI line, and a Regex.Replace here cost a fifth of classification.
        var chars = text.ToCharArray();
        for (var at = text.IndexOf('@'); at >= 0; at = text.IndexOf('@', at + 1))
        {
            var start = at;
            while (start > 0 && IsHandleChar(text[start - 1])) start--;
            var end = at + 1;
            while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_')) end++;
            for (var i = start; i < end; i++) chars[i] = ' ';
        }
        return new string(chars);
    }

    // '-' is not taken: it separates the fields of UPI-<name>-<vpa>-... narrations, and walking back over it would blank the name too.
    private static bool IsHandleChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_';

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
