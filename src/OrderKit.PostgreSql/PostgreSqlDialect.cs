using System.Data.Common;
using Npgsql;
using NodaTime;
using OrderKit.Persistence;
using OrderKit.Persistence.Sql;

namespace OrderKit.PostgreSql;

/// <summary>PostgreSQL: instants as <c>timestamptz</c> (exact to the microsecond), dates as <c>date</c>, documents as <c>json</c>.</summary>
internal sealed class PostgreSqlDialect(string schema) : SqlDialect
{
    public override string Tables { get; } = schema + ".";

    public override string Json(string parameter) => parameter + "::json";

    // A json value keeps the text it was given, so its text compares exactly.
    public override string JsonAsText(string column) => column + "::text";

    // The database's collation may follow a language; "C" compares bytes, which for UTF-8 is code point order.
    public override string Ordinal(string column) => column + " COLLATE \"C\"";

    public override string SkipLocked => " FOR UPDATE SKIP LOCKED";

    public override bool CommitsWithWrites => true;

    public override bool KeepsStockCatalog => true;

    // Npgsql rewrites named placeholders, and splits the statements, of every command it runs.
    public override bool SendsPositionalBatches => true;

    // NodaTime's instants reach further than DateTime's; the ends of DateTime's range stand for "before" and "after
    // everything" (Npgsql sends them as -infinity and infinity), so a window from Instant.MinValue still compares.
    private static readonly Instant s_earliest = Instant.FromDateTimeUtc(DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc));
    private static readonly Instant s_latest = Instant.FromDateTimeUtc(DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc));

    public override object ToDb(Instant instant) =>
        instant <= s_earliest ? DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc)
        : instant >= s_latest ? DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc)
        : instant.ToDateTimeUtc();

    public override Instant ReadInstant(DbDataReader reader, int ordinal) => Instant.FromDateTimeUtc(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));

    public override object ToDb(LocalDate date) => date.ToDateOnly();

    public override LocalDate ReadDate(DbDataReader reader, int ordinal) => LocalDate.FromDateOnly(reader.GetFieldValue<DateOnly>(ordinal));

    public override Exception? Translate(DbException error) => error is PostgresException postgres ? postgres.SqlState switch
    {
        PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable =>
            new TransientStoreException($"PostgreSQL refused the unit of work for now ({postgres.SqlState}: {postgres.MessageText}); nothing was applied.", error),
        _ => null,
    } : null;
}
