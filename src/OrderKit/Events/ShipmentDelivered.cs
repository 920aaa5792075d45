using NodaTime;

namespace OrderKit.Events;

/// <summary>A shipment was delivered; its units count as delivered on the order.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ShipmentNumber">The shipment.</param>
/// <param name="DeliveredAt">When the carrier says it was delivered.</param>
public sealed record ShipmentDelivered(OrderId OrderId, int Sequence, Instant OccurredAt, int ShipmentNumber, Instant DeliveredAt)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"#{ShipmentNumber} at {DeliveredAt}";
}
