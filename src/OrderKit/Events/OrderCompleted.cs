using NodaTime;

namespace OrderKit.Events;

/// <summary>The delivered order was closed: nothing more is expected to happen to it.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
public sealed record OrderCompleted(OrderId OrderId, int Sequence, Instant OccurredAt)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => "closed";
}
