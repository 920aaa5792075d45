using OrderKit.Events;

namespace OrderKit.Persistence;

/// <summary>The outbox of a store, as seen from one transaction: events appended here leave after the commit.</summary>
/// <remarks>
/// <para>Events are appended in the same transaction as the order change that recorded them, so an event is never
/// delivered for a change that was rolled back, and never lost for one that committed. The
/// <see cref="OutboxRelay"/> delivers them afterwards, at least once each.</para>
/// <para>Thread safety: as its transaction; not thread-safe.</para>
/// </remarks>
public interface IOutbox
{
    /// <summary>Appends events, in order, to be delivered once the transaction commits.</summary>
    /// <param name="events">The events, oldest first.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the events are part of the transaction.</returns>
    ValueTask AppendAsync(IReadOnlyList<OrderEvent> events, CancellationToken cancellationToken = default);
}
