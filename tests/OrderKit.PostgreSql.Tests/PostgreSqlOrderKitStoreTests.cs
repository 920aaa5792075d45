using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NodaTime;
using NodaTime.Testing;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence;

namespace OrderKit.PostgreSql.Tests;

public sealed class PostgreSqlOrderKitStoreTests : IDisposable
{
    private readonly Lazy<NpgsqlDataSource> _dataSource = new(PostgreSqlServer.CreateDataSource);
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 2, 9, 0));
    private readonly string _schema = PostgreSqlServer.NewSchema();

    public void Dispose()
    {
        if (_dataSource.IsValueCreated)
        {
            PostgreSqlServer.DropSchemas(_dataSource.Value, [_schema]);
            _dataSource.Value.Dispose();
        }
    }

    private static PlaceOrderRequest Request(string sku, int quantity) =>
        Request(null, [new PlaceOrderLine(new Sku(sku), new Quantity(quantity), new Money(9.99m, Currency.EUR))]);

    private static PlaceOrderRequest Request(OrderId? id, IReadOnlyList<PlaceOrderLine> lines) => new()
    {
        OrderId = id,
        CustomerId = new CustomerId("cus_1"),
        Channel = new SalesChannel("web"),
        ShippingAddress = new Address("Ada Lovelace", "Unter den Linden 1", "Berlin", "10117", "DE"),
        Currency = Currency.EUR,
        Lines = lines,
    };

    [PostgreSqlFact]
    public async Task NodesStartingAtOnce_MigrateOnce()
    {
        PostgreSqlOrderKitStore[] nodes = [.. Enumerable.Range(0, 6).Select(_ => new PostgreSqlOrderKitStore(_dataSource.Value, _clock, _schema))];
        await Task.WhenAll(nodes.Select(n => n.MigrateAsync()));
        Assert.Equal(1L, await ScalarAsync<long>($"SELECT count(*) FROM {_schema}.schema_version"));
        PlaceOrderResult placed = await new OrderService(nodes[0], _clock, new OrderKitOptions()).PlaceAsync(Request("MUG", 1));
        Assert.NotNull(await new OrderService(nodes[5], _clock, new OrderKitOptions()).FindAsync(placed.Order.Id));
    }

    [PostgreSqlFact]
    public async Task UsePostgreSql_TakesTheDataSourceFromDI()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(_clock);
        services.AddSingleton(_dataSource.Value);
        services.AddOrderKit().UsePostgreSql(schema: _schema);
        await using ServiceProvider provider = services.BuildServiceProvider();
        Assert.IsType<PostgreSqlOrderKitStore>(provider.GetRequiredService<IOrderKitStore>());
        PlaceOrderResult placed = await provider.GetRequiredService<OrderService>().PlaceAsync(Request("MUG", 1));
        Assert.NotNull(await provider.GetRequiredService<OrderService>().FindAsync(placed.Order.Id));
    }

    [PostgreSqlFact]
    public async Task ASchemaOfAnotherApplication_IsRefused()
    {
        await ExecuteAsync($"CREATE SCHEMA {_schema}; CREATE TABLE {_schema}.customers (id int PRIMARY KEY)");
        var store = new PostgreSqlOrderKitStore(_dataSource.Value, _clock, _schema);
        StoredDataException error = await Assert.ThrowsAsync<StoredDataException>(() => store.MigrateAsync());
        Assert.Contains("customers", error.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await ScalarAsync<long>($"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{_schema}'"));
    }

    [PostgreSqlFact]
    public async Task ASchemaNewerThanThePackage_IsRefused()
    {
        await new PostgreSqlOrderKitStore(_dataSource.Value, _clock, _schema).MigrateAsync();
        await ExecuteAsync($"UPDATE {_schema}.schema_version SET version = 99");
        StoredDataException error = await Assert.ThrowsAsync<StoredDataException>(() => new PostgreSqlOrderKitStore(_dataSource.Value, _clock, _schema).MigrateAsync());
        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
    }

    [PostgreSqlFact]
    public async Task ADatabaseAtSchemaVersion1_IsMigratedWithItsOrdersAndEventsKept()
    {
        // A database as version 1 left it: documents in jsonb columns, and indexes since rebuilt.
        var old = new PostgreSqlOrderKitStore(_dataSource.Value, _clock, _schema);
        var oldInventory = new InventoryService(old, _clock, new OrderKitOptions());
        await oldInventory.AddLocationAsync(new StockLocation(new LocationId("WH-1"), "Main"));
        await oldInventory.ReceiveAsync(new Sku("MUG"), new LocationId("WH-1"), new Quantity(7));
        PlaceOrderResult placed = await new OrderService(old, _clock, new OrderKitOptions()).PlaceAsync(Request("MUG", 2));
        foreach ((string table, string column) in new[] { ("orders", "document"), ("locations", "document"), ("skus", "policy"), ("cart_holds", "lines"), ("outbox", "payload") })
        {
            await ExecuteAsync($"ALTER TABLE {_schema}.{table} ALTER COLUMN {column} TYPE jsonb USING {column}::jsonb");
        }

        await ExecuteAsync(
            $"DROP TABLE {_schema}.outbox_lease; DROP TABLE {_schema}.tracking; DROP TABLE {_schema}.stock_catalog; ALTER TABLE {_schema}.orders DROP COLUMN ship_by, DROP COLUMN delivered_at; " +
            $"DROP INDEX {_schema}.orders_placed; CREATE INDEX orders_status ON {_schema}.orders (status, placed_at); " +
            $"DROP INDEX {_schema}.waiting_queue; CREATE INDEX waiting_queue ON {_schema}.waiting (sku, placed_at, order_id); " +
            $"DROP INDEX {_schema}.orders_customer; CREATE INDEX orders_customer ON {_schema}.orders (customer_id, placed_at); " +
            $"UPDATE {_schema}.schema_version SET version = 1");

        var upgraded = new PostgreSqlOrderKitStore(_dataSource.Value, _clock, _schema);
        Order read = await new OrderService(upgraded, _clock, new OrderKitOptions()).GetAsync(placed.Order.Id);

        Assert.Equal(placed.Order.Total, read.Total);
        Assert.Equal(7, (await new InventoryService(upgraded, _clock, new OrderKitOptions()).GetLevelAsync(new Sku("MUG"), new LocationId("WH-1"))).OnHand);
        Assert.Equal(9, await ScalarAsync<int>($"SELECT version FROM {_schema}.schema_version"));
        Assert.EndsWith(
            "(customer_id, placed_at, id COLLATE \"C\")",
            await ScalarAsync<string>($"SELECT indexdef FROM pg_indexes WHERE schemaname = '{_schema}' AND indexname = 'orders_customer'"),
            StringComparison.Ordinal);
        Assert.Equal(
            "orders_customer,orders_delivered,orders_pkey,orders_placed,orders_ship_by",
            await ScalarAsync<string>($"SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname = '{_schema}' AND tablename = 'orders'"));
        await using (IOrderKitTransaction transaction = await upgraded.BeginTransactionAsync())
        {
            Instant placedAt = placed.Order.PlacedAt;
            IReadOnlyList<OrderSnapshot> found = await transaction.Orders.FindPlacedAsync(placedAt, placedAt + Duration.FromSeconds(1), null, 10);
            Assert.Equal(placed.Order.Id, Assert.Single(found).Id);
        }
        Assert.Equal("fillfactor=50", await ScalarAsync<string>($"SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = '{_schema}.stock'::regclass"));
        Assert.Equal("json", await ScalarAsync<string>($"SELECT data_type FROM information_schema.columns WHERE table_schema = '{_schema}' AND table_name = 'orders' AND column_name = 'document'"));
        Assert.Single(await upgraded.ReadOutboxAsync(10));
    }

    [PostgreSqlFact]
    public async Task ACheckoutOfManyLines_WritesItsLedgerRowsAndEventsInTheOrderTheInMemoryStoreDoes()
    {
        // 120 lines: 120 reservations and ledger rows in one unit of work, more than the 50 rows the store sends in one
        // statement, so its writes go in several. Both reads come back in the order the rows were written (sequence, id).
        Sku[] skus = [.. Enumerable.Range(1, 120).Select(i => new Sku($"SKU-{i:000}"))];
        PlaceOrderRequest request = Request(new OrderId("ord_many"), [.. skus.Reverse().Select(s => new PlaceOrderLine(s, new Quantity(2), new Money(1m, Currency.EUR)))]);

        async Task<(List<(StockMovementKind, string, string, int, int, int, string?, string?)> Ledger, List<(string Name, int Sequence)> Outbox)> RunAsync(IOrderKitStore store)
        {
            var options = new OrderKitOptions();
            var inventory = new InventoryService(store, _clock, options);
            await inventory.AddLocationAsync(new StockLocation(new LocationId("WH-1"), "Warehouse"));
            await inventory.AddLocationAsync(new StockLocation(new LocationId("WH-2"), "Overflow") { Rank = 2 });
            foreach (Sku sku in skus)
            {
                await inventory.ReceiveAsync(sku, new LocationId("WH-1"), new Quantity(1), reference: "po-1");
                await inventory.ReceiveAsync(sku, new LocationId("WH-2"), new Quantity(5));
            }

            await new OrderService(store, _clock, options, inventory).PlaceAndAllocateAsync(request, new Money(240m, Currency.EUR));
            IOrderKitTransaction transaction = await store.BeginTransactionAsync();
            await using (transaction)
            {
                IReadOnlyList<StockMovement> ledger = await transaction.Inventory.ReadLedgerAsync(null);
                IReadOnlyList<OutboxMessage> outbox = await store.ReadOutboxAsync(10_000);
                return (
                    [.. ledger.Select(m => (m.Kind, m.Sku.Value, m.Location.Value, m.Quantity, m.OnHandChange, m.ReservedChange, m.Reference, m.OrderId?.Value))],
                    [.. outbox.Select(m => (m.Event.Name, m.Event.Sequence))]);
            }
        }

        var expected = await RunAsync(new InMemoryOrderKitStore(_clock));
        var actual = await RunAsync(new PostgreSqlOrderKitStore(_dataSource.Value, _clock, _schema));

        Assert.Equal(expected.Ledger, actual.Ledger);
        Assert.Equal((120 * 2) + 120, actual.Ledger.Count); // two receipts a SKU, then a reservation a line
        Assert.Equal(expected.Outbox, actual.Outbox);
    }

    [PostgreSqlFact]
    public async Task ExpiredIdempotencyRecords_AreSweptByALaterCommit_AndLiveOnesKept()
    {
        var first = new PostgreSqlOrderKitStore(_dataSource.Value, _clock, _schema);
        var orders = new OrderService(first, _clock, new OrderKitOptions());
        await orders.PlaceAsync(Request("MUG", 1), "key-old");
        _clock.Advance(Duration.FromHours(25));
        await orders.PlaceAsync(Request("MUG", 1), "key-new");
        Assert.Equal(2L, await ScalarAsync<long>($"SELECT count(*) FROM {_schema}.idempotency"));

        // A store's first commit sweeps; the record older than the retention goes, the live one stays.
        var restarted = new PostgreSqlOrderKitStore(_dataSource.Value, _clock, _schema);
        await new OrderService(restarted, _clock, new OrderKitOptions()).PlaceAsync(Request("TEE", 1));
        Assert.Equal("key-new", await ScalarAsync<string>($"SELECT string_agg(key, ',') FROM {_schema}.idempotency"));
    }

    [PostgreSqlFact]
    public async Task RelaysOnTwoNodes_TakeTurnsByLease_AndASecondTakesOverWhenTheFirstStops()
    {
        var nodeA = new PostgreSqlOrderKitStore(_dataSource.Value, _clock, _schema);
        var nodeB = new PostgreSqlOrderKitStore(_dataSource.Value, _clock, _schema);
        await new OrderService(nodeA, _clock, new OrderKitOptions()).PlaceAsync(Request("MUG", 1));

        Assert.Single(await nodeA.ReadOutboxAsync(10));
        Assert.Empty(await nodeB.ReadOutboxAsync(10));          // A holds the lease
        _clock.Advance(PostgreSqlOrderKitStore.DefaultRelayLease - Duration.FromSeconds(1));
        Assert.Single(await nodeA.ReadOutboxAsync(10));         // A renews it by reading
        _clock.Advance(PostgreSqlOrderKitStore.DefaultRelayLease - Duration.FromSeconds(1));
        Assert.Empty(await nodeB.ReadOutboxAsync(10));

        // A stops reading; once its lease lapses, B takes over and A is the one that waits.
        _clock.Advance(PostgreSqlOrderKitStore.DefaultRelayLease);
        IReadOnlyList<OutboxMessage> taken = await nodeB.ReadOutboxAsync(10);
        Assert.Single(taken);
        Assert.Empty(await nodeA.ReadOutboxAsync(10));
        await nodeB.MarkDeliveredAsync([taken[0].Id]);
        Assert.Empty(await nodeB.ReadOutboxAsync(10));
    }

    [PostgreSqlFact]
    public async Task ACorruptOrderDocument_ThrowsStoredDataException_AndOtherOrdersStillRead()
    {
        var store = new PostgreSqlOrderKitStore(_dataSource.Value, _clock, _schema);
        var orders = new OrderService(store, _clock, new OrderKitOptions());
        OrderId broken = (await orders.PlaceAsync(Request("MUG", 1))).Order.Id;
        OrderId fine = (await orders.PlaceAsync(Request("TEE", 1))).Order.Id;
        await ExecuteAsync($"UPDATE {_schema}.orders SET document = '{{\"format\":1,\"value\":{{\"id\":42}}}}' WHERE id = '{broken}'");
        StoredDataException error = await Assert.ThrowsAsync<StoredDataException>(() => orders.FindAsync(broken));
        Assert.Contains(broken.ToString(), error.Message, StringComparison.Ordinal);
        Assert.NotNull(await orders.FindAsync(fine));
    }

    [PostgreSqlFact]
    public async Task AConnectionDroppedInTheMiddleOfACommand_LeavesNothing_AndLosesNothingCommitted()
    {
        var store = new PostgreSqlOrderKitStore(_dataSource.Value, _clock, _schema);
        var orders = new OrderService(store, _clock, new OrderKitOptions());
        OrderId kept = (await orders.PlaceAsync(Request("MUG", 1))).Order.Id;

        Order fresh = Order.Place(Request("TEE", 2), _clock);
        IOrderKitTransaction transaction = await store.BeginTransactionAsync();
        await using (transaction)
        {
            await transaction.Orders.SaveAsync(fresh.ToSnapshot() with { Version = 1 });
            await transaction.Outbox.AppendAsync(fresh.Timeline);
            await transaction.Orders.FindAsync(kept); // writes what was staged, so the server holds part of the command
            // Another session kills this one's backend, as a network failure or a server restart would.
            await ExecuteAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle in transaction' AND query LIKE '%{_schema}.%'");
            await Assert.ThrowsAnyAsync<Exception>(async () => await transaction.CommitAsync());
        }

        Assert.Null(await orders.FindAsync(fresh.Id));
        Assert.NotNull(await orders.FindAsync(kept));
        Assert.Single(await store.ReadOutboxAsync(100));
    }

    [Fact]
    public void Constructor_RefusesASchemaNameThatIsNotAPlainIdentifier()
    {
        using NpgsqlDataSource dataSource = NpgsqlDataSource.Create("Host=127.0.0.1");
        Assert.Throws<ArgumentOutOfRangeException>(() => new PostgreSqlOrderKitStore(dataSource, _clock, relayLease: Duration.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddOrderKit().UsePostgreSql(dataSource, relayLease: Duration.FromSeconds(-1)));
        Assert.Throws<ArgumentException>(() => new PostgreSqlOrderKitStore(dataSource, _clock, "orders; DROP TABLE x"));
        Assert.Throws<ArgumentException>(() => new PostgreSqlOrderKitStore(dataSource, _clock, "Orders"));
        Assert.Throws<ArgumentNullException>(() => new PostgreSqlOrderKitStore(null!, _clock));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using NpgsqlCommand command = _dataSource.Value.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using NpgsqlCommand command = _dataSource.Value.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
