namespace OrderKit.Persistence;

/// <summary>One unit of work against an <see cref="IOrderKitStore"/>: reads and writes that commit together or not at all.</summary>
/// <remarks>
/// <para>Reads see the transaction's own writes. Writes become visible to others only at
/// <see cref="CommitAsync"/>. Disposing a transaction that was not committed discards its writes.</para>
/// <para>Thread safety: not thread-safe; one command uses it at a time.</para>
/// </remarks>
public interface IOrderKitTransaction : IAsyncDisposable
{
    /// <summary>Gets the orders.</summary>
    IOrderRepository Orders { get; }

    /// <summary>Gets the outbox that events are appended to.</summary>
    IOutbox Outbox { get; }

    /// <summary>Gets the idempotency records.</summary>
    IIdempotencyRecords Idempotency { get; }

    /// <summary>Gets the stock: locations, counts, cart holds and the movement ledger.</summary>
    IInventoryRepository Inventory { get; }

    /// <summary>Gets the inbox that remembers incoming messages already handled.</summary>
    IInbox Inbox { get; }

    /// <summary>Applies every write of the transaction, or none.</summary>
    /// <param name="cancellationToken">Cancels the commit; a cancelled commit applies nothing.</param>
    /// <returns>A task that completes when the writes are durable.</returns>
    /// <exception cref="ConcurrencyConflictException">Another unit of work changed an order, took an idempotency key, or moved stock a movement relied on first; nothing was applied.</exception>
    /// <exception cref="InvalidOperationException">The transaction was already committed.</exception>
    ValueTask CommitAsync(CancellationToken cancellationToken = default);
}
