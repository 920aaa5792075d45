using NodaTime;
using OrderKit.Fulfillment;

namespace OrderKit.Shipping;

/// <summary>What a carrier needs to quote a price: where from, where to, what, and in which currency.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record RateRequest
{
    /// <summary>Gets the location the parcels leave from.</summary>
    public required LocationId Origin { get; init; }

    /// <summary>Gets the address of the origin, for carriers that price by it; null when not known.</summary>
    public Address? OriginAddress { get; init; }

    /// <summary>Gets the address the parcels go to.</summary>
    public required Address Destination { get; init; }

    /// <summary>Gets the parcels; at least one.</summary>
    public required IReadOnlyList<Parcel> Parcels { get; init; }

    /// <summary>Gets the currency the rates must be in: the order's.</summary>
    public required Currency Currency { get; init; }

    /// <summary>Gets the day the parcels will be handed over, when known; rates then carry an estimated delivery date.</summary>
    public LocalDate? ShipDate { get; init; }

    /// <summary>Gets the total weight of the parcels, in kilograms.</summary>
    public decimal WeightKg => Parcels.Sum(static p => p.WeightKg);

    /// <summary>Throws when the request is incomplete.</summary>
    /// <exception cref="ArgumentException">The origin, destination, currency or parcels are missing.</exception>
    public void Validate()
    {
        if (Origin.IsDefault || Destination is null || Currency.IsDefault || Parcels is null || Parcels.Count == 0 || Parcels.Any(static p => p is null))
        {
            throw new ArgumentException("A rate request needs an origin, a destination, a currency and at least one parcel.", "request");
        }
    }
}
