using System.Globalization;
using NodaTime;
using OrderKit.Internal;

namespace OrderKit.Shipping;

/// <summary>A price a carrier quoted for one of its services.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record ShippingRate
{
    /// <summary>Creates a rate.</summary>
    /// <param name="carrierCode">The carrier's code in the registry.</param>
    /// <param name="service">The service, such as <c>standard</c> or <c>express</c>.</param>
    /// <param name="amount">The price; zero or more.</param>
    /// <param name="transitDays">The working days in transit the carrier quotes; zero or more.</param>
    /// <exception cref="ArgumentException">A text is blank, the amount is missing or negative, or the days negative.</exception>
    public ShippingRate(string carrierCode, string service, Money amount, int transitDays)
    {
        CarrierCode = Text.Identifier(carrierCode, nameof(carrierCode), CarrierRegistry.MaxCodeLength);
        Service = Text.Identifier(service, nameof(service), Fulfillment.ShippingLabel.MaxFieldLength);
        if (amount.IsDefault || amount.IsNegative)
        {
            throw new ArgumentException($"amount must be zero or more; got {(amount.IsDefault ? "none" : amount.ToString())}.", nameof(amount));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(transitDays);
        Amount = amount;
        TransitDays = transitDays;
    }

    /// <summary>Gets the carrier's code in the registry.</summary>
    public string CarrierCode { get; }

    /// <summary>Gets the service.</summary>
    public string Service { get; }

    /// <summary>Gets the price.</summary>
    public Money Amount { get; }

    /// <summary>Gets the working days in transit.</summary>
    public int TransitDays { get; }

    /// <summary>Gets the delivery date the carrier estimates, when it gives one or the request had a ship date.</summary>
    public LocalDate? EstimatedDelivery { get; init; }

    /// <summary>Returns the carrier, service, price and days, such as <c>dhl/express EUR 12.90 (1 day)</c>.</summary>
    /// <returns>The rate as text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{CarrierCode}/{Service} {Amount} ({TransitDays} day{(TransitDays == 1 ? string.Empty : "s")})");
}
