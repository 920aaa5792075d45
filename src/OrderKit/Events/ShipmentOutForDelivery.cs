using NodaTime;

namespace OrderKit.Events;

/// <summary>A shipment is out for delivery, or waiting at a pickup point; tell the customer.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ShipmentNumber">The shipment.</param>
/// <param name="TrackingNumber">The tracking number, when there is one.</param>
/// <param name="TrackingUrl">Where the customer follows the parcel, when there is such a page.</param>
public sealed record ShipmentOutForDelivery(OrderId OrderId, int Sequence, Instant OccurredAt, int ShipmentNumber, string? TrackingNumber, Uri? TrackingUrl)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"#{ShipmentNumber}";
}
