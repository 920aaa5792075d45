using NodaTime;
using OrderKit.Orders;

namespace OrderKit.Events;

/// <summary>A shipment was handed to the carrier; tell the customer how to follow it.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ShipmentNumber">The shipment.</param>
/// <param name="Location">The location it left.</param>
/// <param name="Lines">The units shipped.</param>
/// <param name="CarrierCode">The carrier's code; null when shipped without a label.</param>
/// <param name="TrackingNumber">The tracking number; null when shipped without a label.</param>
/// <param name="TrackingUrl">Where the customer follows the parcel; null when there is no such page.</param>
public sealed record ShipmentShipped(OrderId OrderId, int Sequence, Instant OccurredAt, int ShipmentNumber, LocationId Location, IReadOnlyList<LineQuantity> Lines, string? CarrierCode, string? TrackingNumber, Uri? TrackingUrl)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"#{ShipmentNumber} from {Location}" + (TrackingNumber is null ? string.Empty : $" {CarrierCode} {TrackingNumber}");
}
