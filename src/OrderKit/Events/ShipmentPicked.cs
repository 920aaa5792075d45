using NodaTime;
using OrderKit.Orders;

namespace OrderKit.Events;

/// <summary>Units of a shipment were picked from the shelves.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ShipmentNumber">The shipment.</param>
/// <param name="Lines">The units picked so far, per SKU; fewer than the shipment carries when the shelf was short.</param>
public sealed record ShipmentPicked(OrderId OrderId, int Sequence, Instant OccurredAt, int ShipmentNumber, IReadOnlyList<LineQuantity> Lines)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"#{ShipmentNumber}: {string.Join(", ", Lines)}";
}
