using System.Globalization;

namespace OrderKit.Orders;

/// <summary>What an allocation decided for one order line: units that get stock now and units put on backorder.</summary>
/// <remarks>
/// <para><see cref="Allocated"/> units are taken from the line's units awaiting allocation first, then from its
/// backordered units (filling the backorder). <see cref="Backordered"/> units are taken from the units still awaiting
/// allocation after that.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public readonly record struct LineAllocation
{
    /// <summary>Creates a line allocation.</summary>
    /// <param name="sku">The line's SKU.</param>
    /// <param name="allocated">The number of units that get stock now; zero or more.</param>
    /// <param name="backordered">The number of units put on backorder; zero or more.</param>
    /// <exception cref="ArgumentException"><paramref name="sku"/> is the default value, a number is negative, or both are zero.</exception>
    public LineAllocation(Sku sku, int allocated, int backordered)
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

        Sku = sku;
        Allocated = allocated;
        Backordered = backordered;
    }

    /// <summary>Gets the line's SKU.</summary>
    public Sku Sku { get; }

    /// <summary>Gets the number of units that get stock now.</summary>
    public int Allocated { get; }

    /// <summary>Gets the number of units put on backorder.</summary>
    public int Backordered { get; }

    /// <summary>Returns the allocation, such as <c>MUG-RED: 2 allocated, 1 backordered</c>.</summary>
    /// <returns>The allocation as text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Sku}: {Allocated} allocated, {Backordered} backordered");
}
