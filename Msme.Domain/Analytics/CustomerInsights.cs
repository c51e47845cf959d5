using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.CustomerAnalytics;
using Msme.Domain.Analytics.Patterns;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Analytics;

/// <summary>A customer's accounts, the transfers between them, and the same insights over their combined flow.</summary>
public sealed record CustomerInsights
{
    public string? CustomerName { get; init; }
    public required IReadOnlyList<AccountInsights> Accounts { get; init; }
    public required IReadOnlyList<OwnTransferPair> OwnTransfers { get; init; }
    /// <summary>The merged account the combined figures were computed on (own transfers removed).</summary>
    public required DepositAccount CombinedAccount { get; init; }
    /// <summary>Contract figures and insights over the combined flow; <c>Combined.Contract</c> holds the customer-level monthly series and metrics.</summary>
    public required AccountInsights Combined { get; init; }

    public static CustomerInsights Build(IReadOnlyList<DepositAccount> accounts, string? customerName)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        if (accounts.Count == 0) throw new ArgumentException("a customer needs at least one account", nameof(accounts));
        var perAccount = accounts.Select(a => AccountInsights.Build(a)).ToList();
        var pairs = accounts.Count > 1
            ? CustomerAnalytics.OwnTransfers.Find(accounts, [.. perAccount.Select(p => p.Transactions)], customerName)
            : [];
        var combinedAccount = accounts.Count == 1 ? accounts[0] : CustomerAnalytics.CombinedAccount.Build(accounts, [.. perAccount.Select(p => p.Contract)], pairs);
        var combined = accounts.Count == 1 ? perAccount[0] : AccountInsights.Build(combinedAccount, null, Reclassified(combinedAccount, perAccount));
        return new CustomerInsights
        {
            CustomerName = customerName,
            Accounts = perAccount,
            OwnTransfers = pairs,
            CombinedAccount = combinedAccount,
            Combined = combined,
        };
    }

    // The combined lines are the accounts' lines renamed "<masked>/<txnId>": their classifications carry over unchanged.
    private static IReadOnlyList<ClassifiedTransaction> Reclassified(DepositAccount combined, List<AccountInsights> perAccount)
    {
        var known = new Dictionary<string, Classification.Classification>(combined.Transactions.Count);
        foreach (var a in perAccount)
            foreach (var t in a.Transactions) known[a.MaskedAccNumber + "/" + t.Txn.TxnId] = t.Class;
        return ClassifiedTransaction.Of(combined, known);
    }

    /// <summary>The combined explanations, then each own-transfer pair's.</summary>
    public IReadOnlyList<Explanation> ExplainAll() => [.. Combined.ExplainAll(), .. OwnTransfers.Select(p => p.Explanation)];
}
