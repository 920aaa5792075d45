namespace OrderKit.Allocation;

/// <summary>How the allocation engine ranks the candidate locations.</summary>
public enum AllocationStrategy
{
    /// <summary>Best <see cref="Inventory.StockLocation.Rank"/> first; a line never skips a better-ranked location that has stock.</summary>
    Priority = 0,

    /// <summary>Closest to the destination first (ranking computed once per destination area and cached).</summary>
    Nearest = 1,

    /// <summary>Most stock of the order's SKUs first, which spreads stock evenly.</summary>
    HighestStock = 2,

    /// <summary>The fewest locations (shipments): exact for small orders, greedy set cover beyond; ties broken by rank, then distance, then stock.</summary>
    FewestShipments = 3,
}
