using System.Data.Common;

namespace Msme.Portal.Features.Ingestion;

/// <summary>
/// Commands kept for the life of one import batch: SQLite compiles each SQL text once, not once per bundle (thousands
/// of times in a bulk load), and Npgsql prepares a command it sees again. Commands are owned here; callers use them
/// and never dispose them. The SQL is written once for both providers: quoted identifiers and @ parameters.
/// </summary>
public sealed class StatementCache(DbConnection connection, DbTransaction tx) : IDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    public DbConnection Connection => connection;
    public DbTransaction Transaction => tx;

    public DbCommand Get(string sql, params (string Name, object? Value)[] parameters)
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
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
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
