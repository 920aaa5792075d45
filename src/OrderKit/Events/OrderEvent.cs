using NodaTime;

namespace OrderKit.Events;

/// <summary>Something that happened to an order: an entry of its timeline and a message its outbox delivers.</summary>
/// <remarks>
/// <para>Every change an order accepts records one or more events, stamped with the instant from the injected
/// <see cref="IClock"/>. The order's <see cref="Orders.Order.Timeline"/> is the list of its events, oldest first.</para>
/// <para><see cref="Sequence"/> is the event's position in its order's timeline, starting at 1, so the pair
/// (<see cref="OrderId"/>, <see cref="Sequence"/>) identifies an event uniquely. Event handlers receive each event
/// at least once and use that pair to ignore a repeat.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
/// <param name="OrderId">The order the event belongs to.</param>
/// <param name="Sequence">The event's position in the order's timeline, starting at 1.</param>
/// <param name="OccurredAt">When it happened, from the injected clock.</param>
public abstract record OrderEvent(OrderId OrderId, int Sequence, Instant OccurredAt)
{
    /// <summary>Gets a short name for the event, such as <c>OrderPlaced</c>, for timelines and logs.</summary>
    public string Name => GetType().Name;

    /// <summary>Returns the event's name, order, sequence and time followed by its details.</summary>
    /// <returns>The event as one line of text.</returns>
    public sealed override string ToString() => $"{OccurredAt} #{Sequence} {Name} {OrderId}: {Describe()}";

    /// <summary>Describes the event's details in a few words, without personal data.</summary>
    /// <returns>The details, such as <c>3 units, EUR 42.00</c>.</returns>
    public abstract string Describe();
}
