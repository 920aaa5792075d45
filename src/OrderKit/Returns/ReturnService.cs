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
        _orders.ChangeCommandAsync(orderId, order => order.RequestReturn(lines, _options.Returns, _options.TimeZone, windowOverride), cancellationToken);

    /// <summary>Accepts a return request (<see cref="Order.AuthorizeReturn"/>).</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="number">The request's number.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidReturnTransitionException">The request is not awaiting a decision.</exception>
    public Task<Order> AuthorizeAsync(OrderId orderId, int number, CancellationToken cancellationToken = default) =>
        _orders.ChangeCommandAsync(orderId, order => order.AuthorizeReturn(number), cancellationToken);

    /// <summary>Refuses a return request (<see cref="Order.RejectReturn"/>).</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="number">The request's number.</param>
    /// <param name="reason">Why, for the customer.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidReturnTransitionException">The request is not awaiting a decision.</exception>
    public Task<Order> RejectAsync(OrderId orderId, int number, string reason, CancellationToken cancellationToken = default) =>
        _orders.ChangeCommandAsync(orderId, order => order.RejectReturn(number, reason), cancellationToken);

    /// <summary>Records a return label made elsewhere (<see cref="Order.RecordReturnLabel"/>).</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="number">The request's number.</param>
    /// <param name="label">The label.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidReturnTransitionException">The request is not authorized or in transit.</exception>
    public Task<Order> RecordLabelAsync(OrderId orderId, int number, ShippingLabel label, CancellationToken cancellationToken = default) =>
        _orders.ChangeCommandAsync(orderId, order => order.RecordReturnLabel(number, label), cancellationToken);

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
        return await _orders.ChangeCommandAsync(orderId, o => o.RecordReturnLabel(number, label), cancellationToken).ConfigureAwait(false);
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
        Order order = await UnitOfWork.RunSizedOnReadsAsync(_store, _options.MaxConcurrencyRetries, async tx =>
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
        _orders.ChangeCommandAsync(orderId, order => order.InspectReturn(number, finding), cancellationToken);

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

        order = await ResolveOnceAsync(orderId, number, new ReturnResolution(ReturnResolutionKind.Refund, refund, note), cancellationToken).ConfigureAwait(false);
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
        return await _orders.ChangeCommandAsync(orderId, o => o.ResolveReturn(number, resolution), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Resolves an inspected return by sending the units that arrived again, on a new order at no charge.</summary>
    /// <remarks>
    /// The new order (<see cref="Order.ReplacementFor"/> names the original) has the same customer, channel, addresses
    /// and shipping method, one line per SKU received at a price of zero, and is placed, confirmed and allocated in one
    /// unit of work like any checkout: it may be backordered. It is placed under the key
    /// <c>replace:{order}:{number}</c>, so a retry finds it instead of placing a second.
    /// </remarks>
    /// <param name="orderId">The original order.</param>
    /// <param name="number">The request's number; inspected.</param>
    /// <param name="preferences">How to allocate the new order; <see cref="OrderKitOptions.Allocation"/> when null.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The original order as stored, and the replacement order.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidReturnTransitionException">The return is not inspected, or was resolved otherwise.</exception>
    public async Task<(Order Original, Order Replacement)> ReplaceAsync(OrderId orderId, int number, Allocation.AllocationPreferences? preferences = null, CancellationToken cancellationToken = default)
    {
        Order order = await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        ReturnRequest request = order.GetReturn(number);
        if (request.Resolution is { NewOrderId: { } done, Kind: ReturnResolutionKind.Replacement })
        {
            return (order, await _orders.GetAsync(done, cancellationToken).ConfigureAwait(false));
        }

        EnsureResolvable(order, request);
        PlaceOrderLine[] lines = [.. request.Lines.Where(l => request.UnitsReceived(l.Sku) > 0).Select(l => new PlaceOrderLine(l.Sku, new Quantity(request.UnitsReceived(l.Sku)), Money.Zero(order.Currency)))];
        Order replacement = await PlaceFollowUpAsync(order, lines, null, $"replace:{orderId}:{number}", preferences, cancellationToken).ConfigureAwait(false);
        var resolution = new ReturnResolution(ReturnResolutionKind.Replacement, Money.Zero(order.Currency)) { NewOrderId = replacement.Id };
        order = await ResolveOnceAsync(orderId, number, resolution, cancellationToken).ConfigureAwait(false);
        return (order, replacement);
    }

    /// <summary>Resolves an inspected return by sending other units instead (another size, another SKU), on a new order; the price difference is charged on it or refunded.</summary>
    /// <remarks>
    /// <para>The returned units are worth what <see cref="QuoteAsync"/> says (before the refundable cap). The new order
    /// carries the new lines at their prices with that value as its discount. When the new lines cost more, its total is
    /// the difference: it is placed pending payment, authorized through the payment provider when there is one, and
    /// allocated once paid. When they cost less or the same, it is placed at no charge and allocated at once, and the
    /// difference is refunded on the original order (key <c>return:{number}</c>) and is the resolution's amount.</para>
    /// <para>The new order is placed under the key <c>exchange:{order}:{number}</c>; every step is safe to retry.</para>
    /// </remarks>
    /// <param name="orderId">The original order.</param>
    /// <param name="number">The request's number; inspected.</param>
    /// <param name="lines">The units to send instead, at their prices in the order's currency.</param>
    /// <param name="preferences">How to allocate the new order; <see cref="OrderKitOptions.Allocation"/> when null.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The original order as stored, the exchange order, and the refund's result (null when nothing was refunded).</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="ArgumentException">A line is missing, names a SKU the inventory does not know, or is priced in another currency; or a refund is due and exceeds what is refundable.</exception>
    /// <exception cref="InvalidOperationException">A refund is due and no payment service was given to this service.</exception>
    /// <exception cref="InvalidReturnTransitionException">The return is not inspected, or was resolved otherwise.</exception>
    public async Task<(Order Original, Order Exchange, PaymentResult? Refund)> ExchangeAsync(OrderId orderId, int number, IReadOnlyList<PlaceOrderLine> lines, Allocation.AllocationPreferences? preferences = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        Order order = await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        ReturnRequest request = order.GetReturn(number);
        if (request.Resolution is { NewOrderId: { } done, Kind: ReturnResolutionKind.Exchange })
        {
            return (order, await _orders.GetAsync(done, cancellationToken).ConfigureAwait(false), null);
        }

        EnsureResolvable(order, request);
        await EnsureKnownSkusAsync(lines, cancellationToken).ConfigureAwait(false);
        Money credit = UncappedValue(order.QuoteRefund(number, _options.Returns));
        Money subtotal = Money.Zero(order.Currency);
        foreach (PlaceOrderLine line in lines)
        {
            if (line.UnitPrice.IsDefault || line.UnitPrice.Currency != order.Currency)
            {
                throw new ArgumentException($"lines: {line.Sku} is priced {line.UnitPrice}, but the order's currency is {order.Currency}.", nameof(lines));
            }

            subtotal += line.UnitPrice * line.Quantity.Value;
        }

        Money due = credit > subtotal ? credit - subtotal : Money.Zero(order.Currency);
        if (!due.IsZero && _payments is null)
        {
            throw new InvalidOperationException($"The exchange refunds {due}, and ReturnService was created without a PaymentService.");
        }

        Order exchange = await PlaceFollowUpAsync(order, lines, credit > subtotal ? subtotal : credit, $"exchange:{orderId}:{number}", preferences, cancellationToken).ConfigureAwait(false);
        PaymentResult? refund = null;
        if (!due.IsZero)
        {
            (_, refund) = await _payments!.RefundAsync(orderId, due, $"return:{number}", cancellationToken).ConfigureAwait(false);
            if (!refund.Succeeded)
            {
                return (await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false), exchange, refund);
            }
        }

        var resolution = new ReturnResolution(ReturnResolutionKind.Exchange, due) { NewOrderId = exchange.Id };
        order = await ResolveOnceAsync(orderId, number, resolution, cancellationToken).ConfigureAwait(false);
        return (order, exchange, refund);
    }

    /// <summary>Makes a customer good without anything coming back: goodwill, or a shipment lost or damaged in transit, settled by a refund or store credit.</summary>
    /// <remarks>
    /// A refund is paid through the payment provider under the caller's key first, then the claim is recorded
    /// (<see cref="Order.RecordClaim"/>) with the key as its <see cref="Claim.Reference"/>: a retry with the same key
    /// pays once and records once.
    /// </remarks>
    /// <param name="orderId">The order.</param>
    /// <param name="kind">Why.</param>
    /// <param name="shipmentNumber">The shipment, for one lost or damaged in transit; null for goodwill on the whole order.</param>
    /// <param name="settlement"><see cref="ReturnResolutionKind.Refund"/> or <see cref="ReturnResolutionKind.StoreCredit"/>.</param>
    /// <param name="amount">How much.</param>
    /// <param name="reason">The reason in words.</param>
    /// <param name="idempotencyKey">The caller's key for this claim, at most 255 characters.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored, and the refund's result (null for store credit); the claim is the last of <see cref="Order.Claims"/> unless the provider declined.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="ArgumentException">The claim does not hold (see <see cref="Order.RecordClaim"/>), the settlement is not a refund or credit, or a refund exceeds what is refundable.</exception>
    /// <exception cref="InvalidOperationException">A refund is asked and no payment service was given to this service.</exception>
    public async Task<(Order Order, PaymentResult? Refund)> SettleClaimAsync(OrderId orderId, ClaimKind kind, int? shipmentNumber, ReturnResolutionKind settlement, Money amount, string reason, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        Internal.Text.Identifier(idempotencyKey, nameof(idempotencyKey), OrderService.MaxIdempotencyKeyLength);
        if (settlement is not (ReturnResolutionKind.Refund or ReturnResolutionKind.StoreCredit))
        {
            throw new ArgumentException($"settlement {settlement} does not settle a claim here: use Refund or StoreCredit, or ReplaceShipmentAsync.", nameof(settlement));
        }

        var resolution = new ReturnResolution(settlement, amount);
        Order order = await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        if (order.Claims.FirstOrDefault(c => c.Reference == idempotencyKey) is not null)
        {
            return (order, null);
        }

        order.RecordKeyedClaim(kind, shipmentNumber, reason, resolution, idempotencyKey);   // checks the claim on a copy before any money moves
        PaymentResult? refund = null;
        if (settlement == ReturnResolutionKind.Refund && !amount.IsZero)
        {
            PaymentService payments = _payments ?? throw new InvalidOperationException("ReturnService was created without a PaymentService; settle the claim with store credit, or register an IPaymentGateway.");
            (order, refund) = await payments.RefundAsync(orderId, amount, "claim:" + idempotencyKey, cancellationToken).ConfigureAwait(false);
            if (!refund.Succeeded)
            {
                return (order, refund);
            }
        }

        order = await _orders.ChangeCommandAsync(orderId, o =>
        {
            if (o.Claims.All(c => c.Reference != idempotencyKey))
            {
                o.RecordKeyedClaim(kind, shipmentNumber, reason, resolution, idempotencyKey);
            }
        }, cancellationToken).ConfigureAwait(false);
        return (order, refund);
    }

    /// <summary>Sends the units of a shipment lost or damaged in transit again, on a new order at no charge, and records the claim.</summary>
    /// <remarks>
    /// The new order (<see cref="Order.ReplacementFor"/> names the original) carries the shipment's lines at a price of
    /// zero and is placed, confirmed and allocated like any checkout, under the key
    /// <c>replace-shipment:{order}:{shipment}</c>: one replacement per shipment, however often it is asked.
    /// </remarks>
    /// <param name="orderId">The order.</param>
    /// <param name="shipmentNumber">The shipment; it must have shipped.</param>
    /// <param name="kind"><see cref="ClaimKind.LostInTransit"/> or <see cref="ClaimKind.DamagedInTransit"/>.</param>
    /// <param name="reason">The reason in words, such as the carrier's exception.</param>
    /// <param name="preferences">How to allocate the new order; <see cref="OrderKitOptions.Allocation"/> when null.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The original order as stored, with the claim, and the replacement order.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="ArgumentException">The shipment is unknown or has not shipped, the kind is goodwill, or the reason blank.</exception>
    public async Task<(Order Original, Order Replacement)> ReplaceShipmentAsync(OrderId orderId, int shipmentNumber, ClaimKind kind, string reason, Allocation.AllocationPreferences? preferences = null, CancellationToken cancellationToken = default)
    {
        if (kind == ClaimKind.Goodwill)
        {
            throw new ArgumentException("A replacement is for a shipment lost or damaged in transit, not for goodwill.", nameof(kind));
        }

        string key = $"replace-shipment:{orderId}:{shipmentNumber}";
        Order order = await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        Shipment shipment = order.GetShipment(shipmentNumber);
        var check = new ReturnResolution(ReturnResolutionKind.Replacement, Money.Zero(order.Currency)) { NewOrderId = order.Id };
        order.RecordKeyedClaim(kind, shipmentNumber, reason, check, key);   // checks the claim on a copy before placing anything
        PlaceOrderLine[] lines = [.. shipment.Lines.Select(l => new PlaceOrderLine(l.Sku, new Quantity(l.Quantity), Money.Zero(order.Currency)))];
        Order replacement = await PlaceFollowUpAsync(order, lines, null, key, preferences, cancellationToken).ConfigureAwait(false);
        var resolution = new ReturnResolution(ReturnResolutionKind.Replacement, Money.Zero(order.Currency)) { NewOrderId = replacement.Id };
        order = await _orders.ChangeCommandAsync(orderId, o =>
        {
            if (o.Claims.All(c => c.Reference != key))
            {
                o.RecordKeyedClaim(kind, shipmentNumber, reason, resolution, key);
            }
        }, cancellationToken).ConfigureAwait(false);
        return (order, replacement);
    }

    /// <summary>Closes a resolved return (<see cref="Order.CloseReturn"/>).</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="number">The request's number.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidReturnTransitionException">The return is not resolved.</exception>
    public Task<Order> CloseAsync(OrderId orderId, int number, CancellationToken cancellationToken = default) =>
        _orders.ChangeCommandAsync(orderId, order => order.CloseReturn(number), cancellationToken);

    /// <summary>Withdraws a return before anything arrived (<see cref="Order.CancelReturn"/>).</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="number">The request's number.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidReturnTransitionException">Its units arrived already, or it ended.</exception>
    public Task<Order> CancelAsync(OrderId orderId, int number, string reason, CancellationToken cancellationToken = default) =>
        _orders.ChangeCommandAsync(orderId, order => order.CancelReturn(number, reason), cancellationToken);

    private static void EnsureResolvable(Order order, ReturnRequest request)
    {
        if ((request.AllowedActions & ReturnActions.Resolve) == 0)
        {
            throw new InvalidReturnTransitionException(order.Id, request.Number, request.Status, ReturnActions.Resolve, request.AllowedActions);
        }
    }

    private static Money UncappedValue(RefundQuote quote) => quote.Lines.Aggregate(quote.Shipping - quote.RestockingFee, static (sum, line) => sum + line.Amount);

    private Task<Order> ResolveOnceAsync(OrderId orderId, int number, ReturnResolution resolution, CancellationToken cancellationToken, [System.Runtime.CompilerServices.CallerMemberName] string member = "") =>
        _orders.ChangeCommandAsync(orderId, o =>
        {
            if (o.GetReturn(number).Resolution is null)
            {
                o.ResolveReturn(number, resolution);
            }
        }, cancellationToken, member);

    private async Task EnsureKnownSkusAsync(IReadOnlyList<PlaceOrderLine> lines, CancellationToken cancellationToken, [System.Runtime.CompilerServices.CallerMemberName] string member = "")
    {
        if (lines.Count == 0 || lines.Any(l => l is null))
        {
            throw new ArgumentException("lines must have at least one line, and no null one.", nameof(lines));
        }

        IReadOnlyList<SkuStock?> found = await UnitOfWork.RunAsync(_store, _options.MaxConcurrencyRetries, tx => tx.Inventory.FindManyAsync([.. lines.Select(l => l.Sku)], cancellationToken).AsTask(), cancellationToken, member).ConfigureAwait(false);
        for (int i = 0; i < found.Count; i++)
        {
            if (found[i] is null)
            {
                throw new ArgumentException($"lines[{i}].Sku \"{lines[i].Sku}\" is not a SKU the inventory knows.", nameof(lines));
            }
        }
    }

    /// <summary>Places a replacement or exchange order for a customer's original order, under a key that makes it once.</summary>
    private async Task<Order> PlaceFollowUpAsync(Order original, IReadOnlyList<PlaceOrderLine> lines, Money? discount, string key, Allocation.AllocationPreferences? preferences, CancellationToken cancellationToken)
    {
        var request = new PlaceOrderRequest
        {
            CustomerId = original.CustomerId,
            Channel = original.Channel,
            ShippingAddress = original.ShippingAddress,
            BillingAddress = original.BillingAddress,
            Currency = original.Currency,
            Lines = lines,
            Discount = discount is { IsZero: false } ? discount : null,
            ShippingMethod = original.ShippingMethod,
            ReplacementFor = original.Id,
        };
        Money total = lines.Aggregate(Money.Zero(original.Currency), static (sum, l) => sum + (l.UnitPrice * l.Quantity.Value)) - (request.Discount ?? Money.Zero(original.Currency));
        if (total.IsZero)
        {
            return (await _orders.PlaceAndAllocateAsync(request, total, preferences, key, cancellationToken).ConfigureAwait(false)).Order;
        }

        // The customer owes the difference: the order waits for its payment like any other.
        Order placed = (await _orders.PlaceAsync(request, key, cancellationToken).ConfigureAwait(false)).Order;
        if (_payments is not null && placed.Status == OrderStatus.Pending)
        {
            placed = await _payments.AuthorizeAsync(placed.Id, cancellationToken).ConfigureAwait(false);
            if (placed.Status == OrderStatus.Confirmed)
            {
                placed = (await _orders.AllocateAsync(placed.Id, preferences, cancellationToken).ConfigureAwait(false)).Order;
            }
        }

        return placed;
    }

    /// <summary>Checks that a return may be resolved now, and settles the amount.</summary>
    private async Task<(Order Order, Money Amount)> PrepareResolutionAsync(OrderId orderId, int number, Money? amount, bool refunds, CancellationToken cancellationToken)
    {
        Order order = await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        ReturnRequest request = order.GetReturn(number);
        if (!(refunds && request.Status == ReturnStatus.Resolved))
        {
            EnsureResolvable(order, request);
        }

        // The default is the quote before the refundable cap: it depends only on what arrived, so a retry asks for the
        // same amount under the same key and is answered from the first payment. What is refundable is checked by the
        // payment service, after it looked for that first payment.
        RefundQuote quote = order.QuoteRefund(number, _options.Returns);
        Money value = amount ?? UncappedValue(quote);
        if (value.IsDefault || value.Currency != order.Currency || value.IsNegative)
        {
            throw new ArgumentException($"amount must be zero or more in {order.Currency}; got {(value.IsDefault ? "none" : value.ToString())}.", nameof(amount));
        }

        return (order, value);
    }
}
