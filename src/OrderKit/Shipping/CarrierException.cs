namespace OrderKit.Shipping;

/// <summary>A carrier refused or failed a request; <see cref="IsTransient"/> says whether trying again may succeed.</summary>
/// <remarks>
/// <para>Adapters throw it for everything the carrier says no to (an address it cannot serve, a service it does not
/// offer to the destination) with <see cref="IsTransient"/> false, and for outages, timeouts and rate limits with
/// <see cref="IsTransient"/> true. OrderKit retries a transient failure of an idempotent call (a label purchase
/// with the same key, tracking, rates) a bounded number of times, and never retries the others.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed class CarrierException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="carrierCode">The carrier's code.</param>
    /// <param name="message">What went wrong, naming the request.</param>
    /// <param name="isTransient">Whether trying again may succeed.</param>
    /// <param name="innerException">The cause, such as an <see cref="HttpRequestException"/>; or null.</param>
    public CarrierException(string carrierCode, string message, bool isTransient = false, Exception? innerException = null)
        : base($"Carrier {carrierCode}: {message}", innerException)
    {
        CarrierCode = carrierCode;
        IsTransient = isTransient;
    }

    /// <summary>Gets the carrier's code.</summary>
    public string CarrierCode { get; }

    /// <summary>Gets whether trying again may succeed.</summary>
    public bool IsTransient { get; }
}
