using System.Globalization;

namespace OrderKit.Orders;

/// <summary>Where some of a line's allocated units come from: a location, how many, and whether stock is reserved for them there.</summary>
/// <param name="Location">The stock location (or dropship supplier) the units ship from.</param>
/// <param name="Quantity">The number of units; at least one.</param>
/// <param name="IsReserved">True when the units are reserved in the location's counted stock; false for units that
/// need no reservation (an untracked SKU, a dropship supplier).</param>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public readonly record struct AllocatedStock(LocationId Location, int Quantity, bool IsReserved)
{
    /// <summary>Returns the units, such as <c>2 @ WH-1</c> or <c>2 @ SUPPLIER (not reserved)</c>.</summary>
    /// <returns>The units as text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Quantity} @ {Location}{(IsReserved ? string.Empty : " (not reserved)")}");
}
