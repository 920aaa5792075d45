using NodaTime;

namespace OrderKit.Events;

/// <summary>Units of a line wait for stock: backordered until stock arrives, or preordered until a release date.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="Sku">The line's SKU.</param>
/// <param name="Quantity">The number of units waiting.</param>
/// <param name="ExpectedOn">When stock is expected (the earliest incoming delivery, or the release date); null when unknown.</param>
/// <param name="IsPreorder">True when the units wait for a release date rather than for a delivery.</param>
public sealed record LineBackordered(OrderId OrderId, int Sequence, Instant OccurredAt, Sku Sku, int Quantity, LocalDate? ExpectedOn, bool IsPreorder)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() =>
        $"{Quantity} x {Sku} {(IsPreorder ? "preordered" : "backordered")}" + (ExpectedOn is { } on ? $", expected {on:yyyy-MM-dd}" : ", no date expected");
}
