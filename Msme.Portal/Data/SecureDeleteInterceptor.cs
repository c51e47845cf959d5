using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Msme.Portal.Data;

/// <summary>
/// Turns on SQLite's <c>secure_delete</c> for every connection the store opens: deleted rows (purged transactions,
/// scrubbed holders) are overwritten with zeros in the file instead of lingering in free pages until reused. The pragma
/// is per connection, so it is set once per native connection (the pool hands the same one out again); its cost is
/// the extra writes of a delete, which only the purge does in bulk.
/// </summary>
public sealed class SecureDeleteInterceptor : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    /// <summary>Native connections whose pragma is set: the pool hands the same one out again, and the pragma stays on it.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Prepared = [];

    private static void Apply(DbConnection connection)
    {
        var handle = (connection as Microsoft.Data.Sqlite.SqliteConnection)?.Handle;
        if (handle is not null && Prepared.TryGetValue(handle, out _))
        {
            // A pooled native connection whose pragma is already on: an open per query otherwise prepared and ran a
            // PRAGMA statement every time.
            return;
        }
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA secure_delete = ON;";
            command.ExecuteNonQuery();
        }
        if (handle is not null)
        {
            Prepared.AddOrUpdate(handle, Prepared);
        }
    }
}
