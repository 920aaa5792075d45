using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using NodaTime;
using OrderKit.Allocation;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence;
using SQLitePCL;

namespace OrderKit.Benchmarks.Stores;

/// <summary>
/// A ceiling, not a shop: the rows one OrderKit checkout writes to a SQLite database (five conditional stock updates,
/// five ledger rows with the schema's chain trigger, the order's row with its document, six outbox rows), in
/// OrderKit's own schema, on one connection and one thread, with nothing else done: no reads, no domain, the documents
/// serialized once ahead, the statements prepared once and bound by position through SQLitePCLRaw, and
/// <c>group</c> orders to a transaction. It measures what this machine gives for the writes alone.
/// </summary>
/// <remarks>SQLite's own checkpoint runs in line, at its default of 1,000 pages.</remarks>
internal sealed class WriteSetShop : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3 _db;
    private readonly int _group;
    private readonly sqlite3_stmt _cell, _ledger, _order, _outbox, _begin, _commit;
    private readonly byte[] _document;
    private readonly byte[][] _events;
    private long _nextOrder;
    private int _inTransaction;

    private WriteSetShop(SqliteConnection connection, int group, byte[] document, byte[][] events)
    {
        _connection = connection;
        _db = connection.Handle!;
        _group = group;
        _document = document;
        _events = events;
        _cell = Prepare("UPDATE orderkit_stock SET on_hand = on_hand + 0, reserved = reserved + 1, damaged = damaged + 0 WHERE sku = ?1 AND location = ?2 " +
            "AND reserved + 1 >= 0 AND on_hand + 0 >= reserved + 1 AND damaged + 0 >= 0 AND (on_hand - reserved - 1 - safety_stock >= 0)");
        _ledger = Prepare("INSERT INTO orderkit_ledger (kind, sku, location, quantity, on_hand_change, reserved_change, reason, order_id, reference, occurred_at) " +
            "VALUES ('Reserved', ?1, ?2, 1, 0, 1, NULL, ?3, NULL, ?4)");
        _order = Prepare("INSERT INTO orderkit_orders (id, version, customer_id, channel, status, payment_status, placed_at, currency, lines_total_minor, document, ship_by, delivered_at) " +
            "VALUES (?1, 1, 'cus_1', 'web', 'Allocated', 'Authorized', ?2, 'EUR', 6250, CAST(?3 AS TEXT), ?2, NULL) ON CONFLICT (id) DO NOTHING");
        _outbox = Prepare("INSERT INTO orderkit_outbox (order_id, sequence, type, occurred_at, payload) VALUES (?1, ?2, 'Event', ?3, CAST(?4 AS TEXT))");
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
    }

    /// <summary>Opens the write set on an OrderKit database whose stock is in place, writing <paramref name="sample"/>'s document and events.</summary>
    public static WriteSetShop Open(string connectionString, int group, (byte[] Document, byte[][] Events) sample)
    {
        if (group < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(group), group, "The write set needs at least one order to a transaction.");
        }

        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using (SqliteCommand pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 10000;";
            pragmas.ExecuteNonQuery();
        }

        return new WriteSetShop(connection, group, sample.Document, sample.Events);
    }

    /// <summary>
    /// One real checkout's document and events, serialized as the stores write them: an order of five lines placed
    /// and allocated by <see cref="OrderService.PlaceAndAllocateAsync"/> on the in-memory store, stocked as the harness
    /// stocks the durable ones.
    /// </summary>
    public static async Task<(byte[] Document, byte[][] Events)> SampleCheckoutAsync(Sku[] skus, LocationId[] locations, int stockPerCell)
    {
        var store = new InMemoryOrderKitStore(SystemClock.Instance);
        var options = new OrderKitOptions();
        var inventory = new InventoryService(store, SystemClock.Instance, options);
        var orders = new OrderService(store, SystemClock.Instance, options, inventory);
        for (int i = 0; i < locations.Length; i++)
        {
            await inventory.AddLocationAsync(new StockLocation(locations[i], "Warehouse " + (i + 1)) { Rank = i + 1 });
            foreach (Sku sku in skus)
            {
                await inventory.ReceiveAsync(sku, locations[i], new Quantity(stockPerCell));
            }
        }

        var request = new PlaceOrderRequest
        {
            OrderId = new OrderId("ord_01a237ba38e079cda50216b3f4b72342"),
            CustomerId = new CustomerId("cus_1"),
            Channel = new SalesChannel("web"),
            ShippingAddress = new Address("Ada Lovelace", "Unter den Linden 1", "Berlin", "10117", "DE"),
            Currency = Currency.EUR,
            Lines = [.. skus.Select(s => new PlaceOrderLine(s, new Quantity(1), new Money(12.50m, Currency.EUR)))],
        };
        var preferences = new AllocationPreferences { Strategy = AllocationStrategy.Priority, Split = SplitPolicy.ShipAvailable };
        Order order = (await orders.PlaceAndAllocateAsync(request, new Money(12.50m * skus.Length, Currency.EUR), preferences)).Order;
        return (OrderKitJson.SerializeOrderToUtf8Bytes(order.ToSnapshot()), [.. order.Timeline.Select(OrderKitJson.SerializeEventToUtf8Bytes)]);
    }

    /// <summary>Writes one checkout's rows; every <c>group</c> of them commits. One caller at a time.</summary>
    public Task PlaceAndAllocateAsync(Sku[] skus)
    {
        string orderId = "ws-" + (++_nextOrder).ToString(CultureInfo.InvariantCulture);
        long now = SystemClock.Instance.GetCurrentInstant().ToUnixTimeTicks();
        if (_inTransaction == 0)
        {
            Step(_begin);
        }

        foreach (Sku sku in skus.Order())
        {
            Bind(_cell, 1, sku.Value);
            Bind(_cell, 2, "WH-1");
            if (Step(_cell) != 1)
            {
                throw new InvalidOperationException($"No stock of {sku} for order {orderId}.");
            }

            Bind(_ledger, 1, sku.Value);
            Bind(_ledger, 2, "WH-1");
            Bind(_ledger, 3, orderId);
            Check(raw.sqlite3_bind_int64(_ledger, 4, now));
            Step(_ledger);
        }

        Bind(_order, 1, orderId);
        Check(raw.sqlite3_bind_int64(_order, 2, now));
        Check(raw.sqlite3_bind_blob(_order, 3, _document));
        Step(_order);
        for (int i = 0; i < _events.Length; i++)
        {
            Bind(_outbox, 1, orderId);
            Check(raw.sqlite3_bind_int(_outbox, 2, i + 1));
            Check(raw.sqlite3_bind_int64(_outbox, 3, now));
            Check(raw.sqlite3_bind_blob(_outbox, 4, _events[i]));
            Step(_outbox);
        }

        if (++_inTransaction == _group)
        {
            Step(_commit);
            _inTransaction = 0;
        }

        return Task.CompletedTask;
    }

    /// <summary>Commits what the last group left open.</summary>
    public void Finish()
    {
        if (_inTransaction > 0)
        {
            Step(_commit);
            _inTransaction = 0;
        }
    }

    public void Dispose()
    {
        foreach (sqlite3_stmt statement in new[] { _cell, _ledger, _order, _outbox, _begin, _commit })
        {
            statement.Dispose();
        }

        _connection.Dispose();
    }

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v3(_db, sql, raw.SQLITE_PREPARE_PERSISTENT, out sqlite3_stmt statement));
        return statement;
    }

    private void Bind(sqlite3_stmt statement, int index, string value) =>
        Check(raw.sqlite3_bind_text(statement, index, Encoding.UTF8.GetBytes(value)));

    /// <summary>Runs a statement to its end and resets it; returns the rows it changed.</summary>
    private int Step(sqlite3_stmt statement)
    {
        int rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE)
        {
            throw new InvalidOperationException($"SQLite error {rc}: {raw.sqlite3_errmsg(_db).utf8_to_string()}");
        }

        return raw.sqlite3_changes(_db);
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new InvalidOperationException($"SQLite error {rc}: {raw.sqlite3_errmsg(_db).utf8_to_string()}");
        }
    }
}
