using NodaTime;
using OrderKit.Inventory;
using OrderKit.Orders;

namespace OrderKit.Persistence;

public sealed partial class InMemoryOrderKitStore
{
    private readonly StockIndex _stock = new();
    private readonly List<StockMovement> _ledger = [];
    private readonly Dictionary<string, CartHold> _cartHolds = new(StringComparer.Ordinal);
    private readonly Dictionary<Sku, SortedSet<(Instant PlacedAt, OrderId Id)>> _waiting = [];

    /// <summary>The live stock, read by the allocation planner without copying.</summary>
    internal StockIndex Stock => _stock;

    private void CheckInventory(InventoryView view)
    {
        // A hold is reserved stock: one this unit of work read may be replaced or removed only as it was read.
        foreach (string cart in view.Holds.Keys)
        {
            if (view.HoldsRead.TryGetValue(cart, out CartHold? read) && !ReferenceEquals(read, _cartHolds.GetValueOrDefault(cart)))
            {
                throw new ConcurrencyConflictException($"cart hold {cart}", "another unit of work took it over, released or replaced it after this one read it.");
            }
        }

        // Expected arrivals are replaced with a list built from the one read: only if that is still the list.
        foreach ((Sku sku, int at) in view.Incoming.Keys)
        {
            if (view.IncomingRead.TryGetValue((sku, at), out List<IncomingStock>? read) && !ReferenceEquals(read, _stock.FindRow(sku) is { } row ? InventoryView.CommittedIncoming(row, at) : null))
            {
                throw new ConcurrencyConflictException($"incoming stock of {sku} at {_stock.Locations[at].Id}", "another unit of work changed it after this one read it.");
            }
        }

        foreach (KeyValuePair<(StockIndex.SkuRow Row, int Location), CellChange> pair in view.Cells)
        {
            (StockIndex.SkuRow row, int at) = pair.Key;
            CellChange change = pair.Value;
            StockIndex.StockCell cell;
            lock (row.Gate)
            {
                cell = row.Books(at);
            }

            // A change of the on-hand count worked out from a count read in this unit of work (a cycle count) holds
            // only while that count does: the SQL stores hold the cell from the write to the commit, this one checks.
            if (change.OnHand != 0 && view.OnHandRead.TryGetValue(pair.Key, out int read) && read != cell.OnHand)
            {
                throw new ConcurrencyConflictException(
                    $"stock of {row.Sku} at {_stock.Locations[at].Id}",
                    $"its on-hand count moved from {read} to {cell.OnHand} after this unit of work read it.");
            }

            int onHand = cell.OnHand + change.OnHand;
            int reserved = cell.Reserved + change.Reserved;
            if (reserved < 0 || onHand < reserved || cell.Damaged + change.Damaged < 0)
            {
                throw new ConcurrencyConflictException(
                    $"stock of {row.Sku} at {_stock.Locations[at].Id}",
                    $"the counts moved underneath: {onHand} on hand and {reserved} reserved after this unit of work.");
            }
        }
    }

    private void ApplyInventory(InventoryView view, Instant now)
    {
        foreach (StockLocation location in view.Locations.Values)
        {
            _stock.PutLocation(location, mustExist: _stock.Locations.TryGetIndex(location.Id, out _));
        }

        foreach (KeyValuePair<Sku, InventoryPolicy> pair in view.Policies)
        {
            _stock.Row(pair.Key).Policy = pair.Value;
        }

        foreach (KeyValuePair<(StockIndex.SkuRow Row, int Location), CellChange> pair in view.Cells)
        {
            (StockIndex.SkuRow row, int at) = pair.Key;
            CellChange change = pair.Value;
            lock (row.Gate)
            {
                ref StockIndex.StockCell cell = ref row.Cell(at);
                int safetyChange = change.Safety is { } safety ? safety - cell.SafetyStock : 0;
                cell.OnHand += change.OnHand;
                cell.Reserved += change.Reserved;
                cell.Damaged += change.Damaged;
                cell.SafetyStock += safetyChange;
                row.AddAvailable(at, change.OnHand - change.Reserved - safetyChange + change.Taken);
            }

            Interlocked.Add(ref row.PendingTakes, -change.Taken);
            change.Taken = 0;
        }

        foreach (KeyValuePair<(Sku Sku, int Location), IncomingStock[]> pair in view.Incoming)
        {
            StockIndex.SkuRow row = _stock.Row(pair.Key.Sku);
            lock (row.Gate)
            {
                row.Incoming[pair.Key.Location] = [.. pair.Value];
            }
        }

        foreach (StockMovement movement in view.Movements)
        {
            _ledger.Add(movement with { Sequence = _ledger.Count + 1, OccurredAt = movement.OccurredAt == default ? now : movement.OccurredAt });
        }

        foreach (KeyValuePair<string, CartHold?> pair in view.Holds)
        {
            if (pair.Value is null)
            {
                _cartHolds.Remove(pair.Key);
            }
            else
            {
                _cartHolds[pair.Key] = pair.Value;
            }
        }
    }

    /// <summary>Keeps the backorder queue and the waiting units per SKU in step with a saved order.</summary>
    private void IndexWaiting(OrderSnapshot? previous, OrderSnapshot order)
    {
        if (previous is not null)
        {
            foreach (OrderLineSnapshot line in previous.Lines)
            {
                if (line.Backordered > 0 && _waiting.TryGetValue(line.Sku, out SortedSet<(Instant, OrderId)>? queue))
                {
                    queue.Remove((previous.PlacedAt, previous.Id));
                    Interlocked.Add(ref _stock.Row(line.Sku).WaitingUnits, -line.Backordered);
                }
            }
        }

        foreach (OrderLineSnapshot line in order.Lines)
        {
            if (line.Backordered > 0)
            {
                if (!_waiting.TryGetValue(line.Sku, out SortedSet<(Instant, OrderId)>? queue))
                {
                    _waiting[line.Sku] = queue = [];
                }

                queue.Add((order.PlacedAt, order.Id));
                Interlocked.Add(ref _stock.Row(line.Sku).WaitingUnits, line.Backordered);
            }
        }
    }

    private List<WaitingLine> FindWaiting(Sku sku, int maxCount)
    {
        lock (_gate)
        {
            var result = new List<WaitingLine>();
            if (!_waiting.TryGetValue(sku, out SortedSet<(Instant PlacedAt, OrderId Id)>? queue))
            {
                return result;
            }

            foreach ((Instant placedAt, OrderId id) in queue)
            {
                if (result.Count == maxCount)
                {
                    break;
                }

                foreach (OrderLineSnapshot line in _orders[id].Lines)
                {
                    if (line.Sku == sku)
                    {
                        result.Add(new WaitingLine(id, placedAt, line.Backordered));
                        break;
                    }
                }
            }

            return result;
        }
    }

    /// <summary>What one transaction changes in one stock cell.</summary>
    private sealed class CellChange
    {
        public int OnHand;
        public int Reserved;
        public int Damaged;
        public int? Safety;

        /// <summary>Units taken from the cell's available count at once (compare-and-swap), given back on rollback.</summary>
        public int Taken;

        /// <summary>What this transaction adds to the available count beyond what it already took: units it may reserve again.</summary>
        public int Credit(int committedSafety) => OnHand - Reserved - ((Safety ?? committedSafety) - committedSafety) + Taken;
    }

    /// <summary>The inventory as one transaction sees it: the committed stock plus its own staged changes.</summary>
    private sealed class InventoryView(InMemoryOrderKitStore store) : IInventoryRepository, IStockIndexSource
    {
        public Dictionary<(StockIndex.SkuRow Row, int Location), CellChange> Cells { get; } = [];

        public Dictionary<LocationId, StockLocation> Locations { get; } = [];

        public Dictionary<Sku, InventoryPolicy> Policies { get; } = [];

        public Dictionary<(Sku Sku, int Location), IncomingStock[]> Incoming { get; } = [];

        // The committed on-hand count of each cell this unit of work read before it first wrote to the cell, which its changes of that count are checked against.
        public Dictionary<(StockIndex.SkuRow Row, int Location), int> OnHandRead { get; } = [];

        // The committed lists of expected arrivals this unit of work read (null: none), which its replacements are checked against.
        public Dictionary<(Sku Sku, int Location), List<IncomingStock>?> IncomingRead { get; } = [];

        public List<StockMovement> Movements { get; } = [];

        public Dictionary<string, CartHold?> Holds { get; } = new(StringComparer.Ordinal);

        // The committed holds this unit of work read (null: found missing), which its writes to them are checked against.
        public Dictionary<string, CartHold?> HoldsRead { get; } = new(StringComparer.Ordinal);

        public StockIndex Index => store._stock;

        public ValueTask<IReadOnlyList<StockLocation>> GetLocationsAsync(CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            StockIndex.LocationTable table = store._stock.Locations;
            var result = new List<StockLocation>(table.Count + Locations.Count);
            for (int k = 0; k < table.Count; k++)
            {
                result.Add(Locations.GetValueOrDefault(table[k].Id) ?? table[k]);
            }

            foreach (StockLocation added in Locations.Values)
            {
                if (!table.TryGetIndex(added.Id, out _))
                {
                    result.Add(added);
                }
            }

            return ValueTask.FromResult<IReadOnlyList<StockLocation>>(result);
        }

        public ValueTask SaveLocationAsync(StockLocation location, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(location);
            cancellationToken.ThrowIfCancellationRequested();
            Locations[location.Id] = location;
            return ValueTask.CompletedTask;
        }

        public ValueTask<SkuStock?> FindAsync(Sku sku, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            StockIndex.SkuRow? row = store._stock.FindRow(sku);
            if (row is null && !Policies.ContainsKey(sku))
            {
                // Nothing is expected anywhere yet: a replacement of any cell's arrivals is checked against that.
                for (int k = 0; k < store._stock.Locations.Count; k++)
                {
                    if (!Incoming.ContainsKey((sku, k)))
                    {
                        IncomingRead.TryAdd((sku, k), null);
                    }
                }

                return ValueTask.FromResult<SkuStock?>(null);
            }

            row ??= store._stock.Row(sku);
            StockIndex.LocationTable table = store._stock.Locations;
            var levels = new List<StockLevel>();
            for (int k = 0; k < table.Count; k++)
            {
                if (!Incoming.ContainsKey((sku, k)))
                {
                    IncomingRead.TryAdd((sku, k), CommittedIncoming(row, k));
                }

                bool staged = Cells.TryGetValue((row, k), out CellChange? change);
                if (!row.HasCell(k) && !staged && !Incoming.ContainsKey((sku, k)) && !HasCommittedIncoming(row, k))
                {
                    OnHandRead.TryAdd((row, k), 0);
                    continue;
                }

                // Only a read before this unit of work's first write to the cell: on the SQL stores the cell is held
                // from that write on, so a later read sees what the commit will change (a receipt reads after it writes).
                StockLevel level = store._stock.Level(row, k);
                if (!staged)
                {
                    OnHandRead.TryAdd((row, k), level.OnHand);
                }
                IncomingStock[]? incoming = Incoming.GetValueOrDefault((sku, k));
                levels.Add(change is null && incoming is null ? level : level with
                {
                    OnHand = level.OnHand + (change?.OnHand ?? 0),
                    Reserved = level.Reserved + (change?.Reserved ?? 0),
                    Damaged = level.Damaged + (change?.Damaged ?? 0),
                    SafetyStock = change?.Safety ?? level.SafetyStock,
                    Incoming = incoming ?? level.Incoming,
                });
            }

            return ValueTask.FromResult<SkuStock?>(new SkuStock(sku, Policies.GetValueOrDefault(sku) ?? row.Policy, levels));
        }

        public ValueTask SavePolicyAsync(Sku sku, InventoryPolicy policy, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(policy);
            cancellationToken.ThrowIfCancellationRequested();
            Policies[sku] = policy;
            return ValueTask.CompletedTask;
        }

        public ValueTask SaveIncomingAsync(Sku sku, LocationId location, IReadOnlyList<IncomingStock> incoming, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(incoming);
            cancellationToken.ThrowIfCancellationRequested();
            Incoming[(sku, LocationIndex(location))] = [.. incoming];
            return ValueTask.CompletedTask;
        }

        public ValueTask SaveSafetyStockAsync(Sku sku, LocationId location, int safetyStock, CancellationToken cancellationToken = default)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(safetyStock);
            cancellationToken.ThrowIfCancellationRequested();
            Change(store._stock.Row(sku), LocationIndex(location)).Safety = safetyStock;
            return ValueTask.CompletedTask;
        }

        public ValueTask<bool> TryApplyAsync(StockMovement movement, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(movement);
            cancellationToken.ThrowIfCancellationRequested();
            StockIndex.SkuRow row = store._stock.Row(movement.Sku);
            int at = LocationIndex(movement.Location);
            CellChange change = Change(row, at);
            int damaged = movement.DamagedChange;
            lock (row.Gate)
            {
                StockIndex.StockCell cell = row.Books(at);
                int onHand = cell.OnHand + change.OnHand + movement.OnHandChange;
                int reserved = cell.Reserved + change.Reserved + movement.ReservedChange;
                int safety = change.Safety ?? cell.SafetyStock;
                if (reserved < 0 || onHand < reserved || (movement.ReservedChange > 0 && onHand - reserved - safety < 0))
                {
                    return ValueTask.FromResult(false);
                }

                // Units leaving the available count come first from what this transaction itself added, then from
                // the shared count at once, by compare-and-swap, so no other transaction can have them meanwhile.
                int leaving = movement.ReservedChange - movement.OnHandChange;
                if (leaving > 0)
                {
                    int need = leaving - Math.Clamp(change.Credit(cell.SafetyStock), 0, leaving);
                    // Reserving keeps the safety stock; taking units off the shelf (a count, damage) may use it.
                    if (need > 0 && !row.TryTake(at, need, movement.ReservedChange > 0 ? 0 : -cell.SafetyStock))
                    {
                        return ValueTask.FromResult(false);
                    }

                    change.Taken += Math.Max(need, 0);
                    Interlocked.Add(ref row.PendingTakes, Math.Max(need, 0));
                }

                change.OnHand += movement.OnHandChange;
                change.Reserved += movement.ReservedChange;
                change.Damaged += damaged;
            }

            Movements.Add(movement);
            return ValueTask.FromResult(true);
        }

        public ValueTask<IReadOnlyList<StockMovement>> ReadLedgerAsync(Sku? sku, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (store._gate)
            {
                return ValueTask.FromResult<IReadOnlyList<StockMovement>>(sku is { } only ? [.. store._ledger.Where(m => m.Sku == only)] : [.. store._ledger]);
            }
        }

        public ValueTask<CartHold?> FindHoldAsync(string cartId, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(cartId);
            cancellationToken.ThrowIfCancellationRequested();
            if (Holds.TryGetValue(cartId, out CartHold? staged))
            {
                return ValueTask.FromResult(staged);
            }

            lock (store._gate)
            {
                CartHold? committed = store._cartHolds.GetValueOrDefault(cartId);
                HoldsRead.TryAdd(cartId, committed);
                return ValueTask.FromResult(committed);
            }
        }

        public ValueTask SaveHoldAsync(CartHold hold, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(hold);
            cancellationToken.ThrowIfCancellationRequested();
            Holds[hold.CartId] = hold;
            return ValueTask.CompletedTask;
        }

        public ValueTask DeleteHoldAsync(string cartId, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(cartId);
            cancellationToken.ThrowIfCancellationRequested();
            Holds[cartId] = null;
            return ValueTask.CompletedTask;
        }

        public ValueTask<IReadOnlyList<CartHold>> FindExpiredHoldsAsync(Instant now, int maxCount, CancellationToken cancellationToken = default)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
            cancellationToken.ThrowIfCancellationRequested();
            lock (store._gate)
            {
                CartHold[] expired = [.. store._cartHolds.Values.Where(h => h.IsExpiredAt(now) && !Holds.ContainsKey(h.CartId)).OrderBy(h => h.ExpiresAt).Take(maxCount)];
                foreach (CartHold hold in expired)
                {
                    HoldsRead.TryAdd(hold.CartId, hold);
                }

                return ValueTask.FromResult<IReadOnlyList<CartHold>>(expired);
            }
        }

        public bool HasPendingTakes(Sku sku) => store._stock.FindRow(sku) is { } row && Volatile.Read(ref row.PendingTakes) > 0;

        public bool HasChanges(Sku sku)
        {
            foreach ((StockIndex.SkuRow row, int _) in Cells.Keys)
            {
                if (row.Sku == sku)
                {
                    return true;
                }
            }

            return Policies.ContainsKey(sku);
        }

        /// <summary>The committed list of a cell's expected arrivals (replaced whole by every commit that changes it), or null.</summary>
        public static List<IncomingStock>? CommittedIncoming(StockIndex.SkuRow row, int location)
        {
            lock (row.Gate)
            {
                return row.HasIncoming && row.Incoming.TryGetValue(location, out List<IncomingStock>? list) ? list : null;
            }
        }

        private static bool HasCommittedIncoming(StockIndex.SkuRow row, int location)
        {
            lock (row.Gate)
            {
                return row.HasIncoming && row.Incoming.TryGetValue(location, out List<IncomingStock>? list) && list.Count > 0;
            }
        }

        /// <summary>Gives back every unit taken at once; the transaction was not committed.</summary>
        public void Rollback()
        {
            foreach (KeyValuePair<(StockIndex.SkuRow Row, int Location), CellChange> pair in Cells)
            {
                if (pair.Value.Taken > 0)
                {
                    pair.Key.Row.AddAvailable(pair.Key.Location, pair.Value.Taken);
                    Interlocked.Add(ref pair.Key.Row.PendingTakes, -pair.Value.Taken);
                    pair.Value.Taken = 0;
                }
            }
        }

        public void Clear()
        {
            Cells.Clear();
            Locations.Clear();
            Policies.Clear();
            Incoming.Clear();
            IncomingRead.Clear();
            OnHandRead.Clear();
            Movements.Clear();
            Holds.Clear();
        }

        private CellChange Change(StockIndex.SkuRow row, int at)
        {
            if (!Cells.TryGetValue((row, at), out CellChange? change))
            {
                Cells[(row, at)] = change = new CellChange();
            }

            return change;
        }

        private int LocationIndex(LocationId location) =>
            store._stock.Locations.TryGetIndex(location, out int at)
                ? at
                : throw new InvalidOperationException($"Stock location {location} is not committed to the store; add it in its own unit of work first.");
    }
}
