namespace OrderKit.Orders;

/// <summary>The outcome of placing an order.</summary>
/// <remarks>Thread safety: the result is immutable; the <see cref="Order"/> it holds is not thread-safe.</remarks>
public sealed class PlaceOrderResult
{
    internal PlaceOrderResult(Order order, bool isReplay)
    {
        Order = order;
        IsReplay = isReplay;
    }

    /// <summary>Gets the order placed, as stored.</summary>
    public Order Order { get; }

    /// <summary>Gets whether this is the replay of an earlier request with the same idempotency key: no new order was placed.</summary>
    public bool IsReplay { get; }
}
