using NodaTime;

namespace OrderKit.Events;

/// <summary>The order's payment was verified and the order confirmed: the amount was authorized.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="AuthorizedAmount">The amount authorized.</param>
public sealed record OrderConfirmed(OrderId OrderId, int Sequence, Instant OccurredAt, Money AuthorizedAmount)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"payment of {AuthorizedAmount} authorized";
}
