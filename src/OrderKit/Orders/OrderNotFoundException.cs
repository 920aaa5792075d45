namespace OrderKit.Orders;

/// <summary>No order with the given identifier is stored.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed class OrderNotFoundException : KeyNotFoundException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="orderId">The identifier looked for.</param>
    public OrderNotFoundException(OrderId orderId)
        : base($"Order {orderId} does not exist.")
    {
        OrderId = orderId;
    }

    /// <summary>Gets the identifier looked for.</summary>
    public OrderId OrderId { get; }
}
