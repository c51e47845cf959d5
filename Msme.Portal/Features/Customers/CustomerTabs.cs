using System.Security.Claims;
using Msme.Domain;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Ecosystem;
using MudBlazor;

namespace Msme.Portal.Features.Customers;

/// <summary>
/// One tab of the customer 360: its URL segment (<c>/customers/{id}/{slug}</c>), title and icon, the component that
/// renders it (it takes a <c>CustomerId</c> parameter and may read the cascaded <see cref="CustomerDetail"/> and
/// disclosure policy), the roles that may open it, and the sections the view audit names when it is shown.
/// </summary>
public sealed record CustomerTab(string Slug, string Title, string Icon, Type Component, IReadOnlyList<string> Roles, string Sections)
{
    public bool AllowedFor(ClaimsPrincipal user) => Roles.Any(user.IsInRole);
}

/// <summary>The customer 360's tabs in display order; the first one a role may open is where <c>/customers/{id}</c> lands.</summary>
public static class CustomerTabs
{
    private static readonly string[] Collections = [Roles.Agent, Roles.RiskManager, Roles.Admin];
    private static readonly string[] Staff = [Roles.Agent, Roles.RiskManager, Roles.Compliance, Roles.Admin];
    private static readonly string[] RawData = [Roles.Compliance, Roles.Admin];
    private static readonly string[] Products = [Roles.RiskManager, Roles.Admin];

    /// <summary>Adding a tab is one line here (and nothing else: routing, role checks, audit and the error boundary follow).</summary>
    public static readonly IReadOnlyList<CustomerTab> All =
    [
        new("smart-collect", "Smart Collect", Icons.Material.Filled.Dashboard, typeof(SmartCollectTab), Collections, "next EMI, success probability, balance estimate, window, risk signals, timeline"),
        new("upcoming", "Upcoming", Icons.Material.Filled.Event, typeof(UpcomingTab), Collections, "loans, upcoming and overdue instalments, reconciliation"),
        new("recommendations", "Recommendations", Icons.Material.Filled.TipsAndUpdates, typeof(RecommendationsTab), Collections, "recommended actions with reasons, what-if"),
        new("insights", "Insights", Icons.Material.Filled.Insights, typeof(InsightsTab), Staff, "cashflow, income pattern, categories, recurring, counterparties, anomalies"),
        new("history", "History", Icons.Material.Filled.History, typeof(HistoryTab), Collections, "instalments, bucket moves, contacts, promises to pay"),
        new("explain", "Explainability", Icons.Material.Filled.ManageSearch, typeof(ExplainTab), Staff, "figure explanations, months and transactions behind them"),
        new("products", "Data products", Icons.Material.Filled.Inventory2, typeof(EcosystemPanel), Products, "OCEN loan application, ONDC seller profile, insurance suitability, SIP capacity"),
        new("accounts", "Accounts", Icons.Material.Filled.AccountBalance, typeof(AccountsTab), Staff, "accounts, transactions"),
        new("raw", "Raw AA data", Icons.Material.Filled.DataObject, typeof(RawDataPanel), RawData, "raw AA files list"),
    ];

    public static CustomerTab? Find(string? slug) =>
        All.FirstOrDefault(t => string.Equals(t.Slug, slug, StringComparison.OrdinalIgnoreCase));

    public static IReadOnlyList<CustomerTab> For(ClaimsPrincipal user) => [.. All.Where(t => t.AllowedFor(user))];
}
