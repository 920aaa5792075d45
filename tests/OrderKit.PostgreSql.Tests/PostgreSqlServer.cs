using Npgsql;

namespace OrderKit.PostgreSql.Tests;

/// <summary>The PostgreSQL server the tests use: the connection string in <c>ORDERKIT_PG</c>.</summary>
/// <remarks>
/// <c>.ci/run</c> starts a throwaway server and sets the variable. On a developer's machine without it, the tests
/// skip with a message saying how to start one; when <c>CI=true</c> they never skip, so a missing server fails the run.
/// </remarks>
internal static class PostgreSqlServer
{
    public const string Variable = "ORDERKIT_PG";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string? SkipReason => ConnectionString is null && !InCi
        ? $"No PostgreSQL server: set {Variable} to a connection string (for example \"Host=127.0.0.1;Port=54329;Username=postgres;Database=postgres\"), or run .ci/run, which starts one."
        : null;

    public static NpgsqlDataSource CreateDataSource() =>
        NpgsqlDataSource.Create(ConnectionString ?? throw new InvalidOperationException($"CI=true but {Variable} is not set: .ci/run must start PostgreSQL and export {Variable}."));

    /// <summary>A schema name no other test uses.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>Drops the schemas a test made, once it is done, so that runs leave nothing behind on a server that outlives them.</summary>
    public static void DropSchemas(NpgsqlDataSource dataSource, IEnumerable<string> schemas)
    {
        string[] names = [.. schemas];
        if (names.Length > 0)
        {
            using NpgsqlCommand drop = dataSource.CreateCommand(string.Join("; ", names.Select(name => $"DROP SCHEMA IF EXISTS {name} CASCADE")));
            drop.ExecuteNonQuery();
        }
    }
}

/// <summary>A fact that needs PostgreSQL: skipped without a server on a developer's machine, never in CI.</summary>
public sealed class PostgreSqlFactAttribute : FactAttribute
{
    public PostgreSqlFactAttribute() => Skip = PostgreSqlServer.SkipReason;
}

/// <summary>A theory that needs PostgreSQL: skipped without a server on a developer's machine, never in CI.</summary>
public sealed class PostgreSqlTheoryAttribute : TheoryAttribute
{
    public PostgreSqlTheoryAttribute() => Skip = PostgreSqlServer.SkipReason;
}
