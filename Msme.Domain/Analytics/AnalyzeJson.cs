using Msme.Domain.Analytics.Anomalies;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.Patterns;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Analytics;

/// <summary>What <c>analyze</c> prints: the contract JSON plus each account's anomaly events and each customer's combined events.</summary>
public static class AnalyzeJson
{
    /// <summary>
    /// Accounts read from files, grouped by customer (the accounts of one bundle are one customer's; a bare document's
    /// accounts are their own customer). A customer with more than one account gets its combined events (own transfers
    /// removed). Customers are analysed in parallel: each is independent.
    /// </summary>
    public static string ForFiles(IReadOnlyList<IReadOnlyList<DepositAccount>> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var analysed = new AnalysedCustomer[customers.Count];
        Parallel.For(0, customers.Count, i => analysed[i] = Analyse(customers[i]));
        return Write(analysed);
    }

    /// <summary>
    /// One customer's part of the output: each account's contract and anomaly events, and with more than one account
    /// the combined events. Only what is printed is computed (not the rest of <see cref="AccountInsights"/>), and the
    /// accounts can be let go once this returns: a reader can analyse each file as it is read.
    /// </summary>
    public static AnalysedCustomer Analyse(IReadOnlyList<DepositAccount> customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var accounts = new List<(AccountAnalysis, IReadOnlyList<AnomalyEvent>)>(customer.Count);
        foreach (var account in customer)
        {
            var contract = CashflowAnalyzer.Analyze(account);
            accounts.Add((contract, AnomalyDetectors.Build(contract, ClassifiedTransaction.Of(account)).Events));
        }
        return new AnalysedCustomer(accounts, customer.Count < 2 ? null
            : ([.. customer.Select(a => a.MaskedAccNumber)], CustomerInsights.Build(customer, null).Combined.Anomalies.Events));
    }

    /// <summary>The contract JSON for customers analysed by <see cref="Analyse"/>, in the order given.</summary>
    public static string Write(IEnumerable<AnalysedCustomer> customers)
    {
        var list = customers.ToList();
        return ContractJson.ToJsonString(list.SelectMany(c => c.Accounts),
            list.Where(c => c.Combined is not null).Select(c => c.Combined!.Value));
    }

    /// <summary>One stored customer: every account's events and, with more than one account, the customer's combined events.</summary>
    public static string ForCustomer(CustomerInsights insights)
    {
        ArgumentNullException.ThrowIfNull(insights);
        return ContractJson.ToJsonString(insights.Accounts.Select(a => (a.Contract, a.Anomalies.Events)),
            insights.Accounts.Count < 2 ? [] : [([.. insights.Accounts.Select(a => a.MaskedAccNumber)], insights.Combined.Anomalies.Events)]);
    }
}

/// <summary>One customer's part of <c>analyze</c>'s output (see <see cref="AnalyzeJson.Analyse"/>).</summary>
public sealed record AnalysedCustomer(
    IReadOnlyList<(AccountAnalysis Account, IReadOnlyList<AnomalyEvent> Events)> Accounts,
    (IReadOnlyList<string> Accounts, IReadOnlyList<AnomalyEvent> Events)? Combined);
