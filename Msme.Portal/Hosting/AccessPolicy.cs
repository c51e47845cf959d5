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
        ["/customers/{Id:int}/{Tab}"] = Staff,
        ["/overview"] = Staff,
        ["/collections"] = [Roles.Agent, Roles.RiskManager, Roles.Admin],
        ["/collections/portfolio"] = [Roles.RiskManager, Roles.Admin],
        ["/collections/presentments"] = [Roles.RiskManager, Roles.Admin],
        ["/collections/return-rates"] = [Roles.RiskManager, Roles.Admin],
        ["/risk"] = [Roles.RiskManager, Roles.Admin],
        ["/risk/anomalies"] = [Roles.RiskManager, Roles.Admin],
        ["/risk/credit-review"] = [Roles.RiskManager, Roles.Admin],
        ["/compliance"] = [Roles.Compliance, Roles.Admin],
        ["/compliance/consents/{Id:int}"] = [Roles.Compliance, Roles.Admin],
        ["/compliance/audit"] = [Roles.Compliance, Roles.Admin],
        ["/compliance/customers/{Id:int}"] = [Roles.Compliance, Roles.Admin],
        ["/admin"] = [Roles.Admin],
        ["/admin/imports"] = [Roles.Admin],
        ["/admin/portfolios"] = [Roles.Admin],
        ["/admin/users"] = [Roles.Admin],
        ["/admin/api-clients"] = [Roles.Admin],
    };

    /// <summary>
    /// Every HTTP endpoint that is not a page ("METHOD /route/{pattern}", as the endpoint's route pattern reads) with the
    /// roles it allows. Endpoints declare their roles with <see cref="AllowRoles{TBuilder}"/>, which reads this table, so
    /// the two cannot differ; a test discovers every endpoint and fails on one missing here.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Endpoints = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
    {
        ["GET /compliance/audit.csv"] = [Roles.Compliance, Roles.Admin],
        // The same trail with every value exactly as stored (no spreadsheet escaping), for re-deriving the chain.
        ["GET /compliance/audit-exact.csv"] = [Roles.Compliance, Roles.Admin],
        // Exports: each table's download allows exactly the roles of the page it comes from.
        ["GET /compliance/audit.xlsx"] = [Roles.Compliance, Roles.Admin],
        ["GET /exports/collections-queue.csv"] = [Roles.Agent, Roles.RiskManager, Roles.Admin],
        ["GET /exports/collections-queue.xlsx"] = [Roles.Agent, Roles.RiskManager, Roles.Admin],
        ["GET /exports/collections-portfolio.csv"] = [Roles.RiskManager, Roles.Admin],
        ["GET /exports/collections-portfolio.xlsx"] = [Roles.RiskManager, Roles.Admin],
        ["GET /exports/risk-anomalies.csv"] = [Roles.RiskManager, Roles.Admin],
        ["GET /exports/risk-anomalies.xlsx"] = [Roles.RiskManager, Roles.Admin],
        ["GET /exports/risk-dashboard.csv"] = [Roles.RiskManager, Roles.Admin],
        ["GET /exports/risk-dashboard.xlsx"] = [Roles.RiskManager, Roles.Admin],
        // The whole store's transactions in bulk: admins, and risk managers (the analysts the lake is for). See docs/lake-export.md.
        ["GET /exports/lake.zip"] = [Roles.RiskManager, Roles.Admin],
        // REST API (bearer tokens of API clients; see Features/Api). Same roles as the matching pages.
        ["GET /api/v1/customers"] = Staff,
        ["GET /api/v1/customers/{id:int}"] = Staff,
        ["GET /api/v1/customers/{id:int}/analytics"] = Staff,
        ["GET /api/v1/customers/{id:int}/analytics/insights"] = Staff,
        ["GET /api/v1/collections/queue"] = [Roles.Agent, Roles.RiskManager, Roles.Admin],
        ["GET /api/v1/customers/{id:int}/collections"] = [Roles.Agent, Roles.RiskManager, Roles.Admin],
        ["POST /api/v1/customers/{id:int}/collections/what-if"] = [Roles.Agent, Roles.RiskManager, Roles.Admin],
        // Collection actions (docs/collection-actions.md): agents message their portfolio's customers; presentment batches
        // and the return-rate monitor are risk managers' and admins' (maker and checker are both of these roles, never the
        // same person); delivery receipts come from the gateway's admin client.
        ["GET /api/v1/customers/{id:int}/outbox"] = [Roles.Agent, Roles.RiskManager, Roles.Admin],
        ["POST /api/v1/customers/{id:int}/outbox"] = [Roles.Agent, Roles.RiskManager, Roles.Admin],
        ["POST /api/v1/outbox/{id:long}/receipt"] = [Roles.Admin],
        ["POST /api/v1/collections/presentments/preview"] = [Roles.RiskManager, Roles.Admin],
        ["GET /api/v1/collections/presentments"] = [Roles.RiskManager, Roles.Admin],
        ["POST /api/v1/collections/presentments"] = [Roles.RiskManager, Roles.Admin],
        ["POST /api/v1/collections/presentments/{id:int}/approve"] = [Roles.RiskManager, Roles.Admin],
        ["GET /api/v1/collections/presentments/{id:int}/file"] = [Roles.RiskManager, Roles.Admin],
        ["GET /api/v1/collections/return-rates"] = [Roles.RiskManager, Roles.Admin],
        ["GET /collections/presentments/{id:int}/file"] = [Roles.RiskManager, Roles.Admin],
        ["GET /api/v1/customers/{id:int}/products"] = [Roles.RiskManager, Roles.Admin],
        ["GET /api/v1/customers/{id:int}/products/ocen-loan-application"] = [Roles.RiskManager, Roles.Admin],
        ["GET /api/v1/consents"] = [Roles.Compliance, Roles.Admin],
        ["GET /api/v1/consents/{id:int}"] = [Roles.Compliance, Roles.Admin],
        // The Account Aggregator's machine-only role, and nothing else: it changes consent status, it reads no data.
        ["POST /api/v1/consents/notification"] = [Msme.Portal.Features.Api.ApiRoles.AaNotifier],
        // Admins, and the machine-only ingest role (bundle pushers), which may call this and nothing else.
        ["POST /api/v1/imports"] = [Roles.Admin, Msme.Portal.Features.Api.ApiRoles.Ingest],
        // The FIU's ReBIT endpoints for the AA (base URL /aa) and this FIU's public keys: no session and no token, the
        // AA's detached JWS over the exact body authenticates a notification (see Features/Aa and docs/aa-connector.md).
        ["POST /aa/Consent/Notification"] = [],
        ["POST /aa/FI/Notification"] = [],
        ["GET /.well-known/jwks.json"] = [],
        // Liveness and readiness for load balancers and orchestrators: check names and statuses only (Hosting/HealthEndpoints).
        ["GET /health/live"] = [],
        ["GET /health/ready"] = [],
        // The OpenAPI document and its reference UI: signed-in admins (cookie), who create API clients.
        ["GET /openapi/{documentName}.json"] = [Roles.Admin],
        ["GET /scalar/{documentName?}"] = [Roles.Admin],
        ["GET /scalar/scalar.js"] = [Roles.Admin],
        ["GET /scalar/scalar.aspnetcore.js"] = [Roles.Admin],
        ["GET /scalar/favicon.svg"] = [Roles.Admin],
    };

    /// <summary>Requires one of the roles <see cref="Endpoints"/> lists for this method and route; throws at start-up when the table has no entry.</summary>
    public static TBuilder AllowRoles<TBuilder>(this TBuilder builder, string methodAndRoute)
        where TBuilder : IEndpointConventionBuilder
    {
        if (!Endpoints.TryGetValue(methodAndRoute, out var roles))
        {
            throw new InvalidOperationException($"'{methodAndRoute}' is not in AccessPolicy.Endpoints");
        }
        builder.RequireAuthorization(policy => policy.RequireRole(roles));
        return builder;
    }

    /// <summary>Pages anyone may open (sign-in and its companions, error pages).</summary>
    public static bool IsPublic(string route) =>
        route.StartsWith("/Account", StringComparison.OrdinalIgnoreCase) || route is "/not-found" or "/Error";
}
