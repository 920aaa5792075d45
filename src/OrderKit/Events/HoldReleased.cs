using NodaTime;
using OrderKit.Orders;

namespace OrderKit.Events;

/// <summary>A hold on the order was released.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="HoldNumber">The number of the hold released.</param>
/// <param name="Reason">The reason the hold had been placed for.</param>
/// <param name="ReleasedBy">Who released it.</param>
public sealed record HoldReleased(OrderId OrderId, int Sequence, Instant OccurredAt, int HoldNumber, HoldReason Reason, string ReleasedBy)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"hold #{HoldNumber} ({Reason}) released by {ReleasedBy}";
}
