using NodaTime;
using OrderKit.Fulfillment;

namespace OrderKit.Events;

/// <summary>The carrier said something about a shipment; the update was accepted (repeats are not).</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ShipmentNumber">The shipment.</param>
/// <param name="Update">The update.</param>
/// <param name="Status">The shipment's status once the update was applied.</param>
public sealed record ShipmentTracked(OrderId OrderId, int Sequence, Instant OccurredAt, int ShipmentNumber, TrackingUpdate Update, ShipmentStatus Status)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"#{ShipmentNumber}: {Update} -> {Status}";
}
