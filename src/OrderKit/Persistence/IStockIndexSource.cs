using OrderKit.Inventory;

namespace OrderKit.Persistence;

/// <summary>An inventory repository whose committed stock the planner may read in place, without copying it.</summary>
internal interface IStockIndexSource
{
    StockIndex Index { get; }

    /// <summary>Returns whether this transaction has staged changes to a SKU, which the committed index does not show.</summary>
    bool HasChanges(Sku sku);

    /// <summary>Returns whether other transactions hold units of a SKU taken but not yet committed or given back.</summary>
    bool HasPendingTakes(Sku sku);
}
