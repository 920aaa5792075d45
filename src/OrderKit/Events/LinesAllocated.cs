using NodaTime;
using OrderKit.Orders;

namespace OrderKit.Events;

/// <summary>Stock was allocated to lines of the order, or units were put on backorder.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="Allocations">What was allocated or backordered, per line.</param>
public sealed record LinesAllocated(OrderId OrderId, int Sequence, Instant OccurredAt, IReadOnlyList<LineAllocation> Allocations)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => string.Join(", ", Allocations);
}
