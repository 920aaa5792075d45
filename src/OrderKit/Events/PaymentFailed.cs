using NodaTime;

namespace OrderKit.Events;

/// <summary>The payment for the order failed; the order stays pending until a payment is confirmed.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="Reason">Why the payment failed, as the payment provider reported it.</param>
public sealed record PaymentFailed(OrderId OrderId, int Sequence, Instant OccurredAt, string Reason)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => Reason;
}
