namespace OrderKit.Orders;

/// <summary>An action was asked of an order whose state does not permit it; the order was not changed.</summary>
/// <remarks>
/// <para>The exception carries the facts a caller needs to answer well, such as with an HTTP 409: the order, its
/// status, the action refused, the actions permitted now, and the reason in words.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed class InvalidOrderTransitionException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="status">The order's status when the action was refused.</param>
    /// <param name="action">The action refused.</param>
    /// <param name="permittedActions">The actions the order permitted at that moment.</param>
    /// <param name="reason">Why the action was refused, in words.</param>
    public InvalidOrderTransitionException(OrderId orderId, OrderStatus status, OrderActions action, OrderActions permittedActions, string reason)
        : base($"Cannot {action} order {orderId} in status {status}: {reason}. Permitted now: {(permittedActions == OrderActions.None ? "nothing" : permittedActions.ToString())}.")
    {
        OrderId = orderId;
        Status = status;
        Action = action;
        PermittedActions = permittedActions;
        Reason = reason;
    }

    /// <summary>Gets the order.</summary>
    public OrderId OrderId { get; }

    /// <summary>Gets the order's status when the action was refused.</summary>
    public OrderStatus Status { get; }

    /// <summary>Gets the action refused.</summary>
    public OrderActions Action { get; }

    /// <summary>Gets the actions the order permitted when this one was refused.</summary>
    public OrderActions PermittedActions { get; }

    /// <summary>Gets why the action was refused, in words.</summary>
    public string Reason { get; }
}
