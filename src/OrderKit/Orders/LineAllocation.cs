using System.Globalization;

namespace OrderKit.Orders;

/// <summary>What an allocation decided for one order line: units that get stock now, where from, and units put on backorder.</summary>
/// <remarks>
/// <para><see cref="Allocated"/> units are taken from the line's units awaiting allocation first, then from its
/// backordered units (filling the backorder). <see cref="Backordered"/> units are taken from the units still awaiting
/// allocation after that.</para>
/// <para>With a <see cref="Location"/>, the allocated units are recorded on the line as coming from there
/// (<see cref="OrderLine.AllocatedAt"/>); when <see cref="ReservesStock"/> is also true, <see cref="OrderService"/>
/// reserves them in that location's stock in the same unit of work, and releases or ships them when the order gives
/// them up or ships them. One line may take several entries, one per location.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public readonly record struct LineAllocation
{
    /// <summary>Creates a line allocation that names no location.</summary>
    /// <param name="sku">The line's SKU.</param>
    /// <param name="allocated">The number of units that get stock now; zero or more.</param>
    /// <param name="backordered">The number of units put on backorder; zero or more.</param>
    /// <exception cref="ArgumentException"><paramref name="sku"/> is the default value, a number is negative, or both are zero.</exception>
    public LineAllocation(Sku sku, int allocated, int backordered)
        : this(sku, allocated, backordered, null, reservesStock: false)
    {
    }

    /// <summary>Creates a line allocation whose allocated units come from a location.</summary>
    /// <param name="sku">The line's SKU.</param>
    /// <param name="allocated">The number of units that get stock now; zero or more.</param>
    /// <param name="backordered">The number of units put on backorder; zero or more.</param>
    /// <param name="location">Where the allocated units come from; null for nowhere in particular.</param>
    /// <param name="reservesStock">Whether the units are reserved in the location's counted stock (false for an untracked SKU or a dropship supplier).</param>
    /// <exception cref="ArgumentException"><paramref name="sku"/> or <paramref name="location"/> is the default value, a number is negative, or both are zero.</exception>
    public LineAllocation(Sku sku, int allocated, int backordered, LocationId? location, bool reservesStock = true)
    {
        if (sku.IsDefault)
        {
            throw new ArgumentException("A line allocation needs a SKU.", nameof(sku));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(allocated);
        ArgumentOutOfRangeException.ThrowIfNegative(backordered);
        if (allocated == 0 && backordered == 0)
        {
            throw new ArgumentException($"The allocation for {sku} allocates and backorders nothing; at least one unit is required.", nameof(allocated));
        }

        if (location is { IsDefault: true })
        {
            throw new ArgumentException($"The allocation for {sku} names the default location; pass null for none.", nameof(location));
        }

        Sku = sku;
        Allocated = allocated;
        Backordered = backordered;
        Location = allocated > 0 ? location : null;
        ReservesStock = Location is not null && reservesStock;
    }

    /// <summary>Gets the line's SKU.</summary>
    public Sku Sku { get; }

    /// <summary>Gets the number of units that get stock now.</summary>
    public int Allocated { get; }

    /// <summary>Gets the number of units put on backorder.</summary>
    public int Backordered { get; }

    /// <summary>Gets where the allocated units come from, if a location was named.</summary>
    public LocationId? Location { get; }

    /// <summary>Gets whether the allocated units are reserved in <see cref="Location"/>'s counted stock.</summary>
    public bool ReservesStock { get; }

    /// <summary>Returns the allocation, such as <c>MUG-RED: 2 allocated at WH-1, 1 backordered</c>.</summary>
    /// <returns>The allocation as text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Sku}: {Allocated} allocated{(Location is { } at ? $" at {at}" : string.Empty)}{(Location is not null && !ReservesStock ? " (not reserved)" : string.Empty)}, {Backordered} backordered");
}
