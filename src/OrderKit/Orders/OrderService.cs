using NodaTime;
using OrderKit.Internal;
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

    private readonly IOrderKitStore _store;
    private readonly IClock _clock;
    private readonly OrderKitOptions _options;

    /// <summary>Creates the service.</summary>
    /// <param name="store">Where orders are kept.</param>
    /// <param name="clock">The clock that stamps events and expires idempotency records.</param>
    /// <param name="options">The options; checked here.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public OrderService(IOrderKitStore store, IClock clock, OrderKitOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _store = store;
        _clock = clock;
        _options = options;
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

        // Place (and so check) the order before touching the store: bad input leaves nothing behind. The same
        // unsaved order is offered on every attempt; only a committed attempt marks it saved.
        Order order = Order.Place(request, _clock);
        string? fingerprint = idempotencyKey is null ? null : RequestFingerprint.Of(request);

        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await PlaceOnceAsync(order, idempotencyKey, fingerprint, cancellationToken).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException) when (attempt < _options.MaxConcurrencyRetries)
            {
                // Another request took the key or the identifier first: look again, and replay or refuse.
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
        ChangeAsync(orderId, order => order.Confirm(authorizedAmount), cancellationToken);

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
        await ChangeAsync(orderId, order => hold = order.Hold(reason, placedBy, note), cancellationToken).ConfigureAwait(false);
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
        ChangeAsync(orderId, order => order.ReleaseHold(holdNumber, releasedBy), cancellationToken);

    /// <summary>Cancels a whole order, before anything has shipped.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidOrderTransitionException">Something has shipped, or the order is already final.</exception>
    /// <exception cref="ArgumentException">The reason is blank or too long.</exception>
    public Task<Order> CancelAsync(OrderId orderId, string reason, CancellationToken cancellationToken = default) =>
        ChangeAsync(orderId, order => order.Cancel(reason), cancellationToken);

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
        ChangeAsync(orderId, order => order.CancelLine(sku, quantity, reason), cancellationToken);

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
    public async Task<Order> ChangeAsync(OrderId orderId, Action<Order> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await ChangeOnceAsync(orderId, change, cancellationToken).ConfigureAwait(false);
            }
            catch (ConcurrencyConflictException) when (attempt < _options.MaxConcurrencyRetries)
            {
                // Someone else saved first: start again from the order as it is now.
            }
        }
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

    private async Task<PlaceOrderResult> PlaceOnceAsync(Order order, string? key, string? fingerprint, CancellationToken cancellationToken)
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

            if (await transaction.Orders.FindAsync(order.Id, cancellationToken).ConfigureAwait(false) is not null)
            {
                throw OrderIdTaken(order.Id, "request");
            }

            await SaveAsync(transaction, order, cancellationToken).ConfigureAwait(false);
            if (key is not null)
            {
                Instant now = _clock.GetCurrentInstant();
                var record = new IdempotencyRecord(PlaceOperation, key, fingerprint!, order.Id.Value, now, now + _options.IdempotencyRetention);
                await transaction.Idempotency.AddAsync(record, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            order.AcceptSave();
            return new PlaceOrderResult(order, isReplay: false);
        }
    }

    private async Task<Order> ChangeOnceAsync(OrderId orderId, Action<Order> change, CancellationToken cancellationToken)
    {
        EnsureId(orderId);
        IOrderKitTransaction transaction = await _store.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            OrderSnapshot snapshot = await transaction.Orders.FindAsync(orderId, cancellationToken).ConfigureAwait(false)
                ?? throw new OrderNotFoundException(orderId);
            Order order = Order.FromSnapshot(snapshot, _clock);
            change(order);
            if (!order.HasUnsavedChanges)
            {
                return order;
            }

            await SaveAsync(transaction, order, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            order.AcceptSave();
            return order;
        }
    }

    private static async Task SaveAsync(IOrderKitTransaction transaction, Order order, CancellationToken cancellationToken)
    {
        await transaction.Orders.SaveAsync(order.ToSnapshotAtVersion(order.Version + 1), cancellationToken).ConfigureAwait(false);
        await transaction.Outbox.AppendAsync(order.UnsavedEvents, cancellationToken).ConfigureAwait(false);
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
