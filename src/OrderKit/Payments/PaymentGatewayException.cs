namespace OrderKit.Payments;

/// <summary>A payment provider could not be reached or failed; <see cref="IsTransient"/> says whether a retry with the same key may succeed.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed class PaymentGatewayException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="isTransient">Whether a retry with the same key may succeed.</param>
    /// <param name="innerException">The cause; or null.</param>
    public PaymentGatewayException(string message, bool isTransient = true, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTransient = isTransient;
    }

    /// <summary>Gets whether a retry with the same key may succeed.</summary>
    public bool IsTransient { get; }
}
