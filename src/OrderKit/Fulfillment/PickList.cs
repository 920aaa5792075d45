namespace OrderKit.Fulfillment;

/// <summary>What to take from the shelves of one location for one shipment.</summary>
/// <param name="OrderId">The order.</param>
/// <param name="ShipmentNumber">The shipment.</param>
/// <param name="Location">The location to pick at.</param>
/// <param name="Lines">One line per SKU, sorted by bin (lines without a bin last), then SKU.</param>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record PickList(OrderId OrderId, int ShipmentNumber, LocationId Location, IReadOnlyList<PickListLine> Lines)
{
    /// <summary>Returns the shipment and its lines on one line of text.</summary>
    /// <returns>The pick list as text.</returns>
    public override string ToString() => $"{OrderId} #{ShipmentNumber} @ {Location}: {string.Join("; ", Lines)}";
}
