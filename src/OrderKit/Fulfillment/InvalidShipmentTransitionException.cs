namespace OrderKit.Fulfillment;

/// <summary>An action was asked of a shipment whose status does not permit it; nothing was changed.</summary>
/// <remarks>
/// <para>It carries what a caller needs to answer well (an HTTP 409, a message to staff): the order, the shipment,
/// its status, the action refused, and the actions permitted now.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed class InvalidShipmentTransitionException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="shipmentNumber">The shipment's number within the order.</param>
    /// <param name="status">The shipment's status when the action was refused.</param>
    /// <param name="action">The action refused.</param>
    /// <param name="permittedActions">The actions the shipment permitted at that moment.</param>
    /// <param name="reason">Why, in words; null to let the status speak.</param>
    public InvalidShipmentTransitionException(OrderId orderId, int shipmentNumber, ShipmentStatus status, ShipmentActions action, ShipmentActions permittedActions, string? reason = null)
        : base($"Cannot {action} shipment #{shipmentNumber} of order {orderId} in status {status}" +
            (reason is null ? string.Empty : ": " + reason) +
            $". Permitted now: {(permittedActions == ShipmentActions.None ? "nothing" : permittedActions.ToString())}.")
    {
        OrderId = orderId;
        ShipmentNumber = shipmentNumber;
        Status = status;
        Action = action;
        PermittedActions = permittedActions;
    }

    /// <summary>Gets the order.</summary>
    public OrderId OrderId { get; }

    /// <summary>Gets the shipment's number within the order.</summary>
    public int ShipmentNumber { get; }

    /// <summary>Gets the shipment's status when the action was refused.</summary>
    public ShipmentStatus Status { get; }

    /// <summary>Gets the action refused.</summary>
    public ShipmentActions Action { get; }

    /// <summary>Gets the actions the shipment permitted then.</summary>
    public ShipmentActions PermittedActions { get; }
}
