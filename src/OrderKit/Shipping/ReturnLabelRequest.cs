using OrderKit.Fulfillment;

namespace OrderKit.Shipping;

/// <summary>What a carrier needs to make a label for a customer to send parcels back to the shop.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record ReturnLabelRequest
{
    /// <summary>Gets the order the return belongs to.</summary>
    public required OrderId OrderId { get; init; }

    /// <summary>Gets the address the parcels come from: the customer's.</summary>
    public required Address From { get; init; }

    /// <summary>Gets the location the parcels go back to.</summary>
    public required LocationId To { get; init; }

    /// <summary>Gets the address of that location, for carriers that need it.</summary>
    public Address? ToAddress { get; init; }

    /// <summary>Gets the parcels; at least one.</summary>
    public required IReadOnlyList<Parcel> Parcels { get; init; }

    /// <summary>Gets the currency the label is priced in.</summary>
    public required Currency Currency { get; init; }

    /// <summary>Gets the service, or null for the carrier's usual return service.</summary>
    public string? Service { get; init; }
}
