using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Msme.Portal.Features.Api;
using Msme.Portal.Features.Compliance;

namespace Msme.Portal.Hosting;

/// <summary>
/// Every refusal the authorisation middleware decides goes on the audit trail, in this one place: a page or export a
/// signed-in user's roles do not allow (403 or the access-denied redirect), an API call whose client's role is not
/// allowed (403), and an API call without a valid token (401). An anonymous visitor sent to the sign-in page is the
/// normal way in, not a refusal, and is not audited.
/// </summary>
public sealed class AuditingAuthorizationResultHandler(AuditLog audit) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var target = $"{context.Request.Method} {context.Request.Path}";
        var api = context.Request.Path.StartsWithSegments(ApiEndpoints.Prefix);
        if (authorizeResult.Forbidden)
        {
            await audit.AppendAsync(AuditEvent.For(context.User, "access-refused", target,
                details: $"refused by policy (403): {Reason(policy)}"), context.RequestAborted);
        }
        else if (authorizeResult.Challenged && api)
        {
            string? header = context.Request.Headers.Authorization;
            // The token's first characters name the client on the admin page; never more of it.
            var sent = string.IsNullOrEmpty(header) ? "no token" : header.StartsWith("Bearer msme_", StringComparison.Ordinal) && header.Length >= 19
                ? $"unknown or revoked token {header["Bearer ".Length..("Bearer ".Length + 12)]}…" : "a malformed Authorization header";
            await audit.AppendAsync(new AuditEvent(null, "anonymous", "", "access-refused", target,
                Details: $"unauthenticated (401): {sent}, from {RateLimiting.ClientAddress(context)}"), context.RequestAborted);
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private static string Reason(AuthorizationPolicy policy) =>
        policy.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>().FirstOrDefault() is { } roles
            ? "requires one of " + string.Join(", ", roles.AllowedRoles)
            : "requirements not met";
}

public static class DenialAuditServiceCollectionExtensions
{
    public static IServiceCollection AddMsmeDenialAudit(this IServiceCollection services) =>
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AuditingAuthorizationResultHandler>();
}
