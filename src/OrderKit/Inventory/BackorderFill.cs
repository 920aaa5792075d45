using System.Globalization;

namespace OrderKit.Inventory;

/// <summary>Units of a waiting order line filled from stock that arrived.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="Sku">The line's SKU.</param>
/// <param name="Location">Where the units were reserved.</param>
/// <param name="Quantity">The number of units filled.</param>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public readonly record struct BackorderFill(OrderId OrderId, Sku Sku, LocationId Location, int Quantity)
{
    /// <summary>Returns the fill, such as <c>ord-1: 2 x MUG-RED @ WH-1</c>.</summary>
    /// <returns>The fill as text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{OrderId}: {Quantity} x {Sku} @ {Location}");
}
