namespace OrderKit.Fulfillment;

/// <summary>The one vocabulary into which every carrier's tracking statuses are translated.</summary>
/// <remarks>The carrier's own status is kept beside it in <see cref="TrackingUpdate.RawStatus"/>.</remarks>
public enum TrackingStatus
{
    /// <summary>The carrier said something OrderKit has no word for; kept in the history, changes nothing.</summary>
    Unknown = 0,

    /// <summary>The carrier knows the label; the parcel has not been handed over yet.</summary>
    LabelCreated = 1,

    /// <summary>On its way.</summary>
    InTransit = 2,

    /// <summary>On the van for delivery today.</summary>
    OutForDelivery = 3,

    /// <summary>Waiting at a pickup point or locker for the customer.</summary>
    AvailableForPickup = 4,

    /// <summary>The driver could not deliver; the carrier will try again or hold the parcel.</summary>
    DeliveryAttemptFailed = 5,

    /// <summary>Delivered.</summary>
    Delivered = 6,

    /// <summary>On its way back to the shop, or back already.</summary>
    ReturnedToSender = 7,

    /// <summary>A problem the carrier reports: damaged, lost, held at customs, address not found.</summary>
    Exception = 8,

    /// <summary>The carrier cancelled the label or the shipment on its side.</summary>
    Cancelled = 9,
}
