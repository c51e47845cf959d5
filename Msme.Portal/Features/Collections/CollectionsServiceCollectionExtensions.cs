using Msme.Portal.Features.Analytics;

namespace Msme.Portal.Features.Collections;

public static class CollectionsServiceCollectionExtensions
{
    /// <summary>Smart Collect: the loan book importer, the consent gate and the feature service.</summary>
    public static IServiceCollection AddCollections(this IServiceCollection services)
    {
        services.AddSingleton<LoanBookImporter>();
        services.AddConsentGate();
        services.AddSingleton<ForecastStore>();
        services.AddScoped<CollectionsService>();
        return services;
    }
}
