using NodaTime;
using OrderKit.Fulfillment;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Payments;
using OrderKit.Persistence;
using OrderKit.Shipping;

namespace OrderKit.Returns;

/// <summary>Runs return requests as units of work: request, decide, label, receive with stock dispositions, inspect, refund or credit, close.</summary>
/// <remarks>
/// <para>Each command loads the order, applies the <see cref="Order"/> action, and saves it with its events (and, for a
/// receipt, its stock movements) in one unit of work, retried on conflicts like <see cref="OrderService"/>'s.</para>
/// <para>Calls to the outside (the carrier's return label, the payment provider's refund) are made before the unit
/// of work that records them, each with an idempotency key derived from the order and the return, so a retry after a
/// failure never buys a second label or pays twice.</para>
/// <para>Thread safety: thread-safe; register it as a singleton.</para>
/// </remarks>
public sealed class ReturnService
{
    private readonly IOrderKitStore _store;
    private readonly IClock _clock;
    private readonly OrderKitOptions _options;
    private readonly OrderService _orders;
    private readonly InventoryService _inventory;
    private readonly PaymentService? _payments;
    private readonly CarrierRegistry? _carriers;

    /// <summary>Creates the service.</summary>
    /// <param name="store">Where orders and stock are kept.</param>
    /// <param name="clock">The clock that stamps events and movements.</param>
    /// <param name="options">The options; <see cref="OrderKitOptions.Returns"/> is the policy.</param>
    /// <param name="payments">Refunds through the payment provider; null when refunds are made elsewhere (<see cref="RefundAsync"/> then throws).</param>
    /// <param name="carriers">The carriers, for return labels; null for none.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    public ReturnService(IOrderKitStore store, IClock clock, OrderKitOptions options, PaymentService? payments = null, CarrierRegistry? carriers = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _store = store;
        _clock = clock;
        _options = options;
        _payments = payments;
        _carriers = carriers;
        _inventory = new InventoryService(store, clock, options);
        _orders = new OrderService(store, clock, options, _inventory);
    }

    /// <summary>Opens a return request (<see cref="Order.RequestReturn"/>) under the configured policy.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="lines">The units, one entry per SKU.</param>
    /// <param name="windowOverride">Staff's reason to accept a request after the window; null otherwise.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored; the new request is the last of <see cref="Order.Returns"/>.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="ArgumentException">A line asks for more than is returnable, or the request is late without an override.</exception>
    public Task<Order> RequestAsync(OrderId orderId, IReadOnlyList<ReturnLine> lines, string? windowOverride = null, CancellationToken cancellationToken = default) =>
        _orders.ChangeAsync(orderId, order => order.RequestReturn(lines, _options.Returns, _options.TimeZone, windowOverride), cancellationToken);

    /// <summary>Accepts a return request (<see cref="Order.AuthorizeReturn"/>).</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="number">The request's number.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidReturnTransitionException">The request is not awaiting a decision.</exception>
    public Task<Order> AuthorizeAsync(OrderId orderId, int number, CancellationToken cancellationToken = default) =>
        _orders.ChangeAsync(orderId, order => order.AuthorizeReturn(number), cancellationToken);

    /// <summary>Refuses a return request (<see cref="Order.RejectReturn"/>).</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="number">The request's number.</param>
    /// <param name="reason">Why, for the customer.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidReturnTransitionException">The request is not awaiting a decision.</exception>
    public Task<Order> RejectAsync(OrderId orderId, int number, string reason, CancellationToken cancellationToken = default) =>
        _orders.ChangeAsync(orderId, order => order.RejectReturn(number, reason), cancellationToken);

    /// <summary>Records a return label made elsewhere (<see cref="Order.RecordReturnLabel"/>).</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="number">The request's number.</param>
    /// <param name="label">The label.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidReturnTransitionException">The request is not authorized or in transit.</exception>
    public Task<Order> RecordLabelAsync(OrderId orderId, int number, ShippingLabel label, CancellationToken cancellationToken = default) =>
        _orders.ChangeAsync(orderId, order => order.RecordReturnLabel(number, label), cancellationToken);

    /// <summary>Buys a return label from a carrier that makes them, and records it.</summary>
    /// <remarks>The label is bought with the key <c>return-label:{order}:{number}</c>, so a retry after a failure gets the same label back, never a second one.</remarks>
    /// <param name="orderId">The order.</param>
    /// <param name="number">The request's number.</param>
    /// <param name="carrierCode">The carrier; it must have <see cref="CarrierCapabilities.ReturnLabels"/>.</param>
    /// <param name="to">The location the units go back to.</param>
    /// <param name="parcels">The parcels the customer sends.</param>
    /// <param name="service">The carrier's service; null for its default.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored, with the label on the request.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidOperationException">No carriers were given to this service.</exception>
    /// <exception cref="ArgumentException">No carrier has the code, it makes no return labels, or the parcels are missing.</exception>
    /// <exception cref="InvalidReturnTransitionException">The request is not authorized or in transit.</exception>
    /// <exception cref="CarrierException">The carrier failed.</exception>
    public async Task<Order> CreateLabelAsync(OrderId orderId, int number, string carrierCode, LocationId to, IReadOnlyList<Parcel> parcels, string? service = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parcels);
        CarrierRegistry carriers = _carriers ?? throw new InvalidOperationException("ReturnService was created without carriers; pass a CarrierRegistry to create return labels.");
        ICarrierAdapter carrier = carriers.Get(carrierCode);
        if ((carrier.Capabilities & CarrierCapabilities.ReturnLabels) == 0)
        {
            throw new ArgumentException($"Carrier \"{carrier.Code}\" makes no return labels; record one made elsewhere with RecordLabelAsync.", nameof(carrierCode));
        }

        if (parcels.Count == 0)
        {
            throw new ArgumentException("parcels must have at least one parcel.", nameof(parcels));
        }

        Order order = await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        ReturnRequest request = order.GetReturn(number);
        if ((request.AllowedActions & ReturnActions.Ship) == 0)
        {
            throw new InvalidReturnTransitionException(orderId, number, request.Status, ReturnActions.Ship, request.AllowedActions);
        }

        var labelRequest = new ReturnLabelRequest
        {
            OrderId = orderId,
            From = order.ShippingAddress,
            To = to,
            Parcels = [.. parcels],
            Currency = order.Currency,
            Service = service,
        };
        ShippingLabel label = await carrier.CreateReturnLabelAsync(labelRequest, $"return-label:{orderId}:{number}", cancellationToken).ConfigureAwait(false);
        return await _orders.ChangeAsync(orderId, o => o.RecordReturnLabel(number, label), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Receives returned units (<see cref="Order.ReceiveReturn"/>) and moves their stock with the order, in one unit of work.</summary>
    /// <remarks>
    /// Restocked units go on the shelf at their location (<see cref="StockMovementKind.Restocked"/>), and orders waiting
    /// for the SKU there are filled first when <see cref="OrderKitOptions.FillBackordersOnArrival"/> is on; quarantined
    /// units go into the location's damaged count (<see cref="StockMovementKind.ReturnedDamaged"/>); disposed units are
    /// recorded (<see cref="StockMovementKind.ReturnDisposed"/>). All of it lands with the order, or none of it.
    /// </remarks>
    /// <param name="orderId">The order.</param>
    /// <param name="number">The request's number.</param>
    /// <param name="receipts">What arrived, with each part's disposition and location.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="ArgumentException">A receipt names an unknown location, a SKU not in the request, or more units than were requested.</exception>
    /// <exception cref="InvalidReturnTransitionException">The request is not authorized or in transit.</exception>
    public async Task<Order> ReceiveAsync(OrderId orderId, int number, IReadOnlyList<ReturnReceipt> receipts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receipts);
        Order order = await UnitOfWork.RunAsync(_store, _options.MaxConcurrencyRetries, async tx =>
        {
            IReadOnlyList<StockLocation> locations = await tx.Inventory.GetLocationsAsync(cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < receipts.Count; i++)
            {
                if (receipts[i] is { } receipt && !locations.Any(l => l.Id == receipt.Location))
                {
                    throw new ArgumentException($"receipts[{i}].Location \"{receipt.Location}\" is not a known stock location.", nameof(receipts));
                }
            }

            Order o = Order.FromSnapshot(await tx.Orders.FindAsync(orderId, cancellationToken).ConfigureAwait(false) ?? throw new OrderNotFoundException(orderId), _clock);
            o.ReceiveReturn(number, receipts);
            await UnitOfWork.SaveOrderAsync(tx, o, _clock, null, cancellationToken).ConfigureAwait(false);
            foreach (ReturnReceipt receipt in receipts.Where(r => r.Disposition == ReturnDisposition.Restock).DistinctBy(r => (r.Sku, r.Location)))
            {
                await _inventory.FillArrivalsAsync(tx, receipt.Sku, locations.First(l => l.Id == receipt.Location), cancellationToken).ConfigureAwait(false);
            }

            return o;
        }, cancellationToken).ConfigureAwait(false);
        order.AcceptSave();
        return order;
    }

    /// <summary>Records the inspection's finding (<see cref="Order.InspectReturn"/>).</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="number">The request's number.</param>
    /// <param name="finding">What was found.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidReturnTransitionException">The units have not been received, or were inspected already.</exception>
    public Task<Order> InspectAsync(OrderId orderId, int number, string finding, CancellationToken cancellationToken = default) =>
        _orders.ChangeAsync(orderId, order => order.InspectReturn(number, finding), cancellationToken);

    /// <summary>Works out what a received return is worth (<see cref="Order.QuoteRefund"/>) under the configured policy.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="number">The request's number.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The quote.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidOperationException">The return has received nothing yet.</exception>
    public async Task<RefundQuote> QuoteAsync(OrderId orderId, int number, CancellationToken cancellationToken = default) =>
        (await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false)).QuoteRefund(number, _options.Returns);

    /// <summary>Refunds an inspected return through the payment provider, then records it resolved.</summary>
    /// <remarks>
    /// The refund is paid with the key <c>return:{number}</c> (per order), so a retry after any failure pays once; the
    /// order's payment status follows (<see cref="PaymentStatus.PartiallyRefunded"/> or
    /// <see cref="PaymentStatus.Refunded"/>). A refund the provider declines leaves the return inspected, to be tried
    /// again or resolved otherwise. A zero amount resolves without calling the provider.
    /// </remarks>
    /// <param name="orderId">The order.</param>
    /// <param name="number">The request's number; inspected.</param>
    /// <param name="amount">The amount; null for the quote's lines plus shipping less the fee. At most what the order can still refund.</param>
    /// <param name="note">Staff's note, if any.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored, and what the provider answered (null when nothing was sent).</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidOperationException">No payment service was given to this service.</exception>
    /// <exception cref="ArgumentException">The amount is negative, in another currency, or more than is refundable.</exception>
    /// <exception cref="InvalidReturnTransitionException">The return is not inspected, or was resolved already.</exception>
    /// <exception cref="PaymentGatewayException">The provider kept failing.</exception>
    public async Task<(Order Order, PaymentResult? Payment)> RefundAsync(OrderId orderId, int number, Money? amount = null, string? note = null, CancellationToken cancellationToken = default)
    {
        PaymentService payments = _payments ?? throw new InvalidOperationException("ReturnService was created without a PaymentService; register an IPaymentGateway, or resolve the return with IssueStoreCreditAsync.");
        (Order order, Money refund) = await PrepareResolutionAsync(orderId, number, amount, refunds: true, cancellationToken).ConfigureAwait(false);
        PaymentResult? result = null;
        if (!refund.IsZero)
        {
            (order, result) = await payments.RefundAsync(orderId, refund, $"return:{number}", cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return (order, result);
            }
        }

        var resolution = new ReturnResolution(ReturnResolutionKind.Refund, refund, note);
        order = await _orders.ChangeAsync(orderId, o =>
        {
            if (o.GetReturn(number).Resolution is null)
            {
                o.ResolveReturn(number, resolution);
            }
        }, cancellationToken).ConfigureAwait(false);
        return (order, result);
    }

    /// <summary>Resolves an inspected return with store credit, recorded for the host to honour.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="number">The request's number; inspected.</param>
    /// <param name="amount">The credit; null for the quote's lines plus shipping less the fee.</param>
    /// <param name="note">Staff's note, if any.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="ArgumentException">The amount is negative or in another currency.</exception>
    /// <exception cref="InvalidReturnTransitionException">The return is not inspected, or was resolved already.</exception>
    public async Task<Order> IssueStoreCreditAsync(OrderId orderId, int number, Money? amount = null, string? note = null, CancellationToken cancellationToken = default)
    {
        (_, Money credit) = await PrepareResolutionAsync(orderId, number, amount, refunds: false, cancellationToken).ConfigureAwait(false);
        var resolution = new ReturnResolution(ReturnResolutionKind.StoreCredit, credit, note);
        return await _orders.ChangeAsync(orderId, o => o.ResolveReturn(number, resolution), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes a resolved return (<see cref="Order.CloseReturn"/>).</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="number">The request's number.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidReturnTransitionException">The return is not resolved.</exception>
    public Task<Order> CloseAsync(OrderId orderId, int number, CancellationToken cancellationToken = default) =>
        _orders.ChangeAsync(orderId, order => order.CloseReturn(number), cancellationToken);

    /// <summary>Withdraws a return before anything arrived (<see cref="Order.CancelReturn"/>).</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="number">The request's number.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidReturnTransitionException">Its units arrived already, or it ended.</exception>
    public Task<Order> CancelAsync(OrderId orderId, int number, string reason, CancellationToken cancellationToken = default) =>
        _orders.ChangeAsync(orderId, order => order.CancelReturn(number, reason), cancellationToken);

    /// <summary>Checks that a return may be resolved now, and settles the amount.</summary>
    private async Task<(Order Order, Money Amount)> PrepareResolutionAsync(OrderId orderId, int number, Money? amount, bool refunds, CancellationToken cancellationToken)
    {
        Order order = await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        ReturnRequest request = order.GetReturn(number);
        if ((request.AllowedActions & ReturnActions.Resolve) == 0 && !(refunds && request.Status == ReturnStatus.Resolved))
        {
            throw new InvalidReturnTransitionException(orderId, number, request.Status, ReturnActions.Resolve, request.AllowedActions);
        }

        // The default is the quote before the refundable cap: it depends only on what arrived, so a retry asks for the
        // same amount under the same key and is answered from the first payment. What is refundable is checked by the
        // payment service, after it looked for that first payment.
        RefundQuote quote = order.QuoteRefund(number, _options.Returns);
        Money value = amount ?? quote.Lines.Aggregate(quote.Shipping - quote.RestockingFee, (sum, line) => sum + line.Amount);
        if (value.IsDefault || value.Currency != order.Currency || value.IsNegative)
        {
            throw new ArgumentException($"amount must be zero or more in {order.Currency}; got {(value.IsDefault ? "none" : value.ToString())}.", nameof(amount));
        }

        return (order, value);
    }
}
