using NodaTime;

namespace OrderKit.Events;

/// <summary>The returned units travel back under a label.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="OrderId">The order.</param>
/// <param name="Sequence">The event's position in the order's timeline.</param>
/// <param name="OccurredAt">When it happened.</param>
/// <param name="ReturnNumber">The request's number within the order.</param>
/// <param name="CarrierCode">The carrier.</param>
/// <param name="TrackingNumber">The tracking number.</param>
/// <param name="TrackingUrl">Where the customer follows the parcel, if known.</param>
public sealed record ReturnInTransit(OrderId OrderId, int Sequence, Instant OccurredAt, int ReturnNumber, string CarrierCode, string TrackingNumber, string? TrackingUrl)
    : OrderEvent(OrderId, Sequence, OccurredAt)
{
    /// <inheritdoc />
    public override string Describe() => $"#{ReturnNumber}: {CarrierCode} {TrackingNumber}";
}
