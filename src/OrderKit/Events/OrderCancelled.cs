using NodaTime;

namespace OrderKit.Events;

/// <summary>The whole order was cancelled before anything shipped.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="Reason">Why it was cancelled.</param>
/// <param name="UnitsCancelled">The number of open units this cancellation cancelled.</param>
public sealed record OrderCancelled(OrderId OrderId, int Sequence, Instant OccurredAt, string Reason, int UnitsCancelled)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"{UnitsCancelled} units cancelled: {Reason}";
}
