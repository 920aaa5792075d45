using NodaTime;

namespace OrderKit.Events;

/// <summary>The order has a delivery promise: the moment it must ship by and, when the transit time is known, the day it should arrive.</summary>
/// <remarks>
/// <para>Recorded once, at the order's first allocation (see <c>docs/delivery-promise.md</c>); a good moment to tell
/// the customer when to expect the parcel.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ShipBy">The moment the order must be with the carrier: the earliest of its locations' ship-by moments.</param>
/// <param name="PromisedDeliveryDate">The promised delivery date: the one placed with the order, or the latest its locations and shipping method estimate; null when neither is known.</param>
public sealed record DeliveryPromised(OrderId OrderId, int Sequence, Instant OccurredAt, Instant ShipBy, LocalDate? PromisedDeliveryDate)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() =>
        PromisedDeliveryDate is { } date ? $"ship by {ShipBy}, deliver by {date:uuuu-MM-dd}" : $"ship by {ShipBy}";
}
