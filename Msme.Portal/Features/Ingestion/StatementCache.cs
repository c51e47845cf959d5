using Microsoft.Data.Sqlite;

namespace Msme.Portal.Features.Ingestion;

/// <summary>
/// Prepared statements kept for the life of one import batch: SQLite compiles each SQL text once, not once per
/// bundle (thousands of times in a bulk load). Commands are owned here; callers use them and never dispose them.
/// </summary>
internal sealed class StatementCache(SqliteConnection connection, SqliteTransaction tx) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteConnection Connection => connection;
    public SqliteTransaction Transaction => tx;

    public SqliteCommand Get(string sql, params (string Name, object? Value)[] parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = sql;
            _commands[sql] = command;
        }
        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    public int Run(string sql, params (string Name, object? Value)[] parameters) => Get(sql, parameters).ExecuteNonQuery();

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }
    }
}
