using System.Globalization;
using OrderKit.Internal;

namespace OrderKit.Shipping;

/// <summary>The carrier service a customer chose at checkout, with the transit time they were shown.</summary>
/// <remarks>
/// <para>Set on <see cref="Orders.PlaceOrderRequest.ShippingMethod"/>: the order keeps it, and its
/// <see cref="TransitDays"/> turn the ship date into the promised delivery date (<see cref="DeliveryPromise"/>).
/// Build one from the <see cref="ShippingRate"/> the customer picked with <see cref="From"/>.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed record ShippingMethod
{
    /// <summary>Creates a shipping method.</summary>
    /// <param name="carrierCode">The carrier's code in the registry.</param>
    /// <param name="service">The carrier's service, such as <c>standard</c>.</param>
    /// <param name="transitDays">The working days in transit, from 0 to <see cref="BusinessCalendar.MaxDays"/>.</param>
    /// <exception cref="ArgumentException">A text is blank or too long.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="transitDays"/> is out of range.</exception>
    public ShippingMethod(string carrierCode, string service, int transitDays)
    {
        CarrierCode = Text.Identifier(carrierCode, nameof(carrierCode), CarrierRegistry.MaxCodeLength);
        Service = Text.Identifier(service, nameof(service), Fulfillment.ShippingLabel.MaxFieldLength);
        ArgumentOutOfRangeException.ThrowIfNegative(transitDays);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(transitDays, BusinessCalendar.MaxDays);
        TransitDays = transitDays;
    }

    /// <summary>Gets the carrier's code in the registry.</summary>
    public string CarrierCode { get; }

    /// <summary>Gets the carrier's service.</summary>
    public string Service { get; }

    /// <summary>Gets the working days in transit.</summary>
    public int TransitDays { get; }

    /// <summary>Returns the method of a quoted rate.</summary>
    /// <param name="rate">The rate the customer chose.</param>
    /// <returns>Its carrier, service and transit days.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rate"/> is null.</exception>
    public static ShippingMethod From(ShippingRate rate)
    {
        ArgumentNullException.ThrowIfNull(rate);
        return new ShippingMethod(rate.CarrierCode, rate.Service, rate.TransitDays);
    }

    /// <summary>Returns the carrier, service and days, such as <c>dhl/express (1 day)</c>.</summary>
    /// <returns>The method as text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{CarrierCode}/{Service} ({TransitDays} day{(TransitDays == 1 ? string.Empty : "s")})");
}
