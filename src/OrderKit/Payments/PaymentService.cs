using NodaTime;
using OrderKit.Internal;
using OrderKit.Orders;
using OrderKit.Persistence;

namespace OrderKit.Payments;

/// <summary>Moves an order's money through the <see cref="IPaymentGateway"/> and keeps its payment status with what the provider reports.</summary>
/// <remarks>
/// <para>Each command calls the provider with an idempotency key derived from the order (and, for a refund, the
/// caller's key), then records the answer on the order in one unit of work. A command retried after a crash or a
/// lost answer sends the same key, so the provider moves no money twice, and records nothing twice. Transient
/// provider failures (<see cref="PaymentGatewayException.IsTransient"/>) are retried up to
/// <see cref="OrderKitOptions.MaxConcurrencyRetries"/> times with the same key.</para>
/// <para>Refusals are results: a declined authorization records <see cref="Events.PaymentFailed"/> and leaves the
/// order pending; a refused capture records <see cref="Events.PaymentCaptureFailed"/>.</para>
/// <para>Thread safety: thread-safe; register it as a singleton.</para>
/// </remarks>
public sealed class PaymentService
{
    private const string RefundOperation = "refund";

    private readonly Microsoft.Extensions.Logging.ILogger _logger;
    private readonly IOrderKitStore _store;
    private readonly IClock _clock;
    private readonly OrderKitOptions _options;
    private readonly IPaymentGateway _gateway;
    private readonly OrderService _orders;

    /// <summary>Creates the service.</summary>
    /// <param name="store">Where orders are kept.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="options">The options; <see cref="OrderKitOptions.PaymentCapture"/> says when to capture.</param>
    /// <param name="gateway">The payment provider.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public PaymentService(IOrderKitStore store, IClock clock, OrderKitOptions options, IPaymentGateway gateway)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(gateway);
        options.Validate();
        _store = store;
        _clock = clock;
        _options = options;
        _gateway = gateway;
        _orders = new OrderService(store, clock, options);
        _logger = options.LoggerFor<PaymentService>();
    }

    /// <summary>Authorizes the order's total and confirms the order; with <see cref="PaymentCapturePolicy.AtAuthorization"/>, captures it too.</summary>
    /// <param name="orderId">A pending order.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored: confirmed, or pending with <see cref="PaymentStatus.Failed"/> when the provider declined.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidOrderTransitionException">The order is not pending.</exception>
    /// <exception cref="PaymentGatewayException">The provider kept failing.</exception>
    public async Task<Order> AuthorizeAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        Order order = await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        order.EnsureCanConfirm();

        // One key per authorization attempt: a retry after a decline asks again, a retry of a lost answer does not.
        int attempt = order.Timeline.Count(static e => e is Events.PaymentFailed);
        PaymentResult result = await CallAsync("authorize", orderId, order.Total, ct => _gateway.AuthorizeAsync(orderId, order.Total, $"authorize:{orderId}:{attempt}", ct), cancellationToken).ConfigureAwait(false);
        order = await _orders.ChangeCommandAsync(
            orderId,
            o =>
            {
                if (!o.CanConfirm || o.Timeline.Count(static e => e is Events.PaymentFailed) != attempt)
                {
                    return;
                }

                if (result.Succeeded)
                {
                    o.Confirm(result.Amount);
                }
                else
                {
                    o.FailPayment(result.FailureReason!);
                }
            },
            cancellationToken).ConfigureAwait(false);
        if (result.Succeeded && _options.PaymentCapture == PaymentCapturePolicy.AtAuthorization && order.CapturedAmount.IsZero && !order.AuthorizedAmount.IsZero)
        {
            order = await CaptureAsync(orderId, order.AuthorizedAmount, cancellationToken).ConfigureAwait(false);
        }

        return order;
    }

    /// <summary>Captures what the shipped units are worth and has not been captured yet (<see cref="Order.UncapturedForShipped"/>).</summary>
    /// <remarks><see cref="Fulfillment.FulfillmentService.ShipAsync"/> calls it after each shipment under <see cref="PaymentCapturePolicy.OnShipment"/>; call it to catch up after a failure.</remarks>
    /// <param name="orderId">The order.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored; unchanged when nothing is due.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="PaymentGatewayException">The provider kept failing.</exception>
    public async Task<Order> CaptureDueAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        Order order = await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        Money due = order.UncapturedForShipped;
        return due.IsZero ? order : await CaptureAsync(orderId, due, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Refunds captured money through the provider and records it; a retry with the same key refunds once.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="amount">The amount; at most what was captured and not refunded.</param>
    /// <param name="idempotencyKey">The caller's key for this refund, at most 255 characters.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored, and what the provider answered.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidOrderTransitionException">Nothing captured remains to refund.</exception>
    /// <exception cref="ArgumentException">The amount is not positive, in another currency, or more than is refundable; or the key is blank or too long.</exception>
    /// <exception cref="IdempotencyKeyMismatchException">The key was used for another refund.</exception>
    /// <exception cref="PaymentGatewayException">The provider kept failing.</exception>
    public async Task<(Order Order, PaymentResult Result)> RefundAsync(OrderId orderId, Money amount, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        Text.Identifier(idempotencyKey, nameof(idempotencyKey), OrderService.MaxIdempotencyKeyLength);
        string key = orderId.Value + ":" + idempotencyKey;
        string fingerprint = amount.ToString();
        if (await FindRecordAsync(key, cancellationToken).ConfigureAwait(false) is { } record)
        {
            return await ReplayAsync(record, orderId, amount, key, fingerprint, cancellationToken).ConfigureAwait(false);
        }

        // Check on a copy before the provider moves any money: a refund the order refuses is never sent.
        Order check = await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        check.RefundPayment(amount);

        PaymentResult result = await CallAsync("refund", orderId, amount, ct => _gateway.RefundAsync(orderId, amount, "refund:" + key, ct), cancellationToken).ConfigureAwait(false);
        try
        {
            Order order = await UnitOfWork.RunAsync(_store, _options.MaxConcurrencyRetries, async tx =>
            {
                if (await tx.Idempotency.FindAsync(RefundOperation, key, cancellationToken).ConfigureAwait(false) is not null)
                {
                    throw new ConcurrencyConflictException($"refund {key}", "another request with this key recorded it first.");
                }

                Order o = Order.FromSnapshot(await tx.Orders.FindAsync(orderId, cancellationToken).ConfigureAwait(false) ?? throw new OrderNotFoundException(orderId), _clock);
                if (result.Succeeded)
                {
                    o.RefundPayment(result.Amount);
                    await UnitOfWork.SaveOrderAsync(tx, o, _clock, null, cancellationToken).ConfigureAwait(false);
                }

                Instant now = _clock.GetCurrentInstant();
                await tx.Idempotency.AddAsync(new IdempotencyRecord(RefundOperation, key, fingerprint, result.Succeeded ? "ok" : "failed:" + result.FailureReason, now, now + _options.IdempotencyRetention), cancellationToken).ConfigureAwait(false);
                return o;
            }, cancellationToken).ConfigureAwait(false);
            if (order.HasUnsavedChanges)
            {
                order.AcceptSave();
            }

            return (order, result);
        }
        catch (ConcurrencyConflictException)
        {
            // Another request with the same key recorded the refund first: answer as it did.
            IdempotencyRecord? recorded = await FindRecordAsync(key, cancellationToken).ConfigureAwait(false);
            if (recorded is null)
            {
                throw;
            }

            return await ReplayAsync(recorded, orderId, amount, key, fingerprint, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Releases what remains authorized and uncaptured, through the provider, and records it.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The order as stored.</returns>
    /// <exception cref="OrderNotFoundException">There is no such order.</exception>
    /// <exception cref="InvalidOrderTransitionException">Nothing is authorized and uncaptured.</exception>
    /// <exception cref="PaymentGatewayException">The provider kept failing.</exception>
    public async Task<Order> VoidAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        Order check = await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        Money authorized = check.AuthorizedAmount;
        check.VoidPayment();
        PaymentResult result = await CallAsync("void", orderId, authorized, ct => _gateway.VoidAsync(orderId, $"void:{orderId}:{authorized.ToMinorUnits()}", ct), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new PaymentGatewayException($"The provider refused to void the authorization of order {orderId}: {result.FailureReason}", isTransient: false);
        }

        return await _orders.ChangeCommandAsync(
            orderId,
            o =>
            {
                if (o.AuthorizedAmount == authorized && o.AuthorizedAmount > o.CapturedAmount)
                {
                    o.VoidPayment();
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<Order> CaptureAsync(OrderId orderId, Money amount, CancellationToken cancellationToken, [System.Runtime.CompilerServices.CallerMemberName] string member = "")
    {
        Order before = await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        Money target = before.CapturedAmount + amount;

        // The key names the total captured once this capture lands: a retry asks for the same level, never more.
        PaymentResult result = await CallAsync("capture", orderId, amount, ct => _gateway.CaptureAsync(orderId, amount, $"capture:{orderId}:{target.ToMinorUnits()}", ct), cancellationToken).ConfigureAwait(false);
        return await _orders.ChangeCommandAsync(
            orderId,
            o =>
            {
                if (o.CapturedAmount != before.CapturedAmount)
                {
                    return;
                }

                if (result.Succeeded)
                {
                    o.CapturePayment(result.Amount);
                }
                else
                {
                    o.RecordCaptureFailed(amount, result.FailureReason!);
                }
            },
            cancellationToken,
            member).ConfigureAwait(false);
    }

    private async Task<(Order, PaymentResult)> ReplayAsync(IdempotencyRecord record, OrderId orderId, Money amount, string key, string fingerprint, CancellationToken cancellationToken)
    {
        if (record.RequestHash != fingerprint)
        {
            throw new IdempotencyKeyMismatchException(RefundOperation, key, record.Result);
        }

        Order order = await _orders.GetAsync(orderId, cancellationToken).ConfigureAwait(false);
        PaymentResult result = record.Result == "ok" ? PaymentResult.Success(amount, "replay:" + key) : PaymentResult.Failure(amount, record.Result.StartsWith("failed:", StringComparison.Ordinal) ? record.Result[7..] : record.Result);
        return (order, result);
    }

    private async Task<IdempotencyRecord?> FindRecordAsync(string key, CancellationToken cancellationToken)
    {
        IOrderKitTransaction tx = await _store.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (tx.ConfigureAwait(false))
        {
            return await tx.Idempotency.FindAsync(RefundOperation, key, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<PaymentResult> CallAsync(string operation, OrderId orderId, Money amount, Func<CancellationToken, ValueTask<PaymentResult>> call, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                PaymentResult result = await call(cancellationToken).ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    Log.PaymentRefused(_logger, operation, amount, orderId, result.FailureReason ?? "no reason given");
                }

                return result;
            }
            catch (PaymentGatewayException e) when (e.IsTransient && attempt < _options.MaxConcurrencyRetries)
            {
                await UnitOfWork.PauseBeforeRetryAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
