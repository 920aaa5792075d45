using NodaTime;

namespace OrderKit.Events;

/// <summary>Nothing more is expected of a return.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ReturnNumber">The request's number within the order.</param>
public sealed record ReturnClosed(OrderId OrderId, int Sequence, Instant OccurredAt, int ReturnNumber)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"#{ReturnNumber}";
}
