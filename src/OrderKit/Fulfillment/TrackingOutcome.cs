namespace OrderKit.Fulfillment;

/// <summary>What became of a tracking update handed to <see cref="FulfillmentService"/>.</summary>
public enum TrackingOutcome
{
    /// <summary>The update was new and was applied to its shipment.</summary>
    Applied = 0,

    /// <summary>The update had been received before (by its event id, or the same status, time and raw status); nothing changed.</summary>
    Repeat = 1,

    /// <summary>No shipment carries the tracking number (or carries it no longer, after a void); nothing changed.</summary>
    UnknownTrackingNumber = 2,
}
