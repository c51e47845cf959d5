using Msme.Domain.Analytics.Anomalies;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Analytics;

/// <summary>What <c>analyze</c> prints: the contract JSON plus each account's anomaly events and each customer's combined events.</summary>
public static class AnalyzeJson
{
    /// <summary>
    /// Accounts read from files, grouped by customer (the accounts of one bundle are one customer's; a bare document's
    /// accounts are their own customer). A customer with more than one account gets its combined events (own transfers
    /// removed). Accounts are analysed in parallel: each is independent.
    /// </summary>
    public static string ForFiles(IReadOnlyList<IReadOnlyList<DepositAccount>> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var accounts = customers.SelectMany(c => c).ToList();
        var insights = new AccountInsights[accounts.Count];
        Parallel.For(0, accounts.Count, i => insights[i] = AccountInsights.Build(accounts[i]));
        var combined = new List<(IReadOnlyList<string>, IReadOnlyList<AnomalyEvent>)>();
        foreach (var group in customers.Where(c => c.Count > 1))
            combined.Add(([.. group.Select(a => a.MaskedAccNumber)], CustomerInsights.Build(group, null).Combined.Anomalies.Events));
        return ContractJson.ToJsonString(insights.Select(a => (a.Contract, a.Anomalies.Events)), combined);
    }

    /// <summary>One stored customer: every account's events and, with more than one account, the customer's combined events.</summary>
    public static string ForCustomer(CustomerInsights insights)
    {
        ArgumentNullException.ThrowIfNull(insights);
        return ContractJson.ToJsonString(insights.Accounts.Select(a => (a.Contract, a.Anomalies.Events)),
            insights.Accounts.Count < 2 ? [] : [([.. insights.Accounts.Select(a => a.MaskedAccNumber)], insights.Combined.Anomalies.Events)]);
    }
}
