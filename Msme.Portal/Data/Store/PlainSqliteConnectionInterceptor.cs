using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Msme.Portal.Data.Store;

/// <summary>
/// Hands EF Core a connection without the SQL functions its SQLite provider registers on every connection it creates
/// (<c>regexp</c>, the <c>ef_*</c> decimal arithmetic and the <c>EF_DECIMAL</c> collation). Microsoft.Data.Sqlite
/// registers a connection's functions again on every open, and EF opens per query: each registration is a native
/// callback handle that the finalizer thread frees, about 80 per customer page: dropping them took 7–9 % off the
/// page's CPU under load (issue 17, A/B in the README). The model needs none of them: money is integer paise, no column is <c>decimal</c>, no query uses a regex.
/// A query that did would fail loudly with "no such function" (SqliteConnectionTests).
/// </summary>
public sealed class PlainSqliteConnectionInterceptor : DbConnectionInterceptor
{
    public override DbConnection ConnectionCreated(ConnectionCreatedEventData eventData, DbConnection result)
    {
        if (result is not SqliteConnection created)
        {
            return result;
        }
        // Created, never opened: its functions are only entries in a dictionary, nothing native to free. The connection
        // string is the one EF built, so a read-only probe (the database creator's) stays read-only.
        var plain = new SqliteConnection(created.ConnectionString) { DefaultTimeout = created.DefaultTimeout };
        created.Dispose();
        return plain;
    }
}
