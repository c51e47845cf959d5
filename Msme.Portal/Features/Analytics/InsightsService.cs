using Msme.Domain.Analytics;
using Msme.Domain.Consent;

namespace Msme.Portal.Features.Analytics;

/// <summary>A customer's insights with the accounts and lineage they were computed from.</summary>
public sealed record CustomerInsightsView(CustomerInsights Insights, IReadOnlyList<StoredAccount> Accounts);

/// <summary>
/// Computes insights on the fly from the stored AA data read through the consent gate: nothing is stored, so nothing
/// can drift from the data. The result is a part of the customer's analysis entry, shared by the Insights and
/// Explainability tabs, the data products and the API (and by the prerender and the circuit that follows it).
/// </summary>
public sealed class InsightsService(ConsentGate gate)
{
    /// <summary>The customer page's analytics are a credit review, so they read data consented for underwriting (103, 104, 105).</summary>
    public async Task<CustomerInsightsView?> GetAsync(int customerId, string? customerName, DataUse use = DataUse.Underwriting, CancellationToken ct = default)
    {
        var analysis = await gate.AnalysisAsync(customerId, ct);
        return await ForAsync(gate, analysis, use, customerName, ct);
    }

    /// <summary>The insights part of an analysis entry: computed once per data stamp, use and name, whoever asks first (a tab, the risk dashboard, the products).</summary>
    public static async Task<CustomerInsightsView?> ForAsync(ConsentGate gate, CustomerAnalysis analysis, DataUse use, string? customerName, CancellationToken ct = default)
    {
        var part = await analysis.GetAsync($"insights:{use}:{customerName}", async () =>
        {
            var stored = await gate.StatementsAsync(analysis, use);
            return new InsightsPart(stored.Count == 0 ? null : new CustomerInsightsView(CustomerInsights.Build([.. stored.Select(s => s.Account)], customerName), stored));
        }, heavy: static part => part.View is { } view ? ConsentGate.TransactionsIn(view.Accounts) : 0, ct);
        return part.View;
    }

    /// <summary>
    /// The analytics contract JSON of the customer's accounts (or one of them) under the underwriting use: what the API
    /// returns and <c>analyze --customer</c> prints, byte for byte, kept in the analysis entry. Null when no account
    /// (or not that one) has data this use may read.
    /// </summary>
    public static async Task<string?> ContractJsonAsync(ConsentGate gate, int customerId, int? accountId, DataUse use = DataUse.Underwriting, CancellationToken ct = default)
    {
        var analysis = await gate.AnalysisAsync(customerId, ct);
        var part = await analysis.GetAsync($"contract:{use}:{accountId}", async () =>
        {
            var stored = await gate.StatementsAsync(analysis, use);
            if (accountId is { } one) stored = [.. stored.Where(s => s.AccountId == one)];
            return new ContractPart(stored.Count == 0 ? null : Msme.Domain.Analytics.Cashflow.ContractJson.ToJsonString(stored.Select(s => Msme.Domain.Analytics.Cashflow.CashflowAnalyzer.Analyze(s.Account))));
        }, heavy: null, ct);
        return part.Json;
    }

    /// <summary>
    /// What <c>analyze --customer</c> prints: the contract JSON of the customer's accounts under the underwriting use
    /// with each account's anomaly events and the combined events, from the insights part of the analysis entry (the
    /// same computation the risk queue and the customer page use). Null when no account has data this use may read.
    /// </summary>
    public static async Task<string?> AnalyzeJsonAsync(ConsentGate gate, int customerId, string? customerName, CancellationToken ct = default)
    {
        var analysis = await gate.AnalysisAsync(customerId, ct);
        return await ForAsync(gate, analysis, DataUse.Underwriting, customerName, ct) is { } view ? AnalyzeJson.ForCustomer(view.Insights) : null;
    }

    private sealed record InsightsPart(CustomerInsightsView? View);

    private sealed record ContractPart(string? Json);
}
