using System.Diagnostics;
using Microsoft.Data.Sqlite;
using OrderKit.Persistence.Sql;
using SQLitePCL;

namespace OrderKit.Sqlite;

/// <summary>
/// Row statements on the store's writer connection, driven through SQLite's own interface: each text prepared once,
/// values bound by position (strings as UTF-16, which SQLite converts itself; documents already UTF-8), stepped and
/// reset. Microsoft.Data.Sqlite would look each parameter up by name and convert every string in .NET on each run.
/// </summary>
/// <remarks>
/// The statements run in whatever transaction the connection has open, as the connection's commands do. One that
/// meets a lock (another process's writer, before this connection holds the write lock) is run again until the
/// connection's default timeout has passed, as Microsoft.Data.Sqlite's commands are; then the error is thrown.
/// </remarks>
internal sealed class SqliteRowStatements(SqliteConnection connection) : RowStatements
{
    private readonly Dictionary<string, sqlite3_stmt> _statements = new(StringComparer.Ordinal);

    public override int Execute(string sql, ReadOnlySpan<object?> values)
    {
        sqlite3 db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is closed.");
        sqlite3_stmt statement = Statement(db, sql, values.Length);
        try
        {
            for (int i = 0; i < values.Length; i++)
            {
                Check(Bind(statement, i + 1, values[i]), db);
            }

            int rc = raw.sqlite3_step(statement);
            if (rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED)
            {
                rc = StepWhileLocked(statement, rc);
            }

            if (rc is not (raw.SQLITE_DONE or raw.SQLITE_ROW))
            {
                Check(rc, db);
            }

            return raw.sqlite3_changes(db);
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    public override void Dispose()
    {
        foreach (sqlite3_stmt statement in _statements.Values)
        {
            statement.Dispose();
        }

        _statements.Clear();
    }

    private sqlite3_stmt Statement(sqlite3 db, string sql, int count)
    {
        if (_statements.TryGetValue(sql, out sqlite3_stmt? statement))
        {
            return statement;
        }

        int rc = raw.sqlite3_prepare_v3(db, sql, raw.SQLITE_PREPARE_PERSISTENT, out statement);
        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            Check(rc, db);
        }

        int placeholders = raw.sqlite3_bind_parameter_count(statement);
        if (placeholders != count)
        {
            statement.Dispose();
            throw new InvalidOperationException($"The statement has {placeholders} placeholders and {count} values were given: {sql}");
        }

        _statements[sql] = statement;
        return statement;
    }

    private static int Bind(sqlite3_stmt statement, int index, object? value) => value switch
    {
        null => raw.sqlite3_bind_null(statement, index),
        string text => raw.sqlite3_bind_text16(statement, index, text),
        long number => raw.sqlite3_bind_int64(statement, index, number),
        int number => raw.sqlite3_bind_int64(statement, index, number),
        byte[] utf8 => raw.sqlite3_bind_text(statement, index, utf8),
        _ => throw new ArgumentException($"A row statement cannot bind a {value.GetType().Name} (placeholder {index}).", nameof(value)),
    };

    /// <summary>Steps again while another connection holds the lock, up to the connection's default timeout.</summary>
    private int StepWhileLocked(sqlite3_stmt statement, int rc)
    {
        long deadline = Stopwatch.GetTimestamp() + (connection.DefaultTimeout * Stopwatch.Frequency);
        while (rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED && Stopwatch.GetTimestamp() < deadline)
        {
            raw.sqlite3_reset(statement);
            Thread.Sleep(1);
            rc = raw.sqlite3_step(statement);
        }

        return rc;
    }

    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }
}
