using NodaTime;
using OrderKit.Events;
using OrderKit.Shipping;

namespace OrderKit.Orders;

/// <summary>The stored form of an order: everything it knows, as plain immutable data.</summary>
/// <remarks>
/// <para>Stores persist orders as snapshots and never see the <see cref="Order"/> object:
/// <see cref="Order.ToSnapshot"/> makes one, <see cref="Order.FromSnapshot"/> turns one back into an order after
/// checking it. A store may keep it as a document (its shape can grow with later versions) with the columns its
/// queries need beside it.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed record OrderSnapshot
{
    /// <summary>Gets the order's identifier.</summary>
    public required OrderId Id { get; init; }

    /// <summary>Gets the version: 1 for an order saved once, one more for each later save.</summary>
    public required long Version { get; init; }

    /// <summary>Gets the customer.</summary>
    public required CustomerId CustomerId { get; init; }

    /// <summary>Gets the sales channel.</summary>
    public required SalesChannel Channel { get; init; }

    /// <summary>Gets the shipping address.</summary>
    public required Address ShippingAddress { get; init; }

    /// <summary>Gets the billing address.</summary>
    public required Address BillingAddress { get; init; }

    /// <summary>Gets the currency.</summary>
    public required Currency Currency { get; init; }

    /// <summary>Gets the lines.</summary>
    public required IReadOnlyList<OrderLineSnapshot> Lines { get; init; }

    /// <summary>Gets the shipping charge.</summary>
    public required Money ShippingCharge { get; init; }

    /// <summary>Gets the order-level discount.</summary>
    public required Money Discount { get; init; }

    /// <summary>Gets the promised delivery date, if any.</summary>
    public LocalDate? PromisedDeliveryDate { get; init; }

    /// <summary>Gets when the order was placed.</summary>
    public required Instant PlacedAt { get; init; }

    /// <summary>Gets the shipping method chosen at checkout, if any.</summary>
    public ShippingMethod? ShippingMethod { get; init; }

    /// <summary>Gets the order this one replaces or exchanges units of, if any.</summary>
    public OrderId? ReplacementFor { get; init; }

    /// <summary>Gets the moment the order must be with the carrier, once promised.</summary>
    public Instant? ShipBy { get; init; }

    /// <summary>Gets when the order was found at risk of missing its ship-by moment, if it was.</summary>
    public Instant? AtRiskSince { get; init; }

    /// <summary>Gets when the order's last unit was delivered, once it has been.</summary>
    public Instant? DeliveredAt { get; init; }

    /// <summary>Gets the status.</summary>
    public required OrderStatus Status { get; init; }

    /// <summary>Gets the payment status.</summary>
    public required PaymentStatus PaymentStatus { get; init; }

    /// <summary>Gets the amount authorized.</summary>
    public required Money AuthorizedAmount { get; init; }

    /// <summary>Gets the amount captured.</summary>
    public required Money CapturedAmount { get; init; }

    /// <summary>Gets the amount refunded.</summary>
    public required Money RefundedAmount { get; init; }

    /// <summary>Gets the active holds.</summary>
    public required IReadOnlyList<OrderHold> Holds { get; init; }

    /// <summary>Gets the number the next hold will get.</summary>
    public required int NextHoldNumber { get; init; }

    /// <summary>Gets the shipments, in the order they were made; empty for an order without any.</summary>
    public IReadOnlyList<Fulfillment.Shipment> Shipments { get; init; } = [];

    /// <summary>Gets the return requests, in the order they were made; empty for an order without any.</summary>
    public IReadOnlyList<Returns.ReturnRequest> Returns { get; init; } = [];

    /// <summary>Gets the claims, in the order they were recorded; empty for an order without any.</summary>
    public IReadOnlyList<Returns.Claim> Claims { get; init; } = [];

    /// <summary>Gets the timeline: every event of the order, oldest first.</summary>
    public required IReadOnlyList<OrderEvent> Timeline { get; init; }
}
