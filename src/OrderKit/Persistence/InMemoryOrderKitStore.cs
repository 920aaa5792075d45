using NodaTime;
using OrderKit.Events;
using OrderKit.Orders;

namespace OrderKit.Persistence;

/// <summary>The default store: everything in memory, for tests, demos and hosts that persist elsewhere.</summary>
/// <remarks>
/// <para>It keeps the full contract of <see cref="IOrderKitStore"/>: transactions that commit all or nothing,
/// optimistic concurrency by version, an outbox in commit order, idempotency records that expire, and the stock with
/// its cart holds and movement ledger. A commit checks and applies its writes under one short lock, so concurrent
/// commands never see half a unit of work. Reservations do not wait for that lock: a transaction takes the units it
/// reserves from the cell's available count at once, by compare-and-swap, and gives them back if it is not
/// committed. Nothing survives the process.</para>
/// <para>Thread safety: thread-safe.</para>
/// </remarks>
public sealed partial class InMemoryOrderKitStore : IOrderKitStore
{
    private const int PurgeEveryCommits = 1024;

    private readonly IClock _clock;
    private readonly Lock _gate = new();
    private readonly Dictionary<OrderId, OrderSnapshot> _orders = [];
    private readonly Dictionary<(string Operation, string Key), IdempotencyRecord> _idempotency = [];
    private readonly SortedDictionary<long, OutboxMessage> _outbox = [];
    private readonly HashSet<(string Source, string MessageId)> _inbox = [];
    private readonly Dictionary<(string Carrier, string TrackingNumber), OrderId> _tracking = [];
    private readonly SortedSet<(Instant At, OrderId Id)> _pastShipBy = new(DueComparer.Instance);
    private readonly SortedSet<(Instant At, OrderId Id)> _delivered = new(DueComparer.Instance);
    private readonly SortedSet<(Instant At, OrderId Id)> _placed = new(DueComparer.Instance);
    private readonly Dictionary<CustomerId, SortedSet<(Instant At, OrderId Id)>> _byCustomer = [];
    private long _lastOutboxId;
    private long _commits;

    /// <summary>Creates an empty store.</summary>
    /// <param name="clock">The clock that decides when idempotency records expire.</param>
    /// <exception cref="ArgumentNullException"><paramref name="clock"/> is null.</exception>
    public InMemoryOrderKitStore(IClock clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
    }

    /// <summary>Gets the number of orders stored.</summary>
    public int OrderCount
    {
        get
        {
            lock (_gate)
            {
                return _orders.Count;
            }
        }
    }

    /// <summary>Gets the number of outbox messages not yet delivered.</summary>
    public int PendingOutboxCount
    {
        get
        {
            lock (_gate)
            {
                return _outbox.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<IOrderKitTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IOrderKitTransaction>(new Transaction(this));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<OutboxMessage>> ReadOutboxAsync(int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var messages = new List<OutboxMessage>(Math.Min(maxCount, _outbox.Count));
            foreach (OutboxMessage message in _outbox.Values)
            {
                if (messages.Count == maxCount)
                {
                    break;
                }

                messages.Add(message);
            }

            return ValueTask.FromResult<IReadOnlyList<OutboxMessage>>(messages);
        }
    }

    /// <inheritdoc />
    public ValueTask MarkDeliveredAsync(IReadOnlyList<long> messageIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (long id in messageIds)
            {
                _outbox.Remove(id);
            }
        }

        return ValueTask.CompletedTask;
    }

    private OrderSnapshot? FindCommitted(OrderId orderId)
    {
        lock (_gate)
        {
            return _orders.GetValueOrDefault(orderId);
        }
    }

    private OrderId? FindByTracking(string carrierCode, string trackingNumber)
    {
        lock (_gate)
        {
            return _tracking.TryGetValue((carrierCode.ToLowerInvariant(), trackingNumber), out OrderId id) ? id : null;
        }
    }

    private IdempotencyRecord? FindLiveRecord(string operation, string key)
    {
        Instant now = _clock.GetCurrentInstant();
        lock (_gate)
        {
            return _idempotency.TryGetValue((operation, key), out IdempotencyRecord? record) && record.ExpiresAt > now ? record : null;
        }
    }

    private void Commit(Transaction transaction)
    {
        Instant now = _clock.GetCurrentInstant();
        lock (_gate)
        {
            // Check everything first, then apply: a conflict anywhere leaves the store untouched.
            foreach (OrderSnapshot order in transaction.Orders.Values)
            {
                long stored = _orders.TryGetValue(order.Id, out OrderSnapshot? current) ? current.Version : 0;
                if (stored != order.Version - 1)
                {
                    throw new ConcurrencyConflictException(order.Id, order.Version - 1, stored);
                }
            }

            CheckInventory(transaction.Inventory);
            foreach ((string source, string messageId) in transaction.Received)
            {
                if (_inbox.Contains((source, messageId)))
                {
                    throw new ConcurrencyConflictException($"inbox message {source}/{messageId}", "another unit of work handled this message first.");
                }
            }

            foreach (IdempotencyRecord record in transaction.Records.Values)
            {
                if (_idempotency.TryGetValue((record.Operation, record.Key), out IdempotencyRecord? existing) && existing.ExpiresAt > now)
                {
                    throw new ConcurrencyConflictException($"idempotency key {record.Operation}/{record.Key}", "another request with this key committed first.");
                }
            }

            foreach (OrderSnapshot order in transaction.Orders.Values)
            {
                OrderSnapshot? before = _orders.GetValueOrDefault(order.Id);
                IndexWaiting(before, order);
                IndexSorted(before, order);
                _orders[order.Id] = order;
                foreach (Fulfillment.Shipment shipment in order.Shipments)
                {
                    if (shipment.Label is { } label)
                    {
                        _tracking.TryAdd((label.CarrierCode.ToLowerInvariant(), label.TrackingNumber), order.Id);
                    }
                }
            }

            ApplyInventory(transaction.Inventory, now);

            foreach (IdempotencyRecord record in transaction.Records.Values)
            {
                _idempotency[(record.Operation, record.Key)] = record;
            }

            _inbox.UnionWith(transaction.Received);

            foreach (OrderEvent orderEvent in transaction.Events)
            {
                _lastOutboxId++;
                _outbox.Add(_lastOutboxId, new OutboxMessage(_lastOutboxId, orderEvent));
            }

            if (++_commits % PurgeEveryCommits == 0)
            {
                PurgeExpiredRecords(now);
            }
        }
    }

    /// <summary>Keeps the sorted sets an order is found by (placement, customer, ship-by, delivery) in step with its new version.</summary>
    private void IndexSorted(OrderSnapshot? before, OrderSnapshot after)
    {
        if (before?.PlacedAt != after.PlacedAt || before.CustomerId != after.CustomerId)
        {
            if (before is not null)
            {
                _placed.Remove((before.PlacedAt, before.Id));
                _byCustomer[before.CustomerId].Remove((before.PlacedAt, before.Id));
            }

            _placed.Add((after.PlacedAt, after.Id));
            if (!_byCustomer.TryGetValue(after.CustomerId, out SortedSet<(Instant At, OrderId Id)>? history))
            {
                history = new SortedSet<(Instant At, OrderId Id)>(DueComparer.Instance);
                _byCustomer.Add(after.CustomerId, history);
            }

            history.Add((after.PlacedAt, after.Id));
        }

        if (before is not null)
        {
            if (ShipByKey(before) is { } oldShipBy)
            {
                _pastShipBy.Remove(oldShipBy);
            }

            if (DeliveredKey(before) is { } oldDelivered)
            {
                _delivered.Remove(oldDelivered);
            }
        }

        if (ShipByKey(after) is { } shipBy)
        {
            _pastShipBy.Add(shipBy);
        }

        if (DeliveredKey(after) is { } delivered)
        {
            _delivered.Add(delivered);
        }
    }

    private static (Instant, OrderId)? ShipByKey(OrderSnapshot order) =>
        order.ShipBy is { } at && order.Status is OrderStatus.Confirmed or OrderStatus.Allocated or OrderStatus.Backordered or OrderStatus.PartiallyShipped
            ? (at, order.Id)
            : null;

    private static (Instant, OrderId)? DeliveredKey(OrderSnapshot order) =>
        order.DeliveredAt is { } at && order.Status == OrderStatus.Delivered ? (at, order.Id) : null;

    private List<OrderId> FindDue(SortedSet<(Instant At, OrderId Id)> index, Instant upTo, int maxCount)
    {
        lock (_gate)
        {
            var found = new List<OrderId>();
            foreach ((Instant at, OrderId id) in index)
            {
                if (at > upTo || found.Count == maxCount)
                {
                    break;
                }

                found.Add(id);
            }

            return found;
        }
    }

    private List<OrderSnapshot> FindByCustomer(CustomerId customerId, OrderSnapshot? after, int maxCount)
    {
        lock (_gate)
        {
            var found = new List<OrderSnapshot>();
            if (!_byCustomer.TryGetValue(customerId, out SortedSet<(Instant At, OrderId Id)>? history) || history.Count == 0)
            {
                return found;
            }

            // Newest first: walk back from the customer's latest order, or from the page before's last one.
            IEnumerable<(Instant At, OrderId Id)> older = after is null
                ? history.Reverse()
                : DueComparer.Instance.Compare(history.Min, (after.PlacedAt, after.Id)) < 0
                    ? history.GetViewBetween(history.Min, (after.PlacedAt, after.Id)).Reverse()
                    : [];
            foreach ((Instant At, OrderId Id) entry in older)
            {
                if (found.Count == maxCount)
                {
                    break;
                }

                if (after is null || entry.Id != after.Id)
                {
                    found.Add(_orders[entry.Id]);
                }
            }

            return found;
        }
    }

    private List<OrderSnapshot> FindPlaced(Instant from, Instant to, OrderSnapshot? after, int maxCount)
    {
        lock (_gate)
        {
            // No order has the default id, so (to, default) sorts before every order placed at the window's end.
            var found = new List<OrderSnapshot>();
            (Instant, OrderId) start = (from, default);
            (Instant, OrderId)? cursor = after is null ? null : (after.PlacedAt, after.Id);
            if (cursor is { } c && DueComparer.Instance.Compare(c, start) > 0)
            {
                start = c;
            }

            if (start.Item1 >= to)
            {
                return found;
            }

            foreach ((Instant At, OrderId Id) entry in _placed.GetViewBetween(start, (to, default)))
            {
                if (found.Count == maxCount)
                {
                    break;
                }

                if (cursor is null || DueComparer.Instance.Compare(entry, cursor.Value) > 0)
                {
                    found.Add(_orders[entry.Id]);
                }
            }

            return found;
        }
    }

    private void PurgeExpiredRecords(Instant now)
    {
        List<(string, string)>? expired = null;
        foreach (KeyValuePair<(string, string), IdempotencyRecord> pair in _idempotency)
        {
            if (pair.Value.ExpiresAt <= now)
            {
                (expired ??= []).Add(pair.Key);
            }
        }

        expired?.ForEach(key => _idempotency.Remove(key));
    }

    private sealed class Transaction(InMemoryOrderKitStore store) : IOrderKitTransaction, IOrderRepository, IOutbox, IIdempotencyRecords, IInbox
    {
        private bool _committed;

        public InventoryView Inventory { get; } = new(store);

        public Dictionary<OrderId, OrderSnapshot> Orders { get; } = [];

        public Dictionary<(string Operation, string Key), IdempotencyRecord> Records { get; } = [];

        public List<OrderEvent> Events { get; } = [];

        public HashSet<(string Source, string MessageId)> Received { get; } = [];

        IOrderRepository IOrderKitTransaction.Orders => this;

        IOutbox IOrderKitTransaction.Outbox => this;

        IIdempotencyRecords IOrderKitTransaction.Idempotency => this;

        IInventoryRepository IOrderKitTransaction.Inventory => Inventory;

        IInbox IOrderKitTransaction.Inbox => this;

        public ValueTask<OrderSnapshot?> FindAsync(OrderId orderId, CancellationToken cancellationToken = default)
        {
            EnsureOpen();
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(Orders.TryGetValue(orderId, out OrderSnapshot? staged) ? staged : store.FindCommitted(orderId));
        }

        public ValueTask<OrderId?> FindByTrackingNumberAsync(string carrierCode, string trackingNumber, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(carrierCode);
            ArgumentNullException.ThrowIfNull(trackingNumber);
            EnsureOpen();
            cancellationToken.ThrowIfCancellationRequested();
            foreach (OrderSnapshot staged in Orders.Values)
            {
                foreach (Fulfillment.Shipment shipment in staged.Shipments)
                {
                    if (shipment.Label is { } label && string.Equals(label.CarrierCode, carrierCode, StringComparison.OrdinalIgnoreCase) && label.TrackingNumber == trackingNumber)
                    {
                        return ValueTask.FromResult<OrderId?>(staged.Id);
                    }
                }
            }

            return ValueTask.FromResult(store.FindByTracking(carrierCode, trackingNumber));
        }

        public ValueTask<IReadOnlyList<OrderId>> FindPastShipByAsync(Instant now, int maxCount, CancellationToken cancellationToken = default)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
            EnsureOpen();
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult<IReadOnlyList<OrderId>>(store.FindDue(store._pastShipBy, now, maxCount));
        }

        public ValueTask<IReadOnlyList<OrderSnapshot>> FindPlacedAsync(Instant from, Instant to, OrderSnapshot? after, int maxCount, CancellationToken cancellationToken = default)
        {
            StoreArguments.EnsurePlacedWindow(from, to, maxCount);
            EnsureOpen();
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult<IReadOnlyList<OrderSnapshot>>(store.FindPlaced(from, to, after, maxCount));
        }

        public ValueTask<IReadOnlyList<OrderSnapshot>> FindByCustomerAsync(CustomerId customerId, OrderSnapshot? after, int maxCount, CancellationToken cancellationToken = default)
        {
            StoreArguments.EnsureCustomer(customerId, maxCount);
            StoreArguments.EnsureCursorOf(customerId, after);
            EnsureOpen();
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult<IReadOnlyList<OrderSnapshot>>(store.FindByCustomer(customerId, after, maxCount));
        }

        public ValueTask<IReadOnlyList<OrderId>> FindDeliveredAsync(Instant deliveredBy, int maxCount, CancellationToken cancellationToken = default)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
            EnsureOpen();
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult<IReadOnlyList<OrderId>>(store.FindDue(store._delivered, deliveredBy, maxCount));
        }

        public ValueTask<IReadOnlyList<WaitingLine>> FindWaitingAsync(Sku sku, int maxCount, CancellationToken cancellationToken = default)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
            EnsureOpen();
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult<IReadOnlyList<WaitingLine>>(store.FindWaiting(sku, maxCount));
        }

        public ValueTask SaveAsync(OrderSnapshot order, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(order);
            EnsureOpen();
            cancellationToken.ThrowIfCancellationRequested();
            if (order.Version < 1)
            {
                throw new ArgumentException($"The snapshot of order {order.Id} has version {order.Version}; a saved order has version 1 or more.", nameof(order));
            }

            if (Orders.TryGetValue(order.Id, out OrderSnapshot? staged) && staged.Version != order.Version)
            {
                throw new InvalidOperationException($"Order {order.Id} was already saved as version {staged.Version} in this transaction; save it once per unit of work.");
            }

            Orders[order.Id] = order;
            return ValueTask.CompletedTask;
        }

        public ValueTask AppendAsync(IReadOnlyList<OrderEvent> events, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(events);
            EnsureOpen();
            cancellationToken.ThrowIfCancellationRequested();
            Events.AddRange(events);
            return ValueTask.CompletedTask;
        }

        public ValueTask<IdempotencyRecord?> FindAsync(string operation, string key, CancellationToken cancellationToken = default)
        {
            EnsureOpen();
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(Records.TryGetValue((operation, key), out IdempotencyRecord? staged) ? staged : store.FindLiveRecord(operation, key));
        }

        public ValueTask AddAsync(IdempotencyRecord record, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(record);
            EnsureOpen();
            cancellationToken.ThrowIfCancellationRequested();
            if (Records.ContainsKey((record.Operation, record.Key)) || store.FindLiveRecord(record.Operation, record.Key) is not null)
            {
                throw new ConcurrencyConflictException($"idempotency key {record.Operation}/{record.Key}", "the key is already taken.");
            }

            Records[(record.Operation, record.Key)] = record;
            return ValueTask.CompletedTask;
        }

        public ValueTask<bool> TryRecordAsync(string source, string messageId, CancellationToken cancellationToken = default)
        {
            InboxKey.Check(source, messageId);
            EnsureOpen();
            cancellationToken.ThrowIfCancellationRequested();
            bool seen;
            lock (store._gate)
            {
                seen = store._inbox.Contains((source, messageId));
            }

            return ValueTask.FromResult(!seen && Received.Add((source, messageId)));
        }

        public ValueTask CommitAsync(CancellationToken cancellationToken = default)
        {
            EnsureOpen();
            cancellationToken.ThrowIfCancellationRequested();
            store.Commit(this);
            _committed = true;
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            if (!_committed)
            {
                Inventory.Rollback();
            }

            Inventory.Clear();
            _committed = true;
            Orders.Clear();
            Records.Clear();
            Events.Clear();
            Received.Clear();
            return ValueTask.CompletedTask;
        }

        private void EnsureOpen()
        {
            if (_committed)
            {
                throw new InvalidOperationException("The transaction is already committed or disposed.");
            }
        }
    }

    /// <summary>Orders due earliest first, then by identifier, as the SQL stores order them.</summary>
    private sealed class DueComparer : IComparer<(Instant At, OrderId Id)>
    {
        public static readonly DueComparer Instance = new();

        public int Compare((Instant At, OrderId Id) x, (Instant At, OrderId Id) y)
        {
            int byTime = x.At.CompareTo(y.At);
            return byTime != 0 ? byTime : string.CompareOrdinal(x.Id.Value, y.Id.Value);
        }
    }
}
