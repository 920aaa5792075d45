namespace OrderKit.Orders;

/// <summary>What an order action means for counted stock; the service applies it in the same unit of work.</summary>
internal readonly record struct StockEffect(StockEffectKind Kind, Sku Sku, LocationId Location, int Quantity);

internal enum StockEffectKind
{
    /// <summary>Units newly allocated at the location: reserve them.</summary>
    Reserve,

    /// <summary>Allocated units given up (cancelled, deallocated): release their reservation.</summary>
    Release,

    /// <summary>Allocated units shipped: they leave the shelf and the reservation.</summary>
    Ship,

    /// <summary>Returned units put back on the shelf: on hand up.</summary>
    Restock,

    /// <summary>Returned units put in quarantine: damaged up.</summary>
    Quarantine,

    /// <summary>Returned units thrown away: recorded, no count changes.</summary>
    Dispose,
}
