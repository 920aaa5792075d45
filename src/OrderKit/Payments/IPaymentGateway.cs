namespace OrderKit.Payments;

/// <summary>The port to a payment provider: authorize, capture, refund and void, each safe to retry with its key.</summary>
/// <remarks>
/// <para><b>Thread safety.</b> A gateway is a singleton: every member may be called from many threads at once.</para>
/// <para><b>The payment.</b> Calls name the order; the adapter keeps the link to the provider's payment (a payment
/// intent, a transaction) itself, for example in the provider's metadata, so that the order carries no
/// provider's identifiers.</para>
/// <para><b>Idempotency.</b> Every call takes an idempotency key: a second call with the same key returns the first
/// call's result and moves no money again, even when the first answer was lost. Pass it on to the provider's own
/// idempotency header.</para>
/// <para><b>Outcomes.</b> A refusal the customer or the shop must deal with (declined, expired authorization,
/// insufficient funds) is a <see cref="PaymentResult"/> with <see cref="PaymentResult.Succeeded"/> false, not an
/// exception. Throw <see cref="PaymentGatewayException"/> for outages and timeouts (with
/// <see cref="PaymentGatewayException.IsTransient"/> true), <see cref="ArgumentException"/> for a request the
/// provider cannot take, and <see cref="OperationCanceledException"/> when cancelled. OrderKit retries transient
/// failures with the same key, a bounded number of times, and records only results it received.</para>
/// <para><c>OrderKit.Testing</c> has a deterministic fake that records every call.</para>
/// </remarks>
public interface IPaymentGateway
{
    /// <summary>Authorizes an amount for an order: reserves it on the customer's means of payment.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="amount">The amount.</param>
    /// <param name="idempotencyKey">The key that makes a retry safe.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What the provider answered.</returns>
    ValueTask<PaymentResult> AuthorizeAsync(OrderId orderId, Money amount, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>Captures part or all of what was authorized.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="amount">The amount; at most what remains authorized.</param>
    /// <param name="idempotencyKey">The key that makes a retry safe.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What the provider answered.</returns>
    ValueTask<PaymentResult> CaptureAsync(OrderId orderId, Money amount, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>Refunds part or all of what was captured.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="amount">The amount; at most what was captured and not refunded.</param>
    /// <param name="idempotencyKey">The key that makes a retry safe.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What the provider answered.</returns>
    ValueTask<PaymentResult> RefundAsync(OrderId orderId, Money amount, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>Releases what remains authorized and uncaptured.</summary>
    /// <param name="orderId">The order.</param>
    /// <param name="idempotencyKey">The key that makes a retry safe.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What the provider answered; <see cref="PaymentResult.Amount"/> is the amount released.</returns>
    ValueTask<PaymentResult> VoidAsync(OrderId orderId, string idempotencyKey, CancellationToken cancellationToken = default);
}
