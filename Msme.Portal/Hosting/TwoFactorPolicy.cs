using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Msme.Domain;
using Msme.Portal.Data;

namespace Msme.Portal.Hosting;

/// <summary>
/// Two-factor sign-in is required for the roles that can change who sees what or read everything (Admin, Compliance)
/// and optional for the others. A user in such a role without an authenticator app is sent to enrol one at sign-in and
/// can open no other page until done (<see cref="UseTwoFactorEnrolment"/>); once enrolled, a password alone does not
/// sign in, and they cannot turn it off.
/// </summary>
public static class TwoFactorPolicy
{
    public static readonly IReadOnlyList<string> RequiredForRoles = [Roles.Admin, Roles.Compliance];

    /// <summary>On the sign-in cookie's principal when the user has an authenticator enabled (set by <see cref="MsmeClaimsPrincipalFactory"/>).</summary>
    public const string EnrolledClaim = "msme:2fa";

    public const string EnrolPath = "/Account/Manage/EnableAuthenticator";

    public static bool IsRequired(IEnumerable<string> roles) => roles.Any(RequiredForRoles.Contains);

    public static bool IsRequired(ClaimsPrincipal user) => RequiredForRoles.Any(user.IsInRole);

    /// <summary>
    /// Sends a signed-in user who must have two-factor but has not enrolled to the enrolment page: GETs are redirected,
    /// anything else is refused. Only what the sign-in cookie protects is held back (pages, exports, the Blazor circuit);
    /// static files, the public account pages, signing out and the enrolment page itself stay open. Place after
    /// UseAuthentication. The API (bearer tokens) is not cookie-authenticated and is not affected.
    /// </summary>
    public static IApplicationBuilder UseTwoFactorEnrolment(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var user = context.User;
        if (user.Identity is { IsAuthenticated: true, AuthenticationType: var type } && type == IdentityConstants.ApplicationScheme
            && IsRequired(user) && !user.HasClaim(EnrolledClaim, "1") && Guarded(context))
        {
            if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            {
                context.Response.Redirect(EnrolPath);
            }
            else
            {
                // A bare 403: no re-execution into a page (whose form handling would turn it into a 400).
                if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
                {
                    pages.Enabled = false;
                }
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
            }
            return;
        }
        await next();
    });

    private static bool Guarded(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments(EnrolPath, StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/Account/Logout", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (path.StartsWithSegments("/_blazor"))
        {
            return true;
        }
        // Everything that needs a signed-in user carries authorization metadata (pages' [Authorize], endpoints'
        // AllowRoles); static assets and the public account pages carry none.
        var endpoint = context.GetEndpoint();
        return endpoint is not null
            && (endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null || endpoint.Metadata.GetMetadata<AuthorizationPolicy>() is not null);
    }
}

/// <summary>Identity's principal plus <see cref="TwoFactorPolicy.EnrolledClaim"/>, so the enrolment check needs no database read per request.</summary>
public sealed class MsmeClaimsPrincipalFactory(UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<ApplicationUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(ApplicationUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (await UserManager.GetTwoFactorEnabledAsync(user))
        {
            identity.AddClaim(new Claim(TwoFactorPolicy.EnrolledClaim, "1"));
        }
        return identity;
    }
}
