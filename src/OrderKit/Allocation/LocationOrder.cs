namespace OrderKit.Allocation;

/// <summary>One way to put candidate locations in order; a strategy applies several in turn, each breaking the ties of the one before.</summary>
/// <remarks>
/// <para>The built-in orders (<see cref="Rank"/>, <see cref="Distance"/>, <see cref="MostStock"/>) run on precomputed
/// tables without allocating; an order made with <see cref="By"/> calls your function once per candidate location.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed class LocationOrder
{
    private LocationOrder(string name, LocationOrderKind kind, Func<LocationCandidate, double>? key)
    {
        Name = name;
        Kind = kind;
        Key = key;
    }

    /// <summary>Gets the order by <see cref="Inventory.StockLocation.Rank"/>: lower ranks first.</summary>
    public static LocationOrder Rank { get; } = new("rank", LocationOrderKind.Rank, null);

    /// <summary>Gets the order by distance to <see cref="AllocationRequest.DestinationPoint"/>: nearer first; every location ties when the request has no point or a location has no position.</summary>
    /// <remarks>Distances are ranked once per destination area of about 10 km and cached, so no trigonometry runs per order.</remarks>
    public static LocationOrder Distance { get; } = new("distance", LocationOrderKind.Distance, null);

    /// <summary>Gets the order by stock: more units of the order's SKUs available first, which keeps stock balanced across locations.</summary>
    public static LocationOrder MostStock { get; } = new("most stock", LocationOrderKind.MostStock, null);

    /// <summary>Gets the name used in explanations and in <see cref="ToString"/>.</summary>
    public string Name { get; }

    internal LocationOrderKind Kind { get; }

    internal Func<LocationCandidate, double>? Key { get; }

    /// <summary>Creates an order by a key of your own: lower keys first.</summary>
    /// <param name="name">A short name for explanations, such as <c>"shipping cost"</c>.</param>
    /// <param name="key">Returns the key of a candidate; called once per candidate per plan, so keep it cheap and free of I/O.</param>
    /// <returns>The order.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is blank.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public static LocationOrder By(string name, Func<LocationCandidate, double> key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(key);
        return new(name, LocationOrderKind.Custom, key);
    }

    /// <summary>Returns the name.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => Name;
}

/// <summary>The kinds of <see cref="LocationOrder"/>.</summary>
internal enum LocationOrderKind : byte
{
    Rank,
    Distance,
    MostStock,
    Custom,
}
