using NodaTime;

namespace OrderKit.Events;

/// <summary>A shipment was moved to another location: its units were reserved there and released where they were.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ShipmentNumber">The shipment.</param>
/// <param name="From">The location it left.</param>
/// <param name="To">The location it ships from now.</param>
public sealed record ShipmentMoved(OrderId OrderId, int Sequence, Instant OccurredAt, int ShipmentNumber, LocationId From, LocationId To)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"#{ShipmentNumber}: {From} -> {To}";
}
