namespace OrderKit.Fulfillment;

/// <summary>Where a shipment stands, from the warehouse shelf to the customer's door.</summary>
/// <remarks>
/// The path is <see cref="Pending"/> → <see cref="Picking"/> → <see cref="Packed"/> → <see cref="LabelPurchased"/> →
/// <see cref="Shipped"/> → <see cref="InTransit"/> → <see cref="OutForDelivery"/> → <see cref="Delivered"/>, with
/// <see cref="DeliveryException"/>, <see cref="ReturnedToSender"/> and <see cref="Cancelled"/> beside it. A packed
/// shipment may ship without a label (a collection, an own van). After it ships, the status follows its tracking
/// (see <c>docs/tracking.md</c>).
/// </remarks>
public enum ShipmentStatus
{
    /// <summary>Created from the allocation; nothing has been picked yet.</summary>
    Pending = 0,

    /// <summary>Being picked from the shelves; what was picked is recorded.</summary>
    Picking = 1,

    /// <summary>Packed into parcels, ready for a label.</summary>
    Packed = 2,

    /// <summary>A carrier label has been bought; the parcels await collection.</summary>
    LabelPurchased = 3,

    /// <summary>Handed to the carrier: the units have left the location's stock.</summary>
    Shipped = 4,

    /// <summary>The carrier reports the parcels on their way.</summary>
    InTransit = 5,

    /// <summary>The carrier reports the parcels out for delivery today.</summary>
    OutForDelivery = 6,

    /// <summary>The carrier reports the parcels delivered; the units count as delivered on the order.</summary>
    Delivered = 7,

    /// <summary>The carrier reports a problem: a failed attempt, a damaged parcel, an address it cannot find.</summary>
    DeliveryException = 8,

    /// <summary>The carrier is bringing, or has brought, the parcels back to the shop.</summary>
    ReturnedToSender = 9,

    /// <summary>Cancelled before it shipped; its units were given back to the order to allocate again.</summary>
    Cancelled = 10,
}
