using System.Collections.Concurrent;
using System.Globalization;
using OrderKit.Payments;

namespace OrderKit.Testing;

/// <summary>A deterministic payment provider for tests: keeps the money per order, answers a repeated key as the first time, and declines on demand.</summary>
/// <remarks>
/// <para>It refuses (as a result) a capture beyond what remains authorized and a refund beyond what remains captured,
/// as a real provider would. <see cref="Calls"/> counts the calls that moved money; a retry with a known key moves
/// none.</para>
/// <para>Thread safety: thread-safe.</para>
/// </remarks>
public sealed class FakePaymentGateway : IPaymentGateway
{
    private readonly ConcurrentDictionary<string, PaymentResult> _results = new(StringComparer.Ordinal);
    private readonly Dictionary<OrderId, (decimal Authorized, decimal Captured, decimal Refunded)> _money = [];
    private readonly Dictionary<OrderId, Currency> _currencies = [];
    private readonly Lock _gate = new();
    private string? _declineNext;
    private int _calls;

    /// <summary>Gets the number of calls that moved money (or were declined); repeats of a key are not counted.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Declines the next call that moves money, with a reason.</summary>
    /// <param name="reason">The reason, such as <c>card declined</c>.</param>
    public void DeclineNext(string reason)
    {
        lock (_gate)
        {
            _declineNext = reason;
        }
    }

    /// <summary>Returns what the provider holds for an order.</summary>
    /// <param name="orderId">The order.</param>
    /// <returns>The amounts authorized (voids lower it), captured and refunded.</returns>
    public (decimal Authorized, decimal Captured, decimal Refunded) MoneyOf(OrderId orderId)
    {
        lock (_gate)
        {
            return _money.GetValueOrDefault(orderId);
        }
    }

    /// <inheritdoc />
    public ValueTask<PaymentResult> AuthorizeAsync(OrderId orderId, Money amount, string idempotencyKey, CancellationToken cancellationToken = default) =>
        Once(idempotencyKey, () => Move(orderId, amount, static (m, a) => m.Authorized + a >= 0 ? (m with { Authorized = m.Authorized + a }, null) : (m, "negative")), cancellationToken);

    /// <inheritdoc />
    public ValueTask<PaymentResult> CaptureAsync(OrderId orderId, Money amount, string idempotencyKey, CancellationToken cancellationToken = default) =>
        Once(idempotencyKey, () => Move(orderId, amount, static (m, a) => m.Captured + a <= m.Authorized
            ? (m with { Captured = m.Captured + a }, null)
            : (m, string.Create(CultureInfo.InvariantCulture, $"only {m.Authorized - m.Captured} remains authorized"))), cancellationToken);

    /// <inheritdoc />
    public ValueTask<PaymentResult> RefundAsync(OrderId orderId, Money amount, string idempotencyKey, CancellationToken cancellationToken = default) =>
        Once(idempotencyKey, () => Move(orderId, amount, static (m, a) => m.Refunded + a <= m.Captured
            ? (m with { Refunded = m.Refunded + a }, null)
            : (m, string.Create(CultureInfo.InvariantCulture, $"only {m.Captured - m.Refunded} remains refundable"))), cancellationToken);

    /// <inheritdoc />
    public ValueTask<PaymentResult> VoidAsync(OrderId orderId, string idempotencyKey, CancellationToken cancellationToken = default) =>
        Once(
            idempotencyKey,
            () =>
        {
            lock (_gate)
            {
                if (!_currencies.TryGetValue(orderId, out Currency currency))
                {
                    throw new ArgumentException($"Nothing was authorized for order {orderId}.", nameof(orderId));
                }

                (decimal authorized, decimal captured, decimal refunded) = _money.GetValueOrDefault(orderId);
                _money[orderId] = (captured, captured, refunded);
                return PaymentResult.Success(new Money(authorized - captured, currency), "void-" + orderId);
            }
        },
            cancellationToken);

    private PaymentResult Move(OrderId orderId, Money amount, Func<(decimal Authorized, decimal Captured, decimal Refunded), decimal, ((decimal Authorized, decimal Captured, decimal Refunded), string?)> apply)
    {
        lock (_gate)
        {
            if (_declineNext is { } reason)
            {
                _declineNext = null;
                return PaymentResult.Failure(amount, reason);
            }

            ((decimal, decimal, decimal) next, string? refused) = apply(_money.GetValueOrDefault(orderId), amount.Amount);
            if (refused is not null)
            {
                return PaymentResult.Failure(amount, refused);
            }

            _money[orderId] = next;
            _currencies[orderId] = amount.Currency;
            return PaymentResult.Success(amount, "tx-" + (_calls + 1).ToString(CultureInfo.InvariantCulture));
        }
    }

    private ValueTask<PaymentResult> Once(string idempotencyKey, Func<PaymentResult> call, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_results.TryGetValue(idempotencyKey, out PaymentResult? known))
            {
                return ValueTask.FromResult(known);
            }

            PaymentResult result = call();
            _calls++;
            _results[idempotencyKey] = result;
            return ValueTask.FromResult(result);
        }
    }
}
