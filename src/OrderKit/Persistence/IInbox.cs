namespace OrderKit.Persistence;

/// <summary>The inbox of a store, as seen from one transaction: remembers the incoming messages already handled, so that a message delivered twice acts once.</summary>
/// <remarks>
/// <para>Carrier webhooks and other incoming messages arrive at least once. Record the message in the same unit of
/// work as what it changes: when <see cref="TryRecordAsync"/> returns false, the message was handled before (or is
/// being handled by a unit of work that committed first) and should be ignored.</para>
/// <para>Thread safety: as its transaction; not thread-safe.</para>
/// </remarks>
public interface IInbox
{
    /// <summary>Records that a message is being handled, unless it was recorded before.</summary>
    /// <param name="source">Where the message comes from, such as <c>carrier:dhl</c>; 1 to 100 characters.</param>
    /// <param name="messageId">The sender's identifier of the message; 1 to 255 characters.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>True when the message is new and is now recorded, to be stored at commit; false when it was recorded before.</returns>
    /// <exception cref="ArgumentException"><paramref name="source"/> or <paramref name="messageId"/> is empty or too long.</exception>
    /// <exception cref="ConcurrencyConflictException">Another unit of work recorded the same message and committed first.</exception>
    ValueTask<bool> TryRecordAsync(string source, string messageId, CancellationToken cancellationToken = default);
}
