namespace OrderKit.Persistence;

/// <summary>The idempotency records of a store, as seen from one transaction.</summary>
/// <remarks>
/// <para>A record remembers the outcome of a command sent with an idempotency key, so that a retry of the same
/// request returns the first outcome instead of acting twice. Records expire: a record whose
/// <see cref="IdempotencyRecord.ExpiresAt"/> has passed is treated as absent, and its key can be used again.</para>
/// <para>Thread safety: as its transaction; not thread-safe.</para>
/// </remarks>
public interface IIdempotencyRecords
{
    /// <summary>Finds the unexpired record for a key.</summary>
    /// <param name="operation">The command, such as <c>place-order</c>.</param>
    /// <param name="key">The idempotency key the caller sent.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or null when there is none or it has expired.</returns>
    ValueTask<IdempotencyRecord?> FindAsync(string operation, string key, CancellationToken cancellationToken = default);

    /// <summary>Adds a record, to be stored when the transaction commits.</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the record is part of the transaction.</returns>
    /// <exception cref="ConcurrencyConflictException">An unexpired record with the same operation and key exists.</exception>
    ValueTask AddAsync(IdempotencyRecord record, CancellationToken cancellationToken = default);
}
