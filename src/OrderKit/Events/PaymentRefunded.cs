using NodaTime;

namespace OrderKit.Events;

/// <summary>Captured money was refunded.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="Amount">The amount refunded now.</param>
/// <param name="RefundedTotal">The amount refunded so far, this refund included.</param>
public sealed record PaymentRefunded(OrderId OrderId, int Sequence, Instant OccurredAt, Money Amount, Money RefundedTotal)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"{Amount} refunded, {RefundedTotal} in all";
}
