using NodaTime;
using OrderKit.Inventory;

namespace OrderKit.Persistence;

/// <summary>The stock inside one unit of work: locations, policies, counts, cart holds and the movement ledger.</summary>
/// <remarks>
/// <para>Reads see what the store has committed, plus this transaction's own changes. Writes land at commit, together
/// with the transaction's orders, outbox messages and idempotency records, or not at all.</para>
/// <para>Contract for implementers:</para>
/// <list type="bullet">
/// <item><description>Counts change only through <see cref="TryApplyAsync"/>, one movement at a time, and only when the
/// result keeps every count of the cell valid (see there). A store may take units tentatively at once (a conditional
/// update, a compare-and-swap) so that two transactions can never both have the last unit; what it takes is given
/// back when the transaction is not committed.</description></item>
/// <item><description>Movements get increasing sequence numbers in commit order; <see cref="ReadLedgerAsync"/> returns
/// them oldest first.</description></item>
/// <item><description>A commit that finds a count changed underneath so that a movement no longer fits throws
/// <see cref="ConcurrencyConflictException"/> and applies nothing; OrderKit retries the command.</description></item>
/// </list>
/// </remarks>
public interface IInventoryRepository
{
    /// <summary>Reads every stock location, in the order they were added.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The locations.</returns>
    ValueTask<IReadOnlyList<StockLocation>> GetLocationsAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a location, or replaces the one with the same id.</summary>
    /// <param name="location">The location.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the write is staged.</returns>
    ValueTask SaveLocationAsync(StockLocation location, CancellationToken cancellationToken = default);

    /// <summary>Reads a SKU's policy and its level at each location.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stock, or null for a SKU the store has never seen.</returns>
    ValueTask<SkuStock?> FindAsync(Sku sku, CancellationToken cancellationToken = default);

    /// <summary>Reads several SKUs' policies and levels at once; a store over a database answers in a few queries instead of a few per SKU.</summary>
    /// <remarks>The default implementation calls <see cref="FindAsync"/> for each SKU.</remarks>
    /// <param name="skus">The SKUs; distinct.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The stock of each SKU, in the order asked, with null for a SKU the store has never seen.</returns>
    async ValueTask<IReadOnlyList<SkuStock?>> FindManyAsync(IReadOnlyList<Sku> skus, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(skus);
        var result = new SkuStock?[skus.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = await FindAsync(skus[i], cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// Gives several SKUs' stock as the store last saw it, without reading it, or null when the store keeps no such
    /// stock for all of them: what a checkout plans from on its first try, to spare a round trip to the database.
    /// </summary>
    /// <remarks>
    /// <para>The counts may be older than what is stored: every reservation planned from them is still made by the
    /// store's conditional update, which refuses one that no longer fits, and a plan that falls short on them is made
    /// again over <see cref="FindManyAsync"/>. A store that answers must make the unit of work's commit fail with
    /// <see cref="ConcurrencyConflictException"/> when the policies, expected arrivals or locations it answered with
    /// were changed since it saw them, so that nothing is committed under a policy or a location that no longer
    /// stands. Once the unit of work calls <see cref="FindManyAsync"/>, what that reads is what it plans from.</para>
    /// <para>The default implementation returns null: the checkout reads with <see cref="FindManyAsync"/>.</para>
    /// </remarks>
    /// <param name="skus">The SKUs; distinct.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The stock of each SKU, in the order asked, null for a SKU the store saw and did not know; or null.</returns>
    ValueTask<IReadOnlyList<SkuStock?>?> FindLastSeenAsync(IReadOnlyList<Sku> skus, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(skus);
        return ValueTask.FromResult<IReadOnlyList<SkuStock?>?>(null);
    }

    /// <summary>Sets a SKU's policy; the store starts knowing the SKU when it does not yet.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="policy">The policy.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the write is staged.</returns>
    ValueTask SavePolicyAsync(Sku sku, InventoryPolicy policy, CancellationToken cancellationToken = default);

    /// <summary>Replaces the stock expected to arrive for a SKU at a location.</summary>
    /// <remarks>
    /// The services build the new list from the one they read, so the write is guarded by that read: when this unit of
    /// work read the SKU's stock (<see cref="FindAsync"/>, <see cref="FindManyAsync"/>), the list is replaced only if
    /// it still holds what was read; otherwise the store throws <see cref="ConcurrencyConflictException"/>, here or at
    /// the commit, and nothing of the unit of work is committed (the command then runs again). A store whose units of
    /// work run one at a time meets this trivially.
    /// </remarks>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <param name="incoming">The expected arrivals, earliest first; empty for none.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the write is staged.</returns>
    /// <exception cref="ConcurrencyConflictException">The list changed since this unit of work read it.</exception>
    ValueTask SaveIncomingAsync(Sku sku, LocationId location, IReadOnlyList<IncomingStock> incoming, CancellationToken cancellationToken = default);

    /// <summary>Sets the units a location keeps back from sale for a SKU.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <param name="safetyStock">The units; zero or more.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the write is staged.</returns>
    ValueTask SaveSafetyStockAsync(Sku sku, LocationId location, int safetyStock, CancellationToken cancellationToken = default);

    /// <summary>Applies a movement to its cell's counts and appends it to the ledger, if the counts allow it.</summary>
    /// <remarks>
    /// On hand changes by <see cref="StockMovement.OnHandChange"/>, reserved by <see cref="StockMovement.ReservedChange"/>,
    /// and damaged by <see cref="StockMovement.DamagedChange"/> (the quantity of a <see cref="StockMovementKind.MarkedDamaged"/>
    /// or <see cref="StockMovementKind.ReturnedDamaged"/> movement). The
    /// movement fits when afterwards on hand ≥ reserved ≥ 0 and, for a movement that reserves
    /// (<see cref="StockMovement.ReservedChange"/> &gt; 0), on hand − reserved − safety stock ≥ 0 as well. A movement
    /// that does not fit changes nothing. The store assigns <see cref="StockMovement.Sequence"/>.
    /// <para>A change of the on-hand count may have been worked out from a count this unit of work read (a cycle count
    /// applies the difference to what it counted). Once applied, the store either holds the cell for this unit of work
    /// until the commit and shows it as written (a row lock, a single writer), or refuses the commit with
    /// <see cref="ConcurrencyConflictException"/> when another unit of work changed the on-hand count this one read
    /// before its write. The services read the cell again after such a write and run the command again when it
    /// moved.</para>
    /// </remarks>
    /// <param name="movement">The movement.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>True when applied; false when the counts do not allow it.</returns>
    ValueTask<bool> TryApplyAsync(StockMovement movement, CancellationToken cancellationToken = default);

    /// <summary>Applies several movements, each as <see cref="TryApplyAsync"/> would, until one does not fit.</summary>
    /// <remarks>
    /// The default implementation applies them one at a time, in order, and stops at the first that does not fit. A store
    /// over a database may apply them all in one statement. Either way, when one does not fit, which of the others were
    /// applied is not defined, and the caller must not commit the transaction. A store may also stage the movements and
    /// check them with its next statement or at the commit, returning -1 now: that statement or
    /// <see cref="IOrderKitTransaction.CommitAsync"/> then throws <see cref="InsufficientStockException"/> for a
    /// reservation that does not fit (<see cref="ConcurrencyConflictException"/> for any other movement), and nothing
    /// is committed.
    /// </remarks>
    /// <param name="movements">The movements, in the order their cells are to be locked.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>-1 when every movement was applied; otherwise the index of one that does not fit.</returns>
    async ValueTask<int> TryApplyAllAsync(IReadOnlyList<StockMovement> movements, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(movements);
        for (int i = 0; i < movements.Count; i++)
        {
            if (!await TryApplyAsync(movements[i], cancellationToken).ConfigureAwait(false))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Reads the movement ledger, oldest first.</summary>
    /// <param name="sku">Only this SKU's movements; null for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The committed movements.</returns>
    ValueTask<IReadOnlyList<StockMovement>> ReadLedgerAsync(Sku? sku, CancellationToken cancellationToken = default);

    /// <summary>Reads a SKU's recent movements: those that occurred at or after a moment, oldest first.</summary>
    /// <remarks>
    /// <para>For figures over a recent window (<see cref="Insights.ReplenishmentAdvisor"/> reads the demand of the last
    /// weeks this way), so that their cost follows the movements in the window, not the SKU's whole history.</para>
    /// <para>A movement's <see cref="StockMovement.OccurredAt"/> is its command's clock; its sequence is commit order. A
    /// store may read back from the newest movement and stop an hour of movements before <paramref name="since"/>: a
    /// movement whose command committed more than an hour after it read its clock may then be left out. The default
    /// implementation reads the SKU's whole ledger (<see cref="ReadLedgerAsync"/>) and keeps the recent movements.</para>
    /// </remarks>
    /// <param name="sku">The SKU.</param>
    /// <param name="since">The earliest moment to include.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The committed movements of the SKU, at every location, that occurred at or after <paramref name="since"/>, oldest first (by sequence).</returns>
    async ValueTask<IReadOnlyList<StockMovement>> ReadLedgerSinceAsync(Sku sku, Instant since, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<StockMovement> all = await ReadLedgerAsync(sku, cancellationToken).ConfigureAwait(false);
        return [.. all.Where(m => m.OccurredAt >= since)];
    }

    /// <summary>Reads a cart hold.</summary>
    /// <param name="cartId">The cart.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The hold, expired or not, or null.</returns>
    ValueTask<CartHold?> FindHoldAsync(string cartId, CancellationToken cancellationToken = default);

    /// <summary>Adds a cart hold, or replaces the cart's hold.</summary>
    /// <remarks>
    /// A hold is reserved stock, so the write is guarded by what this unit of work read: a cart whose hold it read
    /// (through <see cref="FindHoldAsync"/> or <see cref="FindExpiredHoldsAsync"/>) has it replaced only if it is
    /// still as read, and a cart it found without a hold (or whose hold it deleted) gets one only if it still has
    /// none. Otherwise the store throws <see cref="ConcurrencyConflictException"/>, here or at the commit, and
    /// nothing of the unit of work is committed. A store whose units of work run one at a time meets this trivially.
    /// </remarks>
    /// <param name="hold">The hold; its units must already be reserved through <see cref="TryApplyAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the write is staged.</returns>
    /// <exception cref="ConcurrencyConflictException">The hold changed since this unit of work read it.</exception>
    ValueTask SaveHoldAsync(CartHold hold, CancellationToken cancellationToken = default);

    /// <summary>Deletes a cart hold; deleting a missing hold this unit of work did not read does nothing.</summary>
    /// <remarks>
    /// A hold this unit of work read is deleted only if it is still as read; if another unit of work took it over,
    /// released or replaced it meanwhile, the store throws <see cref="ConcurrencyConflictException"/>, here or at the
    /// commit, so that the hold's units are never released or handed to an order twice.
    /// </remarks>
    /// <param name="cartId">The cart.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the write is staged.</returns>
    /// <exception cref="ConcurrencyConflictException">The hold changed since this unit of work read it.</exception>
    ValueTask DeleteHoldAsync(string cartId, CancellationToken cancellationToken = default);

    /// <summary>Reads cart holds that have lapsed: expired, and taken over by no order.</summary>
    /// <param name="now">The instant to compare expiries with.</param>
    /// <param name="maxCount">The largest number to return; at least one.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Up to <paramref name="maxCount"/> lapsed holds, earliest expiry first.</returns>
    ValueTask<IReadOnlyList<CartHold>> FindExpiredHoldsAsync(Instant now, int maxCount, CancellationToken cancellationToken = default);
}
