using Npgsql;

namespace Msme.Portal.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the provider tests run on: <c>MSME_TEST_POSTGRES</c> is a connection string to it (for example
/// <c>Host=127.0.0.1;Port=55432;Username=postgres</c>); each fixture creates its own throwaway database there and drops
/// it after. Without the variable the PostgreSQL tests skip with a message, except that <c>MSME_REQUIRE_POSTGRES=1</c>
/// (set by .ci/run) makes a missing or unreachable server a failure, as <c>MSME_REQUIRE_BROWSER</c> does for Chromium.
/// </summary>
public static class TestPostgres
{
    public const string ServerVariable = "MSME_TEST_POSTGRES";
    public const string RequireVariable = "MSME_REQUIRE_POSTGRES";

    private static readonly Lazy<string?> Reason = new(Probe);

    /// <summary>Null when the server is there; otherwise why the PostgreSQL tests skip. Throws when they are required.</summary>
    public static string? SkipReason => Reason.Value;

    private static string? Server => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } s ? s : null;

    private static string? Probe()
    {
        string? reason;
        if (Server is not { } server)
        {
            reason = $"{ServerVariable} is not set: PostgreSQL tests skipped (set it to a server's connection string, e.g. Host=127.0.0.1;Port=55432;Username=postgres)";
        }
        else
        {
            try
            {
                using var connection = new NpgsqlConnection(Admin(server));
                connection.Open();
                return null;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
            {
                reason = $"{ServerVariable} names a server that does not answer ({e.Message}): PostgreSQL tests skipped";
            }
        }
        if (Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            throw new InvalidOperationException($"{RequireVariable}=1 but {reason}");
        }
        return reason;
    }

    /// <summary>Skips the calling test (a SkippableFact/SkippableTheory, also from its fixture's InitializeAsync) without a server.</summary>
    public static void SkipUnlessAvailable() => Skip.If(SkipReason is not null, SkipReason);

    private static string Admin(string server) => new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString;

    /// <summary>A new empty database on the server; answers its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var server = Server ?? throw new InvalidOperationException($"{ServerVariable} is not set");
        var name = $"msme_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(Admin(server)))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    /// <summary>Drops the database (closing whatever connections are still open on it).</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        await using (var pooled = new NpgsqlConnection(connectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }
        await using var connection = new NpgsqlConnection(Admin(connectionString));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{builder.Database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>Which store a test runs on.</summary>
public enum TestProvider
{
    Sqlite,
    PostgreSql,
}
