using NodaTime;
using OrderKit.Fulfillment;

namespace OrderKit.Events;

/// <summary>A shipment's label was voided; the shipment is packed and awaits a new label.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ShipmentNumber">The shipment.</param>
/// <param name="Label">The label voided.</param>
public sealed record ShipmentLabelVoided(OrderId OrderId, int Sequence, Instant OccurredAt, int ShipmentNumber, ShippingLabel Label)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"#{ShipmentNumber}: {Label}";
}
