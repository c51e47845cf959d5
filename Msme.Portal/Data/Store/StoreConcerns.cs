using System.Data.Common;

namespace Msme.Portal.Data.Store;

/// <summary>Brings the schema up to date at start-up (every host calls it), in the provider's way.</summary>
public interface IStoreMigrator
{
    Task MigrateAsync(ApplicationDbContext db, CancellationToken ct);
}

/// <summary>
/// Serialises appends to the audit chain across connections, processes and instances: an append reads the tail's hash
/// and inserts after it, so two appenders must never interleave.
/// </summary>
public interface IAuditAppendLock
{
    /// <summary>Begins a transaction that holds the lock until it ends (the group commit's own transaction).</summary>
    Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken ct);

    /// <summary>Takes the lock inside a transaction the caller began, so a change and its entry commit together.</summary>
    Task EnterAsync(DbConnection connection, DbTransaction tx, CancellationToken ct);
}
