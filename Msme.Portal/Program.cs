using Msme.Portal.Cli;
using Msme.Portal.Components;
using Msme.Portal.Features.Aa;
using Msme.Portal.Features.Actions;
using Msme.Portal.Features.Api;
using Msme.Portal.Features.Compliance;
using Msme.Portal.Features.Exports;
using Msme.Portal.Hosting;
using MudBlazor.Services;

// The verbs first, and the web host in a method of its own: a verb such as `analyze FILE...` then loads, compiles and
// builds none of ASP.NET Core, DI or EF (start-up is part of its measured time).
if (CliApp.IsCli(args))
{
    return BatchJit.ShouldRelaunch(args, Environment.GetEnvironmentVariable) ? await BatchJit.RelaunchAsync(args) : await CliApp.RunAsync(args);
}

return await RunPortalAsync(args);

static async Task<int> RunPortalAsync(string[] args)
{
    var builder = WebApplication.CreateBuilder(args);

    builder.Services.AddRazorComponents().AddInteractiveServerComponents();
    builder.Services.AddMudServices();
    builder.Services.AddMsmeIdentity(builder.Configuration, builder.Environment);
    builder.Services.AddMsmeData(builder.Configuration);
    builder.Services.AddMsmeFeatures();
    builder.Services.AddMsmeApi();
    builder.Services.AddMsmeRateLimiting();
    builder.Services.AddMsmeDenialAudit();
    builder.Services.AddDatabaseDeveloperPageExceptionFilter();
    builder.Services.AddMsmeHealthChecks(builder.Configuration);
    builder.AddMsmeTelemetry();

    var app = builder.Build();

    await app.Services.MigrateDatabaseAsync();
    await app.Services.SeedDemoUsersAsync(app.Environment, app.Logger);

    // The client's real address and scheme from known proxies, then HSTS and HTTPS redirection outside Development.
    app.UseMsmeTransportSecurity();
    // Before the rest, so that every response carries them, whichever middleware writes it.
    app.UseSecurityHeaders();
    if (app.Environment.IsDevelopment())
    {
        app.UseMigrationsEndPoint();
    }
    else
    {
        app.UseExceptionHandler("/Error", createScopeForErrors: true);
    }
    app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
    app.UseMsmeApi();
    // Explicit, so that they run after the middleware above: a 401, 403 or sign-in redirect gets the security headers and
    // the API's ProblemDetails. (Routing stays implicit, first in the pipeline.)
    app.UseAuthentication();
    app.UseTwoFactorEnrolment();
    app.UseAuthorization();
    // After authorisation, so that an API call is counted against the client its token names.
    app.UseRateLimiter();
    app.UseAntiforgery();

    app.MapStaticAssets();
    // Our policy already says frame-ancestors 'none'; Blazor's own default header would be a second, weaker one.
    app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
    app.MapAdditionalIdentityEndpoints();
    app.MapAuditExport();
    app.MapExports();
    app.MapCollectionActions();
    app.MapMsmeApi();
    app.MapAaConnector();
    app.MapMsmeHealthChecks();

    await app.RunAsync();
    return 0;
}

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
