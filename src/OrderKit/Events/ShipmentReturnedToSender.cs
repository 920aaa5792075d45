using NodaTime;

namespace OrderKit.Events;

/// <summary>The carrier is bringing a shipment back to the shop.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ShipmentNumber">The shipment.</param>
/// <param name="Detail">The carrier's explanation, when it gave one.</param>
public sealed record ShipmentReturnedToSender(OrderId OrderId, int Sequence, Instant OccurredAt, int ShipmentNumber, string? Detail)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"#{ShipmentNumber}" + (Detail is null ? string.Empty : $" ({Detail})");
}
