using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Msme.Domain;

namespace Msme.Portal.Features.Api;

/// <summary>
/// Bearer-token authentication for /api/v1 only. The principal carries the client's role, the claim
/// <see cref="ClientClaim"/> naming the client, the name "api:&lt;client&gt;" (what the audit trail records) and, for
/// an Agent client, the bound agent's user id as NameIdentifier, so portfolio rules apply unchanged. Refusals answer
/// with ProblemDetails (401 with a Bearer challenge, 403), never a redirect to the sign-in page.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiClientService clients, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string ClientClaim = "msme:api-client";
    public const string ClientIdClaim = "msme:api-client-id";
    /// <summary>For an AaNotifier client: the AA id (ReBIT Notifier.id) it speaks for.</summary>
    public const string AaIdClaim = "msme:aa-id";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var token = header["Bearer ".Length..].Trim();
        var caller = await clients.AuthenticateAsync(token, Context.RequestAborted);
        if (caller is null)
        {
            return AuthenticateResult.Fail("unknown, revoked or expired token, or its agent may no longer act");
        }
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, "api:" + caller.Name),
            new(ClaimTypes.Role, caller.Role),
            new(ClientClaim, caller.Name),
            new(ClientIdClaim, caller.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (caller.AaId is not null)
        {
            claims.Add(new Claim(AaIdClaim, caller.AaId));
        }
        if (caller.Role == Roles.Agent && caller.AgentUserId is not null)
        {
            claims.Add(new Claim(ClaimTypes.NameIdentifier, caller.AgentUserId));
        }
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var hasHeader = !string.IsNullOrEmpty(Request.Headers.Authorization);
        await WriteAsync(StatusCodes.Status401Unauthorized, "Unauthorized",
            hasHeader ? "The bearer token is unknown, revoked or expired, or the agent it acts for may no longer sign in or act as an agent." : "Send an API client's token: Authorization: Bearer <token>.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteAsync(StatusCodes.Status403Forbidden, "Forbidden", "This API client's role may not call this endpoint.");

    private async Task WriteAsync(int status, string title, string detail)
    {
        Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
