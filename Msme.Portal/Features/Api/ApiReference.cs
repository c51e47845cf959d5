using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Msme.Portal.Hosting;
using Scalar.AspNetCore;

namespace Msme.Portal.Features.Api;

/// <summary>
/// The OpenAPI document of /api/v1 (<c>/openapi/v1.json</c>) and its interactive reference (<c>/scalar/v1</c>, Scalar,
/// served from the app itself: no CDN, so it works offline and under the app's CSP). Both are for signed-in Admins
/// (cookie): the admins create API clients and hand integrators the document.
/// </summary>
public static class ApiReference
{
    public const string DocumentRoute = "GET /openapi/{documentName}.json";
    public const string ReferencePath = "/scalar";
    public const string ReferenceRoute = "GET /scalar/{documentName?}";
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddMsmeOpenApi(this IServiceCollection services) => services.AddOpenApi("v1", o =>
    {
        o.ShouldInclude = d => d.RelativePath?.StartsWith("api/v1", StringComparison.OrdinalIgnoreCase) == true;
        o.AddDocumentTransformer((document, context, ct) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Msme REST API",
                Version = "v1",
                Description = "Customers, analytics, Smart Collect, consents and imports of the Msme portal, for machine clients. " +
                    "Authenticate with an API client's token (`Authorization: Bearer msme_…`), created by an admin at /admin/api-clients. " +
                    "Every error is an RFC 9457 ProblemDetails; lists are paged as `{ items, page, pageSize, total }` (page from 1, pageSize 1–100).",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API client's token. The client's role decides which endpoints answer; an Agent client sees its agent's portfolio.",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((operation, context, ct) =>
        {
            // Each operation says which roles it allows, read from the same metadata AccessPolicy set.
            var roles = context.Description.ActionDescriptor.EndpointMetadata.OfType<AuthorizationPolicy>()
                .SelectMany(p => p.Requirements.OfType<RolesAuthorizationRequirement>()).SelectMany(r => r.AllowedRoles).Distinct().ToList();
            if (roles.Count > 0)
            {
                operation.Description = $"{operation.Description}\n\n**Roles:** {string.Join(", ", roles)}.".TrimStart();
            }
            return Task.CompletedTask;
        });
    });

    public static void MapMsmeApiReference(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi().AllowRoles(DocumentRoute);
        // A group, so the page and the script files Scalar maps beside it all carry the same requirement.
        app.MapGroup("").RequireAuthorization(p => p.RequireRole(AccessPolicy.Endpoints[ReferenceRoute]))
            .MapScalarApiReference(ReferencePath, o => o
                .WithTitle("Msme REST API")
                .DisableDefaultFonts()
                .WithNonce()
                // Its AI assistant would send the document to a third party.
                .DisableAgent()
                .AddPreferredSecuritySchemes([BearerScheme]));
    }

    /// <summary>
    /// The reference page starts Scalar with one inline module script carrying a fresh nonce; only that page's CSP
    /// allows it (script-src 'self' 'nonce-…'). Everything else Scalar needs is served from this app: no CDN, no fonts.
    /// </summary>
    public static void AllowItsNoncedScripts(HttpContext context) => context.Response.OnStarting(() =>
    {
        if (context.Items.TryGetValue(ScalarOptions.NonceHttpContextItemKey, out var value) && value is string nonce)
        {
            context.Response.Headers.ContentSecurityPolicy = SecurityHeaders.ContentSecurityPolicy.Replace("script-src 'self'", $"script-src 'self' 'nonce-{nonce}'", StringComparison.Ordinal);
        }
        return Task.CompletedTask;
    });
}
