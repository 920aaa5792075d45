using NodaTime;

namespace OrderKit.Events;

/// <summary>Authorized money was captured.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="Amount">The amount captured now.</param>
/// <param name="CapturedTotal">The amount captured so far, this capture included.</param>
public sealed record PaymentCaptured(OrderId OrderId, int Sequence, Instant OccurredAt, Money Amount, Money CapturedTotal)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"{Amount} captured, {CapturedTotal} in all";
}
