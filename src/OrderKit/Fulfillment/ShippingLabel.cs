using NodaTime;
using OrderKit.Internal;

namespace OrderKit.Fulfillment;

/// <summary>A carrier label bought for a shipment: who carries it, under which tracking number, and what it cost.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record ShippingLabel
{
    /// <summary>The longest text field accepted, in characters.</summary>
    public const int MaxFieldLength = 500;

    /// <summary>Creates a label.</summary>
    /// <param name="carrierCode">The code of the carrier in the registry, such as <c>dhl</c>.</param>
    /// <param name="service">The carrier's service, such as <c>express</c>.</param>
    /// <param name="trackingNumber">The carrier's tracking number.</param>
    /// <param name="labelId">The carrier's identifier of the label, used to void it.</param>
    /// <param name="cost">What the label cost the shop.</param>
    /// <exception cref="ArgumentException">A text is blank or too long, or the cost is missing or negative.</exception>
    public ShippingLabel(string carrierCode, string service, string trackingNumber, string labelId, Money cost)
    {
        CarrierCode = Text.Identifier(carrierCode, nameof(carrierCode), Shipping.CarrierRegistry.MaxCodeLength);
        Service = Text.Required(service, nameof(service), MaxFieldLength);
        TrackingNumber = Text.Identifier(trackingNumber, nameof(trackingNumber), MaxFieldLength);
        LabelId = Text.Required(labelId, nameof(labelId), MaxFieldLength);
        if (cost.IsDefault || cost.IsNegative)
        {
            throw new ArgumentException($"cost must be zero or more; got {(cost.IsDefault ? "none" : cost.ToString())}.", nameof(cost));
        }

        Cost = cost;
    }

    /// <summary>Gets the code of the carrier in the registry.</summary>
    public string CarrierCode { get; }

    /// <summary>Gets the carrier's service.</summary>
    public string Service { get; }

    /// <summary>Gets the carrier's tracking number.</summary>
    public string TrackingNumber { get; }

    /// <summary>Gets the carrier's identifier of the label.</summary>
    public string LabelId { get; }

    /// <summary>Gets what the label cost the shop.</summary>
    public Money Cost { get; }

    /// <summary>Gets where the customer follows the parcel; null when the carrier has no such page.</summary>
    public Uri? TrackingUrl { get; init; }

    /// <summary>Gets the label itself (a PDF or ZPL file) where the carrier serves it; null when it does not.</summary>
    public Uri? LabelUrl { get; init; }

    /// <summary>Gets the number of transit days the service promised, when known.</summary>
    public int? TransitDays { get; init; }

    /// <summary>Gets when the label was bought; set by OrderKit when recorded.</summary>
    public Instant PurchasedAt { get; init; }

    /// <summary>Returns the carrier, service and tracking number, such as <c>dhl/express 00340434</c>.</summary>
    /// <returns>The label as text.</returns>
    public override string ToString() => $"{CarrierCode}/{Service} {TrackingNumber}";
}
