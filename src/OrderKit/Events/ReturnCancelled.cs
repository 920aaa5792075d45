using NodaTime;

namespace OrderKit.Events;

/// <summary>A return was withdrawn before anything arrived.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ReturnNumber">The request's number within the order.</param>
/// <param name="Reason">Why.</param>
public sealed record ReturnCancelled(OrderId OrderId, int Sequence, Instant OccurredAt, int ReturnNumber, string Reason)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"#{ReturnNumber}: {Reason}";
}
