using NodaTime;
using OrderKit.Orders;

namespace OrderKit.Events;

/// <summary>Units of a shipment were split off into a new shipment from the same location.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ShipmentNumber">The shipment split.</param>
/// <param name="NewShipmentNumber">The new shipment.</param>
/// <param name="Lines">The units moved to the new shipment.</param>
public sealed record ShipmentSplit(OrderId OrderId, int Sequence, Instant OccurredAt, int ShipmentNumber, int NewShipmentNumber, IReadOnlyList<LineQuantity> Lines)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"#{ShipmentNumber} -> #{NewShipmentNumber}: {string.Join(", ", Lines)}";
}
