using Msme.Domain.Analytics;

namespace Msme.Portal.Features.Analytics;

/// <summary>A customer's insights with the accounts and lineage they were computed from.</summary>
public sealed record CustomerInsightsView(CustomerInsights Insights, IReadOnlyList<StoredAccount> Accounts);

/// <summary>Computes insights on the fly from the stored AA data: nothing is stored, so nothing can drift from the data.</summary>
public sealed class InsightsService(AccountDataService accounts)
{
    public async Task<CustomerInsightsView?> GetAsync(int customerId, string? customerName, CancellationToken ct = default)
    {
        var stored = await accounts.LoadCustomerAsync(customerId, ct);
        if (stored.Count == 0)
        {
            return null;
        }
        var insights = CustomerInsights.Build([.. stored.Select(s => s.Account)], customerName);
        return new CustomerInsightsView(insights, stored);
    }
}
