using System.Data.Common;
using System.Globalization;
using NodaTime;
using OrderKit.Events;
using OrderKit.Fulfillment;
using OrderKit.Inventory;
using OrderKit.Orders;

namespace OrderKit.Persistence.Sql;

/// <summary>One unit of work on a SQL database: every read and write goes through one connection and one database transaction, so they commit together or not at all.</summary>
/// <remarks>
/// Stock is reserved by one conditional update per cell, which holds the cell's row lock until the commit, so two
/// units of work can never both take the last unit; orders are saved by version; everything else is a plain write
/// inside the same transaction.
/// </remarks>
internal sealed class SqlTransaction : IOrderKitTransaction, IOrderRepository, IOutbox, IIdempotencyRecords, IInbox, IInventoryRepository
{
    // Standard SQLSTATEs the guards of a commit sent with the writes raise (see SendWithCommitAsync).
    private const string DivisionByZero = "22012";
    private const string UniqueViolation = "23505";

    private readonly SqlDialect _dialect;
    private DbConnection _connection;
    private DbTransaction _transaction;
    private readonly IClock _clock;
    private readonly SqlStoreState _state;
    private CommandCache? _commands;
    private Func<ValueTask>? _onEnd;

    // Until the first write: takes the writer's turn, which the unit of work's writes and commit then run in.
    private Func<CancellationToken, ValueTask<SqlWriterTurn>>? _writerTurn;
    private readonly Func<Func<SqlWriterTurn, ValueTask>, CancellationToken, Task>? _commitInTurn;
    private readonly Dictionary<OrderId, long> _saved = [];
    private readonly Dictionary<OrderId, bool> _loadedWaiting = [];

    // The labels each order had when this unit of work loaded it (or last saved it): their tracking rows exist.
    private readonly Dictionary<OrderId, HashSet<(string Carrier, string TrackingNumber)>> _knownLabels = [];

    // Writes staged until the next statement or the commit (see FlushAsync).
    private readonly List<(OrderId Id, object?[] Columns)> _newOrders = [];
    private readonly List<object?[]> _ledgerRows = [];
    private readonly List<object?[]> _outboxRows = [];
    private List<StockMovement>? _stagedMovements;
    private bool _flushing;
    private bool _failed;
    private bool _committedWithWrites;

    private string? _cellUpdate;
    private string? _holdAsRead;

    // The cart holds this unit of work read (null: found missing, or deleted since), which guard its writes to them.
    private readonly Dictionary<string, HeldRow?> _holdsRead = new(StringComparer.Ordinal);
    private List<StockLocation>? _locationsRead;

    // For each SKU whose stock this unit of work read, the arrivals it read by location (a location without any is not
    // listed): they guard the replacement of a cell's list of arrivals.
    private static readonly Dictionary<string, List<IncomingStock>> s_noArrivals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, List<IncomingStock>>> _incomingRead = new(StringComparer.Ordinal);
    private List<LocationId>? _locationsFound;

    // The stock catalog's version that the stock this unit of work plans from was seen under (FindLastSeenAsync),
    // checked at the commit; null when it plans from what it read.
    private long? _seenVersion;

    // Whether this unit of work counted the stock catalog's version up (it changed a policy, arrivals or a location).
    private bool _catalogChanged;

    // SKUs whose stock this unit of work moved other than by staged movements (whose updates return the counts they
    // leave): what the store saw of them is forgotten once it commits.
    private HashSet<string>? _movedOtherwise;

    // The cells as the staged movements left them (their rows locked until the commit), for the store's stock as last seen.
    private List<(string Sku, string Location, int OnHand, int Reserved, int Safety, int Damaged)>? _committedCells;
    private bool _done;

    /// <summary>Begins the unit of work over an open transaction.</summary>
    /// <param name="dialect">The database's dialect.</param>
    /// <param name="connection">The connection the transaction is on.</param>
    /// <param name="transaction">The transaction.</param>
    /// <param name="clock">Stamps what the store records.</param>
    /// <param name="state">What the store's units of work share.</param>
    /// <param name="commands">The commands kept for a connection the store keeps open; null when the connection is the unit of work's own, which disposes it at the end.</param>
    /// <param name="onEnd">Runs once the unit of work has ended.</param>
    /// <param name="writerTurn">
    /// Null when <paramref name="transaction"/> may write. Otherwise the transaction only reads, and this takes the
    /// writer's turn at the unit of work's first write: from then on its statements and its commit run in the turn's
    /// transaction, and the read transaction ends (its <paramref name="onEnd"/> runs then, the turn's at the end).
    /// What the unit of work read before is checked by the writes' guards, not held: the stock's conditional updates,
    /// the orders' versions, the cart holds' contents, the idempotency keys' uniqueness.
    /// </param>
    /// <param name="commitInTurn">
    /// With <paramref name="writerTurn"/>: runs a unit of work's writes and commit in a writer's turn of their own,
    /// perhaps on the thread of whoever holds the turn now, and returns once they have run (throwing what they threw).
    /// A unit of work whose first write is its commit hands its staged writes over this way, so that the writer goes
    /// from one commit to the next without waiting for each unit of work's thread to wake up. Null: the commit takes
    /// the turn as any write does.
    /// </param>
    public SqlTransaction(SqlDialect dialect, DbConnection connection, DbTransaction transaction, IClock clock, SqlStoreState state, CommandCache? commands, Func<ValueTask>? onEnd, Func<CancellationToken, ValueTask<SqlWriterTurn>>? writerTurn = null, Func<Func<SqlWriterTurn, ValueTask>, CancellationToken, Task>? commitInTurn = null)
    {
        _writerTurn = writerTurn;
        _commitInTurn = commitInTurn;
        _dialect = dialect;
        _connection = connection;
        _transaction = transaction;
        _clock = clock;
        _state = state;
        _commands = commands;
        _onEnd = onEnd;
    }

    public IOrderRepository Orders => this;

    public IOutbox Outbox => this;

    public IIdempotencyRecords Idempotency => this;

    public IInventoryRepository Inventory => this;

    public IInbox Inbox => this;

    private string T => _dialect.Tables;

    // ---- Orders ----

    public async ValueTask<OrderSnapshot?> FindAsync(OrderId orderId, CancellationToken cancellationToken = default)
    {
        string? json = await ScalarAsync<string>($"SELECT document FROM {T}orders WHERE id = @id", cancellationToken, ("id", orderId.Value)).ConfigureAwait(false);
        if (json is null)
        {
            return null;
        }

        OrderSnapshot order = OrderKitJson.DeserializeOrder(json, $"order {orderId}");
        Track(order);
        return order;
    }

    /// <summary>Notes what a later save of an order read from the store must compare with: its waiting lines and labels.</summary>
    private void Track(OrderSnapshot order)
    {
        if (!_saved.ContainsKey(order.Id))
        {
            _loadedWaiting[order.Id] = HasWaiting(order);
            _knownLabels[order.Id] = LabelsOf(order);
        }
    }

    public async ValueTask SaveAsync(OrderSnapshot order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        EnsureOpen();
        if (order.Version < 1)
        {
            throw new ArgumentException($"The snapshot of order {order.Id} has version {order.Version}; a saved order has version 1 or more.", nameof(order));
        }

        bool again = _saved.TryGetValue(order.Id, out long staged);
        if (again && staged != order.Version)
        {
            throw new InvalidOperationException($"Order {order.Id} was already saved as version {staged} in this transaction; save it once per unit of work.");
        }

        long total = 0;
        foreach (OrderLineSnapshot line in order.Lines)
        {
            total += line.UnitPrice.ToMinorUnits() * line.Ordered;
        }

        if (order.Version == 1 && !again && !HasWaiting(order))
        {
            object newDocument = _dialect.WritesStagedRows ? OrderKitJson.SerializeOrderToUtf8Bytes(order) : OrderKitJson.SerializeOrder(order);
            // A new order with nothing waiting: inserted with the other staged writes (a taken identifier shows there
            // as a row not inserted, or as a failed guard when the commit goes with them). Columns as in OrderColumns.
            _newOrders.Add((order.Id, [
                order.Id.Value, order.Version, order.CustomerId.Value, order.Channel.Value, order.Status.ToString(),
                order.PaymentStatus.ToString(), _dialect.ToDb(order.PlacedAt), order.Currency.Code, total, newDocument,
                order.ShipBy is { } due ? _dialect.ToDb(due) : null, order.DeliveredAt is { } delivered ? _dialect.ToDb(delivered) : null]));
            _saved[order.Id] = order.Version;
            return;
        }

        string document = OrderKitJson.SerializeOrder(order);
        (string, object?)[] values =
        [
            ("id", order.Id.Value), ("version", order.Version), ("expected", again ? order.Version : order.Version - 1),
            ("customer", order.CustomerId.Value), ("channel", order.Channel.Value), ("status", order.Status.ToString()),
            ("payment", order.PaymentStatus.ToString()), ("placed", _dialect.ToDb(order.PlacedAt)), ("currency", order.Currency.Code),
            ("total", total), ("document", document),
            ("ship_by", order.ShipBy is { } shipBy ? _dialect.ToDb(shipBy) : null),
            ("delivered_at", order.DeliveredAt is { } deliveredAt ? _dialect.ToDb(deliveredAt) : null),
        ];
        int rows = order.Version == 1 && !again
            ? await ExecuteAsync(
                $"INSERT INTO {T}orders ({OrderColumns}) " +
                $"VALUES (@id, @version, @customer, @channel, @status, @payment, @placed, @currency, @total, {_dialect.Json("@document")}, @ship_by, @delivered_at) ON CONFLICT (id) DO NOTHING",
                cancellationToken,
                values).ConfigureAwait(false)
            : await ExecuteAsync(
                $"UPDATE {T}orders SET version = @version, customer_id = @customer, channel = @channel, status = @status, payment_status = @payment, " +
                $"placed_at = @placed, currency = @currency, lines_total_minor = @total, document = {_dialect.Json("@document")}, " +
                $"ship_by = @ship_by, delivered_at = @delivered_at WHERE id = @id AND version = @expected",
                cancellationToken,
                values).ConfigureAwait(false);
        if (rows == 0)
        {
            long? actual = await ScalarAsync<long?>($"SELECT version FROM {T}orders WHERE id = @id", cancellationToken, ("id", order.Id.Value)).ConfigureAwait(false);
            throw new ConcurrencyConflictException(order.Id, order.Version - 1, actual);
        }

        _saved[order.Id] = order.Version;

        // Tracking rows for labels new since the order was loaded; rows are never removed, so the rest exist.
        HashSet<(string, string)> known = _knownLabels.TryGetValue(order.Id, out HashSet<(string, string)>? loaded) ? loaded : [];
        foreach ((string carrier, string tracking) in LabelsOf(order))
        {
            if (known.Add((carrier, tracking)))
            {
                await ExecuteAsync(
                    $"INSERT INTO {T}tracking (carrier, tracking_number, order_id) VALUES (@carrier, @tracking, @id) ON CONFLICT (carrier, tracking_number) DO NOTHING",
                    cancellationToken,
                    ("carrier", carrier), ("tracking", tracking), ("id", order.Id.Value)).ConfigureAwait(false);
            }
        }

        _knownLabels[order.Id] = known;

        // The backorder queue: one row per line with units waiting, first come, first served by the order's placing.
        // A new order has no rows yet, nor does one that had none when this unit of work loaded it.
        bool mayHaveRows = again || (order.Version > 1 && _loadedWaiting.GetValueOrDefault(order.Id, true));
        if (mayHaveRows)
        {
            await ExecuteAsync($"DELETE FROM {T}waiting WHERE order_id = @id", cancellationToken, ("id", order.Id.Value)).ConfigureAwait(false);
        }

        foreach (OrderLineSnapshot line in order.Lines)
        {
            if (line.Backordered > 0)
            {
                await ExecuteAsync(
                    $"INSERT INTO {T}waiting (sku, order_id, placed_at, units) VALUES (@sku, @id, @placed, @units)",
                    cancellationToken,
                    ("sku", line.Sku.Value), ("id", order.Id.Value), ("placed", _dialect.ToDb(order.PlacedAt)), ("units", line.Backordered)).ConfigureAwait(false);
            }
        }
    }

    internal const string OrderColumns = "id, version, customer_id, channel, status, payment_status, placed_at, currency, lines_total_minor, document, ship_by, delivered_at";

    internal const string LedgerColumns = "kind, sku, location, quantity, on_hand_change, reserved_change, reason, order_id, reference, occurred_at";

    internal const string OutboxColumns = "order_id, sequence, type, occurred_at, payload";

    // The statuses in which an order still has units to ship; the partial index orders_ship_by holds the same.
    private const string AwaitingShipment = "status IN ('Confirmed', 'Allocated', 'Backordered', 'PartiallyShipped')";

    /// <summary>The labels an order's shipments carry now, by lower-case carrier code and tracking number.</summary>
    private static HashSet<(string Carrier, string TrackingNumber)> LabelsOf(OrderSnapshot order)
    {
        var labels = new HashSet<(string, string)>();
        foreach (Shipment shipment in order.Shipments)
        {
            if (shipment.Label is { } label)
            {
                labels.Add((label.CarrierCode.ToLowerInvariant(), label.TrackingNumber));
            }
        }

        return labels;
    }

    private static bool HasWaiting(OrderSnapshot order)
    {
        foreach (OrderLineSnapshot line in order.Lines)
        {
            if (line.Backordered > 0)
            {
                return true;
            }
        }

        return false;
    }

    public async ValueTask<OrderId?> FindByTrackingNumberAsync(string carrierCode, string trackingNumber, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(carrierCode);
        ArgumentNullException.ThrowIfNull(trackingNumber);
        EnsureOpen();
        string? id = await ScalarAsync<string?>(
            $"SELECT order_id FROM {T}tracking WHERE carrier = @carrier AND tracking_number = @tracking",
            cancellationToken,
            ("carrier", carrierCode.ToLowerInvariant()), ("tracking", trackingNumber)).ConfigureAwait(false);
        return id is null ? null : new OrderId(id);
    }

    public ValueTask<IReadOnlyList<OrderId>> FindPastShipByAsync(Instant now, int maxCount, CancellationToken cancellationToken = default) =>
        FindOrderIdsAsync($"{AwaitingShipment} AND ship_by IS NOT NULL AND ship_by <= @at ORDER BY ship_by, {_dialect.Ordinal("id")}", now, maxCount, cancellationToken);

    public ValueTask<IReadOnlyList<OrderId>> FindDeliveredAsync(Instant deliveredBy, int maxCount, CancellationToken cancellationToken = default) =>
        FindOrderIdsAsync($"status = 'Delivered' AND delivered_at IS NOT NULL AND delivered_at <= @at ORDER BY delivered_at, {_dialect.Ordinal("id")}", deliveredBy, maxCount, cancellationToken);

    public async ValueTask<IReadOnlyList<OrderSnapshot>> FindPlacedAsync(Instant from, Instant to, OrderSnapshot? after, int maxCount, CancellationToken cancellationToken = default)
    {
        StoreArguments.EnsurePlacedWindow(from, to, maxCount);
        EnsureOpen();

        // Keyset paging: the row comparison starts the index scan just after the page before.
        string id = _dialect.Ordinal("id");
        string afterThat = after is null ? string.Empty : $" AND (placed_at, {id}) > (@after_at, @after_id)";
        (string, object?)[] parameters = after is null
            ? [("from", _dialect.ToDb(from)), ("to", _dialect.ToDb(to)), ("max", maxCount)]
            : [("from", _dialect.ToDb(from)), ("to", _dialect.ToDb(to)), ("max", maxCount), ("after_at", _dialect.ToDb(after.PlacedAt)), ("after_id", after.Id.Value)];
        return await ReadOrdersAsync(
            $"SELECT id, document FROM {T}orders WHERE placed_at >= @from AND placed_at < @to{afterThat} ORDER BY placed_at, {id} LIMIT @max",
            parameters,
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<OrderSnapshot>> FindByCustomerAsync(CustomerId customerId, OrderSnapshot? after, int maxCount, CancellationToken cancellationToken = default)
    {
        StoreArguments.EnsureCustomer(customerId, maxCount);
        StoreArguments.EnsureCursorOf(customerId, after);
        EnsureOpen();

        // Keyset paging backwards along the index (customer_id, placed_at, id).
        string id = _dialect.Ordinal("id");
        string afterThat = after is null ? string.Empty : $" AND (placed_at, {id}) < (@after_at, @after_id)";
        (string, object?)[] parameters = after is null
            ? [("customer", customerId.Value), ("max", maxCount)]
            : [("customer", customerId.Value), ("max", maxCount), ("after_at", _dialect.ToDb(after.PlacedAt)), ("after_id", after.Id.Value)];
        return await ReadOrdersAsync(
            $"SELECT id, document FROM {T}orders WHERE customer_id = @customer{afterThat} ORDER BY placed_at DESC, {id} DESC LIMIT @max",
            parameters,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the orders a query of <c>id, document</c> rows selects, in its order, and tracks them for the unit of work.</summary>
    private async ValueTask<IReadOnlyList<OrderSnapshot>> ReadOrdersAsync(string sql, (string, object?)[] parameters, CancellationToken cancellationToken)
    {
        var documents = new List<(string Id, string Json)>();
        await ReadAsync(sql, r => documents.Add((r.GetString(0), r.GetString(1))), cancellationToken, parameters).ConfigureAwait(false);
        var orders = new List<OrderSnapshot>(documents.Count);
        foreach ((string orderId, string json) in documents)
        {
            OrderSnapshot order = OrderKitJson.DeserializeOrder(json, $"order {orderId}");
            Track(order);
            orders.Add(order);
        }

        return orders;
    }

    /// <summary>The ids of the orders a condition on one moment (<c>@at</c>) selects, up to a count.</summary>
    private async ValueTask<IReadOnlyList<OrderId>> FindOrderIdsAsync(string conditionAndOrder, Instant at, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        EnsureOpen();
        var result = new List<OrderId>();
        await ReadAsync(
            $"SELECT id FROM {T}orders WHERE {conditionAndOrder} LIMIT @max",
            r => result.Add(new OrderId(r.GetString(0))),
            cancellationToken,
            ("at", _dialect.ToDb(at)), ("max", maxCount)).ConfigureAwait(false);
        return result;
    }

    public async ValueTask<IReadOnlyList<WaitingLine>> FindWaitingAsync(Sku sku, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var result = new List<WaitingLine>();
        await ReadAsync(
            $"SELECT order_id, placed_at, units FROM {T}waiting WHERE sku = @sku ORDER BY placed_at, {_dialect.Ordinal("order_id")} LIMIT @max",
            r => result.Add(new WaitingLine(new OrderId(r.GetString(0)), _dialect.ReadInstant(r, 1), r.GetInt32(2))),
            cancellationToken,
            ("sku", sku.Value), ("max", maxCount)).ConfigureAwait(false);
        return result;
    }

    // ---- Outbox ----

    public ValueTask AppendAsync(IReadOnlyList<OrderEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        EnsureOpen();

        // Written with the ledger's new rows in one statement before the commit (see FlushAsync).
        foreach (OrderEvent orderEvent in events)
        {
            _outboxRows.Add([orderEvent.OrderId.Value, orderEvent.Sequence, orderEvent.Name, _dialect.ToDb(orderEvent.OccurredAt),
                _dialect.WritesStagedRows ? OrderKitJson.SerializeEventToUtf8Bytes(orderEvent) : OrderKitJson.SerializeEvent(orderEvent)]);
        }

        return ValueTask.CompletedTask;
    }

    // ---- Idempotency ----

    public async ValueTask<IdempotencyRecord?> FindAsync(string operation, string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(key);
        IdempotencyRecord? found = null;
        await ReadAsync(
            $"SELECT request_hash, result, created_at, expires_at FROM {T}idempotency WHERE operation = @op AND key = @key AND expires_at > @now",
            r => found = new IdempotencyRecord(operation, key, r.GetString(0), r.GetString(1), _dialect.ReadInstant(r, 2), _dialect.ReadInstant(r, 3)),
            cancellationToken,
            ("op", operation), ("key", key), ("now", _dialect.ToDb(_clock.GetCurrentInstant()))).ConfigureAwait(false);
        return found;
    }

    public async ValueTask AddAsync(IdempotencyRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        // Claims the key, or takes over one whose record has expired; a live record leaves the insert without effect.
        int rows = await ExecuteAsync(
            $"INSERT INTO {T}idempotency AS i (operation, key, request_hash, result, created_at, expires_at) VALUES (@op, @key, @hash, @result, @created, @expires) " +
            $"ON CONFLICT (operation, key) DO UPDATE SET request_hash = excluded.request_hash, result = excluded.result, created_at = excluded.created_at, expires_at = excluded.expires_at " +
            "WHERE i.expires_at <= @now",
            cancellationToken,
            ("op", record.Operation), ("key", record.Key), ("hash", record.RequestHash), ("result", record.Result),
            ("created", _dialect.ToDb(record.CreatedAt)), ("expires", _dialect.ToDb(record.ExpiresAt)), ("now", _dialect.ToDb(_clock.GetCurrentInstant()))).ConfigureAwait(false);
        if (rows == 0)
        {
            throw new ConcurrencyConflictException($"idempotency key {record.Operation}/{record.Key}", "the key is already taken.");
        }
    }

    // ---- Inbox ----

    public async ValueTask<bool> TryRecordAsync(string source, string messageId, CancellationToken cancellationToken = default)
    {
        InboxKey.Check(source, messageId);
        int rows = await ExecuteAsync(
            $"INSERT INTO {T}inbox (source, message_id, received_at) VALUES (@source, @id, @now) ON CONFLICT (source, message_id) DO NOTHING",
            cancellationToken,
            ("source", source), ("id", messageId), ("now", _dialect.ToDb(_clock.GetCurrentInstant()))).ConfigureAwait(false);
        return rows == 1;
    }

    // ---- Inventory ----

    public async ValueTask<IReadOnlyList<StockLocation>> GetLocationsAsync(CancellationToken cancellationToken = default)
    {
        if (_locationsRead is not null)
        {
            // Read with the stock in this unit of work, and not changed by it since.
            return _locationsRead;
        }

        var result = new List<StockLocation>();
        await ReadAsync(
            $"SELECT id, document FROM {T}locations ORDER BY position",
            r => result.Add(_state.LocationDocuments.Read(r.GetString(0), r.GetString(1))),
            cancellationToken).ConfigureAwait(false);
        return result;
    }

    public async ValueTask SaveLocationAsync(StockLocation location, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        await ChangeCatalogAsync(cancellationToken).ConfigureAwait(false);
        _locationsRead = null;
        await ExecuteAsync(
            $"INSERT INTO {T}locations (id, position, document) VALUES (@id, (SELECT COALESCE(MAX(position), 0) + 1 FROM {T}locations), {_dialect.Json("@document")}) " +
            $"ON CONFLICT (id) DO UPDATE SET document = excluded.document",
            cancellationToken,
            ("id", location.Id.Value), ("document", OrderKitJson.SerializeLocation(location))).ConfigureAwait(false);
    }

    public async ValueTask<SkuStock?> FindAsync(Sku sku, CancellationToken cancellationToken = default) =>
        (await FindManyAsync([sku], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>Three queries in one command for any number of SKUs: policies, incoming stock, and the cells at every location.</summary>
    public async ValueTask<IReadOnlyList<SkuStock?>> FindManyAsync(IReadOnlyList<Sku> skus, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(skus);
        if (skus.Count == 0)
        {
            return [];
        }

        var index = new Dictionary<string, int>(skus.Count, StringComparer.Ordinal);
        var parameters = new (string, object?)[skus.Count];
        (string sql, string[] names) = _dialect.StockReadFor(skus.Count);
        for (int i = 0; i < skus.Count; i++)
        {
            index[skus[i].Value] = i;
            parameters[i] = (names[i], skus[i].Value);
        }

        var policies = new string?[skus.Count];
        var known = new bool[skus.Count];
        var incoming = new Dictionary<(int Sku, string Location), List<IncomingStock>>();

        // Every location in order, with the cells it has for these SKUs (a location with none comes once, without a SKU).
        var locations = new List<string>();
        var readLocations = new List<StockLocation>();
        var cells = new Dictionary<(int Sku, string Location), (int OnHand, int Reserved, int Safety, int Damaged)>();

        // Three queries (four with the stock catalog's version), one round trip.
        long? catalogVersion = null;
        Action<DbDataReader> policyRow = r =>
        {
            int i = index[r.GetString(0)];
            known[i] = true;
            policies[i] = r.GetString(1);
        };
        await ReadAsync(
            sql,
            [
                .. _dialect.KeepsStockCatalog ? new Action<DbDataReader>[] { r => catalogVersion = r.GetInt64(0) } : [],
                policyRow,
                r =>
                {
                    (int, string) key = (index[r.GetString(0)], r.GetString(1));
                    if (!incoming.TryGetValue(key, out List<IncomingStock>? arriving))
                    {
                        incoming[key] = arriving = [];
                    }

                    arriving.Add(new IncomingStock(r.GetInt32(2), _dialect.ReadDate(r, 3)));
                },
                r =>
                {
                    string at = r.GetString(0);
                    if (locations.Count == 0 || locations[^1] != at)
                    {
                        locations.Add(at);
                        readLocations.Add(_state.LocationDocuments.Read(at, r.GetString(6)));
                    }

                    if (!r.IsDBNull(1))
                    {
                        cells[(index[r.GetString(1)], at)] = (r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5));
                    }
                },
            ],
            cancellationToken,
            parameters).ConfigureAwait(false);

        // The locations came with the cells: GetLocationsAsync answers from them for the rest of the unit of work.
        _locationsRead = readLocations;
        var result = new SkuStock?[skus.Count];
        for (int i = 0; i < skus.Count; i++)
        {
            Sku sku = skus[i];
            var levels = new List<StockLevel>();
            Dictionary<string, List<IncomingStock>>? arrivals = null;
            foreach (string at in locations)
            {
                bool hasCell = cells.TryGetValue((i, at), out (int OnHand, int Reserved, int Safety, int Damaged) cell);
                List<IncomingStock>? arriving = incoming.GetValueOrDefault((i, at));
                if (arriving is not null)
                {
                    (arrivals ??= new(StringComparer.Ordinal))[at] = arriving;
                }

                if (hasCell || arriving is not null)
                {
                    levels.Add(new StockLevel(sku, new LocationId(at), cell.OnHand, cell.Reserved, cell.Safety, cell.Damaged, arriving ?? []));
                }
            }

            // What was read of every cell's arrivals, none included, guards a replacement of them (SaveIncomingAsync).
            _incomingRead[sku.Value] = arrivals ?? s_noArrivals;

            if (!known[i] && levels.Count == 0)
            {
                continue;
            }

            InventoryPolicy policy = policies[i] is { } json ? _state.PolicyDocuments.Read(sku.Value, json) : InventoryPolicy.DenyWhenShort;
            result[i] = new SkuStock(sku, policy, levels);
        }

        // What was read is what the unit of work plans from now; the store keeps it for checkouts to come, but not the
        // SKUs this unit of work changed, whose counts it may yet roll back.
        _seenVersion = null;
        if (_state.Seen is { } seen && catalogVersion is { } version && !_catalogChanged)
        {
            seen.Saw(version, _clock.GetCurrentInstant(), skus, result, readLocations, sku => !MovedHere(sku));
        }

        return result;
    }

    /// <summary>
    /// Gives the SKUs' stock as the store last saw it, when it keeps all of them young enough and this unit of work
    /// has moved none of them; the commit then checks that the stock catalog is as it was then.
    /// </summary>
    public ValueTask<IReadOnlyList<SkuStock?>?> FindLastSeenAsync(IReadOnlyList<Sku> skus, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(skus);
        EnsureOpen();
        if (_state.Seen is not { } seen || _catalogChanged || skus.Any(s => MovedHere(s.Value))
            || !seen.TryGive(skus, _clock.GetCurrentInstant(), out SkuStock?[] stock, out List<StockLocation> locations, out long version))
        {
            return ValueTask.FromResult<IReadOnlyList<SkuStock?>?>(null);
        }

        _locationsRead = locations;
        _seenVersion = version;
        return ValueTask.FromResult<IReadOnlyList<SkuStock?>?>(stock);
    }

    /// <summary>Whether this unit of work has moved a SKU's stock, or staged a movement of it.</summary>
    private bool MovedHere(string sku) =>
        _movedOtherwise?.Contains(sku) == true || _stagedMovements?.Exists(m => m.Sku.Value == sku) == true
        || _committedCells?.Exists(c => c.Sku == sku) == true;

    /// <summary>
    /// Counts the stock catalog's version up, once per unit of work, where the schema keeps it: a change to a policy,
    /// arrivals or a location. Its row lock then holds the catalog until the commit, so a plan this unit of work made
    /// from the stock as last seen is checked here, against the version it counted up from.
    /// </summary>
    private async Task ChangeCatalogAsync(CancellationToken cancellationToken)
    {
        if (_catalogChanged)
        {
            return;
        }

        _catalogChanged = true;
        if (!_dialect.KeepsStockCatalog)
        {
            return;
        }

        await BeginWritingAsync(cancellationToken).ConfigureAwait(false);
        long? counted = await ScalarAsync<long?>($"UPDATE {T}stock_catalog SET version = version + 1 RETURNING version", cancellationToken).ConfigureAwait(false);
        if (_seenVersion is { } seen)
        {
            _seenVersion = null;
            if (counted != seen + 1)
            {
                _failed = true;
                _state.Seen?.Clear();
                throw CatalogChanged();
            }
        }
    }

    /// <summary>The exception for a unit of work that planned from stock seen under a catalog version that no longer stands.</summary>
    private static ConcurrencyConflictException CatalogChanged() =>
        new("the stock catalog", "a policy, expected arrivals or a location changed since the stock this unit of work planned from was read.");

    /// <summary>Before a commit that did not carry it: fails when the stock catalog changed since the stock this unit of work planned from was seen.</summary>
    private async Task CheckSeenAsync(CancellationToken cancellationToken)
    {
        if (_seenVersion is { } seen && await ScalarAsync<long?>($"SELECT version FROM {T}stock_catalog", cancellationToken).ConfigureAwait(false) != seen)
        {
            _failed = true;
            _state.Seen?.Clear();
            throw CatalogChanged();
        }
    }

    /// <summary>After the commit: the store's stock as last seen takes the cells the reservations left, and forgets the rest of what the unit of work changed.</summary>
    private void AfterCommit()
    {
        if (_state.Seen is not { } seen)
        {
            return;
        }

        if (_catalogChanged)
        {
            seen.Clear();
            return;
        }

        foreach ((string sku, string location, int onHand, int reserved, int safety, int damaged) in _committedCells ?? [])
        {
            if (_movedOtherwise?.Contains(sku) != true)
            {
                seen.Moved(sku, location, onHand, reserved, safety, damaged);
            }
        }

        foreach (string sku in _movedOtherwise ?? [])
        {
            seen.Forget(sku);
        }
    }

    public async ValueTask SavePolicyAsync(Sku sku, InventoryPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        await ChangeCatalogAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            $"INSERT INTO {T}skus (sku, policy) VALUES (@sku, {_dialect.Json("@policy")}) ON CONFLICT (sku) DO UPDATE SET policy = excluded.policy",
            cancellationToken,
            ("sku", sku.Value), ("policy", OrderKitJson.SerializePolicy(policy))).ConfigureAwait(false);
    }

    public async ValueTask SaveIncomingAsync(Sku sku, LocationId location, IReadOnlyList<IncomingStock> incoming, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        await RequireLocationAsync(location, cancellationToken).ConfigureAwait(false);
        await ChangeCatalogAsync(cancellationToken).ConfigureAwait(false);
        (string, object?)[] key = [("sku", sku.Value), ("at", location.Value)];
        if (_incomingRead.TryGetValue(sku.Value, out Dictionary<string, List<IncomingStock>>? arrivals))
        {
            List<IncomingStock> read = arrivals.GetValueOrDefault(location.Value) ?? [];
            // The list replaces the one this unit of work read, and only that one: what the delete removes must be what
            // was read. Another unit of work that changed the list since (SQLite: one that held the writer's turn while
            // this one read beside it; PostgreSQL: one that committed in between) makes this one start again.
            await BeginWritingAsync(cancellationToken).ConfigureAwait(false);
            var deleted = new List<IncomingStock>();
            await ReadAsync(
                $"DELETE FROM {T}incoming WHERE sku = @sku AND location = @at RETURNING quantity, expected_on",
                r => deleted.Add(new IncomingStock(r.GetInt32(0), _dialect.ReadDate(r, 1))),
                cancellationToken,
                key).ConfigureAwait(false);
            if (!SameArrivals(read, deleted))
            {
                _failed = true;
                throw IncomingChanged(sku, location);
            }
        }
        else
        {
            await ExecuteAsync($"DELETE FROM {T}incoming WHERE sku = @sku AND location = @at", cancellationToken, key).ConfigureAwait(false);
        }

        for (int i = 0; i < incoming.Count; i++)
        {
            try
            {
                await ExecuteAsync(
                    $"INSERT INTO {T}incoming (sku, location, position, quantity, expected_on) VALUES (@sku, @at, @position, @quantity, @expected)",
                    cancellationToken,
                    ("sku", sku.Value), ("at", location.Value), ("position", i), ("quantity", incoming[i].Quantity), ("expected", _dialect.ToDb(incoming[i].ExpectedOn))).ConfigureAwait(false);
            }
            catch (DbException e) when (e.SqlState == UniqueViolation)
            {
                // Another unit of work wrote the list after this one's delete began, and committed first (PostgreSQL).
                _failed = true;
                throw IncomingChanged(sku, location);
            }
        }

        if (arrivals is not null)
        {
            // What this unit of work wrote is what it reads from now on.
            var now = new Dictionary<string, List<IncomingStock>>(arrivals, StringComparer.Ordinal) { [location.Value] = [.. incoming] };
            _incomingRead[sku.Value] = now;
        }
    }

    private static ConcurrencyConflictException IncomingChanged(Sku sku, LocationId location) =>
        new($"incoming stock of {sku} at {location}", "another command changed it after this unit of work read it.");

    /// <summary>Whether two lists hold the same arrivals, in any order.</summary>
    private static bool SameArrivals(List<IncomingStock> read, List<IncomingStock> stored) =>
        read.Count == stored.Count
        && read.OrderBy(a => a.ExpectedOn).ThenBy(a => a.Quantity).SequenceEqual(stored.OrderBy(a => a.ExpectedOn).ThenBy(a => a.Quantity));

    public async ValueTask SaveSafetyStockAsync(Sku sku, LocationId location, int safetyStock, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(safetyStock);
        await RequireLocationAsync(location, cancellationToken).ConfigureAwait(false);
        (_movedOtherwise ??= new(StringComparer.Ordinal)).Add(sku.Value);
        await ExecuteAsync(
            $"INSERT INTO {T}stock (sku, location, on_hand, reserved, safety_stock, damaged) VALUES (@sku, @at, 0, 0, @safety, 0) " +
            $"ON CONFLICT (sku, location) DO UPDATE SET safety_stock = excluded.safety_stock",
            cancellationToken,
            ("sku", sku.Value), ("at", location.Value), ("safety", safetyStock)).ConfigureAwait(false);
    }

    public async ValueTask<bool> TryApplyAsync(StockMovement movement, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(movement);
        await RequireLocationAsync(movement.Location, cancellationToken).ConfigureAwait(false);
        (_movedOtherwise ??= new(StringComparer.Ordinal)).Add(movement.Sku.Value);
        (string, object?)[] cell = CellParameters(movement);

        // The guard and the change are one statement: the database checks the counts on the row it locks.
        int rows = await ExecuteAsync(CellUpdate, cancellationToken, cell).ConfigureAwait(false);
        if (rows == 0)
        {
            if (!Fits(default, movement))
            {
                return false;
            }

            // No row yet (or one that refuses): create the cell with the movement applied, unless it exists.
            rows = await ExecuteAsync(
                $"INSERT INTO {T}stock (sku, location, on_hand, reserved, safety_stock, damaged) VALUES (@sku, @at, @dh, @dr, 0, @dd) ON CONFLICT (sku, location) DO NOTHING",
                cancellationToken,
                cell).ConfigureAwait(false);
            if (rows == 0)
            {
                return false;
            }
        }

        StageLedgerRow(movement, movement.OnHandChange, movement.ReservedChange);
        return true;
    }

    /// <summary>The conditional update of one cell by one movement, its guard as in <see cref="FitsSql(string, string)"/>.</summary>
    private string CellUpdate => _cellUpdate ??=
        $"UPDATE {T}stock SET on_hand = on_hand + @dh, reserved = reserved + @dr, damaged = damaged + @dd WHERE sku = @sku AND location = @at AND {FitsSql(cell: string.Empty, change: "@")}";

    private static (string, object?)[] CellParameters(StockMovement movement) =>
        [("sku", movement.Sku.Value), ("at", movement.Location.Value), ("dh", movement.OnHandChange), ("dr", movement.ReservedChange), ("dd", DamagedChange(movement))];

    /// <summary>
    /// Every movement staged and sent with the unit of work's other staged writes, each row guarded as in
    /// <see cref="TryApplyAsync"/>: one conditional <c>UPDATE … FROM</c> over a list of values (no round trip of its
    /// own), or, where the dialect <see cref="SqlDialect.WritesStagedRows"/>, one prepared row statement per cell.
    /// Movements that could create a cell, and lists that name a cell twice, go one at a time, at once.
    /// </summary>
    public async ValueTask<int> TryApplyAllAsync(IReadOnlyList<StockMovement> movements, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(movements);
        var cells = new HashSet<(Sku, LocationId)>();
        bool oneByOne = false;
        foreach (StockMovement movement in movements)
        {
            // A movement that would fit an empty cell may need to create it, which the joined update cannot.
            oneByOne |= Fits(default, movement) || !cells.Add((movement.Sku, movement.Location));
        }

        if (oneByOne)
        {
            for (int i = 0; i < movements.Count; i++)
            {
                if (!await TryApplyAsync(movements[i], cancellationToken).ConfigureAwait(false))
                {
                    return i;
                }
            }

            return -1;
        }

        foreach (StockMovement movement in movements)
        {
            await RequireLocationAsync(movement.Location, cancellationToken).ConfigureAwait(false);
        }

        // Checked when the staged writes go out, in the same command as the order and its events: the next statement
        // of this unit of work, or its commit, throws if a movement does not fit.
        if (_stagedMovements is not null)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        _stagedMovements = [.. movements];
        foreach (StockMovement movement in movements)
        {
            StageLedgerRow(movement, movement.OnHandChange, movement.ReservedChange);
        }

        return -1;
    }

    /// <summary>The one conditional <c>UPDATE … FROM (VALUES …)</c> for the staged movements, returning the cells it changed.</summary>
    private string StagedMovementsSql(List<(string, object?)> parameters, bool guard)
    {
        var values = new System.Text.StringBuilder();
        for (int i = 0; i < _stagedMovements!.Count; i++)
        {
            StockMovement movement = _stagedMovements[i];
            string n = i.ToString(CultureInfo.InvariantCulture);
            values.Append(i == 0 ? "(" : ", (").Append("@sku").Append(n).Append(", @at").Append(n).Append(", @dh").Append(n).Append(", @dr").Append(n).Append(", @dd").Append(n).Append(')');
            parameters.Add(("sku" + n, movement.Sku.Value));
            parameters.Add(("at" + n, movement.Location.Value));
            parameters.Add(("dh" + n, movement.OnHandChange));
            parameters.Add(("dr" + n, movement.ReservedChange));
            parameters.Add(("dd" + n, DamagedChange(movement)));
        }

        string update = $"UPDATE {T}stock AS s SET on_hand = s.on_hand + v.dh, reserved = s.reserved + v.dr, damaged = s.damaged + v.dd " +
            $"FROM v WHERE s.sku = v.cell_sku AND s.location = v.cell_location AND {FitsSql(cell: "s.", change: "v.")} RETURNING s.sku, s.location, s.on_hand, s.reserved, s.safety_stock, s.damaged";
        if (!guard)
        {
            return $"WITH v (cell_sku, cell_location, dh, dr, dd) AS (VALUES {values}) {update};";
        }

        // Divides by zero, failing the transaction, unless every movement applied; with the cells as they are left, for
        // the store's stock as last seen.
        parameters.Add(("moves", (long)_stagedMovements.Count));
        string cells = _state.Seen is null ? string.Empty : ", array_agg(sku), array_agg(location), array_agg(on_hand), array_agg(reserved), array_agg(safety_stock), array_agg(damaged)";
        return $"WITH v (cell_sku, cell_location, dh, dr, dd) AS (VALUES {values}), u AS ({update}) " +
            $"SELECT 1 / (CASE WHEN count(*) = @moves THEN 1 ELSE 0 END){cells} FROM u;";
    }

    /// <summary>
    /// The guard a movement must pass, as SQL: afterwards on hand ≥ reserved ≥ 0, damaged ≥ 0, and a reservation leaves
    /// the safety stock alone. <paramref name="cell"/> prefixes the cell's columns, <paramref name="change"/> the
    /// changes <c>dh</c>, <c>dr</c>, <c>dd</c>; <see cref="Fits"/> is the same rule in C#.
    /// </summary>
    private static string FitsSql(string cell, string change) => FitsSql(cell, change + "dh", change + "dr", change + "dd");

    /// <summary>The guard of <see cref="FitsSql(string, string)"/>, with the changes as the expressions <paramref name="dh"/>, <paramref name="dr"/> and <paramref name="dd"/>.</summary>
    internal static string FitsSql(string cell, string dh, string dr, string dd) =>
        $"{cell}reserved + {dr} >= 0 AND {cell}on_hand + {dh} >= {cell}reserved + {dr} AND {cell}damaged + {dd} >= 0 " +
        $"AND ({dr} <= 0 OR {cell}on_hand + {dh} - {cell}reserved - {dr} - {cell}safety_stock >= 0)";

    /// <summary>The exception for a staged movement that did not fit: the unit of work must not commit.</summary>
    private static Exception Refused(StockMovement movement) => movement.Kind == StockMovementKind.Reserved
        ? new InsufficientStockException(movement.Sku, movement.Location, movement.Quantity)
        : new ConcurrencyConflictException($"stock of {movement.Sku} at {movement.Location}", $"the counts no longer allow {movement.Kind} of {movement.Quantity} units.");

    /// <summary>Stages a ledger row; it is written with the others before the commit (see FlushAsync).</summary>
    private void StageLedgerRow(StockMovement movement, int onHand, int reserved) =>
        _ledgerRows.Add([
            movement.Kind.ToString(), movement.Sku.Value, movement.Location.Value, movement.Quantity, onHand, reserved, movement.Reason, movement.OrderId?.Value,
            movement.Reference, _dialect.ToDb(movement.OccurredAt == default ? _clock.GetCurrentInstant() : movement.OccurredAt)]);

    /// <summary>How far before the moment asked a read of recent movements goes on (see <see cref="IInventoryRepository.ReadLedgerSinceAsync"/>).</summary>
    private static readonly Duration LedgerClockSlack = Duration.FromHours(1);

    private const string LedgerReadColumns = "l.sequence, l.kind, l.sku, l.location, l.quantity, l.on_hand_change, l.reserved_change, l.reason, l.order_id, l.reference, l.occurred_at";

    public async ValueTask<IReadOnlyList<StockMovement>> ReadLedgerAsync(Sku? sku, CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        return await ReadMovementsAsync(
            sku is null ? $"SELECT {LedgerReadColumns} FROM {T}ledger l ORDER BY l.sequence" : _dialect.LedgerOfSku(LedgerReadColumns),
            cancellationToken,
            sku is { } only ? [("sku", only.Value)] : []).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<StockMovement>> ReadLedgerSinceAsync(Sku sku, Instant since, CancellationToken cancellationToken = default)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        return await ReadMovementsAsync(
            _dialect.LedgerOfSkuSince(LedgerReadColumns),
            cancellationToken,
            ("sku", sku.Value), ("since", _dialect.ToDb(since)), ("bound", _dialect.ToDb(since < Instant.MinValue + LedgerClockSlack ? Instant.MinValue : since - LedgerClockSlack))).ConfigureAwait(false);
    }

    private async Task<List<StockMovement>> ReadMovementsAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        var result = new List<StockMovement>();
        await ReadAsync(
            sql,
            r => result.Add(new StockMovement(
                r.GetInt64(0),
                Enum.TryParse(r.GetString(1), out StockMovementKind kind) ? kind : throw new StoredDataException($"ledger entry {r.GetInt64(0)}", $"its kind \"{r.GetString(1)}\" is not a known movement kind."),
                new Sku(r.GetString(2)),
                new LocationId(r.GetString(3)),
                r.GetInt32(4),
                r.GetInt32(5),
                r.GetInt32(6),
                r.IsDBNull(7) ? null : r.GetString(7),
                r.IsDBNull(8) ? null : new OrderId(r.GetString(8)),
                r.IsDBNull(9) ? null : r.GetString(9),
                _dialect.ReadInstant(r, 10))),
            cancellationToken,
            parameters).ConfigureAwait(false);
        return result;
    }

    public async ValueTask<CartHold?> FindHoldAsync(string cartId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cartId);
        var holds = await ReadHoldsAsync($"WHERE cart_id = @cart", cancellationToken, ("cart", cartId)).ConfigureAwait(false);
        if (holds.Count == 0)
        {
            _holdsRead[cartId] = null;
            return null;
        }

        return holds[0];
    }

    /// <summary>
    /// Saves a hold. One this unit of work read, or found missing, is written only if it is still as read: a hold is
    /// reserved stock, and two units of work that each read it must not both replace it (or both create it).
    /// </summary>
    public async ValueTask SaveHoldAsync(CartHold hold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hold);
        (string, object?)[] values =
        [
            ("cart", hold.CartId), ("placed", _dialect.ToDb(hold.PlacedAt)), ("expires", _dialect.ToDb(hold.ExpiresAt)), ("order", hold.OrderId?.Value),
            ("lines", OrderKitJson.SerializeHeldStock(hold.Lines)),
        ];
        string insert = $"INSERT INTO {T}cart_holds (cart_id, placed_at, expires_at, order_id, lines) VALUES (@cart, @placed, @expires, @order, {_dialect.Json("@lines")}) ON CONFLICT (cart_id) DO ";
        if (!_holdsRead.TryGetValue(hold.CartId, out HeldRow? read))
        {
            await ExecuteAsync(
                insert + "UPDATE SET placed_at = excluded.placed_at, expires_at = excluded.expires_at, order_id = excluded.order_id, lines = excluded.lines",
                cancellationToken,
                values).ConfigureAwait(false);
        }
        else if (read is null)
        {
            if (await ExecuteAsync(insert + "NOTHING", cancellationToken, values).ConfigureAwait(false) == 0)
            {
                throw HoldChanged(hold.CartId);
            }
        }
        else if (await ExecuteAsync(
            $"UPDATE {T}cart_holds SET placed_at = @placed, expires_at = @expires, order_id = @order, lines = {_dialect.Json("@lines")} WHERE cart_id = @cart AND {HoldAsRead}",
            cancellationToken,
            [.. values, .. read.Parameters(_dialect)]).ConfigureAwait(false) == 0)
        {
            throw HoldChanged(hold.CartId);
        }

        _holdsRead[hold.CartId] = new HeldRow(hold.PlacedAt, hold.ExpiresAt, (string)values[4].Item2!);
    }

    /// <summary>Deletes a hold; one this unit of work read only if it is still as read, else <see cref="ConcurrencyConflictException"/>.</summary>
    public async ValueTask DeleteHoldAsync(string cartId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cartId);
        if (_holdsRead.TryGetValue(cartId, out HeldRow? read) && read is not null)
        {
            // Whoever removed or replaced the hold since it was read took its reserved units over, or released them.
            if (await ExecuteAsync(
                $"DELETE FROM {T}cart_holds WHERE cart_id = @cart AND {HoldAsRead}",
                cancellationToken,
                [("cart", cartId), .. read.Parameters(_dialect)]).ConfigureAwait(false) == 0)
            {
                throw HoldChanged(cartId);
            }
        }
        else
        {
            await ExecuteAsync($"DELETE FROM {T}cart_holds WHERE cart_id = @cart", cancellationToken, ("cart", cartId)).ConfigureAwait(false);
        }

        _holdsRead[cartId] = null;
    }

    /// <summary>The condition that a hold row is as this unit of work read it, over the parameters of <see cref="HeldRow.Parameters"/>.</summary>
    private string HoldAsRead => _holdAsRead ??= $"placed_at = @read_placed AND expires_at = @read_expires AND {_dialect.JsonAsText("lines")} = @read_lines";

    private static ConcurrencyConflictException HoldChanged(string cartId) =>
        new($"cart hold {cartId}", "another unit of work took it over, released or replaced it after this one read it.");

    /// <summary>A hold as this unit of work read it: what its guards compare the stored row with.</summary>
    private sealed record HeldRow(Instant PlacedAt, Instant ExpiresAt, string Lines)
    {
        public (string, object?)[] Parameters(SqlDialect dialect) =>
            [("read_placed", dialect.ToDb(PlacedAt)), ("read_expires", dialect.ToDb(ExpiresAt)), ("read_lines", Lines)];
    }

    public async ValueTask<IReadOnlyList<CartHold>> FindExpiredHoldsAsync(Instant now, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        return await ReadHoldsAsync(
            "WHERE order_id IS NULL AND expires_at <= @now ORDER BY expires_at, cart_id LIMIT @max",
            cancellationToken,
            ("now", _dialect.ToDb(now == Instant.MaxValue ? Instant.FromUtc(9999, 12, 31, 0, 0) : now)), ("max", maxCount)).ConfigureAwait(false);
    }

    private async Task<List<CartHold>> ReadHoldsAsync(string where, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        var result = new List<CartHold>();
        await ReadAsync(
            $"SELECT cart_id, placed_at, expires_at, order_id, lines FROM {T}cart_holds {where}",
            r =>
            {
                var hold = new CartHold(
                    r.GetString(0),
                    OrderKitJson.DeserializeHeldStock(r.GetString(4), $"cart hold {r.GetString(0)}"),
                    _dialect.ReadInstant(r, 1),
                    _dialect.ReadInstant(r, 2),
                    r.IsDBNull(3) ? null : new OrderId(r.GetString(3)));
                _holdsRead[hold.CartId] = new HeldRow(hold.PlacedAt, hold.ExpiresAt, r.GetString(4));
                result.Add(hold);
            },
            cancellationToken,
            parameters).ConfigureAwait(false);
        return result;
    }

    private async ValueTask RequireLocationAsync(LocationId location, CancellationToken cancellationToken)
    {
        if (_state.Locations.Contains(location))
        {
            return;
        }

        long? found = await ScalarAsync<long?>($"SELECT 1 FROM {T}locations WHERE id = @id", cancellationToken, ("id", location.Value)).ConfigureAwait(false);
        if (found is null)
        {
            throw new InvalidOperationException($"Stock location {location} is not committed to the store; add it in its own unit of work first.");
        }

        // Known to the store only once this unit of work commits: the location may be its own uncommitted write.
        (_locationsFound ??= []).Add(location);
    }

    private Task FlushAsync(CancellationToken cancellationToken) => FlushAsync(commit: false, cancellationToken);

    /// <summary>
    /// Sends what is staged in one command: the stock movements (one guarded update, checked from the rows it returns),
    /// new orders, then ledger rows and outbox messages as multi-row inserts. None needs an answer before the next
    /// statement, so a unit of work pays one round trip for all of them instead of one each. Where the dialect
    /// <see cref="SqlDialect.WritesStagedRows"/>, they go one row per statement instead (<see cref="WriteStagedRows"/>).
    /// </summary>
    /// <param name="commit">Whether to send the commit with the writes, where the dialect allows and they fit one command; <see cref="_committedWithWrites"/> tells whether it was.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    private async Task FlushAsync(bool commit, CancellationToken cancellationToken)
    {
        if (!HasStaged)
        {
            return;
        }

        await BeginWritingAsync(cancellationToken).ConfigureAwait(false);
        if (_dialect.WritesStagedRows)
        {
            WriteStagedRows();
            return;
        }

        _flushing = true;
        try
        {
            const int RowsPerCommand = 50;
            bool withCommit = commit && _dialect.CommitsWithWrites && _ledgerRows.Count + _outboxRows.Count <= RowsPerCommand;
            int ledgerDone = 0, outboxDone = 0;
            bool first = true;
            while (first || ledgerDone < _ledgerRows.Count || outboxDone < _outboxRows.Count)
            {
                var sql = new System.Text.StringBuilder();
                var parameters = new List<(string, object?)>();
                List<StockMovement>? movements = first ? _stagedMovements : null;
                if (movements is not null)
                {
                    sql.Append(StagedMovementsSql(parameters, guard: withCommit));
                }

                int orders = first ? _newOrders.Count : 0;
                for (int k = 0; k < orders; k++)
                {
                    sql.Append("INSERT INTO ").Append(T).Append("orders (").Append(OrderColumns).Append(") VALUES ");
                    AppendRows(sql, parameters, "n" + k.ToString(CultureInfo.InvariantCulture) + "_", [_newOrders[k].Columns], 0, 1, jsonColumn: 9);
                    // With the commit in the same command, a taken identifier must fail the transaction, not skip a row.
                    sql.Append(withCommit ? ";" : " ON CONFLICT (id) DO NOTHING;");
                }

                int ledger = Math.Min(RowsPerCommand, _ledgerRows.Count - ledgerDone);
                int outbox = Math.Min(RowsPerCommand - ledger, _outboxRows.Count - outboxDone);
                if (ledger > 0)
                {
                    sql.Append("INSERT INTO ").Append(T).Append("ledger (").Append(LedgerColumns).Append(") VALUES ");
                    AppendRows(sql, parameters, "l", _ledgerRows, ledgerDone, ledger, jsonColumn: -1);
                    sql.Append(';');
                }

                if (outbox > 0)
                {
                    sql.Append("INSERT INTO ").Append(T).Append("outbox (").Append(OutboxColumns).Append(") VALUES ");
                    AppendRows(sql, parameters, "o", _outboxRows, outboxDone, outbox, jsonColumn: 4);
                    sql.Append(';');
                }

                if (withCommit)
                {
                    if (_seenVersion is { } seen)
                    {
                        // Divides by zero, failing the transaction, when the stock catalog changed since the stock the
                        // plan was made from was seen.
                        sql.Append("SELECT 1 / (CASE WHEN version = @seen_version THEN 1 ELSE 0 END) FROM ").Append(T).Append("stock_catalog;");
                        parameters.Add(("seen_version", seen));
                    }

                    sql.Append("COMMIT;");
                    await SendWithCommitAsync(sql.ToString(), [.. parameters], movements, cancellationToken).ConfigureAwait(false);
                    break;
                }

                var applied = new HashSet<(string, string)>();
                Action<DbDataReader>[] appliedRows = movements is null ? [] : [r =>
                {
                    applied.Add((r.GetString(0), r.GetString(1)));

                    // The cell's row stays locked until the commit: these are the counts it commits with, unless the
                    // unit of work moves it again.
                    if (_state.Seen is not null)
                    {
                        (_committedCells ??= []).Add((r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5)));
                    }
                }];

                // Here only where the dialect does not write staged rows one by one, that is PostgreSQL, whose
                // statements go as positional batches made for each use: there is no command to keep.
                int rows = await ReadAsync(
                    sql.ToString(),
                    appliedRows,
                    keep: false,
                    [.. parameters],
                    cancellationToken).ConfigureAwait(false);

                if (movements is not null)
                {
                    foreach (StockMovement movement in movements)
                    {
                        if (!applied.Contains((movement.Sku.Value, movement.Location.Value)))
                        {
                            _failed = true;
                            throw Refused(movement);
                        }
                    }
                }

                if (rows < (movements?.Count ?? 0) + orders + ledger + outbox)
                {
                    // Every ledger and outbox row is inserted; a row short is an order whose identifier another unit of
                    // work took first.
                    _failed = true;
                    throw new ConcurrencyConflictException(_newOrders[0].Id, 0, null);
                }

                ledgerDone += ledger;
                outboxDone += outbox;
                first = false;
            }

            _stagedMovements = null;
            _newOrders.Clear();
            _ledgerRows.Clear();
            _outboxRows.Clear();
        }
        finally
        {
            _flushing = false;
        }
    }

    /// <summary>
    /// Writes what is staged one row per statement, each prepared once on the writer's connection and bound by
    /// position: the stock movements (a refusal shows as a cell not changed), new orders (a taken identifier as a row
    /// not inserted), then the ledger rows and outbox messages. Runs in the writer's turn, so it only binds and steps;
    /// the rows and their documents were made when they were staged. It takes no cancellation token on purpose: once
    /// the first row is written the rest follow (a few microseconds each, in process), since stopping part way would
    /// leave the transaction to roll back anyway; a cancelled command is refused before its writes start (see
    /// "SQLite: one file, one node" in docs/persistence.md: a commit cancels while it waits, and runs to the end once it runs).
    /// </summary>
    private void WriteStagedRows()
    {
        EnsureOpen();
        RowStatements rows = _commands?.Rows ?? throw new InvalidOperationException("The store gave the writer's connection no row statements.");
        StagedRowSql sql = _dialect.RowSql;
        try
        {
            if (_stagedMovements is not null)
            {
                foreach (StockMovement movement in _stagedMovements)
                {
                    if (rows.Execute(sql.CellUpdate, [movement.Sku.Value, movement.Location.Value, movement.OnHandChange, movement.ReservedChange, DamagedChange(movement)]) == 0)
                    {
                        throw Refused(movement);
                    }
                }
            }

            foreach ((OrderId id, object?[] columns) in _newOrders)
            {
                if (rows.Execute(sql.OrderInsert, columns) == 0)
                {
                    throw new ConcurrencyConflictException(id, 0, null);
                }
            }

            foreach (object?[] row in _ledgerRows)
            {
                rows.Execute(sql.LedgerInsert, row);
            }

            foreach (object?[] row in _outboxRows)
            {
                rows.Execute(sql.OutboxInsert, row);
            }
        }
        catch (Exception e)
        {
            // Part of the staged writes may be applied: the unit of work can only be rolled back.
            _failed = true;
            if (e is DbException db && _dialect.Translate(db) is { } translated)
            {
                throw translated;
            }

            throw;
        }

        _stagedMovements = null;
        _newOrders.Clear();
        _ledgerRows.Clear();
        _outboxRows.Clear();
    }

    /// <summary>Sends the staged writes and the commit in one command; a guard that fails rolls it all back.</summary>
    private async Task SendWithCommitAsync(string sql, (string, object?)[] parameters, List<StockMovement>? movements, CancellationToken cancellationToken)
    {
        Action<DbDataReader>[] cells = movements is null || _state.Seen is null ? [] : [ReadCommittedCells];
        try
        {
            await ReadAsync(sql, cells, keep: false, parameters, cancellationToken).ConfigureAwait(false);
            _committedWithWrites = true;
        }
        catch (DbException e) when (e.SqlState == DivisionByZero && (movements is not null || _seenVersion is not null))
        {
            // A reservation did not fit, or the stock catalog changed since the stock planned from was seen: nothing
            // after the guard ran. Name what does not hold now.
            _failed = true;
            throw await RefusedAfterRollbackAsync(movements ?? [], cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e) when (e.SqlState == UniqueViolation && _newOrders.Count > 0)
        {
            _failed = true;
            throw new ConcurrencyConflictException(_newOrders[0].Id, 0, null);
        }
    }

    /// <summary>Reads the row of the staged movements' guard: the cells as the movements left them, column by column.</summary>
    private void ReadCommittedCells(DbDataReader r)
    {
        string[] skus = r.GetFieldValue<string[]>(1), locations = r.GetFieldValue<string[]>(2);
        int[] onHand = r.GetFieldValue<int[]>(3), reserved = r.GetFieldValue<int[]>(4), safety = r.GetFieldValue<int[]>(5), damaged = r.GetFieldValue<int[]>(6);
        _committedCells ??= new(skus.Length);
        for (int i = 0; i < skus.Length; i++)
        {
            _committedCells.Add((skus[i], locations[i], onHand[i], reserved[i], safety[i], damaged[i]));
        }
    }

    /// <summary>
    /// After a guard refused the staged writes: rolls back, then names what does not hold now: the stock catalog, when
    /// the stock planned from was seen under a version that no longer stands, or else a movement the counts do not allow.
    /// </summary>
    private async Task<Exception> RefusedAfterRollbackAsync(List<StockMovement> movements, CancellationToken cancellationToken)
    {
        await _transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        foreach (StockMovement movement in movements)
        {
            _state.Seen?.Forget(movement.Sku.Value);
        }

        if (_seenVersion is { } seen)
        {
            DbCommand read = _connection.CreateCommand();
            await using (read.ConfigureAwait(false))
            {
                read.CommandText = $"SELECT version FROM {T}stock_catalog";
                if (Convert.ToInt64(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) != seen)
                {
                    _state.Seen?.Clear();
                    return CatalogChanged();
                }
            }
        }

        if (movements.Count == 0)
        {
            return CatalogChanged();
        }

        var counts = new Dictionary<(string, string), (int OnHand, int Reserved, int Safety, int Damaged)>();
        DbCommand command = _connection.CreateCommand();
        await using (command.ConfigureAwait(false))
        {
            var sql = new System.Text.StringBuilder($"SELECT sku, location, on_hand, reserved, safety_stock, damaged FROM {T}stock WHERE ");
            for (int i = 0; i < movements.Count; i++)
            {
                string n = i.ToString(CultureInfo.InvariantCulture);
                sql.Append(i == 0 ? string.Empty : " OR ").Append("(sku = @sku").Append(n).Append(" AND location = @at").Append(n).Append(')');
                AddParameter(command, "@sku" + n, movements[i].Sku.Value);
                AddParameter(command, "@at" + n, movements[i].Location.Value);
            }

            command.CommandText = sql.ToString();
            DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    counts[(reader.GetString(0), reader.GetString(1))] = (reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5));
                }
            }
        }

        foreach (StockMovement movement in movements)
        {
            if (!counts.TryGetValue((movement.Sku.Value, movement.Location.Value), out (int OnHand, int Reserved, int Safety, int Damaged) cell) || !Fits(cell, movement))
            {
                return Refused(movement);
            }
        }

        // Every one fits now: the stock moved back in the meantime. Any reservation names the refusal well enough.
        return Refused(movements.Find(m => m.Kind == StockMovementKind.Reserved) ?? movements[0]);
    }

    /// <summary>Whether a movement fits a cell's counts (<c>default</c> for a cell that does not exist yet); <see cref="FitsSql(string, string)"/> is the same rule in SQL.</summary>
    private static bool Fits((int OnHand, int Reserved, int Safety, int Damaged) cell, StockMovement movement)
    {
        int dh = movement.OnHandChange, dr = movement.ReservedChange, dd = DamagedChange(movement);
        return cell.Reserved + dr >= 0 && cell.OnHand + dh >= cell.Reserved + dr && cell.Damaged + dd >= 0
            && (dr <= 0 || cell.OnHand + dh - cell.Reserved - dr - cell.Safety >= 0);
    }

    /// <summary>The change a movement makes to the damaged count.</summary>
    private static int DamagedChange(StockMovement movement) => movement.DamagedChange;

    private static void AddParameter(DbCommand command, string name, object? value)
    {
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private void AppendRows(System.Text.StringBuilder sql, List<(string, object?)> parameters, string prefix, List<object?[]> rows, int start, int count, int jsonColumn)
    {
        for (int row = 0; row < count; row++)
        {
            object?[] values = rows[start + row];
            sql.Append(row == 0 ? "(" : ", (");
            for (int column = 0; column < values.Length; column++)
            {
                string name = string.Create(CultureInfo.InvariantCulture, $"{prefix}{row}_{column}");
                sql.Append(column == 0 ? string.Empty : ", ").Append(column == jsonColumn ? _dialect.Json("@" + name) : "@" + name);
                parameters.Add((name, values[column]));
            }

            sql.Append(')');
        }
    }

    // ---- Commit and disposal ----

    public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        EnsureOpen();
        if ((_writerTurn is null || HasStaged) && _state.SweepDue())
        {
            // Expired idempotency records are never read again; a commit now and then clears a batch of them.
            await ExecuteAsync(
                $"DELETE FROM {T}idempotency WHERE (operation, key) IN (SELECT operation, key FROM {T}idempotency WHERE expires_at <= @now ORDER BY expires_at LIMIT {SqlStoreState.RecordsPerSweep}{_dialect.SkipLocked})",
                cancellationToken,
                ("now", _dialect.ToDb(_clock.GetCurrentInstant()))).ConfigureAwait(false);
        }

        if (_writerTurn is not null && _commitInTurn is not null && HasStaged)
        {
            // Only read so far (a sweep would have taken the turn): the staged writes and the commit go to the writer
            // as one piece of work. Whatever happens to them happens in the turn, the rollback of a refusal included;
            // the unit of work is over after.
            await EndReadAsync().ConfigureAwait(false);
            try
            {
                await _commitInTurn(turn => CommitInTurnAsync(turn, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // Rolled back in the turn, or never run (the wait was cancelled, or the store disposed): either way
                // nothing is open any more, and nothing of the unit of work was written.
                _done = true;
                throw;
            }
        }
        else
        {
            await FlushAndCommitAsync(cancellationToken).ConfigureAwait(false);
            await EndAsync().ConfigureAwait(false);
        }

        _locationsFound?.ForEach(_state.Locations.Add);
        AfterCommit();
    }

    private async Task FlushAndCommitAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(commit: true, cancellationToken).ConfigureAwait(false);
        if (!_committedWithWrites)
        {
            await CheckSeenAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbException e) when (_dialect.Translate(e) is { } translated)
            {
                throw translated;
            }
        }
    }

    /// <summary>The staged writes and the commit, in a turn the writer gives: on any failure rolled back there and then.</summary>
    private async ValueTask CommitInTurnAsync(SqlWriterTurn turn, CancellationToken cancellationToken)
    {
        (_connection, _transaction, _commands, _onEnd, _writerTurn) = (turn.Connection, turn.Transaction, turn.Commands, turn.OnEnd, null);
        if (turn.Shared)
        {
            // The writer commits the transaction, or rolls back what this unit of work wrote in it.
            try
            {
                await FlushAsync(commit: true, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _done = true;
            }

            return;
        }

        try
        {
            await FlushAndCommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Rolled back here, in the turn, not later by the caller.
            await DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await EndAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_done)
        {
            try
            {
                await _transaction.RollbackAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is DbException or InvalidOperationException)
            {
                // The connection broke; the database rolls the transaction back on its own.
            }
        }

        await EndAsync().ConfigureAwait(false);
    }

    private async ValueTask EndAsync()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        await _transaction.DisposeAsync().ConfigureAwait(false);
        if (_commands is null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        if (_onEnd is not null)
        {
            await _onEnd().ConfigureAwait(false);
        }
    }

    private void EnsureOpen()
    {
        if (_done)
        {
            throw new InvalidOperationException("The transaction is already committed or disposed.");
        }

        if (_failed)
        {
            // Part of the staged writes may be applied: nothing more may be sent, least of all a commit.
            throw new InvalidOperationException("A staged write of this unit of work was refused; dispose it without committing.");
        }
    }

    // ---- Commands ----

    /// <summary>What a text runs as: a command, or where the dialect sends positional batches, a batch.</summary>
    private Runnable Prepare(string sql, (string Name, object? Value)[] parameters, bool keep = true)
    {
        if (_dialect.SendsPositionalBatches)
        {
            EnsureOpen();
            return new Runnable(null, PositionalStatements.Batch(_connection, _transaction, sql, parameters));
        }

        return new Runnable(Command(sql, parameters, keep), null);
    }

    /// <summary>A command or a batch, run the same way.</summary>
    private readonly struct Runnable(DbCommand? command, DbBatch? batch)
    {
        public DbCommand? Command => command;

        public Task<DbDataReader> ExecuteReaderAsync(CancellationToken cancellationToken) =>
            command is not null ? command.ExecuteReaderAsync(cancellationToken) : batch!.ExecuteReaderAsync(cancellationToken);

        public Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) =>
            command is not null ? command.ExecuteNonQueryAsync(cancellationToken) : batch!.ExecuteNonQueryAsync(cancellationToken);

        public Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) =>
            command is not null ? command.ExecuteScalarAsync(cancellationToken) : batch!.ExecuteScalarAsync(cancellationToken);

        public ValueTask DisposeAsync() => command is not null ? command.DisposeAsync() : batch!.DisposeAsync();
    }

    private DbCommand Command(string sql, (string Name, object? Value)[] parameters, bool keep = true)
    {
        EnsureOpen();
        if (_commands is not null && keep)
        {
            DbCommand kept = _commands.Get(_connection, sql);
            kept.Transaction = _transaction;
            if (SameNames(kept.Parameters, parameters))
            {
                // A kept command's text fixes its parameters: only their values change from one use to the next.
                for (int i = 0; i < parameters.Length; i++)
                {
                    kept.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
                }

                return kept;
            }

            kept.Parameters.Clear();
            AddParameters(kept, parameters);
            return kept;
        }

        DbCommand command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        AddParameters(command, parameters);
        return command;
    }

    private static void AddParameters(DbCommand command, (string Name, object? Value)[] parameters)
    {
        foreach ((string name, object? value) in parameters)
        {
            // With its prefix: Microsoft.Data.Sqlite looks a bare name up under each prefix in turn.
            AddParameter(command, "@" + name, value);
        }
    }

    /// <summary>Whether a command's parameters are named, in order, as <paramref name="parameters"/> with the <c>@</c> prefix.</summary>
    private static bool SameNames(DbParameterCollection present, (string Name, object? Value)[] parameters)
    {
        if (present.Count != parameters.Length)
        {
            return false;
        }

        for (int i = 0; i < parameters.Length; i++)
        {
            string name = present[i].ParameterName;
            if (name.Length != parameters[i].Name.Length + 1 || name[0] != '@' || !name.AsSpan(1).SequenceEqual(parameters[i].Name))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Disposes a command the unit of work made for itself; a kept command stays for the next use.</summary>
    private ValueTask DoneAsync(Runnable runnable, bool kept = true) =>
        runnable.Command is null || _commands is null || !kept ? runnable.DisposeAsync() : ValueTask.CompletedTask;

    private Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters) =>
        ExecuteAsync(sql, keep: true, parameters, cancellationToken);

    private async Task<int> ExecuteAsync(string sql, bool keep, (string, object?)[] parameters, CancellationToken cancellationToken)
    {
        await FlushStagedAsync(cancellationToken).ConfigureAwait(false);
        await BeginWritingAsync(cancellationToken).ConfigureAwait(false);
        Runnable command = Prepare(sql, parameters, keep);
        try
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e) when (_dialect.Translate(e) is { } translated)
        {
            throw translated;
        }
        finally
        {
            await DoneAsync(command, keep).ConfigureAwait(false);
        }
    }

    private async Task<TValue?> ScalarAsync<TValue>(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await FlushStagedAsync(cancellationToken).ConfigureAwait(false);
        Runnable command = Prepare(sql, parameters);
        object? value;
        try
        {
            value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e) when (_dialect.Translate(e) is { } translated)
        {
            throw translated;
        }
        finally
        {
            await DoneAsync(command).ConfigureAwait(false);
        }

        if (value is null or DBNull)
        {
            return default;
        }

        Type target = Nullable.GetUnderlyingType(typeof(TValue)) ?? typeof(TValue);
        return (TValue)Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }

    private Task<int> ReadAsync(string sql, Action<DbDataReader> row, CancellationToken cancellationToken, params (string, object?)[] parameters) =>
        ReadAsync(sql, [row], keep: true, parameters, cancellationToken);

    private Task<int> ReadAsync(string sql, Action<DbDataReader>[] rows, CancellationToken cancellationToken, params (string, object?)[] parameters) =>
        ReadAsync(sql, rows, keep: true, parameters, cancellationToken);

    /// <summary>Runs a command of one or more statements, hands each query's rows to its own reader, and returns the rows the command changed.</summary>
    private async Task<int> ReadAsync(string sql, Action<DbDataReader>[] rows, bool keep, (string, object?)[] parameters, CancellationToken cancellationToken)
    {
        await FlushStagedAsync(cancellationToken).ConfigureAwait(false);
        Runnable command = Prepare(sql, parameters, keep);
        try
        {
            DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                for (int set = 0; set < rows.Length; set++)
                {
                    if (set > 0 && !await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
                    {
                        throw new InvalidOperationException($"The command returned {set} result sets; {rows.Length} were expected.");
                    }

                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        rows[set](reader);
                    }
                }

                // The statements after the queries run as the reader moves past them.
                while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
                {
                }

                return reader.RecordsAffected;
            }
        }
        catch (DbException e) when (_dialect.Translate(e) is { } translated)
        {
            throw translated;
        }
        finally
        {
            await DoneAsync(command, keep).ConfigureAwait(false);
        }
    }

    /// <summary>Whether writes wait to be sent.</summary>
    private bool HasStaged => _stagedMovements is not null || _ledgerRows.Count > 0 || _outboxRows.Count > 0 || _newOrders.Count > 0;

    /// <summary>Before a write: takes the writer's turn if the unit of work has only read so far.</summary>
    private ValueTask BeginWritingAsync(CancellationToken cancellationToken) =>
        _writerTurn is null ? ValueTask.CompletedTask : TakeWriterTurnAsync(cancellationToken);

    private async ValueTask TakeWriterTurnAsync(CancellationToken cancellationToken)
    {
        EnsureOpen();
        await EndReadAsync().ConfigureAwait(false);
        SqlWriterTurn turn;
        try
        {
            turn = await _writerTurn!(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Nothing is open any more: the unit of work can only be disposed.
            _failed = true;
            throw;
        }

        (_connection, _transaction, _commands, _onEnd, _writerTurn) = (turn.Connection, turn.Transaction, turn.Commands, turn.OnEnd, null);
        if (_done)
        {
            // Disposed while it waited (its caller gave up on the write): the turn now held is ended as a disposal
            // ends it, at once, or every later writer of the store would wait for it.
            _done = false;
            await DisposeAsync().ConfigureAwait(false);
            throw new ObjectDisposedException(nameof(SqlTransaction), "The unit of work was disposed while its write waited for the writer's turn; nothing of it was written.");
        }
    }

    /// <summary>
    /// Ends the read transaction before the unit of work waits for the writer (it wrote nothing): a reader waiting for
    /// the turn would hold up whoever holds it, if that one waits for readers, as a checkpoint does.
    /// </summary>
    private async ValueTask EndReadAsync()
    {
        (DbTransaction read, Func<ValueTask>? endRead) = (_transaction, _onEnd);
        _onEnd = null;
        try
        {
            await read.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // The read connection broke: nothing of it is needed any more.
        }
        finally
        {
            await read.DisposeAsync().ConfigureAwait(false);
            if (endRead is not null)
            {
                await endRead().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Sends staged stock movements and new orders before a statement that may depend on them.</summary>
    private Task FlushStagedAsync(CancellationToken cancellationToken) =>
        !_flushing && (_stagedMovements is not null || _newOrders.Count > 0) ? FlushAsync(cancellationToken) : Task.CompletedTask;
}
