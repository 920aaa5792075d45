using NodaTime;
using OrderKit.Orders;

namespace OrderKit.Events;

/// <summary>Shipped units reached the customer.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="Lines">The units delivered, per line.</param>
public sealed record LinesDelivered(OrderId OrderId, int Sequence, Instant OccurredAt, IReadOnlyList<LineQuantity> Lines)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => string.Join(", ", Lines);
}
