namespace OrderKit.Events;

/// <summary>Receives the events of orders after they are committed: to send e-mails, update a search index, notify an ERP.</summary>
/// <remarks>
/// <para>Contract for implementers:</para>
/// <list type="bullet">
/// <item><description>At least once: an event may arrive more than once (after a crash, or when another handler of
/// the same event failed). Use (<see cref="OrderEvent.OrderId"/>, <see cref="OrderEvent.Sequence"/>) to recognise a
/// repeat.</description></item>
/// <item><description>In order per order: the events of one order arrive in the order they happened; events of
/// different orders may interleave.</description></item>
/// <item><description>Failure: throw to have the event delivered again later; the later events of the same order
/// wait behind it. An exception is reported in <see cref="OutboxDeliveryResult"/> and to
/// <see cref="OrderKitOptions.OutboxDeliveryFailed"/>.</description></item>
/// <item><description>Thread safety: one relay calls handlers one event at a time; a handler registered as a
/// singleton and shared with other code must be thread-safe itself.</description></item>
/// </list>
/// </remarks>
public interface IOrderEventHandler
{
    /// <summary>Handles one event.</summary>
    /// <param name="orderEvent">The event.</param>
    /// <param name="cancellationToken">Cancelled when the relay stops.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    ValueTask HandleAsync(OrderEvent orderEvent, CancellationToken cancellationToken);
}
