namespace OrderKit.Returns;

/// <summary>How a return was made good.</summary>
public enum ReturnResolutionKind
{
    /// <summary>Money back through the payment provider.</summary>
    Refund = 0,

    /// <summary>Credit with the shop, recorded for the host to honour.</summary>
    StoreCredit = 1,
}
