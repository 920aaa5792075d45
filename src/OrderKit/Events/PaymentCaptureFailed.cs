using NodaTime;

namespace OrderKit.Events;

/// <summary>The payment provider refused to capture money for what shipped; the authorization stands, and the capture can be tried again.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="Amount">The amount asked for.</param>
/// <param name="Reason">Why, in the provider's words.</param>
public sealed record PaymentCaptureFailed(OrderId OrderId, int Sequence, Instant OccurredAt, Money Amount, string Reason)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"{Amount}: {Reason}";
}
