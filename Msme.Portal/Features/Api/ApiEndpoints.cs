using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Authorization;
using Msme.Portal.Hosting;

namespace Msme.Portal.Features.Api;

/// <summary>
/// The REST API under /api/v1: bearer tokens only (cookies are not accepted, so there is no CSRF surface), every
/// error a ProblemDetails, every endpoint in <see cref="AccessPolicy.Endpoints"/>. Each feature group is one static
/// class with a <c>Map(RouteGroupBuilder)</c>; adding a group is one line in <see cref="MapMsmeApi"/>.
/// </summary>
public static class ApiEndpoints
{
    public const string Prefix = "/api/v1";

    public static IServiceCollection AddMsmeApi(this IServiceCollection services)
    {
        services.AddScoped<ApiClientService>();
        services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddMsmeOpenApi();
        return services;
    }

    /// <summary>
    /// For /api paths: no status-code page re-execution (an API answers JSON, not the not-found page), an error
    /// response without a body becomes a ProblemDetails, and an unhandled exception a 500 ProblemDetails that shows
    /// nothing of the exception. The reference UI's page gets its script nonce into the CSP. Place after UseStatusCodePages.
    /// </summary>
    public static IApplicationBuilder UseMsmeApi(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments(ApiReference.ReferencePath))
        {
            ApiReference.AllowItsNoncedScripts(context);
        }
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            await next();
            return;
        }
        if (context.Features.Get<IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        try
        {
            await next();
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            // A query value or body that does not bind (a word where a number goes, broken JSON).
            context.Response.Clear();
            context.Response.StatusCode = e.StatusCode;
            await problems.WriteAsync(new() { HttpContext = context, ProblemDetails = { Status = e.StatusCode, Title = "Bad request", Detail = e.Message } });
            return;
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiEndpoints)).LogError(e, "API request {Path} failed", context.Request.Path);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await problems.WriteAsync(new()
            {
                HttpContext = context,
                ProblemDetails = { Status = 500, Title = "Internal server error", Detail = "The request failed on the server; it is logged with its trace id." },
            });
            return;
        }
        if (!context.Response.HasStarted && context.Response.StatusCode >= 400 && context.Response.ContentLength is null && context.Response.ContentType is null)
        {
            await problems.WriteAsync(new() { HttpContext = context, ProblemDetails = { Status = context.Response.StatusCode } });
        }
    });

    /// <summary>Maps every API group under /api/v1.</summary>
    public static IEndpointRouteBuilder MapMsmeApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(Prefix)
            // Only the bearer scheme: a signed-in browser's cookie is not a credential here.
            .RequireAuthorization(new AuthorizationPolicyBuilder(ApiTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build())
            .DisableAntiforgery()
            .RequireRateLimiting(RateLimiting.Api)
            .AddEndpointFilter(ShareCallerWithServices)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status500InternalServerError);
        CustomersApi.Map(api);
        AnalyticsApi.Map(api);
        CollectionsApi.Map(api);
        ActionsApi.Map(api);
        EcosystemApi.Map(api);
        ConsentsApi.Map(api);
        ImportsApi.Map(api);
        app.MapMsmeApiReference();
        return app;
    }

    /// <summary>
    /// The services the screens use read the user from <see cref="AuthenticationStateProvider"/>; in an API request it
    /// is set from the token's principal, so <c>Viewer</c>, <c>CustomerAccess</c> and the audit work unchanged.
    /// </summary>
    private static async ValueTask<object?> ShareCallerWithServices(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (context.HttpContext.RequestServices.GetRequiredService<AuthenticationStateProvider>() is IHostEnvironmentAuthenticationStateProvider host)
        {
            host.SetAuthenticationState(Task.FromResult(new AuthenticationState(context.HttpContext.User)));
        }
        return await next(context);
    }
}
