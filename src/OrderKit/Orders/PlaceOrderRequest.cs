using NodaTime;

namespace OrderKit.Orders;

/// <summary>What a customer bought: everything needed to place an order.</summary>
/// <remarks>
/// <para>The request is checked as a whole when the order is placed; a problem throws an
/// <see cref="ArgumentException"/> naming the field (such as <c>Lines[2].UnitPrice</c>) and its value, and nothing is
/// stored. The rules: a customer, a channel, a shipping address and a currency are required; 1 to
/// <see cref="Order.MaxLines"/> lines; every SKU on one line only (put all units of one SKU on one line: OrderKit
/// refuses a repeated SKU rather than guessing whether two prices were meant); every amount in the order's currency;
/// no negative price, charge or discount; the discount not above the subtotal plus the shipping charge.</para>
/// <para>Thread safety: immutable once built; safe to share between threads.</para>
/// </remarks>
public sealed class PlaceOrderRequest
{
    /// <summary>Gets the customer who placed the order.</summary>
    public required CustomerId CustomerId { get; init; }

    /// <summary>Gets the sales channel the order came through.</summary>
    public required SalesChannel Channel { get; init; }

    /// <summary>Gets the address to ship to.</summary>
    public required Address ShippingAddress { get; init; }

    /// <summary>Gets the billing address, or null when it is the shipping address.</summary>
    public Address? BillingAddress { get; init; }

    /// <summary>Gets the currency of every amount in the order.</summary>
    public required Currency Currency { get; init; }

    /// <summary>Gets the lines: 1 to <see cref="Order.MaxLines"/>, one per SKU.</summary>
    public required IReadOnlyList<PlaceOrderLine> Lines { get; init; }

    /// <summary>Gets the shipping charge paid by the customer.</summary>
    /// <value>The default value is null, meaning no charge.</value>
    public Money? ShippingCharge { get; init; }

    /// <summary>Gets the order-level discount, taken off the subtotal plus the shipping charge.</summary>
    /// <value>The default value is null, meaning no discount.</value>
    public Money? Discount { get; init; }

    /// <summary>Gets the date by which delivery was promised to the customer, if one was.</summary>
    /// <value>The default value is null, meaning no promise.</value>
    public LocalDate? PromisedDeliveryDate { get; init; }

    /// <summary>Gets the carrier service the customer chose, with the transit days they were shown; optional.</summary>
    /// <value>The default value is null. With one, the order's <see cref="Order.PromisedDeliveryDate"/> is computed at
    /// its first allocation when the request has none (see <c>docs/delivery-promise.md</c>).</value>
    public Shipping.ShippingMethod? ShippingMethod { get; init; }

    /// <summary>Gets the order this one replaces or exchanges units of, if any; <see cref="Returns.ReturnService"/> sets it.</summary>
    /// <value>The default value is null: an order of its own.</value>
    public OrderId? ReplacementFor { get; init; }

    /// <summary>Gets the identifier to give the order, such as the shop's own order number.</summary>
    /// <value>The default value is null: OrderKit makes a new identifier with <see cref="OrderKit.OrderId.New"/>.</value>
    public OrderId? OrderId { get; init; }

    /// <summary>Gets the cart the order was bought from, whose cart hold (if any, and not expired) the order takes over; optional.</summary>
    /// <remarks>See <see cref="Inventory.InventoryService.HoldForCartAsync"/>. The held units are used first when the order is allocated.</remarks>
    public string? CartId { get; init; }
}
