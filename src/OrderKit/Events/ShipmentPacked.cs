using NodaTime;
using OrderKit.Fulfillment;

namespace OrderKit.Events;

/// <summary>A shipment was packed into parcels.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ShipmentNumber">The shipment.</param>
/// <param name="Parcels">The parcels, with their contents.</param>
public sealed record ShipmentPacked(OrderId OrderId, int Sequence, Instant OccurredAt, int ShipmentNumber, IReadOnlyList<Parcel> Parcels)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"#{ShipmentNumber}: {Parcels.Count} parcel(s)";
}
