using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Msme.Domain.DemoData;
using Msme.Portal.Features.Admin;
using Msme.Portal.Features.Collections;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Hosting;

namespace Msme.Benchmarks;

/// <summary>
/// A temporary SQLite store under a fresh temp folder, migrated, with the portal's data services and whichever features
/// a benchmark adds, on a fixed clock (1 Oct 2026, 10:00 IST). Demo data goes in through the real importers. Disposing
/// it releases the connections and deletes the folder.
/// </summary>
internal sealed class BenchStore : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 10, 1, 10, 0, 0, TimeSpan.FromHours(5.5));

    private BenchStore(DirectoryInfo directory, ServiceProvider services, DemoOptions demo, Func<ServiceProvider> instance) =>
        (Directory, Services, Demo, _instance) = (directory, services, demo, instance);

    private readonly Func<ServiceProvider> _instance;
    private readonly List<ServiceProvider> _instances = [];

    /// <summary>
    /// Another instance of the services on the same store, as after a restart: its own caches (analysis cache, consent
    /// gate, everything singleton), nothing shared with <see cref="Services"/> but the database. Disposed with the store.
    /// </summary>
    public ServiceProvider NewInstance()
    {
        var services = _instance();
        _instances.Add(services);
        return services;
    }

    public DirectoryInfo Directory { get; }
    public ServiceProvider Services { get; }
    public DemoOptions Demo { get; }

    /// <param name="name">Names the temp folder (msme-NAME-bench-…).</param>
    /// <param name="features">Adds the feature services the benchmark calls (collections, risk, exports…).</param>
    public static async Task<BenchStore> CreateAsync(string name, DemoOptions demo, Func<IServiceCollection, IServiceCollection> features)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory($"msme-{name}-bench-");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Msme:DataDirectory"] = Path.Combine(directory.FullName, "store") }).Build();
        ServiceProvider Build() => features(new ServiceCollection()
                .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
                .AddSingleton<TimeProvider>(new FixedClock(Now))
                .AddMsmeData(configuration))
            .BuildServiceProvider();
        var services = Build();
        await services.MigrateDatabaseAsync();
        return new BenchStore(directory, services, demo, Build);
    }

    /// <summary>Writes the demo customers' bundles and imports them through the real bundle importer.</summary>
    public Task<IReadOnlyList<ImportOutcome>> ImportDemoBundlesAsync() =>
        Services.GetRequiredService<BundleImporter>().ImportManyAsync(DemoDataset.Write(Demo, Directory.FullName), null, "bench");

    /// <summary>Imports the demo loan book written beside the bundles (call <see cref="ImportDemoBundlesAsync"/> first).</summary>
    public Task<LoanImportOutcome> ImportDemoLoanBookAsync() =>
        Services.GetRequiredService<LoanBookImporter>().ImportFileAsync(Path.Combine(Directory.FullName, DemoDataset.LoanBookFile), "bench");

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances) await instance.DisposeAsync();
        await Services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(recursive: true);
    }

    public static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }
}
