using NodaTime;

namespace OrderKit.Events;

/// <summary>Allocated units of a line lost their stock (for example a short pick) and await allocation again.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="Sku">The line's SKU.</param>
/// <param name="Quantity">The number of units deallocated.</param>
public sealed record LineDeallocated(OrderId OrderId, int Sequence, Instant OccurredAt, Sku Sku, int Quantity)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"{Quantity} x {Sku} deallocated";
}
