using NodaTime;

namespace OrderKit.Events;

/// <summary>Part of a line's open quantity was cancelled.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="Sku">The line's SKU.</param>
/// <param name="Quantity">The number of units cancelled.</param>
/// <param name="Reason">Why they were cancelled.</param>
public sealed record OrderLineCancelled(OrderId OrderId, int Sequence, Instant OccurredAt, Sku Sku, int Quantity, string Reason)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"{Quantity} x {Sku} cancelled: {Reason}";
}
