using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Msme.Portal.Data.Store;
using Msme.Portal.Hosting;

namespace Msme.Portal.Data;

/// <summary>
/// The same model as <see cref="ApplicationDbContext"/> on PostgreSQL. A subclass only so that EF Core finds this
/// provider's migrations (Data/Migrations.PostgreSql, attributed to this type) apart from SQLite's (Data/Migrations):
/// EF Core's documented way of keeping one model with migrations per provider. Features never see this type; they
/// ask for <c>IDbContextFactory&lt;ApplicationDbContext&gt;</c> and get one of these when the provider is PostgreSQL.
/// </summary>
public sealed class PostgreSqlDbContext(DbContextOptions<PostgreSqlDbContext> options) : ApplicationDbContext(options);

/// <summary>
/// For <c>dotnet ef migrations add X --context PostgreSqlDbContext --output-dir Data/Migrations.PostgreSql</c> and
/// <c>has-pending-model-changes</c>: neither opens a connection, so no server is needed. The context comes from the
/// app's own registration (AddMsmeData with the provider set), so its model is the app's: the Identity schema version,
/// for one, is read from the services and shapes the model.
/// </summary>
internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlDbContext>
{
    public PostgreSqlDbContext CreateDbContext(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Msme:Database:Provider"] = nameof(DatabaseProvider.PostgreSql),
            ["ConnectionStrings:Msme"] = Environment.GetEnvironmentVariable("ConnectionStrings__Msme") ?? "Host=localhost;Database=msme",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddMsmeData(configuration).BuildServiceProvider();
        return services.GetRequiredService<IDbContextFactory<PostgreSqlDbContext>>().CreateDbContext();
    }
}

/// <summary>
/// The SQLite side of <c>dotnet ef … --context ApplicationDbContext</c>. Needed as soon as the PostgreSQL factory exists:
/// <c>IDesignTimeDbContextFactory&lt;out T&gt;</c> is covariant, so without a factory of its own EF Core would build
/// <see cref="ApplicationDbContext"/> from the PostgreSQL one and write SQLite's migrations for PostgreSQL.
/// </summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<ApplicationDbContext>
{
    public ApplicationDbContext CreateDbContext(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Msme:Database:Provider"] = nameof(DatabaseProvider.Sqlite),
            ["Msme:DataDirectory"] = Path.Combine(Path.GetTempPath(), "msme-design-time"),
        }).Build();
        var services = new ServiceCollection().AddLogging().AddMsmeData(configuration).BuildServiceProvider();
        return services.GetRequiredService<IDbContextFactory<ApplicationDbContext>>().CreateDbContext();
    }
}
