using System.Data.Common;
using NodaTime;

namespace OrderKit.Persistence.Sql;

/// <summary>What differs between the SQL databases OrderKit stores in: how instants, dates and JSON are written, and which errors mean what.</summary>
internal abstract class SqlDialect
{
    /// <summary>The most SKUs a kept stock read is for; an order with more lines has its text made each time.</summary>
    internal const int StockReadsKept = 32;

    private StagedRowSql? _rowSql;

    // Each entry is made whole before it is stored, and a reference is stored at once, so threads share them safely.
    private readonly StockRead?[] _stockReads = new StockRead?[StockReadsKept];

    /// <summary>Gets the prefix of every table name, such as <c>orderkit_</c> or <c>"orderkit".</c>.</summary>
    public abstract string Tables { get; }

    /// <summary>Gets the SQL expression that turns a text parameter into the JSON column's type.</summary>
    public abstract string Json(string parameter);

    /// <summary>Gets the SQL expression for a JSON column's stored text, to compare it with text exactly.</summary>
    public virtual string JsonAsText(string column) => column;

    /// <summary>Gets the SQL expression for a text column compared and sorted by code point, as <see cref="OrderId"/> compares (ordinal).</summary>
    public virtual string Ordinal(string column) => column;

    /// <summary>Gets whether statements go as a batch of one command each with positional placeholders (see <see cref="PositionalStatements"/>) rather than as one command with named ones. Worth it where the driver would rewrite named placeholders on every run.</summary>
    public virtual bool SendsPositionalBatches => false;

    /// <summary>
    /// Gets whether the staged writes go one row per statement through the <see cref="RowStatements"/> of the writer's
    /// connection, bound by position, with documents as UTF-8. Worth it for an embedded database, where binding by name
    /// and building each unit of work's SQL text cost more than the writes.
    /// </summary>
    public virtual bool WritesStagedRows => false;

    /// <summary>The read of several SKUs' stock for a number of SKUs; made once per count up to <see cref="StockReadsKept"/>.</summary>
    internal StockRead StockReadFor(int count)
    {
        if (count <= StockReadsKept && _stockReads[count - 1] is { } kept)
        {
            return kept;
        }

        StockRead made = StockRead.For(Tables, count, KeepsStockCatalog);
        if (count <= StockReadsKept)
        {
            _stockReads[count - 1] = made;
        }

        return made;
    }

    /// <summary>Gets the statements of one row each that staged writes go as, where <see cref="WritesStagedRows"/>; made once per dialect.</summary>
    internal StagedRowSql RowSql => _rowSql ??= StagedRowSql.For(this);

    /// <summary>Gets whether a commit may travel in the same command as the staged writes, with guards that fail the transaction when a write does not apply, so that nothing after them, the commit least of all, runs.</summary>
    public virtual bool CommitsWithWrites => false;

    /// <summary>
    /// Gets whether the schema has the stock catalog's version (<c>stock_catalog</c>): counted up by every change to a
    /// policy, an expected arrival or a location, read with the stock, and checked by the commit of a unit of work that
    /// planned from the stock as last seen (<see cref="SeenStock"/>).
    /// </summary>
    public virtual bool KeepsStockCatalog => false;

    /// <summary>Gets what a subquery appends to lock the rows it picks and pass over those another transaction holds; empty where the database has one writer anyway.</summary>
    public virtual string SkipLocked => string.Empty;

    /// <summary>
    /// Gets the query for one SKU's ledger rows, with the columns <paramref name="columns"/> (each prefixed <c>l.</c>),
    /// in sequence order, the SKU as <c>@sku</c>. By default an index by SKU finds them.
    /// </summary>
    public virtual string LedgerOfSku(string columns) => $"SELECT {columns} FROM {Tables}ledger l WHERE l.sku = @sku ORDER BY l.sequence";

    /// <summary>
    /// Gets the query for a SKU's movements since <c>@since</c>, oldest first, that reads back from the newest and stops
    /// at the first movement older than <c>@bound</c> (an hour before, since sequences follow commits and moments the
    /// commands' clocks). The default walks the index by SKU and sequence backward to that movement, then reads forward.
    /// </summary>
    public virtual string LedgerOfSkuSince(string columns) =>
        $"SELECT {columns} FROM {Tables}ledger l WHERE l.sku = @sku AND l.sequence >= " +
        $"COALESCE((SELECT o.sequence FROM {Tables}ledger o WHERE o.sku = @sku AND o.occurred_at < @bound ORDER BY o.sequence DESC LIMIT 1), 0) " +
        "AND l.occurred_at >= @since ORDER BY l.sequence";

    public abstract object ToDb(Instant instant);

    public abstract Instant ReadInstant(DbDataReader reader, int ordinal);

    public abstract object ToDb(LocalDate date);

    public abstract LocalDate ReadDate(DbDataReader reader, int ordinal);

    /// <summary>Returns the exception to throw for a database error: a <see cref="TransientStoreException"/> for one that passes, or null to let it through.</summary>
    public abstract Exception? Translate(DbException error);
}
