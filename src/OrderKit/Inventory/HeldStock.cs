using System.Globalization;

namespace OrderKit.Inventory;

/// <summary>Units of one SKU reserved at one location by a cart hold.</summary>
/// <param name="Sku">The SKU.</param>
/// <param name="Location">The location the units are reserved at.</param>
/// <param name="Quantity">The number of units; at least one.</param>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public readonly record struct HeldStock(Sku Sku, LocationId Location, int Quantity)
{
    /// <summary>Returns the units, such as <c>2 x MUG-RED @ WH-1</c>.</summary>
    /// <returns>The units as text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Quantity} x {Sku} @ {Location}");
}
