namespace OrderKit.Orders;

/// <summary>One line of an order to place: a SKU, how many units, and the price of one unit.</summary>
/// <remarks>
/// <para>Checked when the order is placed: the SKU and quantity are required, the unit price is in the order's
/// currency and not negative.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
/// <param name="Sku">The SKU; each SKU appears on one line only.</param>
/// <param name="Quantity">The number of units.</param>
/// <param name="UnitPrice">The price of one unit, in the order's currency, after any line-level discount.</param>
public sealed record PlaceOrderLine(Sku Sku, Quantity Quantity, Money UnitPrice);
