namespace OrderKit.Fulfillment;

/// <summary>What can be done with a shipment, as flags: <see cref="Shipment.AllowedActions"/> says which are permitted now.</summary>
[Flags]
public enum ShipmentActions
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Record what was picked (<see cref="Orders.Order.Pick"/>).</summary>
    Pick = 1 << 0,

    /// <summary>Pack into parcels (<see cref="Orders.Order.Pack"/>).</summary>
    Pack = 1 << 1,

    /// <summary>Split some units off into a new shipment (<see cref="Orders.Order.SplitShipment"/>).</summary>
    Split = 1 << 2,

    /// <summary>Move to another location (<see cref="Orders.Order.MoveShipment"/>).</summary>
    Move = 1 << 3,

    /// <summary>Record a bought label (<see cref="Orders.Order.RecordLabel"/>).</summary>
    PurchaseLabel = 1 << 4,

    /// <summary>Void the label (<see cref="Orders.Order.VoidLabel"/>).</summary>
    VoidLabel = 1 << 5,

    /// <summary>Hand to the carrier (<see cref="Orders.Order.ShipShipment"/>).</summary>
    Ship = 1 << 6,

    /// <summary>Apply a tracking update (<see cref="Orders.Order.ApplyTracking"/>).</summary>
    Track = 1 << 7,

    /// <summary>Cancel before it ships (<see cref="Orders.Order.CancelShipment"/>).</summary>
    Cancel = 1 << 8,
}
