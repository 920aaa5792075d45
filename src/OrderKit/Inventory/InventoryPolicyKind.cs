namespace OrderKit.Inventory;

/// <summary>What happens when a SKU is short; see <see cref="InventoryPolicy"/>.</summary>
public enum InventoryPolicyKind
{
    /// <summary>Sell only what is available; the short units of a line are refused.</summary>
    DenyWhenShort = 0,

    /// <summary>Sell beyond what is available; the short units wait for stock (optionally up to a limit).</summary>
    Backorder = 1,

    /// <summary>Sell before the release date; the units wait for the first stock after it (optionally up to a limit).</summary>
    Preorder = 2,

    /// <summary>Short units are shipped by a supplier location straight to the customer.</summary>
    Dropship = 3,

    /// <summary>Stock is not counted (digital goods, services, made to order): always available, never reserved.</summary>
    Untracked = 4,
}
