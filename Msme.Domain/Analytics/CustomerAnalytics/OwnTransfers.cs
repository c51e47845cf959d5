using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.Classification;
using Msme.Domain.Analytics.Patterns;
using Msme.Domain.Ingestion;
using static System.FormattableString;

namespace Msme.Domain.Analytics.CustomerAnalytics;

/// <summary>A transfer between two of the customer's own accounts: removed before the combined figures are computed.</summary>
/// <param name="Evidence">"masked-digits", "own-name" or "classified-own-transfer": what, besides amount and date, tied the two lines.</param>
public sealed record OwnTransferPair(
    string DebitAccount, string DebitTxnId, string CreditAccount, string CreditTxnId, decimal Amount, DateOnly DebitDate, DateOnly CreditDate,
    string Evidence, Explanation Explanation);

/// <summary>
/// Finds transfers between the customer's own accounts. Rule: a DEBIT in account A and a CREDIT in account B
/// (B ≠ A, same customer) of the same amount, dated at most <see cref="MaxDaysApart"/> day apart, where at least one
/// of: a narration names the other account's last 4 digits (as a token, not inside a longer number); a narration
/// names the customer (the name given, or a holder of either account); either line is classified OwnTransfer.
/// Amount and date alone are not enough: a business pays and receives equal round sums from others all the time.
/// Each line pairs at most once, with the nearest candidate in time.
/// </summary>
public static class OwnTransfers
{
    public const int MaxDaysApart = 1;
    public const string Rule =
        "DEBIT in A, CREDIT in B ≠ A, same amount, ≤ 1 day apart, and a narration names the other account's last 4 digits or the customer's name, or a line is classified OwnTransfer";

    public static IReadOnlyList<OwnTransferPair> Find(IReadOnlyList<DepositAccount> accounts, IReadOnlyList<IReadOnlyList<ClassifiedTransaction>> classified, string? customerName)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(classified);
        var names = new List<string>();
        if (!string.IsNullOrWhiteSpace(customerName)) names.Add(customerName.Trim());
        foreach (var a in accounts)
            foreach (var h in a.Holders)
                if (!string.IsNullOrWhiteSpace(h.Name) && h.Name.Trim().Contains(' ')) names.Add(h.Name.Trim()); // a single word matches too much
        var last4 = accounts.Select(a => Last4(a.MaskedAccNumber)).ToArray();

        var credits = new Dictionary<decimal, List<(int Account, int Index)>>();
        for (var a = 0; a < classified.Count; a++)
            for (var i = 0; i < classified[a].Count; i++)
            {
                var t = classified[a][i];
                if (t.Type != TxnType.Credit) continue;
                if (!credits.TryGetValue(t.Amount, out var list)) credits[t.Amount] = list = [];
                list.Add((a, i));
            }

        var used = new HashSet<(int, int)>();
        var pairs = new List<OwnTransferPair>();
        for (var a = 0; a < classified.Count; a++)
        {
            foreach (var debit in classified[a])
            {
                if (debit.Type != TxnType.Debit || !credits.TryGetValue(debit.Amount, out var candidates)) continue;
                (int Account, int Index)? best = null;
                string? bestEvidence = null;
                long bestGap = long.MaxValue;
                foreach (var (b, i) in candidates)
                {
                    if (b == a || used.Contains((b, i))) continue;
                    var credit = classified[b][i];
                    if (Math.Abs(credit.Date.DayNumber - debit.Date.DayNumber) > MaxDaysApart) continue;
                    var evidence = Evidence(debit, credit, last4[a], last4[b], names);
                    if (evidence is null) continue;
                    var gap = Math.Abs((credit.Txn.Timestamp - debit.Txn.Timestamp).Ticks);
                    if (gap < bestGap)
                    {
                        best = (b, i);
                        bestEvidence = evidence;
                        bestGap = gap;
                    }
                }
                if (best is not { } chosen) continue;
                used.Add(chosen);
                var c = classified[chosen.Account][chosen.Index];
                var why = new ExplanationBuilder();
                why.Input(Invariant($"DEBIT {accounts[a].MaskedAccNumber} {debit.Date:yyyy-MM-dd} {debit.Txn.TxnId}"), debit.Txn.Narration ?? "");
                why.Input(Invariant($"CREDIT {accounts[chosen.Account].MaskedAccNumber} {c.Date:yyyy-MM-dd} {c.Txn.TxnId}"), c.Txn.Narration ?? "");
                why.Input("amount", debit.Amount);
                why.Input("evidence", bestEvidence!);
                why.Narrate(Invariant($"{debit.Amount} moved from {accounts[a].MaskedAccNumber} to {accounts[chosen.Account].MaskedAccNumber} ({bestEvidence}): the customer's own money, so it is neither income nor spending of the customer."));
                pairs.Add(new OwnTransferPair(accounts[a].MaskedAccNumber, debit.Txn.TxnId, accounts[chosen.Account].MaskedAccNumber, c.Txn.TxnId,
                    debit.Amount, debit.Date, c.Date, bestEvidence!, why.Build("ownTransfer", Rule, bestEvidence!)));
            }
        }
        return pairs;
    }

    private static string? Evidence(ClassifiedTransaction debit, ClassifiedTransaction credit, string? debitLast4, string? creditLast4, List<string> names)
    {
        var dn = debit.Txn.Narration ?? "";
        var cn = credit.Txn.Narration ?? "";
        if ((creditLast4 is not null && ContainsToken(dn, creditLast4)) || (debitLast4 is not null && ContainsToken(cn, debitLast4))) return "masked-digits";
        foreach (var name in names)
            if (dn.Contains(name, StringComparison.OrdinalIgnoreCase) || cn.Contains(name, StringComparison.OrdinalIgnoreCase)) return "own-name";
        if (debit.Class.Category == Category.OwnTransfer || credit.Class.Category == Category.OwnTransfer) return "classified-own-transfer";
        return null;
    }

    /// <summary>The 4 digits appear with no digit right before or after them (so not inside a UTR or RRN).</summary>
    internal static bool ContainsToken(string narration, string digits)
    {
        for (var at = narration.IndexOf(digits, StringComparison.Ordinal); at >= 0; at = narration.IndexOf(digits, at + 1, StringComparison.Ordinal))
        {
            var before = at == 0 || !char.IsAsciiDigit(narration[at - 1]);
            var after = at + digits.Length >= narration.Length || !char.IsAsciiDigit(narration[at + digits.Length]);
            if (before && after) return true;
        }
        return false;
    }

    private static string? Last4(string masked)
    {
        var digits = new string(masked.Where(char.IsAsciiDigit).ToArray());
        return digits.Length >= 4 ? digits[^4..] : null;
    }
}
