namespace OrderKit.Returns;

/// <summary>An action was asked of a return request whose status does not permit it; nothing was changed.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed class InvalidReturnTransitionException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="returnNumber">The request's number within the order.</param>
    /// <param name="status">Its status when the action was refused.</param>
    /// <param name="action">The action refused.</param>
    /// <param name="permittedActions">The actions it permitted at that moment.</param>
    public InvalidReturnTransitionException(OrderId orderId, int returnNumber, ReturnStatus status, ReturnActions action, ReturnActions permittedActions)
        : base($"Cannot {action} return #{returnNumber} of order {orderId} in status {status}. Permitted now: {(permittedActions == ReturnActions.None ? "nothing" : permittedActions.ToString())}.")
    {
        OrderId = orderId;
        ReturnNumber = returnNumber;
        Status = status;
        Action = action;
        PermittedActions = permittedActions;
    }

    /// <summary>Gets the order.</summary>
    public OrderId OrderId { get; }

    /// <summary>Gets the request's number within the order.</summary>
    public int ReturnNumber { get; }

    /// <summary>Gets its status when the action was refused.</summary>
    public ReturnStatus Status { get; }

    /// <summary>Gets the action refused.</summary>
    public ReturnActions Action { get; }

    /// <summary>Gets the actions it permitted then.</summary>
    public ReturnActions PermittedActions { get; }
}
