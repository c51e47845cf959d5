using Msme.Domain.Analytics;
using Msme.Domain.Consent;

namespace Msme.Portal.Features.Analytics;

/// <summary>A customer's insights with the accounts and lineage they were computed from.</summary>
public sealed record CustomerInsightsView(CustomerInsights Insights, IReadOnlyList<StoredAccount> Accounts);

/// <summary>Computes insights on the fly from the stored AA data: nothing is stored, so nothing can drift from the data.</summary>
public sealed class InsightsService(AccountDataService accounts)
{
    /// <summary>The customer page's analytics are a credit review, so they read data consented for underwriting (103, 104, 105).</summary>
    public async Task<CustomerInsightsView?> GetAsync(int customerId, string? customerName, DataUse use = DataUse.Underwriting, CancellationToken ct = default)
    {
        var stored = await accounts.LoadCustomerAsync(customerId, use, ct);
        if (stored.Count == 0)
        {
            return null;
        }
        var insights = CustomerInsights.Build([.. stored.Select(s => s.Account)], customerName);
        return new CustomerInsightsView(insights, stored);
    }
}
