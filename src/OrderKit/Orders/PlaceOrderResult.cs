using OrderKit.Allocation;

namespace OrderKit.Orders;

/// <summary>The outcome of placing an order.</summary>
/// <remarks>Thread safety: the result is immutable; the <see cref="Order"/> it holds is not thread-safe.</remarks>
public sealed class PlaceOrderResult
{
    internal PlaceOrderResult(Order order, bool isReplay, AllocationPlan? plan = null)
    {
        Order = order;
        IsReplay = isReplay;
        Plan = plan;
    }

    /// <summary>Gets the order placed, as stored.</summary>
    public Order Order { get; }

    /// <summary>Gets whether this is the replay of an earlier request with the same idempotency key: no new order was placed.</summary>
    public bool IsReplay { get; }

    /// <summary>Gets the allocation plan followed when the order was placed by <see cref="OrderService.PlaceAndAllocateAsync"/>; null for <see cref="OrderService.PlaceAsync"/> and for a replay.</summary>
    public AllocationPlan? Plan { get; }
}
