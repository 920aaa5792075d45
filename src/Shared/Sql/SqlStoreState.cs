using OrderKit.Inventory;

namespace OrderKit.Persistence.Sql;

/// <summary>What a SQL store's units of work share: the locations known to be committed, the locations and policies last parsed, and when to sweep expired idempotency records.</summary>
internal sealed class SqlStoreState
{
    /// <summary>Commits between sweeps of expired idempotency records.</summary>
    public const int CommitsPerSweep = 1_000;

    /// <summary>Records deleted by one sweep at most, so that a sweep never makes a commit wait long.</summary>
    public const int RecordsPerSweep = 500;

    private long _commits = -1;

    public KnownLocations Locations { get; } = new();

    /// <summary>Gets the stock a checkout may plan from without reading; null where the store reads every time.</summary>
    public SeenStock? Seen { get; init; }

    public ParsedDocuments<StockLocation> LocationDocuments { get; } = new(static (id, document) => OrderKitJson.DeserializeLocation(document, "stock location " + id));

    public ParsedDocuments<InventoryPolicy> PolicyDocuments { get; } = new(static (sku, document) => OrderKitJson.DeserializePolicy(document, "the policy of " + sku));

    /// <summary>Counts a commit about to happen; true on the first and then on every <see cref="CommitsPerSweep"/>th.</summary>
    public bool SweepDue() => Interlocked.Increment(ref _commits) % CommitsPerSweep == 0;
}
