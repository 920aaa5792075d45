using NodaTime;

namespace OrderKit.Events;

/// <summary>Returned units were inspected.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ReturnNumber">The request's number within the order.</param>
/// <param name="Finding">What the inspection found.</param>
public sealed record ReturnInspected(OrderId OrderId, int Sequence, Instant OccurredAt, int ReturnNumber, string Finding)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"#{ReturnNumber}: {Finding}";
}
