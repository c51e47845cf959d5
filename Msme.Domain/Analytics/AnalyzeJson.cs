using Msme.Domain.Analytics.Anomalies;
using Msme.Domain.Analytics.Cashflow;
using Msme.Domain.Analytics.Patterns;
using Msme.Domain.Ingestion;

namespace Msme.Domain.Analytics;

/// <summary>What <c>analyze</c> prints: the contract JSON plus each account's anomaly events and each customer's combined events.</summary>
public static class AnalyzeJson
{
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

    /// <summary>The output for parts in the order given (one per file read), as UTF-8.</summary>
    public static void Write(Stream output, IReadOnlyList<AnalyzePart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        ContractJson.Write(output, [.. parts.Select(p => p.Accounts)], parts.SelectMany(p => p.Customers));
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

/// <summary>
/// One file's part of <c>analyze</c>'s output: its accounts' JSON, written on the thread that analysed them (so the
/// writing is spread over the cores and the analyses can be let go), and the combined events of its customers with
/// more than one account, which the output lists after every account.
/// </summary>
public sealed record AnalyzePart(byte[] Accounts, IReadOnlyList<(IReadOnlyList<string> Accounts, IReadOnlyList<AnomalyEvent> Events)> Customers)
{
    public static AnalyzePart Of(IReadOnlyList<AnalysedCustomer> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        return new(ContractJson.AccountsPart(customers.SelectMany(c => c.Accounts)),
            [.. customers.Where(c => c.Combined is not null).Select(c => c.Combined!.Value)]);
    }
}
