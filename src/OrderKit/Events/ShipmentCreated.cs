using NodaTime;
using OrderKit.Orders;

namespace OrderKit.Events;

/// <summary>A shipment was made for units allocated at one location.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ShipmentNumber">The shipment's number within the order.</param>
/// <param name="Location">The location the units leave from.</param>
/// <param name="Lines">The units it carries.</param>
public sealed record ShipmentCreated(OrderId OrderId, int Sequence, Instant OccurredAt, int ShipmentNumber, LocationId Location, IReadOnlyList<LineQuantity> Lines)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"#{ShipmentNumber} @ {Location}: {string.Join(", ", Lines)}";
}
