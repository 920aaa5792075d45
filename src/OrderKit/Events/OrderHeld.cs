using NodaTime;
using OrderKit.Orders;

namespace OrderKit.Events;

/// <summary>A hold was placed on the order: no fulfillment action is allowed until every hold is released.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="HoldNumber">The hold's number within the order.</param>
/// <param name="Reason">Why the hold was placed.</param>
/// <param name="PlacedBy">Who placed it: a staff member, a service or a rule.</param>
/// <param name="Note">The free-text note; always given for a custom reason.</param>
public sealed record OrderHeld(OrderId OrderId, int Sequence, Instant OccurredAt, int HoldNumber, HoldReason Reason, string PlacedBy, string? Note)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"hold #{HoldNumber} ({Reason}) placed by {PlacedBy}";
}
