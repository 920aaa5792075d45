using NodaTime;

namespace OrderKit.Events;

/// <summary>A customer was made good without sending anything back: goodwill, or a shipment lost or damaged in transit.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ClaimNumber">The claim's number within the order.</param>
/// <param name="Kind">Why.</param>
/// <param name="ShipmentNumber">The shipment it is about, if any.</param>
/// <param name="Resolution">How the customer was made good.</param>
/// <param name="Amount">How much was refunded or credited.</param>
/// <param name="NewOrderId">The order sending replacement units, if any.</param>
public sealed record ClaimRecorded(OrderId OrderId, int Sequence, Instant OccurredAt, int ClaimNumber, Returns.ClaimKind Kind, int? ShipmentNumber, Returns.ReturnResolutionKind Resolution, Money Amount, OrderId? NewOrderId)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() =>
        $"#{ClaimNumber} {Kind}" + (ShipmentNumber is { } n ? $" (shipment #{n})" : string.Empty) + $": {Resolution} {Amount}" + (NewOrderId is { } id ? $", new order {id}" : string.Empty);
}
