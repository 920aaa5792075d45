namespace OrderKit.Inventory;

/// <summary>What kind of place a stock location is.</summary>
public enum LocationKind
{
    /// <summary>A warehouse or fulfilment centre.</summary>
    Warehouse = 0,

    /// <summary>A shop that also ships, or hands orders over the counter (click and collect).</summary>
    Store = 1,

    /// <summary>A supplier that ships straight to the customer; its stock is not the shop's own.</summary>
    DropshipSupplier = 2,
}
