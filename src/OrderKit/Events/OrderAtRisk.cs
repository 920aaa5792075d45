using NodaTime;

namespace OrderKit.Events;

/// <summary>The order's ship-by moment passed with units still to ship: its delivery promise is at risk.</summary>
/// <remarks>
/// <para>Raised once per order, by <see cref="Orders.OrderService.FindOrdersAtRiskAsync"/>.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it was noticed.</param>
/// <param name="ShipBy">The ship-by moment that passed.</param>
/// <param name="UnshippedUnits">The units not shipped when it was noticed.</param>
public sealed record OrderAtRisk(OrderId OrderId, int Sequence, Instant OccurredAt, Instant ShipBy, int UnshippedUnits)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"{UnshippedUnits} unit(s) not shipped by {ShipBy}";
}
