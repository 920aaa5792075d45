namespace OrderKit.Allocation;

/// <summary>How <see cref="Orders.OrderService.AllocateAsync"/> chooses locations for an order.</summary>
/// <remarks>
/// The defaults come from <see cref="OrderKitOptions.Allocation"/>; pass an instance to a call to change them for
/// one order. Thread safety: immutable and thread-safe.
/// </remarks>
public sealed record AllocationPreferences
{
    /// <summary>Gets how candidate locations are ranked; <see cref="AllocationStrategy.FewestShipments"/> unless set.</summary>
    public AllocationStrategy Strategy { get; init; } = AllocationStrategy.FewestShipments;

    /// <summary>Gets how the order may be split; <see cref="SplitPolicy.ShipAvailable"/> unless set.</summary>
    public SplitPolicy Split { get; init; } = SplitPolicy.ShipAvailable;

    /// <summary>Gets the destination's position, for <see cref="AllocationStrategy.Nearest"/> and distance tie-breaks; optional.</summary>
    public GeoPoint? DestinationPoint { get; init; }

    /// <summary>Gets the store the customer collects from, if the order is click and collect.</summary>
    public LocationId? CollectAt { get; init; }

    /// <summary>Gets what to do with units the SKU's policy refuses; <see cref="ShortfallAction.Hold"/> unless set.</summary>
    public ShortfallAction OnShortfall { get; init; } = ShortfallAction.Hold;

    /// <summary>Gets whether the plan explains each choice (<see cref="AllocationPlan.Explanation"/>); off unless set, as it costs time.</summary>
    public bool Explain { get; init; }
}
