using Msme.Portal.Features.Aa;
using Msme.Portal.Features.Actions;
using Msme.Portal.Features.Admin;
using Msme.Portal.Features.Analytics;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Customers;
using Msme.Portal.Features.Exports;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Features.Risk;

namespace Msme.Portal.Hosting;

public static class FeatureServiceCollectionExtensions
{
    /// <summary>The feature services components bind to: one per feature folder.</summary>
    public static IServiceCollection AddMsmeFeatures(this IServiceCollection services)
    {
        services.AddScoped<CustomerService>();
        services.AddScoped<Viewer>();
        services.AddScoped<CustomerAccess>();
        services.AddScoped<PortfolioService>();
        services.AddScoped<UserAdminService>();
        services.AddScoped<Msme.Portal.Features.Compliance.RawDataService>();
        services.AddScoped<Msme.Portal.Features.Compliance.ConsentLineageService>();
        services.AddScoped<Msme.Portal.Features.Compliance.DataPassportService>();
        services.AddConsentGate();
        services.AddScoped<InsightsService>();
        services.AddScoped<Msme.Portal.Features.Ecosystem.EcosystemService>();
        services.AddScoped<StoreStatusService>();
        services.AddScoped<UploadImportService>();
        services.AddSingleton<DemoLoadState>();
        services.AddCollections();
        services.AddCollectionActions();
        services.AddHostedService<DemoDataLoader>();
        services.AddScoped<DemoWork>();
        services.AddHostedService<Msme.Portal.Features.Compliance.PurgeWorker>();
        services.AddHostedService<Msme.Portal.Features.Compliance.AuditCheckpointWorker>();
        services.AddRisk();
        services.AddExports();
        services.AddAaConnector();
        services.AddHostedService<Msme.Portal.Features.Aa.PeriodicFetchWorker>();
        return services;
    }
}
