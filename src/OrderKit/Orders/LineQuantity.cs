namespace OrderKit.Orders;

/// <summary>A number of units of one order line, as shipped or delivered.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="Sku">The line's SKU.</param>
/// <param name="Quantity">The number of units.</param>
public readonly record struct LineQuantity(Sku Sku, Quantity Quantity)
{
    /// <summary>Returns the quantity and SKU, such as <c>2 x MUG-RED</c>.</summary>
    /// <returns>The line quantity as text.</returns>
    public override string ToString() => $"{Quantity} x {Sku}";
}
