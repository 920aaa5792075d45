using NodaTime;
using OrderKit.Orders;

namespace OrderKit.Events;

/// <summary>The order moved from one status to another.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="From">The status before.</param>
/// <param name="To">The status after.</param>
public sealed record OrderStatusChanged(OrderId OrderId, int Sequence, Instant OccurredAt, OrderStatus From, OrderStatus To)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"{From} -> {To}";
}
