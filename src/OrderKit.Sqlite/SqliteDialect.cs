using System.Data.Common;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;
using OrderKit.Persistence;
using OrderKit.Persistence.Sql;

namespace OrderKit.Sqlite;

/// <summary>SQLite: instants as integer ticks since the Unix epoch (exact to 100 ns), dates as ISO text, JSON as text.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    public const int Busy = 5;
    public const int Locked = 6;
    public const int NotADatabase = 26;

    public static readonly SqliteDialect Instance = new();

    public override string Tables => "orderkit_";

    public override string Json(string parameter) => parameter;

    public override bool WritesStagedRows => true;

    // Each cell's rows are chained from the cell, newest first (migration 4): walk the chains of the SKU's cells. Each
    // step goes to a smaller sequence, so a damaged chain ends instead of going round.
    public override string LedgerOfSku(string columns) => ChainsOfSku(columns, walkWhile: string.Empty, keep: string.Empty);

    // Each cell's chain is walked from its newest movement and left after the first one older than the bound.
    public override string LedgerOfSkuSince(string columns) => ChainsOfSku(columns, walkWhile: " AND p.occurred_at >= @bound", keep: " WHERE l.occurred_at >= @since");

    /// <summary>Walks the chain of each of the SKU's cells back from its newest movement, while a condition on the movement holds, and returns the movements kept, oldest first.</summary>
    private string ChainsOfSku(string columns, string walkWhile, string keep) =>
        "WITH RECURSIVE chain (sequence) AS (" +
        $"SELECT last_sequence FROM {Tables}stock WHERE sku = @sku AND last_sequence IS NOT NULL " +
        $"UNION ALL SELECT p.previous FROM {Tables}ledger p JOIN chain c ON p.sequence = c.sequence WHERE p.previous < p.sequence{walkWhile}) " +
        $"SELECT {columns} FROM chain c JOIN {Tables}ledger l ON l.sequence = c.sequence{keep} ORDER BY l.sequence";

    public override object ToDb(Instant instant) => instant.ToUnixTimeTicks();

    public override Instant ReadInstant(DbDataReader reader, int ordinal) => Instant.FromUnixTimeTicks(reader.GetInt64(ordinal));

    public override object ToDb(LocalDate date) => LocalDatePattern.Iso.Format(date);

    public override LocalDate ReadDate(DbDataReader reader, int ordinal) =>
        LocalDatePattern.Iso.Parse(reader.GetString(ordinal)) is { Success: true } parsed
            ? parsed.Value
            : throw new StoredDataException("an expected arrival", $"its date \"{reader.GetString(ordinal)}\" is not an ISO date.");

    public override Exception? Translate(DbException error) => error is SqliteException sqlite ? sqlite.SqliteErrorCode switch
    {
        Busy or Locked => new TransientStoreException($"The SQLite database was busy with another writer for longer than the busy timeout; nothing was applied ({sqlite.Message}).", error),
        NotADatabase => new StoredDataException("the SQLite file", "it is not a database.", error),
        _ => null,
    } : null;
}
