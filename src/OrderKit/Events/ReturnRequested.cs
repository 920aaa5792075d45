using NodaTime;

namespace OrderKit.Events;

/// <summary>The customer asked to return units; the shop decides next.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ReturnNumber">The request's number within the order.</param>
/// <param name="Lines">The units per SKU, with their reasons.</param>
/// <param name="WindowOverride">The reason staff accepted it after the return window; null when it was in time.</param>
public sealed record ReturnRequested(OrderId OrderId, int Sequence, Instant OccurredAt, int ReturnNumber, IReadOnlyList<Returns.ReturnLine> Lines, string? WindowOverride)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <summary>Gets the units asked to be returned, over all lines.</summary>
    public int Units => Lines.Sum(static l => l.Quantity.Value);

    /// <inheritdoc />
    public override string Describe() => $"#{ReturnNumber}: {Units} unit(s)" + (WindowOverride is null ? string.Empty : $", after the window: {WindowOverride}");
}
