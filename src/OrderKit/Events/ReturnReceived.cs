using NodaTime;

namespace OrderKit.Events;

/// <summary>Returned units arrived, each part with its disposition.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ReturnNumber">The request's number within the order.</param>
/// <param name="Receipts">What arrived, and what becomes of it.</param>
public sealed record ReturnReceived(OrderId OrderId, int Sequence, Instant OccurredAt, int ReturnNumber, IReadOnlyList<Returns.ReturnReceipt> Receipts)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"#{ReturnNumber}: {string.Join(", ", Receipts)}";
}
