using Msme.Domain;

namespace Msme.Portal.Hosting;

/// <summary>
/// The one table of who may open what. Every routable page is listed here with the roles it allows; its
/// [Authorize(Roles = ...)] must say the same (a test discovers every page and fails on a missing or differing entry,
/// and requests each page as each role). Identity's own account pages are public by design and listed apart.
/// </summary>
public static class AccessPolicy
{
    private static readonly string[] Staff = [Roles.Agent, Roles.RiskManager, Roles.Compliance, Roles.Admin];

    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Pages = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
    {
        ["/"] = Staff,
        ["/customers"] = Staff,
        ["/customers/{Id:int}"] = Staff,
        ["/overview"] = Staff,
        ["/collections"] = [Roles.Agent, Roles.RiskManager, Roles.Admin],
        ["/collections/portfolio"] = [Roles.RiskManager, Roles.Admin],
        ["/risk"] = [Roles.RiskManager, Roles.Admin],
        ["/risk/anomalies"] = [Roles.RiskManager, Roles.Admin],
        ["/compliance"] = [Roles.Compliance, Roles.Admin],
        ["/compliance/consents/{Id:int}"] = [Roles.Compliance, Roles.Admin],
        ["/compliance/audit"] = [Roles.Compliance, Roles.Admin],
        ["/admin"] = [Roles.Admin],
        ["/admin/imports"] = [Roles.Admin],
        ["/admin/portfolios"] = [Roles.Admin],
    };

    /// <summary>Pages anyone may open (sign-in and its companions, error pages).</summary>
    public static bool IsPublic(string route) =>
        route.StartsWith("/Account", StringComparison.OrdinalIgnoreCase) || route is "/not-found" or "/Error";
}
