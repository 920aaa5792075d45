namespace OrderKit.Inventory;

/// <summary>Everything stored about one SKU's stock: its policy and its level at each location that has a count.</summary>
/// <param name="Sku">The SKU.</param>
/// <param name="Policy">How it sells when short.</param>
/// <param name="Levels">One level per location that ever had a count, in any order; locations missing here hold nothing.</param>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record SkuStock(Sku Sku, InventoryPolicy Policy, IReadOnlyList<StockLevel> Levels)
{
    /// <summary>Returns the level at a location; all zero when the location has no count.</summary>
    /// <param name="location">The location.</param>
    /// <returns>The level.</returns>
    public StockLevel LevelAt(LocationId location)
    {
        foreach (StockLevel level in Levels)
        {
            if (level.Location == location)
            {
                return level;
            }
        }

        return new StockLevel(Sku, location, 0, 0, 0, 0, []);
    }

    /// <summary>Returns the SKU, its policy and its levels, such as <c>MUG-RED (Backorder): 2 level(s)</c>.</summary>
    /// <returns>The stock as text.</returns>
    public override string ToString() => $"{Sku} ({Policy}): {Levels.Count} level(s)";
}
