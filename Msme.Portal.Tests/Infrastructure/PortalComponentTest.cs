using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Msme.Portal.Data;
using Msme.Portal.Features.Admin;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Customers;
using MudBlazor.Services;

namespace Msme.Portal.Tests.Infrastructure;

/// <summary>bUnit with MudBlazor over a real temp SQLite store; the feature services are the app's own.</summary>
public abstract class PortalComponentTest : BunitContext, IAsyncLifetime
{
    protected TestStore Store { get; private set; } = null!;
    protected BunitAuthorizationContext Auth { get; private set; } = null!;

    static PortalComponentTest()
    {
        // Two cores shared by parallel test classes: the default one second is too short for a real SQLite round trip under load.
        DefaultWaitTimeout = TimeSpan.FromSeconds(15);
    }

    public virtual async Task InitializeAsync()
    {
        Store = await TestStore.CreateAsync();
        Services.AddMudServices();
        Services.AddSingleton(Store.DbFactory);
        Services.AddSingleton<TimeProvider>(Store.Clock);
        Services.AddScoped<CustomerService>();
        Services.AddScoped<Viewer>();
        Services.AddScoped<CustomerAccess>();
        Services.AddSingleton(Store.Services.GetRequiredService<Msme.Portal.Features.Ingestion.PayloadStore>());
        Services.AddScoped<Msme.Portal.Features.Compliance.RawDataService>();
        Services.AddSingleton(Store.Services.GetRequiredService<Msme.Portal.Features.Compliance.AuditLog>());
        Services.AddScoped<Msme.Portal.Features.Compliance.DataPassportService>();
        Services.AddScoped<StoreStatusService>();
        Services.AddScoped<Msme.Portal.Features.Aa.AaStatusService>();
        Msme.Portal.Features.Analytics.ConsentGateServiceCollectionExtensions.AddConsentGate(Services);
        Services.AddScoped<Msme.Portal.Features.Analytics.InsightsService>();
        Services.AddSingleton<DemoLoadState>();
        Msme.Portal.Features.Risk.RiskServiceCollectionExtensions.AddRisk(Services);
        Services.AddSingleton(sp => new LoanBookImporter(Store.DbFactory, Store.Clock));
        Services.AddScoped<CollectionsService>();
        Services.AddSingleton(Store.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Msme.Portal.Hosting.MsmeOptions>>());
        Services.AddScoped<Msme.Portal.Features.Actions.OutboxService>();
        Services.AddScoped<Msme.Portal.Features.Actions.PresentmentService>();
        Services.AddScoped<Msme.Portal.Features.Actions.ReturnRateService>();
        Auth = AddAuthorization();
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    /// <summary>Axis charts draw their series only once the SVG reports a size.</summary>
    protected void SetUpChartSize() =>
        JSInterop.Setup<MudBlazor.Interop.ElementSize>("mudGetSvgBBox", _ => true)
            .SetResult(new MudBlazor.Interop.ElementSize { Width = 600, Height = 300, Timestamp = 1 });

    protected async Task SeedAsync(Action<ApplicationDbContext> seed)
    {
        await using var db = await Store.DbAsync();
        seed(db);
        await db.SaveChangesAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await base.DisposeAsync();
        await Store.DisposeAsync();
    }
}
