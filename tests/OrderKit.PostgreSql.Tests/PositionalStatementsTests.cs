using OrderKit.Persistence.Sql;

namespace OrderKit.PostgreSql.Tests;

/// <summary>The named SQL the engine writes, turned into statements with positional placeholders; no server needed.</summary>
public sealed class PositionalStatementsTests
{
    [Fact]
    public void EachStatement_NumbersItsOwnParameters_InTheOrderItFirstNamesThem()
    {
        PositionalStatements.Statement[] statements = PositionalStatements.Of(
            "UPDATE t SET a = @a, b = @b WHERE a = @a; INSERT INTO u (x, y) VALUES (@y, @x), (@x2, @y2);COMMIT;");

        Assert.Equal(3, statements.Length);
        Assert.Equal("UPDATE t SET a = $1, b = $2 WHERE a = $1", statements[0].Text);
        Assert.Equal(["a", "b"], statements[0].Parameters);
        Assert.Equal("INSERT INTO u (x, y) VALUES ($1, $2), ($3, $4)", statements[1].Text);
        Assert.Equal(["y", "x", "x2", "y2"], statements[1].Parameters);
        Assert.Equal("COMMIT", statements[2].Text);
        Assert.Empty(statements[2].Parameters);
    }

    [Fact]
    public void QuotedText_IsLeftAlone_WithItsSemicolonsAndAts()
    {
        PositionalStatements.Statement[] statements = PositionalStatements.Of(
            "SELECT 'a;b @c', 'it''s @d' FROM t WHERE s IN ('Confirmed', 'Allocated') AND id = @id::text");

        PositionalStatements.Statement only = Assert.Single(statements);
        Assert.Equal("SELECT 'a;b @c', 'it''s @d' FROM t WHERE s IN ('Confirmed', 'Allocated') AND id = $1::text", only.Text);
        Assert.Equal(["id"], only.Parameters);
    }

    [Fact]
    public void AStatementNamingAParameterNotGiven_IsRefused_WithTheName()
    {
        using var connection = new Npgsql.NpgsqlConnection();
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(
            () => PositionalStatements.Batch(connection, null!, "SELECT @present, @missing", [("present", 1)]));
        Assert.Contains("@missing", error.Message, StringComparison.Ordinal);
    }
}
