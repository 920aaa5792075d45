namespace OrderKit.Allocation;

/// <summary>Which locations fill which lines, and what happens to the units that are short.</summary>
/// <remarks>
/// <para>A plan is made over the stock as it stood; it reserves nothing by itself (a dry run, from
/// <see cref="Inventory.InventoryService.PlanAsync"/>).</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed class AllocationPlan
{
    /// <summary>A plan with no lines, for an allocation that had nothing to look for.</summary>
    internal static readonly AllocationPlan Empty = new([], [], false, []);

    internal AllocationPlan(PlannedLine[] lines, LocationId[] locations, bool shipTogether, string[] explanation)
    {
        Lines = lines;
        Locations = locations;
        ShipTogether = shipTogether;
        Explanation = explanation;
    }

    /// <summary>Gets one entry per requested line, in the order requested.</summary>
    public IReadOnlyList<PlannedLine> Lines { get; }

    /// <summary>Gets the locations the plan ships from (one shipment each), best first.</summary>
    public IReadOnlyList<LocationId> Locations { get; }

    /// <summary>Gets the number of shipments the plan makes.</summary>
    public int ShipmentCount => Locations.Count;

    /// <summary>Gets whether every requested unit has stock now.</summary>
    public bool IsComplete => Lines.All(l => l.Shortfall == 0);

    /// <summary>Gets whether nothing should ship until everything can (a ship-complete policy with units short).</summary>
    public bool ShipTogether { get; }

    /// <summary>Gets, when the request asked for it, why each location was chosen or passed over; otherwise empty.</summary>
    public IReadOnlyList<string> Explanation { get; }

    /// <summary>Returns the plan as text, one line per order line.</summary>
    /// <returns>The plan as text.</returns>
    public override string ToString() => $"{ShipmentCount} shipment(s) from {string.Join(", ", Locations)}: " + string.Join("; ", Lines);
}
