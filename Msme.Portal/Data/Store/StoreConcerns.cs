using System.Data.Common;

namespace Msme.Portal.Data.Store;

/// <summary>Brings the schema up to date at start-up (every host calls it), in the provider's way.</summary>
public interface IStoreMigrator
{
    Task MigrateAsync(ApplicationDbContext db, CancellationToken ct);
}

/// <summary>
/// The read-then-write sections that must not interleave, across connections, processes and instances. SQLite has one
/// writer, so a write transaction (BEGIN IMMEDIATE) is the lock; PostgreSQL takes an advisory lock per section.
/// </summary>
public interface IStoreLocks
{
    /// <summary>
    /// Begins a transaction that holds the audit append lock until it ends (the group commit's own transaction): an
    /// append reads the tail's hash and inserts after it, so two appenders must never interleave.
    /// </summary>
    Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken ct);

    /// <summary>Takes the audit append lock inside a transaction the caller began, so a change and its entry commit together.</summary>
    Task EnterAsync(DbConnection connection, DbTransaction tx, CancellationToken ct);

    /// <summary>
    /// Begins the transaction of one consent's status change, holding that consent's lock from the first read: the
    /// checks see the status the update changes, so a pause racing a revocation is decided on the revocation.
    /// </summary>
    Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> BeginConsentChangeAsync(ApplicationDbContext db, int consentRowId, CancellationToken ct);
}
