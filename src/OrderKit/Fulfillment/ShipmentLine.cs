using System.Globalization;

namespace OrderKit.Fulfillment;

/// <summary>The units of one SKU in a shipment: how many it carries, and how many have been picked and packed.</summary>
/// <param name="Sku">The SKU.</param>
/// <param name="Quantity">The units the shipment carries; at least one.</param>
/// <param name="Picked">The units picked from the shelf so far; at most <paramref name="Quantity"/>.</param>
/// <param name="Packed">The units packed into parcels; at most <paramref name="Picked"/>. Once packed, the shipment carries exactly these.</param>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public readonly record struct ShipmentLine(Sku Sku, int Quantity, int Picked, int Packed)
{
    /// <summary>Returns the line, such as <c>3 x MUG (picked 3, packed 0)</c>.</summary>
    /// <returns>The line as text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Quantity} x {Sku} (picked {Picked}, packed {Packed})");
}
