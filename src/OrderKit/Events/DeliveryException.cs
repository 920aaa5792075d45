using NodaTime;
using OrderKit.Fulfillment;

namespace OrderKit.Events;

/// <summary>The carrier reports a problem delivering a shipment: a failed attempt, damage, an address it cannot find.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ShipmentNumber">The shipment.</param>
/// <param name="Reason">What the carrier reported.</param>
/// <param name="Detail">The carrier's explanation, when it gave one.</param>
public sealed record DeliveryException(OrderId OrderId, int Sequence, Instant OccurredAt, int ShipmentNumber, TrackingStatus Reason, string? Detail)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"#{ShipmentNumber}: {Reason}" + (Detail is null ? string.Empty : $" ({Detail})");
}
