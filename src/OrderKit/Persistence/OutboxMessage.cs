using OrderKit.Events;

namespace OrderKit.Persistence;

/// <summary>An event waiting in the outbox to be delivered.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="Id">The message's identifier, increasing in commit order.</param>
/// <param name="Event">The event.</param>
public sealed record OutboxMessage(long Id, OrderEvent Event);
