using System.Text;
using Microsoft.Data.Sqlite;

namespace OrderKit.Sqlite.Tests;

/// <summary>The positional row statements the store writes staged rows with, on a connection of their own.</summary>
public sealed class SqliteRowStatementsTests : IDisposable
{
    private const string Insert = "INSERT INTO t (a, b, c, d, e) VALUES (?1, ?2, ?3, ?4, ?5)";

    private readonly TempDatabase _database = new();
    private readonly SqliteConnection _connection;
    private readonly SqliteRowStatements _rows;

    public SqliteRowStatementsTests()
    {
        _connection = new SqliteConnection(_database.ConnectionString);
        _connection.Open();
        Run("PRAGMA journal_mode = WAL; CREATE TABLE t (a, b, c, d, e, n INTEGER NOT NULL DEFAULT 0 CHECK (n >= 0))");
        _rows = new SqliteRowStatements(_connection);
    }

    public void Dispose()
    {
        _rows.Dispose();
        _connection.Dispose();
        _database.Dispose();
    }

    [Fact]
    public void EachKindOfValue_IsBoundAsItsSqliteType_AndTextReadsBackExactly()
    {
        byte[] utf8 = Encoding.UTF8.GetBytes("{\"city\":\"Zürich\"}");

        Assert.Equal(1, _rows.Execute(Insert, [null, 7, 9_000_000_000L, "Åsa 日本", utf8]));

        using SqliteCommand read = _connection.CreateCommand();
        read.CommandText = "SELECT typeof(a), typeof(b), b, typeof(c), c, typeof(d), d, typeof(e), e FROM t";
        using SqliteDataReader reader = read.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("null", reader.GetString(0));
        Assert.Equal("integer", reader.GetString(1));
        Assert.Equal(7L, reader.GetInt64(2));
        Assert.Equal("integer", reader.GetString(3));
        Assert.Equal(9_000_000_000L, reader.GetInt64(4));
        Assert.Equal("text", reader.GetString(5));
        Assert.Equal("Åsa 日本", reader.GetString(6));
        Assert.Equal("text", reader.GetString(7));
        Assert.Equal("{\"city\":\"Zürich\"}", reader.GetString(8));
    }

    [Fact]
    public void AStatementRunAgain_TakesItsNewValues_AndReportsTheRowsItChanged()
    {
        for (int i = 0; i < 3; i++)
        {
            _rows.Execute(Insert, [i, null, null, null, null]);
        }

        Assert.Equal(2, _rows.Execute("UPDATE t SET n = n + ?1 WHERE a >= ?2", [5, 1]));
        Assert.Equal(0, _rows.Execute("UPDATE t SET n = n + ?1 WHERE a >= ?2", [5, 10]));
        Assert.Equal(10L, Scalar("SELECT sum(n) FROM t"));
    }

    [Fact]
    public void AValueOfAnotherType_IsRefused_NamingTheTypeAndPlaceholder_AndNothingIsWritten()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => _rows.Execute(Insert, [1, 2, 3.5m, null, null]));

        Assert.Contains("Decimal", error.Message, StringComparison.Ordinal);
        Assert.Contains("placeholder 3", error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, Scalar("SELECT count(*) FROM t"));

        // The statement is reset: its next run binds afresh.
        Assert.Equal(1, _rows.Execute(Insert, [1, 2, 3, null, null]));
    }

    [Fact]
    public void ValuesThatDoNotMatchThePlaceholders_AreRefused_WithTheStatement()
    {
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => _rows.Execute(Insert, [1, 2, 3]));

        Assert.Contains("5 placeholders and 3 values", error.Message, StringComparison.Ordinal);
        Assert.Contains(Insert, error.Message, StringComparison.Ordinal);
        Assert.Equal(0L, Scalar("SELECT count(*) FROM t"));
    }

    [Fact]
    public void SqlTheDatabaseCannotPrepare_ThrowsSqliteException_WithSqlitesMessage()
    {
        SqliteException error = Assert.Throws<SqliteException>(() => _rows.Execute("UPDATE nowhere SET x = ?1", [1]));

        Assert.Equal(1, error.SqliteErrorCode);
        Assert.Contains("no such table: nowhere", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AViolatedConstraint_ThrowsSqliteException_AndTheStatementStaysUsable()
    {
        _rows.Execute(Insert, [1, null, null, null, null]);

        SqliteException error = Assert.Throws<SqliteException>(() => _rows.Execute("UPDATE t SET n = n + ?1", [-1]));

        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal(0L, Scalar("SELECT n FROM t"));
        Assert.Equal(1, _rows.Execute("UPDATE t SET n = n + ?1", [4]));
        Assert.Equal(4L, Scalar("SELECT n FROM t"));
    }

    [Fact]
    public async Task AWriteLockHeldByAnotherConnection_IsWaitedFor_UpToTheDefaultTimeout()
    {
        using var other = new SqliteConnection(_database.ConnectionString);
        other.Open();
        using (SqliteCommand begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }

        // Released while the statement waits: it then runs.
        Task release = Task.Run(async () =>
        {
            await Task.Delay(300);
            using SqliteCommand commit = other.CreateCommand();
            commit.CommandText = "COMMIT";
            commit.ExecuteNonQuery();
        });
        Assert.Equal(1, _rows.Execute(Insert, [1, null, null, null, null]));
        await release;

        // Never released: the statement gives up after the timeout with SQLite's busy error.
        using (SqliteCommand begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            begin.ExecuteNonQuery();
        }

        _connection.DefaultTimeout = 1;
        SqliteException busy = Assert.Throws<SqliteException>(() => _rows.Execute(Insert, [2, null, null, null, null]));
        Assert.Equal(5, busy.SqliteErrorCode); // SQLITE_BUSY
        Assert.Equal(1L, Scalar("SELECT count(*) FROM t"));
    }

    [Fact]
    public void AClosedConnection_IsRefused()
    {
        _connection.Close();

        Assert.Throws<InvalidOperationException>(() => _rows.Execute(Insert, [1, null, null, null, null]));
    }

    private void Run(string sql)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
