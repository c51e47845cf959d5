using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Msme.Portal.Data.Entities;

namespace Msme.Portal.Data;

/// <summary>
/// The store. Partial: each feature that owns tables declares its sets in its own file beside this one. One model for
/// both providers: on SQLite the app uses this type; on PostgreSQL its subclass <see cref="PostgreSqlDbContext"/>,
/// which exists only so that each provider's migrations (generated from this same model) are found apart.
/// </summary>
public partial class ApplicationDbContext : IdentityDbContext<ApplicationUser>
{
    public ApplicationDbContext(DbContextOptions<ApplicationDbContext> options) : base(options)
    {
    }

    /// <summary>For the per-provider subclass, which brings its own options type.</summary>
    protected ApplicationDbContext(DbContextOptions options) : base(options)
    {
    }

    public DbSet<Customer> Customers => Set<Customer>();
    public DbSet<ConsentRecord> Consents => Set<ConsentRecord>();
    public DbSet<ConsentStatusChange> ConsentStatusChanges => Set<ConsentStatusChange>();
    public DbSet<FetchSession> FetchSessions => Set<FetchSession>();
    public DbSet<RawPayload> RawPayloads => Set<RawPayload>();
    public DbSet<Account> Accounts => Set<Account>();
    public DbSet<AccountTransaction> Transactions => Set<AccountTransaction>();
    public DbSet<ImportRun> ImportRuns => Set<ImportRun>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no DateTimeOffset type; stored as ordered 64-bit values, comparisons and ORDER BY translate. PostgreSQL
        // keeps the same encoding (bigint), so the raw writers, the audit hash and the model are one across providers.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ApplicationDbContext).Assembly);
    }
}
