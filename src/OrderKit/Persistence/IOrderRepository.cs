using NodaTime;
using OrderKit.Orders;

namespace OrderKit.Persistence;

/// <summary>The orders of a store, as seen from one transaction.</summary>
/// <remarks>
/// <para>Orders are read and written as <see cref="OrderSnapshot"/>s. Optimistic concurrency: a snapshot carries the
/// version it will have once saved; the save succeeds only if the stored version is one less (or the order is new
/// and the snapshot's version is 1). Otherwise <see cref="ConcurrencyConflictException"/> is thrown, at the save or
/// at the commit.</para>
/// <para>Thread safety: as its transaction; not thread-safe.</para>
/// </remarks>
public interface IOrderRepository
{
    /// <summary>Reads an order.</summary>
    /// <param name="orderId">The order's identifier.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The order as last saved (by this transaction or a committed one), or null when there is none.</returns>
    ValueTask<OrderSnapshot?> FindAsync(OrderId orderId, CancellationToken cancellationToken = default);

    /// <summary>Saves an order as the snapshot's version.</summary>
    /// <param name="order">The order; its <see cref="OrderSnapshot.Version"/> is the version it will have.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the write is part of the transaction.</returns>
    /// <exception cref="ConcurrencyConflictException">The stored version is not the snapshot's version minus one.</exception>
    ValueTask SaveAsync(OrderSnapshot order, CancellationToken cancellationToken = default);

    /// <summary>Finds the order whose shipment carries a tracking number, for a carrier's webhook.</summary>
    /// <remarks>
    /// Every label ever recorded on a saved order is found, voided ones included (the service then checks the
    /// shipment's current label). Carrier codes compare without regard to case; tracking numbers exactly.
    /// </remarks>
    /// <param name="carrierCode">The carrier's code.</param>
    /// <param name="trackingNumber">The tracking number.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The order, or null when no saved order has that tracking number.</returns>
    ValueTask<OrderId?> FindByTrackingNumberAsync(string carrierCode, string trackingNumber, CancellationToken cancellationToken = default);

    /// <summary>Finds orders whose ship-by moment has come with units still to ship, for <see cref="OrderService.FindOrdersAtRiskAsync"/>.</summary>
    /// <remarks>
    /// An order qualifies when its <see cref="OrderSnapshot.ShipBy"/> is at or before <paramref name="now"/> and its
    /// <see cref="OrderSnapshot.Status"/> is <see cref="OrderStatus.Confirmed"/>, <see cref="OrderStatus.Allocated"/>,
    /// <see cref="OrderStatus.Backordered"/> or <see cref="OrderStatus.PartiallyShipped"/>. A store keeps what the
    /// query needs beside the document (the SQL stores: a column and a partial index), so the cost follows the orders
    /// found, not the orders kept.
    /// </remarks>
    /// <param name="now">The moment to compare with.</param>
    /// <param name="maxCount">The largest number of orders to return; at least one.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Up to <paramref name="maxCount"/> orders, earliest ship-by first (ties by order id), as committed.</returns>
    ValueTask<IReadOnlyList<OrderId>> FindPastShipByAsync(Instant now, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Finds delivered orders, for <see cref="OrderService.CompleteDeliveredOrdersAsync"/>.</summary>
    /// <remarks>An order qualifies when its <see cref="OrderSnapshot.Status"/> is <see cref="OrderStatus.Delivered"/> and its <see cref="OrderSnapshot.DeliveredAt"/> is at or before <paramref name="deliveredBy"/>.</remarks>
    /// <param name="deliveredBy">The latest delivery moment to return.</param>
    /// <param name="maxCount">The largest number of orders to return; at least one.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Up to <paramref name="maxCount"/> orders, earliest delivered first (ties by order id), as committed.</returns>
    ValueTask<IReadOnlyList<OrderId>> FindDeliveredAsync(Instant deliveredBy, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Reads the orders placed in a window, a page at a time, for rebuilding figures (<see cref="Insights.OrderInsights.LoadAsync(IOrderKitStore, CancellationToken)"/>) or a report of your own.</summary>
    /// <remarks>
    /// Orders come earliest placed first, ties by order id (ordinal). To read the next page, pass the last order of
    /// the page before as <paramref name="after"/>: the orders that sort after it are returned, so no order comes twice.
    /// An order committed while you page is found only if it sorts after the page you are on. Moments are compared at
    /// the store's precision (PostgreSQL keeps microseconds), so an order placed within a microsecond of
    /// <paramref name="to"/> may fall on either side of it. A store keeps an index on the moment and the id, so a page
    /// costs the orders it returns, not the orders kept.
    /// </remarks>
    /// <param name="from">The start of the window, included.</param>
    /// <param name="to">The end of the window, excluded.</param>
    /// <param name="after">The last order of the page before; null for the first page.</param>
    /// <param name="maxCount">The largest number of orders to return; at least one.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Up to <paramref name="maxCount"/> orders, as committed; fewer only when the window has no more.</returns>
    /// <exception cref="ArgumentException"><paramref name="to"/> is not after <paramref name="from"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is less than one.</exception>
    ValueTask<IReadOnlyList<OrderSnapshot>> FindPlacedAsync(Instant from, Instant to, OrderSnapshot? after, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Reads the orders of one customer, newest first, a page at a time: an order history.</summary>
    /// <remarks>
    /// Orders come latest placed first, ties by order id (ordinal, descending), so the order is the reverse of
    /// <see cref="FindPlacedAsync"/>. To read the next (older) page, pass the last order of the page before as
    /// <paramref name="after"/>: the orders that sort after it are returned, so no order comes twice. An order placed
    /// while you page sorts before the pages already read and is found by starting again. A store keeps an index on the
    /// customer, the moment and the id, so a page costs the orders it returns, not the customer's history.
    /// </remarks>
    /// <param name="customerId">The customer.</param>
    /// <param name="after">The last order of the page before, an order of the same customer; null for the first page.</param>
    /// <param name="maxCount">The largest number of orders to return; at least one.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Up to <paramref name="maxCount"/> orders, as committed; fewer only when the customer has no more.</returns>
    /// <exception cref="ArgumentException"><paramref name="customerId"/> is the default value, or <paramref name="after"/> is an order of another customer.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is less than one.</exception>
    ValueTask<IReadOnlyList<OrderSnapshot>> FindByCustomerAsync(CustomerId customerId, OrderSnapshot? after, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Reads the order lines waiting for stock of a SKU: the backorder queue, first come, first served.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="maxCount">The largest number of lines to return; at least one.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Up to <paramref name="maxCount"/> lines with backordered units of the SKU, earliest placed first (ties by order id), as committed.</returns>
    ValueTask<IReadOnlyList<WaitingLine>> FindWaitingAsync(Sku sku, int maxCount, CancellationToken cancellationToken = default);
}
