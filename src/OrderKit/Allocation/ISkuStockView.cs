using NodaTime;
using OrderKit.Inventory;

namespace OrderKit.Allocation;

/// <summary>What the planner reads about one SKU: its policy, what each location has available, what is coming.</summary>
/// <remarks>Location indexes are those of the location table the plan runs over.</remarks>
internal interface ISkuStockView
{
    Sku Sku { get; }

    InventoryPolicy Policy { get; }

    /// <summary>Units waiting for this SKU on orders already backordered or preordered, for the policy's limit.</summary>
    int Waiting { get; }

    /// <summary>Returns the available count at a location; may be negative when safety stock exceeds what is free.</summary>
    int Available(int location);

    /// <summary>Copies what can be taken at each location in <paramref name="locations"/> (the available count, or 0 when it is negative) into <paramref name="destination"/>.</summary>
    void CopyAvailable(ReadOnlySpan<int> locations, Span<int> destination);

    LocalDate? EarliestIncoming();
}

/// <summary>A view over a SKU's stock read from any store.</summary>
internal sealed class SkuStockView : ISkuStockView
{
    private readonly int[] _available;
    private readonly LocalDate? _earliest;

    public SkuStockView(SkuStock stock, StockIndex.LocationTable table, int waiting)
    {
        Sku = stock.Sku;
        Policy = stock.Policy;
        Waiting = waiting;
        _available = new int[table.Count];
        foreach (StockLevel level in stock.Levels)
        {
            if (table.TryGetIndex(level.Location, out int k))
            {
                _available[k] = level.OnHand - level.Reserved - level.SafetyStock;
            }

            foreach (IncomingStock incoming in level.Incoming)
            {
                if (_earliest is null || incoming.ExpectedOn < _earliest)
                {
                    _earliest = incoming.ExpectedOn;
                }
            }
        }
    }

    public Sku Sku { get; }

    public InventoryPolicy Policy { get; }

    public int Waiting { get; }

    public int Available(int location) => _available[location];

    public void CopyAvailable(ReadOnlySpan<int> locations, Span<int> destination)
    {
        for (int j = 0; j < locations.Length; j++)
        {
            destination[j] = Math.Max(0, _available[locations[j]]);
        }
    }

    public LocalDate? EarliestIncoming() => _earliest;
}
