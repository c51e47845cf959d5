namespace Msme.Portal.Data.Store;

/// <summary>Which database holds the store (<c>Msme:Database:Provider</c>).</summary>
public enum DatabaseProvider
{
    /// <summary>A file under the data folder: the embedded default, nothing else to run.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server (15 or later) named by <c>ConnectionStrings:Msme</c>: the production store, shared by several instances.</summary>
    PostgreSql,
}
