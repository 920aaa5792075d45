namespace OrderKit.Fulfillment;

/// <summary>The result of handing a tracking update to <see cref="FulfillmentService"/>.</summary>
/// <param name="Outcome">What became of the update.</param>
/// <param name="OrderId">The order the tracking number belongs to; null when unknown.</param>
/// <param name="ShipmentNumber">The shipment; null when unknown.</param>
/// <param name="Status">The shipment's status after the update; null when unknown.</param>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record TrackingResult(TrackingOutcome Outcome, OrderId? OrderId, int? ShipmentNumber, ShipmentStatus? Status)
{
    /// <summary>Returns the outcome and where it landed.</summary>
    /// <returns>The result as text.</returns>
    public override string ToString() => OrderId is null ? Outcome.ToString() : $"{Outcome}: {OrderId} #{ShipmentNumber} {Status}";
}
