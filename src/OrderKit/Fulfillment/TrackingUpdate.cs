using NodaTime;
using OrderKit.Internal;

namespace OrderKit.Fulfillment;

/// <summary>One thing a carrier said about a parcel: the status in OrderKit's words, with the carrier's own kept beside it.</summary>
/// <remarks>
/// <para>Updates are applied to a shipment monotonically: by the time they happened, not the time they arrived, so
/// a late "in transit" never undoes "delivered" (see <c>docs/tracking.md</c>). <see cref="EventId"/>, when the
/// carrier gives one, makes a repeat recognisable; without one, an update equal in status, time and raw status to
/// one already applied is a repeat.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed record TrackingUpdate
{
    /// <summary>The longest raw status, detail or place accepted, in characters.</summary>
    public const int MaxTextLength = 500;

    /// <summary>Creates an update.</summary>
    /// <param name="status">The status in OrderKit's vocabulary.</param>
    /// <param name="occurredAt">When it happened, as the carrier reports it.</param>
    /// <param name="rawStatus">The carrier's own status code or text, such as <c>OFD</c> or <c>out_for_delivery</c>.</param>
    /// <exception cref="ArgumentException">The status is unknown to this version, or <paramref name="rawStatus"/> is blank or too long.</exception>
    public TrackingUpdate(TrackingStatus status, Instant occurredAt, string rawStatus)
    {
        if (!Enum.IsDefined(status))
        {
            throw new ArgumentException($"status {(int)status} is not a TrackingStatus.", nameof(status));
        }

        Status = status;
        OccurredAt = occurredAt;
        RawStatus = Text.Required(rawStatus, nameof(rawStatus), MaxTextLength);
    }

    /// <summary>Gets the status in OrderKit's vocabulary.</summary>
    public TrackingStatus Status { get; }

    /// <summary>Gets when it happened, as the carrier reports it.</summary>
    public Instant OccurredAt { get; }

    /// <summary>Gets the carrier's own status code or text.</summary>
    public string RawStatus { get; }

    /// <summary>Gets the carrier's explanation, such as <c>Addressee not available</c>; null when none.</summary>
    public string? Detail { get; init => field = Text.Optional(value, nameof(Detail), MaxTextLength); }

    /// <summary>Gets where it happened, such as <c>Leipzig hub</c>; null when not reported.</summary>
    public string? Place { get; init => field = Text.Optional(value, nameof(Place), MaxTextLength); }

    /// <summary>Gets the carrier's identifier of this event, when it has one; repeats are recognised by it.</summary>
    public string? EventId { get; init => field = Text.Optional(value, nameof(EventId), Persistence.InboxKey.MaxMessageIdLength); }

    /// <summary>Returns the status, time and raw status, such as <c>OutForDelivery at 2026-11-20T08:00:00Z (OFD)</c>.</summary>
    /// <returns>The update as text.</returns>
    public override string ToString() => $"{Status} at {OccurredAt} ({RawStatus})";

    /// <summary>Whether this update says the same as another: the same event, or the same status, time and raw status.</summary>
    internal bool IsRepeatOf(TrackingUpdate other) =>
        EventId is not null && other.EventId is not null
            ? EventId == other.EventId
            : Status == other.Status && OccurredAt == other.OccurredAt && RawStatus == other.RawStatus;

    /// <summary>A total order over updates: by time, then by rank, then by raw status and event id, so any arrival order sorts alike.</summary>
    internal static int Compare(TrackingUpdate a, TrackingUpdate b)
    {
        int c = a.OccurredAt.CompareTo(b.OccurredAt);
        if (c == 0)
        {
            c = Rank(a.Status).CompareTo(Rank(b.Status));
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(a.RawStatus, b.RawStatus);
        }

        return c != 0 ? c : string.CompareOrdinal(a.EventId, b.EventId);
    }

    /// <summary>How far along a status is; among updates at the same instant the further one is taken as the later.</summary>
    internal static int Rank(TrackingStatus status) => status switch
    {
        TrackingStatus.LabelCreated => 1,
        TrackingStatus.InTransit => 2,
        TrackingStatus.Exception or TrackingStatus.DeliveryAttemptFailed => 3,
        TrackingStatus.OutForDelivery or TrackingStatus.AvailableForPickup => 4,
        TrackingStatus.Delivered => 5,
        TrackingStatus.ReturnedToSender => 6,
        _ => 0,
    };
}
