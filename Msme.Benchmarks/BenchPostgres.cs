using Npgsql;

namespace Msme.Benchmarks;

/// <summary>The PostgreSQL server the benchmarks use and the throwaway database each run creates on it and drops.</summary>
internal static class BenchPostgres
{
    /// <summary><c>--pg</c>, else <c>MSME_BENCH_POSTGRES</c>, else <c>MSME_TEST_POSTGRES</c>: a connection string without a database.</summary>
    public static string? Server(string[] args) =>
        ScaleBenchmark.Text(args, "--pg") ?? Environment.GetEnvironmentVariable("MSME_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("MSME_TEST_POSTGRES");

    /// <summary>Creates (re-creating a leftover of this process) the database <c>{prefix}_{pid}</c>; answers its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string server, string prefix, Action<NpgsqlConnectionStringBuilder>? configure = null)
    {
        var name = $"{prefix}_{Environment.ProcessId}";
        await ExecuteOnServerAsync(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE); CREATE DATABASE \"{name}\"");
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        configure?.Invoke(builder);
        return builder.ConnectionString;
    }

    public static Task DropDatabaseAsync(string database) =>
        ExecuteOnServerAsync(database, $"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(database).Database}\" WITH (FORCE)");

    private static async Task ExecuteOnServerAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
