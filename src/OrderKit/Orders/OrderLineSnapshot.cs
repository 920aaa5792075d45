namespace OrderKit.Orders;

/// <summary>The stored form of an order line: its SKU, price and quantities.</summary>
/// <remarks>
/// <para>Part of <see cref="OrderSnapshot"/>. The quantities follow the rules of <see cref="OrderLine"/>;
/// <see cref="Order.FromSnapshot"/> checks them.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed record OrderLineSnapshot
{
    /// <summary>Gets the SKU.</summary>
    public required Sku Sku { get; init; }

    /// <summary>Gets the price of one unit.</summary>
    public required Money UnitPrice { get; init; }

    /// <summary>Gets the number of units ordered.</summary>
    public required int Ordered { get; init; }

    /// <summary>Gets the number of units cancelled.</summary>
    public int Cancelled { get; init; }

    /// <summary>Gets the number of open units with stock allocated.</summary>
    public int Allocated { get; init; }

    /// <summary>Gets the number of open units waiting for stock.</summary>
    public int Backordered { get; init; }

    /// <summary>Gets the number of units shipped.</summary>
    public int Shipped { get; init; }

    /// <summary>Gets the number of units delivered.</summary>
    public int Delivered { get; init; }

    /// <summary>Gets the number of units returned.</summary>
    public int Returned { get; init; }

    /// <summary>Gets where allocated units come from; empty when no allocation named a location.</summary>
    public IReadOnlyList<AllocatedStock> AllocatedAt { get; init; } = [];
}
