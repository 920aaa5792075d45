namespace OrderKit.Events;

/// <summary>What one pass of the <see cref="OutboxRelay"/> delivered, and what failed.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed class OutboxDeliveryResult
{
    internal OutboxDeliveryResult(int delivered, IReadOnlyList<OutboxDeliveryFailure> failures)
    {
        Delivered = delivered;
        Failures = failures;
    }

    /// <summary>Gets the number of messages delivered to every handler and marked delivered.</summary>
    public int Delivered { get; }

    /// <summary>Gets the messages a handler failed on; each stays in the outbox.</summary>
    public IReadOnlyList<OutboxDeliveryFailure> Failures { get; }
}
