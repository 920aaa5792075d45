
namespace OrderKit.Shipping;

/// <summary>What a carrier needs to sell a label: the rate's details, and what the label is for.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record LabelRequest
{
    /// <summary>Gets the order the label is for.</summary>
    public required OrderId OrderId { get; init; }

    /// <summary>Gets the shipment the label is for.</summary>
    public required int ShipmentNumber { get; init; }

    /// <summary>Gets the carrier's service to buy, as quoted in <see cref="ShippingRate.Service"/>.</summary>
    public required string Service { get; init; }

    /// <summary>Gets the rate details: origin, destination, parcels and currency.</summary>
    public required RateRequest Shipment { get; init; }

    /// <summary>Gets a tracking number a person typed in, for carriers that do not issue their own (see <see cref="ManualCarrier"/>); null otherwise.</summary>
    public string? TrackingNumber { get; init; }
}
