using Msme.Domain.Analytics.Anomalies;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Analytics;

/// <summary>What <c>analyze</c> prints: the contract JSON plus each account's anomaly events and each customer's combined events.</summary>
public static class AnalyzeJson
{
    /// <summary>
    /// Accounts read from files. Accounts whose first holder has the same PAN (or, without a PAN, the same name) are
    /// one customer; a customer with more than one account gets its combined events (own transfers removed).
    /// Accounts are analysed in parallel: each is independent.
    /// </summary>
    public static string ForFiles(IReadOnlyList<DepositAccount> accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var insights = new AccountInsights[accounts.Count];
        Parallel.For(0, accounts.Count, i => insights[i] = AccountInsights.Build(accounts[i]));
        var customers = new List<(IReadOnlyList<string>, IReadOnlyList<AnomalyEvent>)>();
        foreach (var group in Enumerable.Range(0, accounts.Count).GroupBy(i => CustomerKey(accounts[i]), StringComparer.OrdinalIgnoreCase))
        {
            var members = group.ToList();
            if (members.Count < 2 || group.Key.Length == 0) continue;
            var combined = CustomerInsights.Build([.. members.Select(i => accounts[i])], accounts[members[0]].Holders.FirstOrDefault()?.Name);
            customers.Add(([.. members.Select(i => accounts[i].MaskedAccNumber)], combined.Combined.Anomalies.Events));
        }
        return ContractJson.ToJsonString(insights.Select(a => (a.Contract, a.Anomalies.Events)), customers);
    }

    /// <summary>One stored customer: every account's events and the customer's combined events.</summary>
    public static string ForCustomer(CustomerInsights insights)
    {
        ArgumentNullException.ThrowIfNull(insights);
        return ContractJson.ToJsonString(insights.Accounts.Select(a => (a.Contract, a.Anomalies.Events)),
            [([.. insights.Accounts.Select(a => a.MaskedAccNumber)], insights.Combined.Anomalies.Events)]);
    }

    private static string CustomerKey(DepositAccount account) =>
        account.Holders.FirstOrDefault() is { } h ? (h.Pan is { Length: > 0 } pan ? "pan:" + pan : h.Name is { Length: > 0 } n ? "name:" + n : "") : "";
}
