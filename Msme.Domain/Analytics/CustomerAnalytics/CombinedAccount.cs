using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.Patterns;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Analytics.CustomerAnalytics;

/// <summary>
/// Merges a customer's accounts into one synthetic DEPOSIT account, own-account transfers removed, so the contract
/// analyzer computes the customer-level figures by exactly the same rules as an account's.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Lines are merged in (timestamp, account order, position) order; txnIds become "&lt;masked&gt;/&lt;txnId&gt;" so they stay unique and traceable.</item>
/// <item>Each merged line's balance is the sum of every account's running balance after it (removed transfers still
/// move their own account's balance, and net to zero across the pair once both legs are in), so the daily closing
/// balance of the combined account is the customer's total balance.</item>
/// <item>The statement period is where every account is covered: the latest start, the earliest end. A month is
/// complete for the customer only when it is complete in every account.</item>
/// </list>
/// </remarks>
public static class CombinedAccount
{
    public static DepositAccount Build(IReadOnlyList<DepositAccount> accounts, IReadOnlyList<AccountAnalysis> analyses, IReadOnlyList<OwnTransferPair> ownTransfers)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(analyses);
        ArgumentNullException.ThrowIfNull(ownTransfers);
        var removed = new HashSet<(string, string)>();
        foreach (var p in ownTransfers)
        {
            removed.Add((p.DebitAccount, p.DebitTxnId));
            removed.Add((p.CreditAccount, p.CreditTxnId));
        }

        var ordered = accounts.Select(a => OrderedTransactions.Of(a.Transactions).Items).ToArray();
        var current = new decimal[accounts.Count];
        for (var a = 0; a < accounts.Count; a++)
            current[a] = ordered[a].Length > 0 ? DailyBalanceSeries.OpeningBalanceOf(ordered[a][0]) ?? ordered[a][0].Balance : 0m;

        var cursor = new int[accounts.Count];
        var merged = new List<Transaction>(ordered.Sum(o => o.Length));
        while (true)
        {
            var next = -1;
            for (var a = 0; a < accounts.Count; a++)
            {
                if (cursor[a] >= ordered[a].Length) continue;
                if (next < 0 || ordered[a][cursor[a]].Timestamp.UtcTicks < ordered[next][cursor[next]].Timestamp.UtcTicks) next = a;
            }
            if (next < 0) break;
            var t = ordered[next][cursor[next]++];
            current[next] = t.Balance;
            if (removed.Contains((accounts[next].MaskedAccNumber, t.TxnId))) continue;
            var total = 0m;
            foreach (var b in current) total += b;
            merged.Add(t with { TxnId = accounts[next].MaskedAccNumber + "/" + t.TxnId, Balance = total, Position = merged.Count });
        }

        DateOnly? start = null, end = null;
        foreach (var c in analyses)
        {
            if (c.Coverage is not { } cov) continue;
            start = start is { } s && s > cov.From ? s : cov.From;
            end = end is { } e && e < cov.To ? e : cov.To;
        }
        return new DepositAccount
        {
            MaskedAccNumber = "COMBINED(" + string.Join("+", accounts.Select(a => a.MaskedAccNumber)) + ")",
            LinkedAccRef = null,
            Holders = [.. accounts.SelectMany(a => a.Holders)],
            StartDate = start,
            EndDate = end,
            Transactions = merged,
        };
    }
}
