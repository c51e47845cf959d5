namespace Msme.Portal.Features.Collections;

public static class CollectionsServiceCollectionExtensions
{
    /// <summary>Smart Collect: the loan book importer, the queue's forecast cache and the feature service.</summary>
    public static IServiceCollection AddCollections(this IServiceCollection services)
    {
        services.AddSingleton<CollectionsCache>();
        services.AddSingleton<LoanBookImporter>();
        services.AddScoped<Analytics.AccountDataService>();
        services.AddScoped<CollectionsService>();
        return services;
    }
}
