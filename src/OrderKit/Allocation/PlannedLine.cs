using NodaTime;
using OrderKit.Inventory;

namespace OrderKit.Allocation;

/// <summary>What the plan decided for one line: where its units come from, and what happens to the units that are short.</summary>
/// <remarks>
/// <para>Every unit requested is in exactly one place: <see cref="Requested"/> = <see cref="Allocated"/> +
/// <see cref="Backordered"/> + <see cref="Preordered"/> + <see cref="Refused"/>, where <see cref="Allocated"/> is the sum of
/// <see cref="Sources"/> (dropshipped units included).</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed class PlannedLine
{
    internal PlannedLine(Sku sku, int requested, PlannedSource[] sources, int backordered, int preordered, int refused, InventoryPolicy policy, LocalDate? expectedOn)
    {
        Sku = sku;
        Requested = requested;
        Sources = sources;
        Backordered = backordered;
        Preordered = preordered;
        Refused = refused;
        Policy = policy;
        ExpectedOn = expectedOn;
        foreach (PlannedSource source in sources)
        {
            Allocated += source.Quantity;
        }
    }

    /// <summary>Gets the SKU.</summary>
    public Sku Sku { get; }

    /// <summary>Gets the units requested.</summary>
    public int Requested { get; }

    /// <summary>Gets where the allocated units come from, best first.</summary>
    public IReadOnlyList<PlannedSource> Sources { get; }

    /// <summary>Gets the units that get stock now (the sum of <see cref="Sources"/>).</summary>
    public int Allocated { get; }

    /// <summary>Gets the units that wait for stock under a backorder policy.</summary>
    public int Backordered { get; }

    /// <summary>Gets the units that wait for the release date under a preorder policy.</summary>
    public int Preordered { get; }

    /// <summary>Gets the units that cannot be sold: short under a deny policy, or beyond a backorder or preorder limit.</summary>
    public int Refused { get; }

    /// <summary>Gets the SKU's policy as the plan applied it.</summary>
    public InventoryPolicy Policy { get; }

    /// <summary>Gets when waiting units are expected: the earliest incoming stock, or the release date of a preorder; null when unknown.</summary>
    public LocalDate? ExpectedOn { get; }

    /// <summary>Gets the units short of what was requested: requested minus allocated.</summary>
    public int Shortfall => Requested - Allocated;

    /// <summary>Returns the line as text, such as <c>MUG-RED x3: 2 @ BER, 1 @ HAM</c>.</summary>
    /// <returns>The line as text.</returns>
    public override string ToString() =>
        $"{Sku} x{Requested}: " + (Sources.Count == 0 ? "nothing allocated" : string.Join(", ", Sources))
        + (Backordered > 0 ? $"; {Backordered} backordered" : string.Empty)
        + (Preordered > 0 ? $"; {Preordered} preordered" : string.Empty)
        + (Refused > 0 ? $"; {Refused} refused" : string.Empty);
}
