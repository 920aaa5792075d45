using OrderKit.Orders;

namespace OrderKit.Allocation;

/// <summary>What to plan: the units of each SKU, where they go, and how.</summary>
/// <remarks>Thread safety: immutable once built; safe to share.</remarks>
public sealed class AllocationRequest
{
    /// <summary>Gets the units to allocate, one entry per SKU.</summary>
    public required IReadOnlyList<LineQuantity> Lines { get; init; }

    /// <summary>Gets the address the order ships to; locations that do not ship there are passed over.</summary>
    public required Address Destination { get; init; }

    /// <summary>Gets the sales channel; locations that do not serve it are passed over.</summary>
    public required SalesChannel Channel { get; init; }

    /// <summary>Gets where the destination is, for the <see cref="AllocationStrategy.Nearest"/> strategy and distance tie-breaks; null when unknown.</summary>
    public GeoPoint? DestinationPoint { get; init; }

    /// <summary>Gets the location the customer collects from (click and collect); null to ship.</summary>
    /// <remarks>When set, only that location is a candidate, and it must offer click and collect.</remarks>
    public LocationId? CollectAt { get; init; }

    /// <summary>Gets how to rank locations; <see cref="AllocationStrategy.FewestShipments"/> unless set.</summary>
    public AllocationStrategy Strategy { get; init; } = AllocationStrategy.FewestShipments;

    /// <summary>Gets how the order may be split; <see cref="SplitPolicy.ShipAvailable"/> unless set.</summary>
    public SplitPolicy Split { get; init; } = SplitPolicy.ShipAvailable;

    /// <summary>Gets whether the plan should say why each location was chosen or passed over (costs a little more).</summary>
    public bool Explain { get; init; }
}
