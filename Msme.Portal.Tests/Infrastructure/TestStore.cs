using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Msme.Portal.Data;
using Msme.Portal.Features.Ingestion;
using Msme.Portal.Hosting;

namespace Msme.Portal.Tests.Infrastructure;

/// <summary>
/// A real store, migrated like the app does, with the app's services: SQLite in a temp folder, or (for the provider
/// tests) a throwaway database on the PostgreSQL server of <see cref="TestPostgres"/>; the data folder is a temp folder either way.
/// </summary>
public sealed class TestStore : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private readonly string? _postgres;

    private TestStore(ServiceProvider services, string directory, FakeTimeProvider clock, string? postgres)
    {
        _services = services;
        Directory = directory;
        Clock = clock;
        _postgres = postgres;
    }

    public TestProvider Provider => _postgres is null ? TestProvider.Sqlite : TestProvider.PostgreSql;

    public string Directory { get; }
    public FakeTimeProvider Clock { get; }
    public IServiceProvider Services => _services;
    public BundleImporter Importer => _services.GetRequiredService<BundleImporter>();
    public IDbContextFactory<ApplicationDbContext> DbFactory => _services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>();

    /// <summary>A migrated store; with <paramref name="upTo"/>, one migrated only that far (an older store, for the migration tests; <see cref="MigrateAsync"/> finishes it as start-up does).</summary>
    public static async Task<TestStore> CreateAsync(DateTimeOffset? now = null, TestProvider provider = TestProvider.Sqlite, string? upTo = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "msme-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var settings = new Dictionary<string, string?> { ["Msme:DataDirectory"] = directory };
        string? postgres = null;
        if (provider == TestProvider.PostgreSql)
        {
            TestPostgres.SkipUnlessAvailable();
            postgres = await TestPostgres.CreateDatabaseAsync();
            settings["Msme:Database:Provider"] = "PostgreSQL";
            settings["ConnectionStrings:Msme"] = postgres;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var clock = new FakeTimeProvider(now ?? new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.FromHours(5.5)));
        var services = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<TimeProvider>(clock)
            .AddMsmeData(configuration)
            .BuildServiceProvider();
        if (upTo is null)
        {
            await services.MigrateDatabaseAsync();
        }
        else
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContextAsync();
            await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().MigrateAsync(upTo);
        }
        return new TestStore(services, directory, clock, postgres);
    }

    /// <summary>Applies the remaining migrations the way the app does at start-up.</summary>
    public Task MigrateAsync() => _services.MigrateDatabaseAsync();

    public async Task<ApplicationDbContext> DbAsync() => await DbFactory.CreateDbContextAsync();

    /// <summary>An open connection to the same database outside the app's pool and services: another process, a DBA's session.</summary>
    public async Task<System.Data.Common.DbConnection> OpenOutsideConnectionAsync()
    {
        System.Data.Common.DbConnection connection = _postgres is null
            ? new SqliteConnection($"Data Source={Path.Combine(Directory, "msme.db")};Pooling=False")
            : new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(_postgres) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Row counts and a content checksum of every AA table: equal snapshots mean an unchanged store.</summary>
    public async Task<StoreSnapshot> SnapshotAsync()
    {
        await using var db = await DbAsync();
        return new StoreSnapshot(
            await db.Customers.CountAsync(),
            await db.Consents.CountAsync(),
            await db.ConsentStatusChanges.CountAsync(),
            await db.FetchSessions.CountAsync(),
            await db.RawPayloads.CountAsync(),
            await db.Accounts.CountAsync(),
            await db.Transactions.CountAsync(),
            await db.Transactions.SumAsync(t => (long?)t.AmountPaise) ?? 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_postgres is not null)
        {
            await TestPostgres.DropDatabaseAsync(_postgres);
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finalising connection; the temp folder is cleaned by the OS.
        }
    }
}

public sealed record StoreSnapshot(int Customers, int Consents, int ConsentStatusChanges, int Sessions, int Payloads, int Accounts, int Transactions, long AmountPaiseSum);
