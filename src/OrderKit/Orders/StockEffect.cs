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
}
