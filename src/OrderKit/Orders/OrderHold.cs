using NodaTime;

namespace OrderKit.Orders;

/// <summary>An active hold on an order: while any hold is active, no fulfillment action is allowed.</summary>
/// <remarks>
/// <para>An order can carry several holds at once, each with its own reason and author, each released on its own.
/// A released hold leaves the order's list of active holds; its placing and release stay in the timeline.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
/// <param name="Number">The hold's number within its order, starting at 1; never reused.</param>
/// <param name="Reason">Why the order is held.</param>
/// <param name="PlacedBy">Who placed the hold: a staff member, a service or a rule.</param>
/// <param name="Note">A free-text note; always present for <see cref="HoldReason.Custom"/>.</param>
/// <param name="PlacedAt">When the hold was placed.</param>
public sealed record OrderHold(int Number, HoldReason Reason, string PlacedBy, string? Note, Instant PlacedAt)
{
    /// <summary>Returns the hold's number, reason and author, such as <c>#2 FraudReview by risk-engine</c>.</summary>
    /// <returns>The hold as text.</returns>
    public override string ToString() => $"#{Number} {Reason} by {PlacedBy}";
}
