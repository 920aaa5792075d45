namespace OrderKit.Fulfillment;

/// <summary>A tracking update as a carrier's webhook delivers it: for which tracking number, and what it says.</summary>
/// <param name="TrackingNumber">The tracking number the update is about.</param>
/// <param name="Update">The update, in OrderKit's vocabulary with the carrier's raw status kept.</param>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record CarrierTrackingEvent(string TrackingNumber, TrackingUpdate Update);
