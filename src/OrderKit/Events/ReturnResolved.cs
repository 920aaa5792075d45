using NodaTime;

namespace OrderKit.Events;

/// <summary>A return was made good: refunded or credited.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ReturnNumber">The request's number within the order.</param>
/// <param name="Kind">How.</param>
/// <param name="Amount">How much was refunded or credited.</param>
/// <param name="NewOrderId">The order sending replacement or exchanged units, if any.</param>
public sealed record ReturnResolved(OrderId OrderId, int Sequence, Instant OccurredAt, int ReturnNumber, Returns.ReturnResolutionKind Kind, Money Amount, OrderId? NewOrderId)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"#{ReturnNumber}: {Kind} {Amount}" + (NewOrderId is { } id ? $", new order {id}" : string.Empty);
}
