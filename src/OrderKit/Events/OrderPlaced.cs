using NodaTime;

namespace OrderKit.Events;

/// <summary>An order was placed.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="CustomerId">The customer who placed it.</param>
/// <param name="Channel">The sales channel it came through.</param>
/// <param name="LineCount">The number of lines.</param>
/// <param name="UnitCount">The number of units over all lines.</param>
/// <param name="Total">The order total.</param>
public sealed record OrderPlaced(OrderId OrderId, int Sequence, Instant OccurredAt, CustomerId CustomerId, SalesChannel Channel, int LineCount, int UnitCount, Money Total)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"{LineCount} lines, {UnitCount} units, {Total}, customer {CustomerId}, channel {Channel}";
}
