using OrderKit.Orders;

namespace OrderKit.Allocation;

/// <summary>What <see cref="OrderService.AllocateAsync"/> did: the order as stored, and the plan it followed.</summary>
/// <remarks>Thread safety: the plan is immutable; the order is not thread-safe.</remarks>
public sealed class AllocationResult
{
    internal AllocationResult(Order order, AllocationPlan plan, IReadOnlyList<Inventory.HeldStock> fromCartHold)
    {
        Order = order;
        Plan = plan;
        FromCartHold = fromCartHold;
    }

    /// <summary>Gets the order as stored after the allocation.</summary>
    public Order Order { get; }

    /// <summary>Gets the plan for the units the allocation looked for (those not covered by a cart hold).</summary>
    public AllocationPlan Plan { get; }

    /// <summary>Gets the units taken over from the cart hold the order was placed with; empty when none.</summary>
    public IReadOnlyList<Inventory.HeldStock> FromCartHold { get; }

    /// <summary>Returns the order's status and the plan.</summary>
    /// <returns>The result as text.</returns>
    public override string ToString() => $"{Order}: {Plan}";
}
