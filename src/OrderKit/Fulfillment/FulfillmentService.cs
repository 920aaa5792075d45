using NodaTime;
using OrderKit.Internal;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Payments;
using OrderKit.Persistence;
using OrderKit.Shipping;

namespace OrderKit.Fulfillment;

/// <summary>Carries allocated orders from the shelf to the customer's door: shipments, pick lists, labels, shipping and tracking.</summary>
/// <remarks>
/// <para>Every command that changes an order is one unit of work, as with <see cref="OrderService"/>: load, change,
/// save with its events and its stock movements, commit; retried from the start when another unit of work changed
/// the order first. Shipping commits the reservation (on hand goes down); cancelling or moving a shipment releases
/// it (and reserves at the new location) in the same unit of work.</para>
/// <para>Carrier calls happen outside the unit of work, before the order records their answer. A label purchase
/// passes an idempotency key per order, shipment and label, so a command retried after a crash gets the same label
/// back, never a second one. Transient carrier failures (<see cref="CarrierException.IsTransient"/>) are retried up
/// to <see cref="OrderKitOptions.MaxConcurrencyRetries"/> times.</para>
/// <para>With a <see cref="PaymentService"/> and <see cref="PaymentCapturePolicy.OnShipment"/>, each shipment shipped
/// captures what its units are worth, after the shipment has committed; <see cref="PaymentService.CaptureDueAsync"/>
/// catches up a capture that failed.</para>
/// <para>Thread safety: thread-safe; register it as a singleton.</para>
/// </remarks>
public sealed class FulfillmentService
{
    /// <summary>The inbox source under which webhook tracking events are deduplicated: this prefix and the carrier's code.</summary>
    public const string InboxSourcePrefix = "carrier:";

    private readonly Microsoft.Extensions.Logging.ILogger _logger;
    private readonly IOrderKitStore _store;
    private readonly IClock _clock;
    private readonly OrderKitOptions _options;
    private readonly CarrierRegistry _carriers;
    private readonly PaymentService? _payments;
    private readonly IBinLocator? _bins;
    private readonly OrderService _orders;

    /// <summary>Creates the service.</summary>
    /// <param name="store">Where orders and stock are kept.</param>
    /// <param name="clock">The clock that stamps events.</param>
    /// <param name="options">The options.</param>
    /// <param name="carriers">The carriers.</param>
    /// <param name="payments">Captures money when shipments ship; null to leave payments to the host.</param>
    /// <param name="bins">Says where SKUs are kept, for pick lists; null for none.</param>
    /// <exception cref="ArgumentNullException">A required argument is null.</exception>
    public FulfillmentService(IOrderKitStore store, IClock clock, OrderKitOptions options, CarrierRegistry carriers, PaymentService? payments = null, IBinLocator? bins = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(carriers);
        options.Validate();
        _store = store;
        _clock = clock;
        _options = options;
        _carriers = carriers;
        _payments = payments;
        _bins = bins;
        _orders = new OrderService(store, clock, options);
        _logger = options.LoggerFor<FulfillmentService>();
    }

    /// <summary>Makes one shipment per location for an order's allocated units not yet in a shipment (<see cref="Order.CreateShipments"/>).</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored; its new shipments are the last of <see cref="Order.Shipments"/>.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidOrderTransitionException">The order does not permit shipping (held, nothing allocated, or past it).</exception>
    public Task<Order> CreateShipmentsAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        _orders.ChangeCommandAsync(orderId, static order => order.CreateShipments(), cancellationToken);

    /// <summary>Returns the pick list of a shipment, with bins when an <see cref="IBinLocator"/> is registered.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="shipmentNumber">The shipment.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The pick list.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="ArgumentException">No such shipment.</exception>
    public async Task<PickList> GetPickListAsync(OrderId orderId, int shipmentNumber, CancellationToken cancellationToken = default)
    {
        Order order = await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        Shipment shipment = order.GetShipment(shipmentNumber);
        var lines = new List<PickListLine>(shipment.Lines.Count);
        foreach (ShipmentLine line in shipment.Lines)
        {
            string? bin = _bins is null ? null : await _bins.FindBinAsync(line.Sku, shipment.Location, cancellationToken).ConfigureAwait(false);
            lines.Add(new PickListLine(line.Sku, line.Quantity, bin));
        }

        lines.Sort(static (a, b) => a.Bin is null != b.Bin is null ? (a.Bin is null ? 1 : -1)
            : string.CompareOrdinal(a.Bin, b.Bin) is var c && c != 0 ? c : a.Sku.CompareTo(b.Sku));
        return new PickList(orderId, shipmentNumber, shipment.Location, lines);
    }

    /// <summary>Returns the packing slip of a shipment.</summary>
    /// <param name="order">The order.</param>
    /// <param name="shipmentNumber">The shipment.</param>
    /// <returns>The packing slip.</returns>
    /// <exception cref="ArgumentException">No such shipment.</exception>
    public static PackingSlip GetPackingSlip(Order order, int shipmentNumber)
    {
        ArgumentNullException.ThrowIfNull(order);
        Shipment shipment = order.GetShipment(shipmentNumber);
        var lines = shipment.Lines.Select(static l => new LineQuantity(l.Sku, new Quantity(l.Quantity))).ToList();
        var toFollow = new List<LineQuantity>();
        foreach (OrderLine line in order.Lines)
        {
            int later = line.Open - (shipment.IsOpen ? shipment.QuantityOf(line.Sku) : 0);
            if (later > 0)
            {
                toFollow.Add(new LineQuantity(line.Sku, new Quantity(later)));
            }
        }

        return new PackingSlip(order.Id, shipmentNumber, order.ShippingAddress, lines, shipment.Parcels.Count, toFollow);
    }

    /// <summary>Records what was picked for a shipment (<see cref="Order.Pick"/>).</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="shipmentNumber">The shipment.</param>
    /// <param name="picked">The units picked per SKU; null for everything.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidShipmentTransitionException">The shipment is past picking.</exception>
    /// <exception cref="ArgumentException">No such shipment, or a bad entry.</exception>
    public Task<Order> PickAsync(OrderId orderId, int shipmentNumber, IReadOnlyList<LineQuantity>? picked = null, CancellationToken cancellationToken = default) =>
        _orders.ChangeCommandAsync(orderId, order => order.Pick(shipmentNumber, picked), cancellationToken);

    /// <summary>Packs a shipment into parcels (<see cref="Order.Pack"/>); what was not packed goes to a new shipment.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="shipmentNumber">The shipment.</param>
    /// <param name="parcels">The parcels.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidShipmentTransitionException">The shipment is not being picked.</exception>
    /// <exception cref="ArgumentException">No such shipment, or the parcels hold more than was picked.</exception>
    public Task<Order> PackAsync(OrderId orderId, int shipmentNumber, IReadOnlyList<Parcel> parcels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parcels);
        return _orders.ChangeCommandAsync(orderId, order => order.Pack(shipmentNumber, parcels), cancellationToken);
    }

    /// <summary>Splits units off a shipment into a new one from the same location (<see cref="Order.SplitShipment"/>).</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="shipmentNumber">The shipment.</param>
    /// <param name="lines">The units to move to the new shipment.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored; the new shipment is the last.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidShipmentTransitionException">The shipment is packed or past it.</exception>
    /// <exception cref="ArgumentException">No such shipment, or a bad entry.</exception>
    public Task<Order> SplitShipmentAsync(OrderId orderId, int shipmentNumber, IReadOnlyList<LineQuantity> lines, CancellationToken cancellationToken = default) =>
        _orders.ChangeCommandAsync(orderId, order => order.SplitShipment(shipmentNumber, lines), cancellationToken);

    /// <summary>Moves a shipment to another location, reserving there and releasing here in one unit of work (<see cref="Order.MoveShipment"/>).</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="shipmentNumber">The shipment.</param>
    /// <param name="to">An active location.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidShipmentTransitionException">The shipment is packed or past it.</exception>
    /// <exception cref="ArgumentException">No such shipment, or <paramref name="to"/> is not an active location.</exception>
    /// <exception cref="InsufficientStockException">The new location has too little stock; nothing changed.</exception>
    public async Task<Order> MoveShipmentAsync(OrderId orderId, int shipmentNumber, LocationId to, CancellationToken cancellationToken = default)
    {
        IOrderKitTransaction tx = await _store.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (tx.ConfigureAwait(false))
        {
            IReadOnlyList<StockLocation> locations = await tx.Inventory.GetLocationsAsync(cancellationToken).ConfigureAwait(false);
            if (!locations.Any(l => l.Id == to && l.IsActive))
            {
                throw new ArgumentException($"to {to} is not an active stock location.", nameof(to));
            }
        }

        return await _orders.ChangeCommandAsync(orderId, order => order.MoveShipment(shipmentNumber, to), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks the carriers for rates for a packed shipment, cheapest first.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="shipmentNumber">A packed shipment.</param>
    /// <param name="carrierCodes">The carriers to ask; null for every one that quotes.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The rates.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidShipmentTransitionException">The shipment is not packed.</exception>
    /// <exception cref="CarrierException">A carrier failed, or quoted in another currency.</exception>
    public async Task<IReadOnlyList<ShippingRate>> GetRatesAsync(OrderId orderId, int shipmentNumber, IEnumerable<string>? carrierCodes = null, CancellationToken cancellationToken = default)
    {
        Order order = await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        RateRequest request = RateRequestFor(order, shipmentNumber, ShipmentActions.PurchaseLabel);
        return await CarrierCallAsync(ct => new ValueTask<IReadOnlyList<ShippingRate>>(_carriers.GetRatesAsync(request, carrierCodes, ct)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Buys a label for a packed shipment from a carrier and records it; a retry never buys a second label.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="shipmentNumber">A packed shipment without a label.</param>
    /// <param name="carrierCode">The carrier.</param>
    /// <param name="service">The carrier's service.</param>
    /// <param name="trackingNumber">A tracking number typed in by staff, for a <see cref="ManualCarrier"/>; null otherwise.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored, with the label on the shipment.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidShipmentTransitionException">The shipment is not packed, or has a label.</exception>
    /// <exception cref="ArgumentException">No such shipment or carrier; the carrier's label is in another currency or under another code.</exception>
    /// <exception cref="CarrierException">The carrier failed or refused.</exception>
    public async Task<Order> PurchaseLabelAsync(OrderId orderId, int shipmentNumber, string carrierCode, string service, string? trackingNumber = null, CancellationToken cancellationToken = default)
    {
        ICarrierAdapter carrier = _carriers.Get(carrierCode);
        Text.Identifier(service, nameof(service), ShippingLabel.MaxFieldLength);
        Order order = await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        RateRequest shipment = RateRequestFor(order, shipmentNumber, ShipmentActions.PurchaseLabel);

        // One key per order, shipment and label: after a void, the next label gets a new key.
        int labelsBefore = order.Timeline.Count(e => e is Events.ShipmentLabelPurchased p && p.ShipmentNumber == shipmentNumber);
        string key = $"label:{orderId}:{shipmentNumber}:{labelsBefore + 1}";
        var request = new LabelRequest { OrderId = orderId, ShipmentNumber = shipmentNumber, Service = service, Shipment = shipment, TrackingNumber = trackingNumber };
        ShippingLabel label = await CarrierCallAsync(ct => carrier.PurchaseLabelAsync(request, key, ct), cancellationToken).ConfigureAwait(false);
        if (!string.Equals(label.CarrierCode, carrier.Code, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"Carrier {carrier.Code} returned a label under code \"{label.CarrierCode}\".", nameof(carrierCode));
        }

        try
        {
            return await _orders.ChangeCommandAsync(orderId, o => o.RecordLabel(shipmentNumber, label), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidShipmentTransitionException or ArgumentException)
        {
            // The order changed meanwhile, or the label cannot be recorded: do not leave a paid label behind.
            if ((carrier.Capabilities & CarrierCapabilities.VoidLabels) != 0)
            {
                await CarrierCallAsync(async ct => { await carrier.VoidLabelAsync(label, ct).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Chooses a rate by a policy (the order's promised date for <see cref="CarrierSelectionPolicy.CheapestOnTime"/>) and buys its label.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="shipmentNumber">A packed shipment without a label.</param>
    /// <param name="policy">How to choose.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored, and the choice made.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidShipmentTransitionException">The shipment is not packed, or has a label.</exception>
    /// <exception cref="CarrierException">No carrier serves the destination, or a carrier failed.</exception>
    public async Task<(Order Order, RateSelection Selection)> SelectAndPurchaseLabelAsync(OrderId orderId, int shipmentNumber, CarrierSelectionPolicy policy, CancellationToken cancellationToken = default)
    {
        Order order = await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        RateRequest request = RateRequestFor(order, shipmentNumber, ShipmentActions.PurchaseLabel) with
        {
            ShipDate = _clock.GetCurrentInstant().InZone(_options.TimeZone).Date,
        };
        RateSelection selection = await CarrierCallAsync(ct => new ValueTask<RateSelection?>(_carriers.SelectRateAsync(request, policy, order.PromisedDeliveryDate, ct)), cancellationToken).ConfigureAwait(false)
            ?? throw new CarrierException("*", $"no carrier serves {order.ShippingAddress} for shipment #{shipmentNumber} of order {orderId}.");
        order = await PurchaseLabelAsync(orderId, shipmentNumber, selection.Rate.CarrierCode, selection.Rate.Service, null, cancellationToken).ConfigureAwait(false);
        return (order, selection);
    }

    /// <summary>Voids a shipment's label with its carrier, then records it; the shipment is packed again.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="shipmentNumber">A shipment with a label, not shipped.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidShipmentTransitionException">The shipment has no label, or has shipped.</exception>
    /// <exception cref="CarrierException">The carrier failed or refused.</exception>
    public async Task<Order> VoidLabelAsync(OrderId orderId, int shipmentNumber, CancellationToken cancellationToken = default)
    {
        await VoidAtCarrierAsync(orderId, shipmentNumber, cancellationToken).ConfigureAwait(false);
        return await _orders.ChangeCommandAsync(orderId, o => o.VoidLabel(shipmentNumber), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hands a packed shipment to its carrier: its stock leaves the location in the same unit of work; then captures what it is worth.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="shipmentNumber">A packed shipment.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored, after the capture when one was made.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidShipmentTransitionException">The shipment is not packed (cancelled, or shipped already).</exception>
    /// <exception cref="InvalidOrderTransitionException">The order is held.</exception>
    public async Task<Order> ShipAsync(OrderId orderId, int shipmentNumber, CancellationToken cancellationToken = default)
    {
        Order order = await _orders.ChangeCommandAsync(orderId, o => o.ShipShipment(shipmentNumber), cancellationToken).ConfigureAwait(false);
        return await CaptureIfDueAsync(order, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cancels a shipment before it ships: voids its label with the carrier if it has one, then releases its stock in one unit of work.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="shipmentNumber">The shipment.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidShipmentTransitionException">The shipment has shipped or is cancelled.</exception>
    /// <exception cref="ArgumentException">No such shipment, or the reason is blank.</exception>
    /// <exception cref="CarrierException">The carrier refused to void the label; nothing changed.</exception>
    public async Task<Order> CancelShipmentAsync(OrderId orderId, int shipmentNumber, string reason, CancellationToken cancellationToken = default)
    {
        Text.Required(reason, nameof(reason), 500);
        Order order = await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        if (order.GetShipment(shipmentNumber).Label is not null && order.GetShipment(shipmentNumber).IsOpen)
        {
            await VoidAtCarrierAsync(orderId, shipmentNumber, cancellationToken).ConfigureAwait(false);
        }

        return await _orders.ChangeCommandAsync(
            orderId,
            o =>
            {
                if (o.GetShipment(shipmentNumber) is { Label: not null, IsOpen: true })
                {
                    o.VoidLabel(shipmentNumber);
                }

                o.CancelShipment(shipmentNumber, reason);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies a tracking update to a shipment (<see cref="Order.ApplyTracking"/>): repeats change nothing, and order does not matter.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="shipmentNumber">The shipment.</param>
    /// <param name="update">The update.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>What became of the update.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidShipmentTransitionException">The shipment has no label and has not shipped, or was cancelled.</exception>
    /// <exception cref="ArgumentException">No such shipment.</exception>
    public async Task<TrackingResult> ApplyTrackingAsync(OrderId orderId, int shipmentNumber, TrackingUpdate update, CancellationToken cancellationToken = default) =>
        (await ApplyAsync(orderId, shipmentNumber, update, cancellationToken).ConfigureAwait(false)).Result;

    /// <summary>Marks a shipped shipment delivered, for an own fleet or a delivery confirmed by phone.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="shipmentNumber">A shipped shipment.</param>
    /// <param name="note">What staff know, such as who signed; or null.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidShipmentTransitionException">The shipment has not shipped, or was cancelled.</exception>
    public async Task<Order> MarkDeliveredAsync(OrderId orderId, int shipmentNumber, string? note = null, CancellationToken cancellationToken = default)
    {
        var update = new TrackingUpdate(TrackingStatus.Delivered, _clock.GetCurrentInstant(), "manual") { Detail = note };
        return (await ApplyAsync(orderId, shipmentNumber, update, cancellationToken).ConfigureAwait(false)).Order;
    }

    /// <summary>Receives a tracking event from a carrier, such as a webhook: finds the shipment by tracking number and applies the update once.</summary>
    /// <remarks>
    /// An update with an <see cref="TrackingUpdate.EventId"/> is recorded in the inbox under
    /// <see cref="InboxSourcePrefix"/> and the carrier's code in the same unit of work as the order, so a webhook
    /// delivered twice is applied once. An unknown tracking number is a result, not an exception: a webhook should
    /// answer it without an error, so that the carrier does not send it again and again.
    /// </remarks>
    /// <param name="carrierCode">The carrier's code.</param>
    /// <param name="trackingNumber">The tracking number.</param>
    /// <param name="update">The update.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>What became of the update.</returns>
    /// <exception cref="ArgumentException">The carrier code or tracking number is blank.</exception>
    public async Task<TrackingResult> ReceiveTrackingAsync(string carrierCode, string trackingNumber, TrackingUpdate update, CancellationToken cancellationToken = default)
    {
        Text.Identifier(carrierCode, nameof(carrierCode), CarrierRegistry.MaxCodeLength);
        Text.Identifier(trackingNumber, nameof(trackingNumber), ShippingLabel.MaxFieldLength);
        ArgumentNullException.ThrowIfNull(update);
        string source = InboxSourcePrefix + carrierCode.ToLowerInvariant();
        (TrackingResult Result, Order? Order) outcome = await UnitOfWork.RunAsync(_store, _options.MaxConcurrencyRetries, async tx =>
        {
            OrderId? orderId = await tx.Orders.FindByTrackingNumberAsync(carrierCode, trackingNumber, cancellationToken).ConfigureAwait(false);
            Order? order = orderId is { } id && await tx.Orders.FindAsync(id, cancellationToken).ConfigureAwait(false) is { } snapshot
                ? Order.FromSnapshot(snapshot, _clock)
                : null;
            Shipment? shipment = order?.Shipments.FirstOrDefault(s => s.Label is { } l && l.TrackingNumber == trackingNumber && string.Equals(l.CarrierCode, carrierCode, StringComparison.OrdinalIgnoreCase));
            if (order is null || shipment is null)
            {
                return (new TrackingResult(TrackingOutcome.UnknownTrackingNumber, null, null, null), (Order?)null);
            }

            if (update.EventId is { } eventId && !await tx.Inbox.TryRecordAsync(source, eventId, cancellationToken).ConfigureAwait(false))
            {
                return (new TrackingResult(TrackingOutcome.Repeat, order.Id, shipment.Number, shipment.Status), null);
            }

            bool applied = order.ApplyTracking(shipment.Number, update);
            if (applied)
            {
                await UnitOfWork.SaveOrderAsync(tx, order, _clock, null, cancellationToken).ConfigureAwait(false);
            }

            return (new TrackingResult(applied ? TrackingOutcome.Applied : TrackingOutcome.Repeat, order.Id, shipment.Number, order.GetShipment(shipment.Number).Status), applied ? order : null);
        }, cancellationToken).ConfigureAwait(false);
        if (outcome.Order is { } changed)
        {
            changed.AcceptSave();
            await CaptureIfDueAsync(changed, cancellationToken).ConfigureAwait(false);
        }

        return outcome.Result;
    }

    /// <summary>Receives a carrier's webhook payload: parses it with the carrier's <see cref="ICarrierWebhook"/> and applies each event.</summary>
    /// <param name="carrierCode">The carrier whose webhook was called.</param>
    /// <param name="payload">The request body.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>One result per event in the payload.</returns>
    /// <exception cref="ArgumentException">No such carrier, or it does not receive webhooks.</exception>
    /// <exception cref="FormatException">The payload does not parse; nothing was applied.</exception>
    public async Task<IReadOnlyList<TrackingResult>> ReceiveWebhookAsync(string carrierCode, string payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ICarrierAdapter carrier = _carriers.Get(carrierCode);
        if (carrier is not ICarrierWebhook webhook)
        {
            throw new ArgumentException($"Carrier {carrier.Code} does not receive webhooks (it does not implement {nameof(ICarrierWebhook)}).", nameof(carrierCode));
        }

        IReadOnlyList<CarrierTrackingEvent> events = webhook.ParseWebhook(payload);
        var results = new List<TrackingResult>(events.Count);
        foreach (CarrierTrackingEvent e in events)
        {
            results.Add(await ReceiveTrackingAsync(carrier.Code, e.TrackingNumber, e.Update, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>Asks the carriers for the tracking of an order's shipments on their way, and applies what is new.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The number of updates applied.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="CarrierException">A carrier kept failing.</exception>
    public async Task<int> PollTrackingAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        Order order = await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        int applied = 0;
        foreach (Shipment shipment in order.Shipments)
        {
            if (shipment.Label is not { } label || shipment.Status is ShipmentStatus.Cancelled or ShipmentStatus.Delivered or ShipmentStatus.ReturnedToSender
                || !_carriers.TryGet(label.CarrierCode, out ICarrierAdapter? carrier) || (carrier.Capabilities & CarrierCapabilities.Tracking) == 0)
            {
                continue;
            }

            IReadOnlyList<TrackingUpdate> updates = await CarrierCallAsync(ct => carrier.TrackAsync(label.TrackingNumber, ct), cancellationToken).ConfigureAwait(false);
            foreach (TrackingUpdate update in updates.OrderBy(static u => u.OccurredAt))
            {
                TrackingResult result = await ReceiveTrackingAsync(carrier.Code, label.TrackingNumber, update, cancellationToken).ConfigureAwait(false);
                applied += result.Outcome == TrackingOutcome.Applied ? 1 : 0;
            }
        }

        return applied;
    }

    private async Task<(TrackingResult Result, Order Order)> ApplyAsync(OrderId orderId, int shipmentNumber, TrackingUpdate update, CancellationToken cancellationToken, [System.Runtime.CompilerServices.CallerMemberName] string member = "")
    {
        ArgumentNullException.ThrowIfNull(update);
        bool applied = false;
        Order order = await _orders.ChangeCommandAsync(orderId, o => applied = o.ApplyTracking(shipmentNumber, update), cancellationToken, member).ConfigureAwait(false);
        order = applied ? await CaptureIfDueAsync(order, cancellationToken).ConfigureAwait(false) : order;
        return (new TrackingResult(applied ? TrackingOutcome.Applied : TrackingOutcome.Repeat, orderId, shipmentNumber, order.GetShipment(shipmentNumber).Status), order);
    }

    private static RateRequest RateRequestFor(Order order, int shipmentNumber, ShipmentActions action)
    {
        Shipment shipment = order.GetShipment(shipmentNumber);
        if ((shipment.AllowedActions & action) == 0)
        {
            throw new InvalidShipmentTransitionException(order.Id, shipmentNumber, shipment.Status, action, shipment.AllowedActions, "it must be packed, without a label");
        }

        return new RateRequest { Origin = shipment.Location, Destination = order.ShippingAddress, Parcels = shipment.Parcels, Currency = order.Currency };
    }

    private async Task VoidAtCarrierAsync(OrderId orderId, int shipmentNumber, CancellationToken cancellationToken)
    {
        Order order = await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        Shipment shipment = order.GetShipment(shipmentNumber);
        if ((shipment.AllowedActions & ShipmentActions.VoidLabel) == 0 || shipment.Label is not { } label)
        {
            throw new InvalidShipmentTransitionException(orderId, shipmentNumber, shipment.Status, ShipmentActions.VoidLabel, shipment.AllowedActions, "it has no label to void");
        }

        if (_carriers.TryGet(label.CarrierCode, out ICarrierAdapter? carrier) && (carrier.Capabilities & CarrierCapabilities.VoidLabels) != 0)
        {
            await CarrierCallAsync(async ct => { await carrier.VoidLabelAsync(label, ct).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Order> CaptureIfDueAsync(Order order, CancellationToken cancellationToken) =>
        _payments is not null && _options.PaymentCapture == PaymentCapturePolicy.OnShipment && !order.UncapturedForShipped.IsZero
            ? await _payments.CaptureDueAsync(order.Id, cancellationToken).ConfigureAwait(false)
            : order;

    /// <summary>Logs a carrier's failure as the exception passes; always true, so the filter goes on.</summary>
    private bool LoggedCarrierFailure(CarrierException e)
    {
        Log.CarrierFailed(_logger, e.CarrierCode, e.IsTransient ? "transient" : "permanent", e.Message);
        return true;
    }

    private async Task<T> CarrierCallAsync<T>(Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (CarrierException e) when (LoggedCarrierFailure(e) && e.IsTransient && attempt < _options.MaxConcurrencyRetries)
            {
                await UnitOfWork.PauseBeforeRetryAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
