using NodaTime;
using OrderKit.Orders;

namespace OrderKit.Events;

/// <summary>Allocated units left their stock location.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="Lines">The units shipped, per line.</param>
public sealed record LinesShipped(OrderId OrderId, int Sequence, Instant OccurredAt, IReadOnlyList<LineQuantity> Lines)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => string.Join(", ", Lines);
}
