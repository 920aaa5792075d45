namespace OrderKit.Returns;

/// <summary>What the returned units of one SKU are worth.</summary>
/// <param name="Sku">The SKU.</param>
/// <param name="Units">The units received.</param>
/// <param name="Amount">Their price less their share of the discount.</param>
/// <param name="Reason">Why they came back.</param>
public sealed record RefundQuoteLine(Sku Sku, int Units, Money Amount, ReturnReason Reason);
