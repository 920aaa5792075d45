using NodaTime;
using OrderKit.Inventory;

namespace OrderKit.Events;

/// <summary>Allocation found too little stock for a line and its SKU's policy refused the rest; those units still await allocation.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="Sku">The line's SKU.</param>
/// <param name="Requested">The units the allocation looked for.</param>
/// <param name="Allocated">The units it found.</param>
/// <param name="Refused">The units the policy refused (neither backordered, preordered nor dropshipped).</param>
/// <param name="Policy">The SKU's policy.</param>
public sealed record StockShortfall(OrderId OrderId, int Sequence, Instant OccurredAt, Sku Sku, int Requested, int Allocated, int Refused, InventoryPolicyKind Policy)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"{Refused} of {Requested} x {Sku} short ({Allocated} allocated; policy {Policy})";
}
