using NodaTime;

namespace OrderKit.Events;

/// <summary>The uncaptured part of the payment authorization was released.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ReleasedAmount">The authorized amount released uncaptured.</param>
public sealed record PaymentVoided(OrderId OrderId, int Sequence, Instant OccurredAt, Money ReleasedAmount)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"{ReleasedAmount} of the authorization released";
}
