using OrderKit.Internal;

namespace OrderKit.Payments;

/// <summary>What a payment provider answered: the money moved and the provider's reference, or why it refused.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record PaymentResult
{
    private PaymentResult(bool succeeded, Money amount, string? transactionId, string? failureReason)
    {
        Succeeded = succeeded;
        Amount = amount;
        TransactionId = transactionId;
        FailureReason = failureReason;
    }

    /// <summary>Gets whether the money moved.</summary>
    public bool Succeeded { get; }

    /// <summary>Gets the amount that moved; for a refusal, the amount asked for.</summary>
    public Money Amount { get; }

    /// <summary>Gets the provider's reference of the transaction; null for a refusal.</summary>
    public string? TransactionId { get; }

    /// <summary>Gets why the provider refused, in its words; null on success.</summary>
    public string? FailureReason { get; }

    /// <summary>Creates the result of a success.</summary>
    /// <param name="amount">The amount that moved.</param>
    /// <param name="transactionId">The provider's reference.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">The amount is missing or negative, or the reference blank.</exception>
    public static PaymentResult Success(Money amount, string transactionId)
    {
        CheckAmount(amount);
        return new PaymentResult(true, amount, Text.Required(transactionId, nameof(transactionId), 500), null);
    }

    /// <summary>Creates the result of a refusal.</summary>
    /// <param name="amount">The amount asked for.</param>
    /// <param name="reason">Why, in the provider's words.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentException">The amount is missing or negative, or the reason blank.</exception>
    public static PaymentResult Failure(Money amount, string reason)
    {
        CheckAmount(amount);
        return new PaymentResult(false, amount, null, Text.Required(reason, nameof(reason), 500));
    }

    /// <summary>Returns the outcome, such as <c>succeeded EUR 10.00 (tx_1)</c> or <c>failed EUR 10.00: card declined</c>.</summary>
    /// <returns>The result as text.</returns>
    public override string ToString() => Succeeded ? $"succeeded {Amount} ({TransactionId})" : $"failed {Amount}: {FailureReason}";

    private static void CheckAmount(Money amount)
    {
        if (amount.IsDefault || amount.IsNegative)
        {
            throw new ArgumentException($"amount must be zero or more; got {(amount.IsDefault ? "none" : amount.ToString())}.", nameof(amount));
        }
    }
}
