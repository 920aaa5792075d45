namespace OrderKit.Persistence;

/// <summary>Where OrderKit keeps everything a shop cannot lose: orders, the outbox of events, idempotency records.</summary>
/// <remarks>
/// <para>Every OrderKit command is one unit of work: it begins a transaction, reads and changes through it, and
/// commits; all its writes land together or none does. <see cref="InMemoryOrderKitStore"/> is the default; durable
/// stores live in their own packages and pass the same conformance checks.</para>
/// <para>Contract for implementers:</para>
/// <list type="bullet">
/// <item><description>Thread safety: the store is shared by every thread of the host and must be thread-safe;
/// each transaction is used by one command at a time.</description></item>
/// <item><description>Atomicity: <see cref="IOrderKitTransaction.CommitAsync"/> applies every write of the
/// transaction or none; disposing a transaction that was not committed discards its writes.</description></item>
/// <item><description>Concurrency: saving an order whose stored version is not the snapshot's version minus one, or
/// adding an idempotency record whose key is taken and unexpired, throws
/// <see cref="ConcurrencyConflictException"/> from the save, the add or the commit, and nothing of the
/// transaction is applied. OrderKit then retries the command from the start, a bounded number of times.</description></item>
/// <item><description>Outbox: messages get increasing identifiers in commit order, so that the events of one order
/// come out in the order they were recorded; <see cref="ReadOutboxAsync"/> returns the oldest undelivered first.</description></item>
/// <item><description>Failures: infrastructure exceptions (a lost connection, a full disk) propagate unchanged;
/// OrderKit does not catch them.</description></item>
/// </list>
/// </remarks>
public interface IOrderKitStore
{
    /// <summary>Begins a unit of work.</summary>
    /// <param name="cancellationToken">Cancels the wait for the transaction.</param>
    /// <returns>The transaction; dispose it when done.</returns>
    ValueTask<IOrderKitTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default);

    /// <summary>Reads the oldest outbox messages not yet delivered, oldest first.</summary>
    /// <param name="maxCount">The largest number of messages to return; at least one.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Up to <paramref name="maxCount"/> messages; empty when everything is delivered.</returns>
    ValueTask<IReadOnlyList<OutboxMessage>> ReadOutboxAsync(int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Marks outbox messages as delivered, so they are not read again. Identifiers already marked are ignored.</summary>
    /// <param name="messageIds">The identifiers of the messages delivered.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the marks are durable.</returns>
    ValueTask MarkDeliveredAsync(IReadOnlyList<long> messageIds, CancellationToken cancellationToken = default);
}
