using NodaTime;

namespace OrderKit.Inventory;

/// <summary>One entry of the movement ledger: what moved, how much, why, for which order, and when.</summary>
/// <remarks>
/// <para>The ledger explains every count: per SKU and location, the sum of <see cref="OnHandChange"/> is the units on
/// hand, and the sum of <see cref="ReservedChange"/> the units reserved.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
/// <param name="Sequence">The entry's position in the ledger, from 1.</param>
/// <param name="Kind">What the movement did.</param>
/// <param name="Sku">The SKU.</param>
/// <param name="Location">The location.</param>
/// <param name="Quantity">The units moved; positive.</param>
/// <param name="OnHandChange">The change to the units on hand.</param>
/// <param name="ReservedChange">The change to the units reserved.</param>
/// <param name="Reason">Why, in a few words; null when the kind says it all.</param>
/// <param name="OrderId">The order the movement was for, if any.</param>
/// <param name="Reference">A cart id, a transfer id or another reference, if any.</param>
/// <param name="OccurredAt">When it happened.</param>
public sealed record StockMovement(
    long Sequence,
    StockMovementKind Kind,
    Sku Sku,
    LocationId Location,
    int Quantity,
    int OnHandChange,
    int ReservedChange,
    string? Reason,
    OrderId? OrderId,
    string? Reference,
    Instant OccurredAt)
{
    /// <summary>Gets how the movement changes the damaged count: its quantity for <see cref="StockMovementKind.MarkedDamaged"/> and <see cref="StockMovementKind.ReturnedDamaged"/>, else 0.</summary>
    public int DamagedChange => Kind is StockMovementKind.MarkedDamaged or StockMovementKind.ReturnedDamaged ? Quantity : 0;

    /// <summary>Returns the entry as text, such as <c>#12 Reserved 2 x MUG-RED @ BER for ord_1</c>.</summary>
    /// <returns>The entry as text.</returns>
    public override string ToString() =>
        $"#{Sequence} {Kind} {Quantity} x {Sku} @ {Location}" + (OrderId is { } o ? $" for {o}" : string.Empty) + (Reference is { } r ? $" ({r})" : string.Empty) + (Reason is { } why ? $": {why}" : string.Empty);
}
