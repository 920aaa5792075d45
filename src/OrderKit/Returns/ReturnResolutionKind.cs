namespace OrderKit.Returns;

/// <summary>How a return was made good.</summary>
public enum ReturnResolutionKind
{
    /// <summary>Money back through the payment provider.</summary>
    Refund = 0,

    /// <summary>Credit with the shop, recorded for the host to honour.</summary>
    StoreCredit = 1,

    /// <summary>The same units sent again, on a new order at no charge (<see cref="ReturnResolution.NewOrderId"/>).</summary>
    Replacement = 2,

    /// <summary>Other units sent instead, on a new order; the price difference charged on it or refunded (the amount).</summary>
    Exchange = 3,
}
