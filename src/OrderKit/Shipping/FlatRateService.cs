namespace OrderKit.Shipping;

/// <summary>One service of a <see cref="FlatRateCarrier"/>: one price for any shipment, wherever it goes (or only to some countries).</summary>
/// <param name="Service">The service name, such as <c>standard</c>.</param>
/// <param name="Price">The price per shipment.</param>
/// <param name="TransitDays">The working days in transit.</param>
/// <param name="Countries">The ISO country codes it serves; empty for everywhere.</param>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record FlatRateService(string Service, Money Price, int TransitDays, IReadOnlyList<string> Countries)
{
    /// <summary>Creates a service that serves every country.</summary>
    /// <param name="service">The service name.</param>
    /// <param name="price">The price per shipment.</param>
    /// <param name="transitDays">The working days in transit.</param>
    public FlatRateService(string service, Money price, int transitDays)
        : this(service, price, transitDays, [])
    {
    }
}
