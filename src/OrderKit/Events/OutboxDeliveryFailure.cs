using OrderKit.Persistence;

namespace OrderKit.Events;

/// <summary>An outbox message a handler failed on; it stays in the outbox and is delivered again later.</summary>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
/// <param name="Message">The message.</param>
/// <param name="Exception">What the handler threw.</param>
public sealed record OutboxDeliveryFailure(OutboxMessage Message, Exception Exception);
