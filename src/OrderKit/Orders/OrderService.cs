using NodaTime;
using OrderKit.Allocation;
using OrderKit.Internal;
using OrderKit.Inventory;
using OrderKit.Persistence;

namespace OrderKit.Orders;

/// <summary>Places and changes stored orders, each command as one unit of work.</summary>
/// <remarks>
/// <para>Every command runs as: begin a transaction, load the order at version <c>v</c>, apply the action, append its
/// events to the outbox, save the order as version <c>v + 1</c>, commit. All of it lands or none of it does. When
/// another unit of work changed the same order first, the command is retried from the start, up to
/// <see cref="OrderKitOptions.MaxConcurrencyRetries"/> times, and then
/// <see cref="ConcurrencyConflictException"/> is thrown.</para>
/// <para>The order's own exceptions pass through unchanged and leave nothing stored:
/// <see cref="InvalidOrderTransitionException"/> for an action its state does not permit, an
/// <see cref="ArgumentException"/> for bad arguments.</para>
/// <para>Thread safety: thread-safe; register it as a singleton.</para>
/// </remarks>
public sealed class OrderService
{
    /// <summary>The longest idempotency key accepted, in characters.</summary>
    public const int MaxIdempotencyKeyLength = 255;

    private const string PlaceOperation = "place-order";
    private const int MaxSweep = 10_000;
    private static readonly TimeSpan s_maxPlanWait = TimeSpan.FromMilliseconds(100);

    private readonly IOrderKitStore _store;
    private readonly IClock _clock;
    private readonly OrderKitOptions _options;
    private readonly InventoryService _inventory;
    private readonly Microsoft.Extensions.Logging.ILogger _logger;

    /// <summary>Creates the service, with an inventory over the same store.</summary>
    /// <param name="store">Where orders and stock are kept.</param>
    /// <param name="clock">The clock that stamps events and expires idempotency records.</param>
    /// <param name="options">The options; checked here.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public OrderService(IOrderKitStore store, IClock clock, OrderKitOptions options)
        : this(store, clock, options, new InventoryService(store, clock, options))
    {
    }

    /// <summary>Creates the service.</summary>
    /// <param name="store">Where orders and stock are kept.</param>
    /// <param name="clock">The clock that stamps events and expires idempotency records.</param>
    /// <param name="options">The options; checked here.</param>
    /// <param name="inventory">The inventory that plans allocations; it must use the same store.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public OrderService(IOrderKitStore store, IClock clock, OrderKitOptions options, InventoryService inventory)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(inventory);
        options.Validate();
        _store = store;
        _clock = clock;
        _options = options;
        _inventory = inventory;
        _logger = options.LoggerFor<OrderService>();
    }

    /// <summary>Places an order.</summary>
    /// <remarks>
    /// With an idempotency key, a retry of the same request (the same key and the same request) returns the order
    /// the first one placed, with <see cref="PlaceOrderResult.IsReplay"/> set, and places nothing; the same key with a
    /// different request throws <see cref="IdempotencyKeyMismatchException"/>. Keys are remembered for
    /// <see cref="OrderKitOptions.IdempotencyRetention"/>. A request refused for bad input is not remembered, so it
    /// can be corrected and sent again under the same key.
    /// </remarks>
    /// <param name="request">What the customer bought.</param>
    /// <param name="idempotencyKey">The caller's key for this request (such as the checkout's <c>Idempotency-Key</c> header), at most 255 characters; or null.</param>
    /// <param name="cancellationToken">Cancels the command; nothing is stored when it is cancelled before the commit.</param>
    /// <returns>The order placed, or the one placed first under the same key.</returns>
    /// <exception cref="ArgumentException">The request breaks a rule of <see cref="PlaceOrderRequest"/>, its order identifier is taken, or the key is blank or too long.</exception>
    /// <exception cref="IdempotencyKeyMismatchException">The key was used before for a different request.</exception>
    /// <exception cref="ConcurrencyConflictException">Conflicting requests kept winning after every retry.</exception>
    public async Task<PlaceOrderResult> PlaceAsync(PlaceOrderRequest request, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (idempotencyKey is not null)
        {
            Text.Identifier(idempotencyKey, nameof(idempotencyKey), MaxIdempotencyKeyLength);
        }

        using System.Diagnostics.Activity? activity = Telemetry.StartCommand(nameof(OrderService), nameof(PlaceAsync));

        // Place (and so check) the order before touching the store: bad input leaves nothing behind. The same
        // unsaved order is offered on every attempt; only a committed attempt marks it saved.
        Order order = Order.Place(request, _clock);
        string? fingerprint = idempotencyKey is null ? null : RequestFingerprint.Of(request);

        for (int attempt = 0; ; attempt++)
        {
            try
            {
                bool checkId = request.OrderId is not null || attempt > 0;
                return await PlaceOnceAsync(order, idempotencyKey, fingerprint, request.CartId, checkId, null, lastSeen: false, cancellationToken).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException) when (attempt < _options.MaxConcurrencyRetries)
            {
                // Another request took the key or the identifier first: look again, and replay or refuse.
            }
            catch (TransientStoreException) when (attempt < _options.MaxConcurrencyRetries)
            {
                // The store was busy and applied nothing.
                await UnitOfWork.PauseBeforeRetryAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Checkout in one unit of work: places an order whose payment was authorized before placement, confirms it, and allocates and reserves its stock.</summary>
    /// <remarks>
    /// <para>The same as <see cref="PlaceAsync"/>, then <see cref="ConfirmPaymentAsync"/>, then
    /// <see cref="AllocateAsync"/>, but all of it commits together or not at all, with one write of the order: the
    /// path for a storefront that authorizes the payment before it creates the order. The order is stored once, at
    /// version 1, with every event of the three steps (<see cref="Events.OrderPlaced"/>,
    /// <see cref="Events.OrderConfirmed"/>, the allocation's). Shortfalls are handled as by
    /// <see cref="AllocateAsync"/>: backordered units wait, refused units follow
    /// <see cref="AllocationPreferences.OnShortfall"/>.</para>
    /// <para>With an idempotency key, a retry returns the order the first request placed (by either method), with
    /// <see cref="PlaceOrderResult.IsReplay"/> set. When stock moves underneath between the plan and the reservation,
    /// the whole placement is tried again, up to <see cref="OrderKitOptions.MaxConcurrencyRetries"/> times.</para>
    /// </remarks>
    /// <param name="request">What the customer bought.</param>
    /// <param name="authorizedAmount">The amount the payment provider authorized; at least the order's total, in its currency.</param>
    /// <param name="preferences">How to choose locations; <see cref="OrderKitOptions.Allocation"/> when null.</param>
    /// <param name="idempotencyKey">The caller's key for this request, at most 255 characters; or null.</param>
    /// <param name="cancellationToken">Cancels the command; nothing is stored when it is cancelled before the commit.</param>
    /// <returns>The order as stored, with the plan followed in <see cref="PlaceOrderResult.Plan"/>; or the order placed first under the same key.</returns>
    /// <exception cref="ArgumentException">The request breaks a rule of <see cref="PlaceOrderRequest"/>, the amount does not cover the total or is in another currency, <paramref name="preferences"/> has no split policy, its order identifier is taken, or the key is blank or too long.</exception>
    /// <exception cref="IdempotencyKeyMismatchException">The key was used before for a different request.</exception>
    /// <exception cref="ConcurrencyConflictException">Conflicting requests kept winning after every retry.</exception>
    /// <exception cref="InsufficientStockException">Stock kept moving underneath after every retry.</exception>
    public async Task<PlaceOrderResult> PlaceAndAllocateAsync(PlaceOrderRequest request, Money authorizedAmount, AllocationPreferences? preferences = null, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (idempotencyKey is not null)
        {
            Text.Identifier(idempotencyKey, nameof(idempotencyKey), MaxIdempotencyKeyLength);
        }

        AllocationPreferences settings = preferences ?? _options.Allocation;
        if (settings.Split is null)
        {
            throw new ArgumentException("preferences.Split is required.", nameof(preferences));
        }

        using System.Diagnostics.Activity? activity = Telemetry.StartCommand(nameof(OrderService), nameof(PlaceAndAllocateAsync));
        long started = System.Diagnostics.Stopwatch.GetTimestamp();

        // Place and confirm before touching the store: bad input leaves nothing behind. Each attempt starts from a
        // fresh order under the same identifier, since a failed attempt may have allocated the one before.
        Order first = Order.Place(request, _clock);
        first.Confirm(authorizedAmount);
        string? fingerprint = idempotencyKey is null ? null : RequestFingerprint.Of(request);
        for (int attempt = 0; ; attempt++)
        {
            Order order = first;
            if (attempt > 0)
            {
                order = Order.Place(request, _clock, first.Id);
                order.Confirm(authorizedAmount);
            }

            try
            {
                bool checkId = request.OrderId is not null || attempt > 0;
                PlaceOrderResult placed = await PlaceOnceAsync(order, idempotencyKey, fingerprint, request.CartId, checkId, settings, lastSeen: attempt == 0, cancellationToken).ConfigureAwait(false);
                Telemetry.RecordAllocation(started);
                return placed;
            }
            catch (Exception e) when ((e is ConcurrencyConflictException or InsufficientStockException) && attempt < _options.MaxConcurrencyRetries)
            {
                // Another request took the key, the identifier or the stock first: look again.
                Log.Retrying(_logger, nameof(PlaceAndAllocateAsync), first.Id, attempt + 1, e.Message);
            }
            catch (TransientStoreException) when (attempt < _options.MaxConcurrencyRetries)
            {
                await UnitOfWork.PauseBeforeRetryAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Confirms an order: its payment is verified and the amount authorized.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="authorizedAmount">The amount authorized; at least the order's total.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidOrderTransitionException">The order is not pending.</exception>
    /// <exception cref="ArgumentException">The amount is in another currency or does not cover the total.</exception>
    public Task<Order> ConfirmPaymentAsync(OrderId orderId, Money authorizedAmount, CancellationToken cancellationToken = default) =>
        ChangeCommandAsync(orderId, order => order.Confirm(authorizedAmount), cancellationToken);

    /// <summary>Allocates an order's waiting units to stock locations and reserves them, all in one unit of work.</summary>
    /// <remarks>
    /// <para>The units looked for are those awaiting allocation and those backordered. Units of the cart hold the order
    /// was placed with are used first; the rest are planned over the stock as it stands
    /// (<see cref="InventoryService.PlanAsync(AllocationRequest, CancellationToken)"/>), with the strategy and split
    /// policy of <paramref name="preferences"/>. Every unit the plan finds is reserved with a conditional update per
    /// stock cell, in a fixed order, together with the order's save: all of it lands or none does. When stock moved
    /// underneath between the plan and the reservation, the order is planned again, up to
    /// <see cref="OrderKitOptions.MaxConcurrencyRetries"/> times.</para>
    /// <para>Shortfalls are never silent. Backordered and preordered units go on the line's
    /// <see cref="OrderLine.Backordered"/>, with a <see cref="Events.LineBackordered"/> event; units the policy refuses
    /// raise <see cref="Events.StockShortfall"/> and are then held, cancelled or left by
    /// <see cref="AllocationPreferences.OnShortfall"/>. The order becomes <see cref="OrderStatus.Allocated"/> when every
    /// open unit has stock, <see cref="OrderStatus.Backordered"/> while some wait.</para>
    /// </remarks>
    /// <param name="orderId">The order; confirmed, backordered or partly shipped, and not held.</param>
    /// <param name="preferences">How to choose locations; <see cref="OrderKitOptions.Allocation"/> when null.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored and the plan followed.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidOrderTransitionException">The order's status does not permit allocation, or it is held.</exception>
    /// <exception cref="InsufficientStockException">Stock kept moving underneath after every retry.</exception>
    public async Task<AllocationResult> AllocateAsync(OrderId orderId, AllocationPreferences? preferences = null, CancellationToken cancellationToken = default)
    {
        EnsureId(orderId);
        AllocationPreferences settings = preferences ?? _options.Allocation;
        if (settings.Split is null)
        {
            throw new ArgumentException("preferences.Split is required.", nameof(preferences));
        }

        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                AllocationResult result = await UnitOfWork.RunAsync(_store, _options.MaxConcurrencyRetries, tx => AllocateOnceAsync(tx, orderId, settings, cancellationToken), cancellationToken).ConfigureAwait(false);
                if (result.Order.HasUnsavedChanges)
                {
                    result.Order.AcceptSave();
                }

                Telemetry.RecordAllocation(started);
                return result;
            }
            catch (InsufficientStockException e) when (attempt < _options.MaxConcurrencyRetries)
            {
                // Another order took the stock between the plan and the reservation: plan again over what is left.
                Log.Retrying(_logger, nameof(AllocateAsync), orderId, attempt + 1, e.Message);
            }
        }
    }

    /// <summary>Places a hold on an order.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="reason">Why it is held.</param>
    /// <param name="placedBy">Who places the hold.</param>
    /// <param name="note">A note; required for <see cref="HoldReason.Custom"/>.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The hold placed, with the number that releases it.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidOrderTransitionException">The order is past fulfillment or cancelled.</exception>
    /// <exception cref="ArgumentException">The reason is unknown, the author blank, or a custom hold has no note.</exception>
    public async Task<OrderHold> HoldAsync(OrderId orderId, HoldReason reason, string placedBy, string? note = null, CancellationToken cancellationToken = default)
    {
        OrderHold? hold = null;
        await ChangeCommandAsync(orderId, order => hold = order.Hold(reason, placedBy, note), cancellationToken).ConfigureAwait(false);
        return hold!;
    }

    /// <summary>Releases one hold of an order.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="holdNumber">The number of the hold.</param>
    /// <param name="releasedBy">Who releases it.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidOrderTransitionException">The order has no active hold.</exception>
    /// <exception cref="ArgumentException">No active hold has that number.</exception>
    public Task<Order> ReleaseHoldAsync(OrderId orderId, int holdNumber, string releasedBy, CancellationToken cancellationToken = default) =>
        ChangeCommandAsync(orderId, order => order.ReleaseHold(holdNumber, releasedBy), cancellationToken);

    /// <summary>Cancels a whole order, before anything has shipped.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidOrderTransitionException">Something has shipped, or the order is already final.</exception>
    /// <exception cref="ArgumentException">The reason is blank or too long.</exception>
    public Task<Order> CancelAsync(OrderId orderId, string reason, CancellationToken cancellationToken = default) =>
        ChangeCommandAsync(orderId, order => order.Cancel(reason), cancellationToken);

    /// <summary>Cancels part of a line's open quantity.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="sku">The line's SKU.</param>
    /// <param name="quantity">The number of units; at most the line's open quantity.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidOrderTransitionException">The order permits no cancellation.</exception>
    /// <exception cref="ArgumentException">The SKU is not on the order, or fewer units are open.</exception>
    public Task<Order> CancelLineAsync(OrderId orderId, Sku sku, Quantity quantity, string reason, CancellationToken cancellationToken = default) =>
        ChangeCommandAsync(orderId, order => order.CancelLine(sku, quantity, reason), cancellationToken);

    /// <summary>Applies any change to a stored order as one unit of work: load, change, save with its events, commit.</summary>
    /// <remarks>
    /// The change may run more than once, on a freshly loaded order each time, when another unit of work changed the
    /// order first; it must only act on the order it is given. A change that records nothing saves nothing.
    /// </remarks>
    /// <param name="orderId">The order.</param>
    /// <param name="change">The change, such as <c>order =&gt; order.CapturePayment(amount)</c>.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="ConcurrencyConflictException">Other units of work kept changing the order first, after every retry.</exception>
    public Task<Order> ChangeAsync(OrderId orderId, Action<Order> change, CancellationToken cancellationToken = default) =>
        ChangeCommandAsync(orderId, change, cancellationToken);

    /// <summary>Changes a stored order as <see cref="ChangeAsync"/> does, in a span named after the calling service command.</summary>
    internal async Task<Order> ChangeCommandAsync(OrderId orderId, Action<Order> change, CancellationToken cancellationToken, [System.Runtime.CompilerServices.CallerMemberName] string member = "", [System.Runtime.CompilerServices.CallerFilePath] string file = "")
    {
        ArgumentNullException.ThrowIfNull(change);
        EnsureId(orderId);
        Order order = await UnitOfWork.RunAsync(_store, _options.MaxConcurrencyRetries, tx => ChangeOnceAsync(tx, orderId, change, cancellationToken), cancellationToken, member, file).ConfigureAwait(false);
        if (order.HasUnsavedChanges)
        {
            order.AcceptSave();
        }

        return order;
    }

    /// <summary>Reads an order.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    public async Task<Order> GetAsync(OrderId orderId, CancellationToken cancellationToken = default) =>
        await FindAsync(orderId, cancellationToken).ConfigureAwait(false) ?? throw new OrderNotFoundException(orderId);

    /// <summary>Reads an order, if it exists.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The order as stored, or null.</returns>
    public async Task<Order?> FindAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        EnsureId(orderId);
        IOrderKitTransaction transaction = await _store.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            OrderSnapshot? snapshot = await transaction.Orders.FindAsync(orderId, cancellationToken).ConfigureAwait(false);
            return snapshot is null ? null : Order.FromSnapshot(snapshot, _clock);
        }
    }

    /// <summary>Reads a customer's orders, newest first, a page at a time: the order history a storefront shows its customer.</summary>
    /// <remarks>
    /// Orders come latest placed first, ties by order id. To read the next (older) page, pass the id of the last order
    /// of the page before as <paramref name="after"/> (an id makes a cursor that fits in a URL); a page shorter than
    /// <paramref name="maxCount"/> is the last. Each page is one read of the store's index by customer, so it costs the
    /// orders it returns, however long the history.
    /// </remarks>
    /// <param name="customerId">The customer.</param>
    /// <param name="after">The id of the last order of the page before, an order of the same customer; null for the first page.</param>
    /// <param name="maxCount">The largest number of orders to return, from 1 to 10,000.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Up to <paramref name="maxCount"/> of the customer's orders, as stored; empty for a customer with none.</returns>
    /// <exception cref="ArgumentException"><paramref name="customerId"/> or <paramref name="after"/> is the default value, or <paramref name="after"/> is an order of another customer.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is out of range.</exception>
    /// <exception cref="OrderNotFoundException">There is no order <paramref name="after"/>.</exception>
    public async Task<IReadOnlyList<Order>> FindCustomerOrdersAsync(CustomerId customerId, OrderId? after = null, int maxCount = 20, CancellationToken cancellationToken = default)
    {
        StoreArguments.EnsureCustomer(customerId, maxCount);
        if (after is { IsDefault: true })
        {
            throw new ArgumentException("after must be an order id, or null for the first page.", nameof(after));
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxCount, MaxSweep);
        IReadOnlyList<OrderSnapshot> page = await UnitOfWork.RunAsync(
            _store,
            _options.MaxConcurrencyRetries,
            async tx =>
            {
                OrderSnapshot? cursor = null;
                if (after is { } id)
                {
                    cursor = await tx.Orders.FindAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new OrderNotFoundException(id);
                    StoreArguments.EnsureCursorOf(customerId, cursor);
                }

                return await tx.Orders.FindByCustomerAsync(customerId, cursor, maxCount, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        var orders = new List<Order>(page.Count);
        foreach (OrderSnapshot snapshot in page)
        {
            orders.Add(Order.FromSnapshot(snapshot, _clock));
        }

        return orders;
    }

    /// <summary>Finds orders past their ship-by moment with units still to ship, and raises <see cref="Events.OrderAtRisk"/> once for each.</summary>
    /// <remarks>
    /// <para>Run it now and then (every few minutes, from a timer or a scheduled job): each order found for the first
    /// time gets <see cref="Order.AtRiskSince"/> and an <see cref="Events.OrderAtRisk"/> event, in its own unit of work;
    /// orders found before are returned again without a second event. Two sweeps running at once raise the event once:
    /// the second one's save loses on the order's version, reloads it, and finds it marked.</para>
    /// <para>An order is at risk when <see cref="Order.ShipBy"/> is at or before <paramref name="now"/> and it is
    /// confirmed, allocated, backordered or partly shipped (see <see cref="Order.IsAtRisk"/>). It drops out of the
    /// sweep once it has shipped in full or is cancelled.</para>
    /// </remarks>
    /// <param name="now">The moment to judge at, usually the clock's current instant.</param>
    /// <param name="maxCount">The largest number of orders to return, from 1 to 10,000; earliest ship-by first.</param>
    /// <param name="cancellationToken">Cancels the sweep; orders marked before it stay marked.</param>
    /// <returns>The orders at risk, as stored.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is out of range.</exception>
    public async Task<IReadOnlyList<Order>> FindOrdersAtRiskAsync(Instant now, int maxCount = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxCount, MaxSweep);
        IReadOnlyList<OrderId> found = await UnitOfWork.RunAsync(_store, _options.MaxConcurrencyRetries, tx => tx.Orders.FindPastShipByAsync(now, maxCount, cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);
        var atRisk = new List<Order>(found.Count);
        foreach (OrderId id in found)
        {
            bool marked = false;
            Order order = await ChangeCommandAsync(id, o => marked = o.MarkAtRisk(now), cancellationToken).ConfigureAwait(false);
            if (order.IsAtRisk(now))
            {
                atRisk.Add(order);
                if (marked && _logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information))
                {
                    int units = order.Timeline.OfType<Events.OrderAtRisk>().Last().UnshippedUnits;
                    Log.OrderAtRisk(_logger, order.Id, units, order.ShipBy!.Value);
                }
            }
        }

        return atRisk;
    }

    /// <summary>Completes delivered orders whose return windows have all passed (<see cref="OrderKitOptions.Returns"/>).</summary>
    /// <remarks>
    /// Run it now and then, like <see cref="FindOrdersAtRiskAsync"/>. An order is completed, with
    /// <see cref="Events.OrderCompleted"/> in its own unit of work, once it is delivered, the window of every line it
    /// delivered has passed (counted in days from that line's last delivery, in <see cref="OrderKitOptions.TimeZone"/>),
    /// and no return of it is still open. Orders that must wait longer (a SKU with a longer window, an open return) are
    /// passed over, so they never hold up the others. To close one order at once, call <see cref="Order.Complete"/>
    /// through <see cref="ChangeAsync"/>.
    /// </remarks>
    /// <param name="now">The moment to judge at, usually the clock's current instant.</param>
    /// <param name="maxCount">The largest number of orders to complete, from 1 to 10,000; earliest delivered first.</param>
    /// <param name="cancellationToken">Cancels the sweep; orders completed before it stay completed.</param>
    /// <returns>The orders completed by this call.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxCount"/> is out of range.</exception>
    public async Task<IReadOnlyList<Order>> CompleteDeliveredOrdersAsync(Instant now, int maxCount = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxCount, MaxSweep);
        Returns.ReturnPolicy policy = _options.Returns;
        DateTimeZone zone = _options.TimeZone;
        LocalDate today = now.InZone(zone).Date;

        // A unit delivered on day D may come back until D plus its window; the longest window bounds the first cut.
        Instant deliveredBy = policy.AllWindows.Min(window => zone.AtStartOfDay(today.Minus(window)).ToInstant()) - Duration.Epsilon;
        var completed = new List<Order>();
        var seen = new HashSet<OrderId>();
        for (int fetch = maxCount; completed.Count < maxCount; fetch += maxCount)
        {
            int take = fetch;
            IReadOnlyList<OrderId> found = await UnitOfWork.RunAsync(_store, _options.MaxConcurrencyRetries, tx => tx.Orders.FindDeliveredAsync(deliveredBy, take, cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);
            foreach (OrderId id in found)
            {
                if (completed.Count == maxCount || !seen.Add(id))
                {
                    continue;
                }

                bool done = false;
                Order order = await ChangeCommandAsync(id, o =>
                {
                    done = false;
                    if (o.Status == OrderStatus.Delivered && o.ReturnWindowsPassed(today, policy, zone))
                    {
                        o.Complete();
                        done = true;
                    }
                }, cancellationToken).ConfigureAwait(false);
                if (done)
                {
                    completed.Add(order);
                    Log.OrderCompleted(_logger, order.Id);
                }
            }

            if (found.Count < take || fetch >= MaxSweep * 10)
            {
                break;
            }
        }

        return completed;
    }

    // checkId: whether to look for an order under the identifier first. Needed when the caller chose it, or when an
    // earlier attempt may have committed; a fresh random identifier cannot be taken, so the lookup is spared.
    private async Task<PlaceOrderResult> PlaceOnceAsync(Order order, string? key, string? fingerprint, string? cartId, bool checkId, AllocationPreferences? allocate, bool lastSeen, CancellationToken cancellationToken)
    {
        IOrderKitTransaction transaction = await _store.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            if (key is not null)
            {
                IdempotencyRecord? record = await transaction.Idempotency.FindAsync(PlaceOperation, key, cancellationToken).ConfigureAwait(false);
                if (record is not null)
                {
                    if (record.RequestHash != fingerprint)
                    {
                        throw new IdempotencyKeyMismatchException(PlaceOperation, key, record.Result);
                    }

                    var placedId = new OrderId(record.Result);
                    OrderSnapshot placed = await transaction.Orders.FindAsync(placedId, cancellationToken).ConfigureAwait(false)
                        ?? throw new InvalidOperationException($"The idempotency record for key \"{key}\" names order {placedId}, which the store does not have.");
                    return new PlaceOrderResult(Order.FromSnapshot(placed, _clock), isReplay: true);
                }
            }

            if (checkId && await transaction.Orders.FindAsync(order.Id, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw OrderIdTaken(order.Id, "request");
            }

            bool tookHold = cartId is not null && await TakeOverCartHoldAsync(transaction, order, cartId, cancellationToken).ConfigureAwait(false);
            AllocationPlan? plan = null;
            Dictionary<(Sku, LocationId), int>? alreadyReserved = null;
            if (allocate is not null)
            {
                (plan, _, alreadyReserved) = await AllocateInAsync(transaction, order, allocate, mayHaveHold: tookHold, lastSeen, cancellationToken).ConfigureAwait(false);
            }

            await UnitOfWork.SaveOrderAsync(transaction, order, _clock, alreadyReserved, cancellationToken).ConfigureAwait(false);
            if (key is not null)
            {
                Instant now = _clock.GetCurrentInstant();
                var record = new IdempotencyRecord(PlaceOperation, key, fingerprint!, order.Id.Value, now, now + _options.IdempotencyRetention);
                await transaction.Idempotency.AddAsync(record, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            Telemetry.Committed(transaction);
            order.AcceptSave();
            return new PlaceOrderResult(order, isReplay: false, plan);
        }
    }

    /// <summary>Loads, changes and stages one order; <see cref="UnitOfWork.RunAsync"/> commits it.</summary>
    private async Task<Order> ChangeOnceAsync(IOrderKitTransaction transaction, OrderId orderId, Action<Order> change, CancellationToken cancellationToken)
    {
        OrderSnapshot snapshot = await transaction.Orders.FindAsync(orderId, cancellationToken).ConfigureAwait(false)
            ?? throw new OrderNotFoundException(orderId);
        Order order = Order.FromSnapshot(snapshot, _clock);
        change(order);
        if (!order.HasUnsavedChanges)
        {
            return order;
        }

        if (order.Status == OrderStatus.Cancelled)
        {
            await ReleaseOrderHoldAsync(transaction, order.Id, cancellationToken).ConfigureAwait(false);
        }

        await UnitOfWork.SaveOrderAsync(transaction, order, _clock, null, cancellationToken).ConfigureAwait(false);
        return order;
    }

    private async Task<AllocationResult> AllocateOnceAsync(IOrderKitTransaction tx, OrderId orderId, AllocationPreferences settings, CancellationToken cancellationToken)
    {
        OrderSnapshot snapshot = await tx.Orders.FindAsync(orderId, cancellationToken).ConfigureAwait(false)
            ?? throw new OrderNotFoundException(orderId);
        Order order = Order.FromSnapshot(snapshot, _clock);
        (AllocationPlan plan, List<HeldStock> fromHold, Dictionary<(Sku, LocationId), int>? alreadyReserved) = await AllocateInAsync(tx, order, settings, mayHaveHold: true, lastSeen: false, cancellationToken).ConfigureAwait(false);
        if (order.HasUnsavedChanges)
        {
            await UnitOfWork.SaveOrderAsync(tx, order, _clock, alreadyReserved, cancellationToken).ConfigureAwait(false);
        }

        // The commit follows in UnitOfWork.RunAsync; the order counts as saved once it returns.
        return new AllocationResult(order, plan, fromHold);
    }

    /// <summary>Plans and records an order's allocation inside a unit of work; the caller saves the order, which reserves the stock.</summary>
    /// <returns>The plan, the units taken from the order's cart hold, and the units the hold had already reserved (they reserve nothing again).</returns>
    /// <remarks>With <c>mayHaveHold</c> false (a new order that took no cart hold over), the lookup for the order's hold is spared.</remarks>
    private async Task<(AllocationPlan Plan, List<HeldStock> FromHold, Dictionary<(Sku, LocationId), int>? AlreadyReserved)> AllocateInAsync(IOrderKitTransaction tx, Order order, AllocationPreferences settings, bool mayHaveHold, bool lastSeen, CancellationToken cancellationToken)
    {
        OrderId orderId = order.Id;
        order.EnsureCanAllocate();

        // What each line looks for: its units awaiting allocation. Backordered units wait for the backorder queue.
        var needs = new Dictionary<Sku, int>();
        foreach (OrderLine line in order.Lines)
        {
            if (line.AwaitingAllocation > 0)
            {
                needs[line.Sku] = line.AwaitingAllocation;
            }
        }

        // A cart hold the order took over at placement is used first; its units are already reserved.
        var entries = new List<LineAllocation>();
        Dictionary<(Sku, LocationId), int>? alreadyReserved = null;
        var fromHold = new List<HeldStock>();
        string holdKey = UnitOfWork.OrderHoldKey(orderId);
        if (mayHaveHold && await tx.Inventory.FindHoldAsync(holdKey, cancellationToken).ConfigureAwait(false) is { } hold)
        {
            alreadyReserved = [];
            var unused = new List<HeldStock>();
            foreach (HeldStock held in hold.Lines)
            {
                int use = Math.Min(held.Quantity, needs.GetValueOrDefault(held.Sku));
                if (use > 0)
                {
                    needs[held.Sku] -= use;
                    entries.Add(new LineAllocation(held.Sku, use, 0, held.Location));
                    alreadyReserved[(held.Sku, held.Location)] = alreadyReserved.GetValueOrDefault((held.Sku, held.Location)) + use;
                    fromHold.Add(held with { Quantity = use });
                }

                if (use < held.Quantity)
                {
                    unused.Add(held with { Quantity = held.Quantity - use });
                }
            }

            await InventoryService.ReleaseHeldAsync(tx, hold, unused, _clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
            await tx.Inventory.DeleteHoldAsync(holdKey, cancellationToken).ConfigureAwait(false);
        }

        LineQuantity[] wanted = [.. needs.Where(n => n.Value > 0).Select(n => new LineQuantity(n.Key, new Quantity(n.Value)))];
        var request = new AllocationRequest
        {
            Lines = wanted,
            Destination = order.ShippingAddress,
            Channel = order.Channel,
            DestinationPoint = settings.DestinationPoint,
            CollectAt = settings.CollectAt,
            Strategy = settings.Strategy,
            Split = settings.Split,
            Explain = settings.Explain,
        };
        AllocationPlan plan = wanted.Length == 0
            ? AllocationPlan.Empty
            : await _inventory.PlanInAsync(tx, request, unknownSkuIsError: false, lastSeen, cancellationToken).ConfigureAwait(false);

        // The in-memory store takes units at once and gives them back if its transaction fails: a plan made while
        // another transaction holds units it may give back is made again a moment later, so that a unit coming back
        // is not missed (with the SQL stores a plan reads committed counts, and this never happens).
        long waitingSince = System.Diagnostics.Stopwatch.GetTimestamp();
        while (tx.Inventory is IStockIndexSource live && ShortOfPending(plan, live) && System.Diagnostics.Stopwatch.GetElapsedTime(waitingSince) < s_maxPlanWait)
        {
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            plan = await _inventory.PlanInAsync(tx, request, unknownSkuIsError: false, cancellationToken).ConfigureAwait(false);
        }

        foreach (PlannedLine line in plan.Lines)
        {
            foreach (PlannedSource source in line.Sources)
            {
                entries.Add(new LineAllocation(line.Sku, source.Quantity, 0, source.Location, source.IsReserved));
            }

            if (line.Backordered + line.Preordered > 0)
            {
                entries.Add(new LineAllocation(line.Sku, 0, line.Backordered + line.Preordered));
            }
        }

        if (entries.Count > 0)
        {
            order.Allocate(Merge(entries));
        }

        foreach (PlannedLine line in plan.Lines)
        {
            if (line.Backordered + line.Preordered > 0)
            {
                order.RecordBackordered(line.Sku, line.Backordered + line.Preordered, line.ExpectedOn, line.Preordered > 0);
            }

            if (line.Refused > 0)
            {
                order.RecordShortfall(line.Sku, line.Requested, line.Allocated, line.Refused, line.Policy.Kind);
            }
        }

        ApplyShortfall(order, plan, settings.OnShortfall);
        if (order.ShipBy is null && entries.Count > 0)
        {
            order.TryPromise(await _inventory.LocationTableInAsync(tx, cancellationToken).ConfigureAwait(false), _clock.GetCurrentInstant(), _options);
        }

        return (plan, fromHold, alreadyReserved);
    }


    private static bool ShortOfPending(AllocationPlan plan, IStockIndexSource live)
    {
        foreach (PlannedLine line in plan.Lines)
        {
            if (line.Refused + line.Backordered + line.Preordered > 0 && live.HasPendingTakes(line.Sku))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One entry per SKU and location: a hold and the plan may both draw on the same location.</summary>
    private static List<LineAllocation> Merge(List<LineAllocation> entries)
    {
        var merged = new List<LineAllocation>(entries.Count);
        foreach (LineAllocation entry in entries)
        {
            int i = merged.FindIndex(m => m.Sku == entry.Sku && m.Location == entry.Location && m.ReservesStock == entry.ReservesStock);
            merged.Add(entry);
            if (i >= 0)
            {
                LineAllocation m = merged[i];
                merged[i] = new LineAllocation(m.Sku, m.Allocated + entry.Allocated, m.Backordered + entry.Backordered, m.Location, m.ReservesStock);
                merged.RemoveAt(merged.Count - 1);
            }
        }

        return merged;
    }

    private static void ApplyShortfall(Order order, AllocationPlan plan, ShortfallAction action)
    {
        int refusedLines = plan.Lines.Count(l => l.Refused > 0);
        if (refusedLines == 0)
        {
            return;
        }

        switch (action)
        {
            case ShortfallAction.Hold when !order.ActiveHolds.Any(h => h.Reason == HoldReason.OutOfStock):
                string skus = string.Join(", ", plan.Lines.Where(l => l.Refused > 0).Select(l => $"{l.Refused} x {l.Sku}"));
                order.Hold(HoldReason.OutOfStock, "allocation", $"No stock for {skus}");
                break;
            case ShortfallAction.CancelUnits:
                foreach (PlannedLine line in plan.Lines)
                {
                    int units = Math.Min(line.Refused, order.GetLine(line.Sku).AwaitingAllocation);
                    if (units > 0)
                    {
                        order.CancelLine(line.Sku, new Quantity(units), "out of stock");
                    }
                }

                break;
        }
    }

    /// <returns>Whether the order took a hold over.</returns>
    private async Task<bool> TakeOverCartHoldAsync(IOrderKitTransaction tx, Order order, string cartId, CancellationToken cancellationToken)
    {
        CartHold? hold = await tx.Inventory.FindHoldAsync(cartId, cancellationToken).ConfigureAwait(false);
        Instant now = _clock.GetCurrentInstant();
        if (hold is null || hold.OrderId is not null || hold.IsExpiredAt(now))
        {
            return false;
        }

        foreach (HeldStock held in hold.Lines)
        {
            var movement = new StockMovement(0, StockMovementKind.HoldConverted, held.Sku, held.Location, held.Quantity, 0, 0, null, order.Id, cartId, now);
            await tx.Inventory.TryApplyAsync(movement, cancellationToken).ConfigureAwait(false);
        }

        await tx.Inventory.DeleteHoldAsync(cartId, cancellationToken).ConfigureAwait(false);
        await tx.Inventory.SaveHoldAsync(hold with { CartId = UnitOfWork.OrderHoldKey(order.Id), OrderId = order.Id }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task ReleaseOrderHoldAsync(IOrderKitTransaction tx, OrderId orderId, CancellationToken cancellationToken)
    {
        string key = UnitOfWork.OrderHoldKey(orderId);
        if (await tx.Inventory.FindHoldAsync(key, cancellationToken).ConfigureAwait(false) is { } hold)
        {
            await InventoryService.ReleaseHeldAsync(tx, hold, hold.Lines, _clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
            await tx.Inventory.DeleteHoldAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }

    private static ArgumentException OrderIdTaken(OrderId orderId, string paramName) =>
        new($"request.OrderId \"{orderId}\" is already taken by another order.", paramName);

    private static void EnsureId(OrderId orderId)
    {
        if (orderId.IsDefault)
        {
            throw new ArgumentException("orderId is required.", nameof(orderId));
        }
    }
}
