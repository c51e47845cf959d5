using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Msme.Portal.Features.Api;
using Msme.Portal.Features.Compliance;

namespace Msme.Portal.Hosting;

/// <summary>
/// ASP.NET Core's rate limiter, one fixed one-minute window per partition (limits in <see cref="RateLimitSettings"/>):
/// sign-in form posts per client IP (policy <see cref="SignIn"/>, on the account pages that sign in), sign-in attempts
/// per attempted name (<see cref="SignInNames"/>, asked by the sign-in page once it has read the form), and API calls
/// per API client (<see cref="Api"/>). A refusal answers 429 with Retry-After and is audited (<c>rate-limited</c>).
/// </summary>
public static class RateLimiting
{
    public const string SignIn = "sign-in";
    public const string Api = "api";
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddMsmeRateLimiting(this IServiceCollection services)
    {
        services.AddSingleton<SignInNames>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, ct) => RejectAsync(context.HttpContext, context.Lease, ct);
        });
        // The policies read their limits from options, so a host's configuration (and the tests') decides them.
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<MsmeOptions>>((o, msme) =>
        {
            var limits = msme.Value.RateLimits;
            o.AddPolicy(SignIn, http => HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter("ip:" + ClientAddress(http), _ => Fixed(limits.SignInPerIpPerMinute))
                : RateLimitPartition.GetNoLimiter(""));
            o.AddPolicy(Api, http => http.User.FindFirst(ApiTokenAuthenticationHandler.ClientClaim)?.Value is { } client
                ? RateLimitPartition.GetFixedWindowLimiter("client:" + client, _ => Fixed(limits.ApiPerClientPerMinute))
                : RateLimitPartition.GetFixedWindowLimiter("ip:" + ClientAddress(http), _ => Fixed(limits.ApiPerClientPerMinute)));
        });
        return services;
    }

    internal static FixedWindowRateLimiterOptions Fixed(int permits) => new()
    {
        PermitLimit = Math.Max(1, permits), Window = Window, QueueLimit = 0, AutoReplenishment = true,
    };

    internal static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>429 with Retry-After (whole seconds), an audit entry, and for the API a ProblemDetails.</summary>
    private static async ValueTask RejectAsync(HttpContext http, RateLimitLease lease, CancellationToken ct)
    {
        var seconds = await RefuseAsync(http, lease, "limit per client IP address");
        if (http.Request.Path.StartsWithSegments(ApiEndpoints.Prefix))
        {
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = { Status = 429, Title = "Too many requests", Detail = $"This client's limit per minute is reached; retry after {seconds} s." },
            });
            return;
        }
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync($"Too many sign-in attempts. Try again in {seconds} seconds.", ct);
    }

    /// <summary>
    /// Sets 429 and Retry-After and audits the refusal (who, from where, which limit); returns the seconds to wait. The
    /// response body is the caller's: the middleware writes a short text or a ProblemDetails, the sign-in page re-renders.
    /// </summary>
    public static async Task<int> RefuseAsync(HttpContext http, RateLimitLease lease, string limit, string? attemptedName = null)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var audit = http.RequestServices.GetRequiredService<AuditLog>();
        var who = http.User.Identity?.IsAuthenticated == true ? AuditEvent.For(http.User, "rate-limited", Target(http))
            : new AuditEvent(null, attemptedName ?? "anonymous", "", "rate-limited", Target(http));
        await audit.AppendAsync(who with { Details = $"{(http.Request.Path.StartsWithSegments(ApiEndpoints.Prefix) ? "limit per API client" : limit)} reached, from {ClientAddress(http)}; retry after {seconds} s" },
            CancellationToken.None);
        return seconds;
    }

    private static string Target(HttpContext http) => $"{http.Request.Method} {http.Request.Path}";
}

/// <summary>
/// Sign-in attempts per attempted user name (trimmed, lower case, at most 256 characters), whichever address they come
/// from: the IP limit alone lets a botnet try one name from many addresses. Identity's lockout still applies per account.
/// </summary>
public sealed class SignInNames(IOptions<MsmeOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(name =>
        RateLimitPartition.GetFixedWindowLimiter(name, _ => RateLimiting.Fixed(options.Value.RateLimits.SignInPerNamePerMinute)));

    /// <summary>A lease for one attempt with this name; not acquired means refuse with 429.</summary>
    public RateLimitLease Acquire(string? attemptedName)
    {
        var key = (attemptedName ?? "").Trim().ToLowerInvariant();
        return _limiter.AttemptAcquire(key.Length > AuditEvent.MaxUserName ? key[..AuditEvent.MaxUserName] : key);
    }

    public void Dispose() => _limiter.Dispose();
}
