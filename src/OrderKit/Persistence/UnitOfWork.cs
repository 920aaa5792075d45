using System.Diagnostics;
using System.Runtime.CompilerServices;
using NodaTime;
using OrderKit.Internal;
using OrderKit.Inventory;
using OrderKit.Orders;

namespace OrderKit.Persistence;

/// <summary>Runs commands as units of work, with retries on conflicts, and writes orders with their events and stock.</summary>
internal static class UnitOfWork
{
    /// <summary>Runs a command in a transaction; commits when it returns, retries from the start on a conflict.</summary>
    /// <remarks>The command's span (when something listens to <see cref="OrderKitDiagnostics.ActivitySourceName"/>) is named after the calling service and method.</remarks>
    public static Task<T> RunAsync<T>(IOrderKitStore store, int maxRetries, Func<IOrderKitTransaction, Task<T>> command, CancellationToken cancellationToken, [CallerMemberName] string member = "", [CallerFilePath] string file = "") =>
        RunCoreAsync(store, maxRetries, command, refusalsAreStale: false, member, file, cancellationToken);

    /// <summary>
    /// <see cref="RunAsync{T}(IOrderKitStore, int, Func{IOrderKitTransaction, Task{T}}, CancellationToken, string, string)"/>
    /// for a command that reserves only units it read as available in the same unit of work (backorder fills): a
    /// reservation refused there means the read was stale (a store that reads committed data, such as PostgreSQL, or
    /// SQLite reading beside the writer, let another command take the units in between), so the command is run again
    /// from the start, like a conflict, instead of failing.
    /// </summary>
    public static Task<T> RunSizedOnReadsAsync<T>(IOrderKitStore store, int maxRetries, Func<IOrderKitTransaction, Task<T>> command, CancellationToken cancellationToken, [CallerMemberName] string member = "", [CallerFilePath] string file = "") =>
        RunCoreAsync(store, maxRetries, command, refusalsAreStale: true, member, file, cancellationToken);

    private static async Task<T> RunCoreAsync<T>(IOrderKitStore store, int maxRetries, Func<IOrderKitTransaction, Task<T>> command, bool refusalsAreStale, string member, string file, CancellationToken cancellationToken)
    {
        using Activity? activity = Telemetry.StartCommand(file, member);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                IOrderKitTransaction transaction = await store.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    T result = await command(transaction).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    Telemetry.Committed(transaction);
                    activity?.SetTag("orderkit.attempts", attempt + 1);
                    return result;
                }
            }
            catch (ConcurrencyConflictException) when (attempt < maxRetries)
            {
                // Someone else committed first: start again from the state as it is now.
            }
            catch (InsufficientStockException) when (refusalsAreStale && attempt < maxRetries)
            {
                // The units were read as available and someone else took them before the reservation: read again.
            }
            catch (TransientStoreException) when (attempt < maxRetries)
            {
                await PauseBeforeRetryAsync(attempt, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits before a command is retried after the store was busy: a little longer each time, with jitter so that the writers that collided do not collide again.</summary>
    public static Task PauseBeforeRetryAsync(int attempt, CancellationToken cancellationToken)
    {
        int pause = Math.Min(1 << Math.Min(attempt, 6), 50);
        return Task.Delay(TimeSpan.FromMilliseconds(pause + Random.Shared.Next(pause + 1)), cancellationToken);
    }

    /// <summary>Applies what the order's unsaved actions mean for stock, then stages the order and its events.</summary>
    /// <param name="transaction">The unit of work.</param>
    /// <param name="order">The changed order.</param>
    /// <param name="clock">Stamps the movements.</param>
    /// <param name="alreadyReserved">Units reserved before the order took them (a converted cart hold); they reserve nothing again.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <exception cref="InsufficientStockException">A reservation could not be made; the transaction must not commit.</exception>
    public static async Task SaveOrderAsync(IOrderKitTransaction transaction, Order order, IClock clock, Dictionary<(Sku, LocationId), int>? alreadyReserved, CancellationToken cancellationToken)
    {
        IReadOnlyList<StockEffect> effects = order.UnsavedStockEffects;
        if (effects.Count > 0)
        {
            Instant now = clock.GetCurrentInstant();

            // A fixed order (SKU, then location) means two commands never wait on each other's cells in a cycle.
            StockEffect[] sorted = [.. effects];
            Array.Sort(sorted, static (a, b) => a.Sku != b.Sku ? a.Sku.CompareTo(b.Sku) : string.CompareOrdinal(a.Location.Value, b.Location.Value));
            var movements = new List<StockMovement>(sorted.Length);
            foreach (StockEffect effect in sorted)
            {
                int units = effect.Quantity;
                if (effect.Kind == StockEffectKind.Reserve && alreadyReserved is not null && alreadyReserved.TryGetValue((effect.Sku, effect.Location), out int held) && held > 0)
                {
                    int used = Math.Min(held, units);
                    alreadyReserved[(effect.Sku, effect.Location)] = held - used;
                    units -= used;
                }

                if (units == 0)
                {
                    continue;
                }

                movements.Add(effect.Kind switch
                {
                    StockEffectKind.Reserve => new(0, StockMovementKind.Reserved, effect.Sku, effect.Location, units, 0, units, null, order.Id, null, now),
                    StockEffectKind.Release => new(0, StockMovementKind.Released, effect.Sku, effect.Location, units, 0, -units, null, order.Id, null, now),
                    StockEffectKind.Ship => new(0, StockMovementKind.Shipped, effect.Sku, effect.Location, units, -units, -units, null, order.Id, null, now),
                    StockEffectKind.Restock => new(0, StockMovementKind.Restocked, effect.Sku, effect.Location, units, units, 0, "returned", order.Id, null, now),
                    StockEffectKind.Quarantine => new(0, StockMovementKind.ReturnedDamaged, effect.Sku, effect.Location, units, 0, 0, "returned", order.Id, null, now),
                    _ => new(0, StockMovementKind.ReturnDisposed, effect.Sku, effect.Location, units, 0, 0, "returned", order.Id, null, now),
                });
            }

            int refused = movements.Count == 0 ? -1 : await transaction.Inventory.TryApplyAllAsync(movements, cancellationToken).ConfigureAwait(false);
            if (refused >= 0)
            {
                StockMovement movement = movements[refused];
                if (movement.Kind == StockMovementKind.Reserved)
                {
                    throw new InsufficientStockException(movement.Sku, movement.Location, movement.Quantity);
                }

                // The order says these units are reserved, and the counts say they are not: someone else moved
                // them in the meantime. Start again from what is stored.
                throw new ConcurrencyConflictException($"stock of {movement.Sku} at {movement.Location}", $"fewer than the {movement.Quantity} units order {order.Id} holds are reserved there.");
            }
        }

        await transaction.Orders.SaveAsync(order.ToSnapshotAtVersion(order.Version + 1), cancellationToken).ConfigureAwait(false);
        Telemetry.Stage(transaction, order);
        await transaction.Outbox.AppendAsync(order.UnsavedEvents, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The cart-hold key under which an order keeps the hold it took over at placement.</summary>
    public static string OrderHoldKey(OrderId orderId) => "order:" + orderId.Value;
}
