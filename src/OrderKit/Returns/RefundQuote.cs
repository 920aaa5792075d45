namespace OrderKit.Returns;

/// <summary>What a return is worth, line by line, from what was actually paid.</summary>
/// <param name="Lines">One entry per SKU received.</param>
/// <param name="Shipping">The returned units' share of the shipping charge, when the return is the shop's fault; else zero.</param>
/// <param name="RestockingFee">What the policy keeps back for units returned through no fault of the shop.</param>
/// <param name="Total">The lines plus shipping minus the fee, capped at <paramref name="Refundable"/>.</param>
/// <param name="Refundable">What the order can still refund: captured minus refunded.</param>
/// <remarks>
/// Made by <see cref="Orders.Order.QuoteRefund"/>. Each unit's value is its price less its share of the order's
/// discount, shared out with <see cref="Money.Allocate(System.ReadOnlySpan{decimal})"/>: the parts of every unit of
/// every line add up to the order's lines less its discount to the cent, however the units come back.
/// </remarks>
public sealed record RefundQuote(IReadOnlyList<RefundQuoteLine> Lines, Money Shipping, Money RestockingFee, Money Total, Money Refundable);
