namespace OrderKit.Inventory;

/// <summary>What a <see cref="StockMovement"/> did.</summary>
public enum StockMovementKind
{
    /// <summary>Units arrived (goods receipt): on hand up.</summary>
    Received = 0,

    /// <summary>A count corrected the units on hand, up or down, with a reason.</summary>
    Adjusted = 1,

    /// <summary>Units left for another location: on hand down here.</summary>
    TransferredOut = 2,

    /// <summary>Units arrived from another location: on hand up here.</summary>
    TransferredIn = 3,

    /// <summary>Units were reserved for an order or a cart: reserved up.</summary>
    Reserved = 4,

    /// <summary>A reservation was given back: reserved down.</summary>
    Released = 5,

    /// <summary>Reserved units shipped: on hand and reserved down.</summary>
    Shipped = 6,

    /// <summary>Returned units went back on the shelf: on hand up.</summary>
    Restocked = 7,

    /// <summary>Units were found damaged or put in quarantine: on hand down, damaged up.</summary>
    MarkedDamaged = 8,

    /// <summary>A cart hold's reserved units passed to the order placed from the cart; the counts do not change.</summary>
    HoldConverted = 9,

    /// <summary>Returned units were put in quarantine: damaged up, on hand unchanged (they were not on the shelf).</summary>
    ReturnedDamaged = 10,

    /// <summary>Returned units were thrown away or recycled: no count changes; the ledger keeps the record.</summary>
    ReturnDisposed = 11,
}
