using NodaTime;
using OrderKit.Orders;

namespace OrderKit.Events;

/// <summary>A shipment was cancelled before it shipped; its units await allocation again.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ShipmentNumber">The shipment.</param>
/// <param name="Reason">Why.</param>
/// <param name="Lines">The units given back.</param>
public sealed record ShipmentCancelled(OrderId OrderId, int Sequence, Instant OccurredAt, int ShipmentNumber, string Reason, IReadOnlyList<LineQuantity> Lines)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"#{ShipmentNumber}: {Reason}";
}
