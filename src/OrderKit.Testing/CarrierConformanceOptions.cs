using OrderKit.Fulfillment;
using OrderKit.Shipping;

namespace OrderKit.Testing;

/// <summary>What <see cref="CarrierConformance"/> asks of an adapter: a shipment it serves, a service it sells.</summary>
/// <remarks>Thread safety: immutable and thread-safe once built.</remarks>
public sealed record CarrierConformanceOptions
{
    /// <summary>Gets the shipment to quote and label; by default one 1.2 kg parcel from <c>WH-A</c> to Berlin, in euros.</summary>
    public RateRequest Shipment { get; init; } = new()
    {
        Origin = new LocationId("WH-A"),
        Destination = new Address("Ada Lovelace", "Unter den Linden 1", "Berlin", "10117", "DE"),
        Parcels = [new Parcel(1.2m)],
        Currency = Currency.EUR,
    };

    /// <summary>Gets the service to buy labels for; <c>standard</c> by default.</summary>
    public string Service { get; init; } = "standard";

    /// <summary>Gets a tracking number for adapters that take them from staff (a suffix per label is added) or track without selling labels; null otherwise.</summary>
    public string? TrackingNumber { get; init; }
}
