using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence;

namespace OrderKit.Sqlite.Tests;

public sealed class SqliteOrderKitStoreTests : IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 2, 9, 0));

    public void Dispose() => _database.Dispose();

    private static PlaceOrderRequest Request(string sku, int quantity) => new()
    {
        CustomerId = new CustomerId("cus_1"),
        Channel = new SalesChannel("web"),
        ShippingAddress = new Address("Ada Lovelace", "Unter den Linden 1", "Berlin", "10117", "DE"),
        Currency = Currency.EUR,
        Lines = [new PlaceOrderLine(new Sku(sku), new Quantity(quantity), new Money(9.99m, Currency.EUR))],
    };

    /// <summary>An empty cart hold for five minutes from now: a write that needs the writer's turn.</summary>
    private CartHold Hold(string cart) => new(cart, [], _clock.GetCurrentInstant(), _clock.GetCurrentInstant() + Duration.FromMinutes(5));

    [Fact]
    public async Task Orders_SurviveAReopenedStore()
    {
        OrderId id;
        await using (var store = new SqliteOrderKitStore(_database.ConnectionString, _clock))
        {
            id = (await new OrderService(store, _clock, new OrderKitOptions()).PlaceAsync(Request("MUG", 2))).Order.Id;
        }

        await using var reopened = new SqliteOrderKitStore(_database.ConnectionString, _clock);
        Order? order = await new OrderService(reopened, _clock, new OrderKitOptions()).FindAsync(id);
        Assert.NotNull(order);
        Assert.Equal(2, order.Lines[0].Ordered);
        Assert.Single(await reopened.ReadOutboxAsync(10));
    }

    [Fact]
    public async Task UseSqlite_RegistersTheStore_ForTheServices()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(_clock);
        services.AddOrderKit().UseSqlite(_database.ConnectionString);
        await using ServiceProvider provider = services.BuildServiceProvider();
        Assert.IsType<SqliteOrderKitStore>(provider.GetRequiredService<IOrderKitStore>());
        PlaceOrderResult placed = await provider.GetRequiredService<OrderService>().PlaceAsync(Request("MUG", 1));
        Assert.NotNull(await provider.GetRequiredService<OrderService>().FindAsync(placed.Order.Id));
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddOrderKit().UseSqlite("Data Source"));
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddOrderKit().UseSqlite("Mode=ReadOnly"));
    }

    [Fact]
    public async Task Durability_SurvivesProcessCrashByDefault_AndSurvivesPowerLossSyncsEveryCommit()
    {
        await using (var store = new SqliteOrderKitStore(_database.ConnectionString, _clock))
        {
            Assert.Equal(1, await store.GetSynchronousAsync());
        }

        var options = new SqliteStoreOptions { Durability = SqliteDurability.SurvivesPowerLoss };
        await using (var store = new SqliteOrderKitStore(_database.ConnectionString, _clock, options))
        {
            Assert.Equal(2, await store.GetSynchronousAsync());
            OrderId id = (await new OrderService(store, _clock, new OrderKitOptions()).PlaceAsync(Request("MUG", 1))).Order.Id;
            Assert.NotNull(await new OrderService(store, _clock, new OrderKitOptions()).FindAsync(id));
        }
    }

    [Fact]
    public async Task UseSqlite_WithOptions_AppliesThem_AndRefusesABadOneAtRegistration()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(_clock);
        services.AddOrderKit().UseSqlite(_database.ConnectionString, o => o.Durability = SqliteDurability.SurvivesPowerLoss);
        await using (ServiceProvider provider = services.BuildServiceProvider())
        {
            var store = Assert.IsType<SqliteOrderKitStore>(provider.GetRequiredService<IOrderKitStore>());
            Assert.Equal(2, await store.GetSynchronousAsync());
        }

        ArgumentOutOfRangeException bad = Assert.Throws<ArgumentOutOfRangeException>(
            () => new ServiceCollection().AddOrderKit().UseSqlite(_database.ConnectionString, o => o.Durability = (SqliteDurability)7));
        Assert.Equal(nameof(SqliteStoreOptions.Durability), bad.ParamName);
        Assert.Contains("SqliteStoreOptions.Durability", bad.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(
            () => new SqliteOrderKitStore(_database.ConnectionString, _clock, new SqliteStoreOptions { Durability = (SqliteDurability)(-1) }));
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddOrderKit().UseSqlite(_database.ConnectionString, null!));
        Assert.Throws<ArgumentNullException>(() => new SqliteOrderKitStore(_database.ConnectionString, _clock, null!));
    }

    [Fact]
    public async Task AFileThatIsNotADatabase_IsRefused_AndLeftAsItWas()
    {
        byte[] junk = [.. Enumerable.Range(0, 4096).Select(i => unchecked((byte)(i * 7)))];
        await File.WriteAllBytesAsync(_database.Path, junk);
        await using var store = new SqliteOrderKitStore(_database.ConnectionString, _clock);
        StoredDataException error = await Assert.ThrowsAsync<StoredDataException>(() => store.MigrateAsync());
        Assert.Contains("not a SQLite database", error.Message, StringComparison.Ordinal);
        Assert.Equal(junk, await File.ReadAllBytesAsync(_database.Path));
    }

    [Fact]
    public async Task ADatabaseOfAnotherApplication_IsRefused_AndGetsNoTables()
    {
        await using (var connection = new SqliteConnection(_database.ConnectionString))
        {
            await connection.OpenAsync();
            SqliteCommand create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)";
            await create.ExecuteNonQueryAsync();
        }

        await using var store = new SqliteOrderKitStore(_database.ConnectionString, _clock);
        StoredDataException error = await Assert.ThrowsAsync<StoredDataException>(async () => await store.BeginTransactionAsync());
        Assert.Contains("not an OrderKit database", error.Message, StringComparison.Ordinal);
        Assert.Contains("customers", error.Message, StringComparison.Ordinal);
        Assert.Equal(["customers"], await TablesAsync());
    }

    [Fact]
    public async Task ASchemaNewerThanThePackage_IsRefused()
    {
        await using (var store = new SqliteOrderKitStore(_database.ConnectionString, _clock))
        {
            await store.MigrateAsync();
            await store.MigrateAsync();
        }

        await ExecuteAsync("UPDATE orderkit_schema SET version = 99");
        await using var newer = new SqliteOrderKitStore(_database.ConnectionString, _clock);
        StoredDataException error = await Assert.ThrowsAsync<StoredDataException>(() => newer.MigrateAsync());
        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADatabaseAtSchemaVersion3_GetsEachCellsLedgerChained_AndKeepsEveryEntry()
    {
        var mug = new Sku("MUG");
        var tee = new Sku("TEE");
        var a = new LocationId("WH-A");
        var b = new LocationId("WH-B");
        string[] before;
        await using (var store = new SqliteOrderKitStore(_database.ConnectionString, _clock))
        {
            var inventory = new InventoryService(store, _clock, new OrderKitOptions());
            await inventory.AddLocationAsync(new StockLocation(a, "A"));
            await inventory.AddLocationAsync(new StockLocation(b, "B"));
            await inventory.ReceiveAsync(mug, a, new Quantity(9));
            await inventory.ReceiveAsync(tee, a, new Quantity(4));
            await inventory.ReceiveAsync(mug, b, new Quantity(3));
            await inventory.TransferAsync(mug, a, b, new Quantity(2));
            await inventory.MarkDamagedAsync(mug, b, new Quantity(1), "dropped");
            await new OrderService(store, _clock, new OrderKitOptions()).PlaceAndAllocateAsync(Request("MUG", 2), new Money(19.98m, Currency.EUR));
            before = [.. (await inventory.GetLedgerAsync(mug)).Select(m => $"{m.Sequence} {m.Kind} {m.Location} {m.Quantity}")];
        }

        // The database as version 3 left it: no chain, the ledger's index by SKU, the orders' index by status, and their index by customer without the id.
        await ExecuteAsync(
            "DROP TRIGGER orderkit_ledger_chain; CREATE INDEX orderkit_ledger_sku ON orderkit_ledger (sku, sequence); " +
            "ALTER TABLE orderkit_ledger DROP COLUMN previous; ALTER TABLE orderkit_stock DROP COLUMN last_sequence; " +
            "DROP INDEX orderkit_orders_placed; CREATE INDEX orderkit_orders_status ON orderkit_orders (status, placed_at); " +
            "DROP INDEX orderkit_orders_customer; CREATE INDEX orderkit_orders_customer ON orderkit_orders (customer_id, placed_at); UPDATE orderkit_schema SET version = 3");

        await using var upgraded = new SqliteOrderKitStore(_database.ConnectionString, _clock);
        var upgradedInventory = new InventoryService(upgraded, _clock, new OrderKitOptions());
        Assert.Equal(before, (await upgradedInventory.GetLedgerAsync(mug)).Select(m => $"{m.Sequence} {m.Kind} {m.Location} {m.Quantity}"));
        Assert.Equal(6L, await ScalarAsync("SELECT version FROM orderkit_schema"));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM sqlite_master WHERE name = 'orderkit_orders_customer' AND sql LIKE '%(customer_id, placed_at, id)'"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM sqlite_master WHERE name IN ('orderkit_ledger_sku', 'orderkit_orders_status')"));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM sqlite_master WHERE name = 'orderkit_orders_placed'"));

        // The chains go on from the entries the upgrade chained.
        await upgradedInventory.ReceiveAsync(mug, b, new Quantity(5));
        await upgradedInventory.TransferAsync(mug, b, a, new Quantity(1));
        IReadOnlyList<StockMovement> all = await upgradedInventory.GetLedgerAsync();
        Assert.Equal(all.Where(m => m.Sku == mug).Select(m => m.Sequence), (await upgradedInventory.GetLedgerAsync(mug)).Select(m => m.Sequence));
        Assert.Equal(all.Where(m => m.Sku == tee).Select(m => m.Sequence), (await upgradedInventory.GetLedgerAsync(tee)).Select(m => m.Sequence));
        Assert.Equal(before.Length + 3, (await upgradedInventory.GetLedgerAsync(mug)).Count);
    }

    [Fact]
    public async Task ACorruptOrderDocument_ThrowsStoredDataException_AndOtherOrdersStillRead()
    {
        await using var store = new SqliteOrderKitStore(_database.ConnectionString, _clock);
        var orders = new OrderService(store, _clock, new OrderKitOptions());
        OrderId broken = (await orders.PlaceAsync(Request("MUG", 1))).Order.Id;
        OrderId fine = (await orders.PlaceAsync(Request("TEE", 1))).Order.Id;
        await ExecuteAsync($"UPDATE orderkit_orders SET document = '{{\"format\":1,\"value\":{{\"id\":' WHERE id = '{broken}'");

        StoredDataException error = await Assert.ThrowsAsync<StoredDataException>(() => orders.FindAsync(broken));
        Assert.Contains(broken.ToString(), error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<StoredDataException>(() => orders.CancelAsync(broken, "x"));
        Assert.NotNull(await orders.FindAsync(fine));
    }

    [Fact]
    public async Task TwoStoresStartingAtOnce_MigrateOnce_AndShareTheFile()
    {
        SqliteOrderKitStore[] stores = [new(_database.ConnectionString, _clock), new(_database.ConnectionString, _clock), new(_database.ConnectionString, _clock)];
        await Task.WhenAll(stores.Select(s => s.MigrateAsync()));
        var inventory = new InventoryService(stores[0], _clock, new OrderKitOptions());
        await inventory.AddLocationAsync(new StockLocation(new LocationId("WH-A"), "A"));
        await inventory.ReceiveAsync(new Sku("MUG"), new LocationId("WH-A"), new Quantity(4));
        StockLevel level = await new InventoryService(stores[2], _clock, new OrderKitOptions()).GetLevelAsync(new Sku("MUG"), new LocationId("WH-A"));
        Assert.Equal(4, level.OnHand);
        foreach (SqliteOrderKitStore store in stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public void Constructor_RefusesAConnectionStringWithoutADatabase()
    {
        Assert.Throws<ArgumentException>(() => new SqliteOrderKitStore("Mode=ReadOnly", _clock));
        Assert.Throws<ArgumentException>(() => new SqliteOrderKitStore("no equals sign", _clock));
        Assert.Throws<ArgumentNullException>(() => new SqliteOrderKitStore(_database.ConnectionString, null!));
    }

    private async Task<List<string>> TablesAsync()
    {
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        SqliteCommand list = connection.CreateCommand();
        list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
        var tables = new List<string>();
        await using SqliteDataReader reader = await list.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            tables.Add(reader.GetString(0));
        }

        return tables;
    }

    [Fact]
    public async Task ExpiredIdempotencyRecords_AreSweptByALaterCommit_AndLiveOnesKept()
    {
        await using (var store = new SqliteOrderKitStore(_database.ConnectionString, _clock))
        {
            var orders = new OrderService(store, _clock, new OrderKitOptions());
            await orders.PlaceAsync(Request("MUG", 1), "key-old");
            _clock.Advance(Duration.FromHours(25));
            await orders.PlaceAsync(Request("MUG", 1), "key-new");
        }

        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM orderkit_idempotency"));

        // A store's first commit sweeps; the record older than the retention goes, the live one stays.
        await using var reopened = new SqliteOrderKitStore(_database.ConnectionString, _clock);
        await new OrderService(reopened, _clock, new OrderKitOptions()).PlaceAsync(Request("TEE", 1));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM orderkit_idempotency"));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM orderkit_idempotency WHERE key = 'key-new'"));
    }

    [Fact]
    public async Task TheLog_IsCopiedBackInTheBackground_StaysBounded_AndNothingIsLost()
    {
        var location = new LocationId("WH-1");
        const int Rounds = 4;
        int received = 0;
        var logSizes = new List<long>();
        await using (var store = new SqliteOrderKitStore(_database.ConnectionString, _clock))
        {
            var inventory = new InventoryService(store, _clock, new OrderKitOptions());
            await inventory.AddLocationAsync(new StockLocation(location, "Main"));
            Assert.True(store.CheckpointsInBackground);
            for (int round = 0; round < Rounds; round++)
            {
                long before = store.BackgroundCheckpoints;
                for (int i = 0; i < SqliteCheckpointer.UnitsPerCheckpoint; i++)
                {
                    await inventory.ReceiveAsync(new Sku("SKU-" + (received++ % 50)), location, new Quantity(1));
                }

                // A round's units of work make a checkpoint due; the loop runs on its own, so wait for it.
                for (int wait = 0; wait < 400 && store.BackgroundCheckpoints == before; wait++)
                {
                    await Task.Delay(25);
                }

                Assert.True(store.BackgroundCheckpoints > before, $"no checkpoint ran in the background in round {round}");
                logSizes.Add(new FileInfo(_database.Path + "-wal").Length);
            }
        }

        // Copied back, the log starts again from its beginning: it stays the size of about one round instead of
        // growing by a round's pages each time.
        Assert.True(logSizes[^1] < logSizes[0] * 2, $"the log grew round by round: {string.Join(", ", logSizes)} bytes");

        await using var reopened = new SqliteOrderKitStore(_database.ConnectionString, _clock);
        var inventoryAfter = new InventoryService(reopened, _clock, new OrderKitOptions());
        int onHand = 0;
        for (int s = 0; s < 50; s++)
        {
            onHand += (await inventoryAfter.GetLevelsAsync(new Sku("SKU-" + s))).Sum(l => l.OnHand);
        }

        Assert.Equal(received, onHand);
        Assert.Equal((long)received, await ScalarAsync("SELECT count(*) FROM orderkit_ledger"));
    }

    [Fact]
    public async Task APolicyChangedByAnotherStore_IsSeen_ThoughPoliciesAreKeptParsed()
    {
        var sku = new Sku("MUG");
        await using var first = new SqliteOrderKitStore(_database.ConnectionString, _clock);
        await using var second = new SqliteOrderKitStore(_database.ConnectionString, _clock);
        await new InventoryService(first, _clock, new OrderKitOptions()).SetPolicyAsync(sku, InventoryPolicy.Backorder(limit: 5));

        async Task<InventoryPolicy> PolicyAsync()
        {
            await using IOrderKitTransaction read = await first.BeginTransactionAsync();
            return (await read.Inventory.FindAsync(sku))!.Policy;
        }

        InventoryPolicy once = await PolicyAsync();
        Assert.Same(once, await PolicyAsync());
        Assert.Equal(InventoryPolicy.Backorder(limit: 5), once);

        await new InventoryService(second, _clock, new OrderKitOptions()).SetPolicyAsync(sku, InventoryPolicy.Preorder(new LocalDate(2027, 1, 4)));

        Assert.Equal(InventoryPolicy.Preorder(new LocalDate(2027, 1, 4)), await PolicyAsync());
    }

    [Fact]
    public async Task ALocationChangedByAnotherStore_IsSeen_ThoughLocationsAreKeptParsed()
    {
        var id = new LocationId("WH-1");
        await using var first = new SqliteOrderKitStore(_database.ConnectionString, _clock);
        await using var second = new SqliteOrderKitStore(_database.ConnectionString, _clock);
        var firstInventory = new InventoryService(first, _clock, new OrderKitOptions());
        var secondInventory = new InventoryService(second, _clock, new OrderKitOptions());
        await firstInventory.AddLocationAsync(new StockLocation(id, "Main") { Rank = 1 });
        Assert.Equal("Main", (await firstInventory.GetLocationsAsync())[0].Name);

        await secondInventory.UpdateLocationAsync(new StockLocation(id, "Main hall") { Rank = 2 });

        StockLocation seen = Assert.Single(await firstInventory.GetLocationsAsync());
        Assert.Equal("Main hall", seen.Name);
        Assert.Equal(2, seen.Rank);
    }

    [Fact]
    public async Task TheLog_StaysBounded_WhileParallelUnitsOfWorkReadBesideTheWriter()
    {
        var location = new LocationId("WH-1");
        const int Workers = 8;
        const int Rounds = 4;
        var logSizes = new List<long>();
        int received = 0;
        await using (var store = new SqliteOrderKitStore(_database.ConnectionString, _clock))
        {
            var inventory = new InventoryService(store, _clock, new OrderKitOptions());
            await inventory.AddLocationAsync(new StockLocation(location, "Main"));
            for (int round = 0; round < Rounds; round++)
            {
                long before = store.BackgroundCheckpoints;

                // Units of work that begin while another writes read on connections of their own, then queue for the
                // writer's turn: a checkpoint must still find a moment when no reader holds an older state of the log.
                await Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
                {
                    for (int i = 0; i < SqliteCheckpointer.UnitsPerCheckpoint / Workers; i++)
                    {
                        await inventory.ReceiveAsync(new Sku("SKU-" + (((w * 1000) + i) % 50)), location, new Quantity(1));
                        Interlocked.Increment(ref received);
                    }
                })));

                for (int wait = 0; wait < 400 && store.BackgroundCheckpoints == before; wait++)
                {
                    await Task.Delay(25);
                }

                Assert.True(store.BackgroundCheckpoints > before, $"no checkpoint ran in the background in round {round}");
                logSizes.Add(new FileInfo(_database.Path + "-wal").Length);
            }
        }

        Assert.True(logSizes[^1] < logSizes[0] * 2, $"the log grew round by round: {string.Join(", ", logSizes)} bytes");
        Assert.Equal((long)received, await ScalarAsync("SELECT sum(on_hand) FROM orderkit_stock"));
    }

    [Fact]
    public async Task AUnitOfWorkThatBeginsWhileAnotherWrites_ReadsBesideIt_AndWaitsOnlyAtItsFirstWrite()
    {
        await using var store = new SqliteOrderKitStore(_database.ConnectionString, _clock);
        OrderId placed = (await new OrderService(store, _clock, new OrderKitOptions()).PlaceAsync(Request("MUG", 1))).Order.Id;

        await using IOrderKitTransaction writer = await store.BeginTransactionAsync();
        await writer.Inventory.SaveHoldAsync(Hold("cart-writer"));

        // The writer's turn is taken and not given back: this one still begins, and reads what was committed.
        await using IOrderKitTransaction reader = await store.BeginTransactionAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(await reader.Orders.FindAsync(placed).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Null(await reader.Inventory.FindHoldAsync("cart-writer"));

        // Its first write waits for the turn.
        Task write = reader.Inventory.SaveHoldAsync(Hold("cart-reader")).AsTask();
        await Task.Delay(100);
        Assert.False(write.IsCompleted);
        await writer.CommitAsync();
        await write.WaitAsync(TimeSpan.FromSeconds(30));
        await reader.CommitAsync();

        await using IOrderKitTransaction check = await store.BeginTransactionAsync();
        Assert.NotNull(await check.Inventory.FindHoldAsync("cart-writer"));
        Assert.NotNull(await check.Inventory.FindHoldAsync("cart-reader"));
    }

    [Fact]
    public async Task AUnitOfWorkWaitingForTheWritersTurn_HoldsNoOlderStateOfTheLog()
    {
        await using var store = new SqliteOrderKitStore(_database.ConnectionString, _clock);
        OrderId placed = (await new OrderService(store, _clock, new OrderKitOptions()).PlaceAsync(Request("MUG", 1))).Order.Id;

        // The second unit of work begins while the first holds the turn, and reads: its state of the log is taken.
        IOrderKitTransaction first = await store.BeginTransactionAsync();
        await first.Inventory.SaveHoldAsync(Hold("cart-first"));
        await using IOrderKitTransaction waiting = await store.BeginTransactionAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(await waiting.Orders.FindAsync(placed).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        // The first commits past that state, a third takes the turn, and the second's first write waits for it.
        await first.CommitAsync();
        await first.DisposeAsync();
        await using IOrderKitTransaction third = await store.BeginTransactionAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await third.Inventory.SaveHoldAsync(Hold("cart-third"));
        Task write = waiting.Inventory.SaveHoldAsync(Hold("cart-waiting")).AsTask();
        await Task.Delay(100);
        Assert.False(write.IsCompleted);

        // While it waits, a checkpoint copies every committed frame back if the waiting one ended its read before it
        // queued. Had it kept its read, the first's frames would stay in the log for as long as the turn is held.
        long framesInLog, framesCopied;
        await using (var outside = new SqliteConnection(_database.ConnectionString))
        {
            await outside.OpenAsync();
            SqliteCommand checkpoint = outside.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            await using SqliteDataReader result = await checkpoint.ExecuteReaderAsync();
            Assert.True(await result.ReadAsync());
            (framesInLog, framesCopied) = (result.GetInt64(1), result.GetInt64(2));
        }

        // The units of work end before the checks, so that a failed check leaves no write behind it.
        await third.CommitAsync();
        await write.WaitAsync(TimeSpan.FromSeconds(30));
        await waiting.CommitAsync();
        Assert.True(framesInLog > 0, "the log holds no frames to copy");
        Assert.Equal(framesInLog, framesCopied);
        await using IOrderKitTransaction check = await store.BeginTransactionAsync();
        foreach (string cart in new[] { "cart-first", "cart-third", "cart-waiting" })
        {
            Assert.NotNull(await check.Inventory.FindHoldAsync(cart));
        }
    }

    [Fact]
    public async Task AUnitOfWorkDisposedWhileItsWriteWaitsForTheTurn_GivesTheTurnBack()
    {
        // Not disposed on the way out: a store whose turn was kept would wait for it forever, and the test would hang
        // instead of failing. Its disposal, in time, is the last check.
        var store = new SqliteOrderKitStore(_database.ConnectionString, _clock);
        OrderId placed = (await new OrderService(store, _clock, new OrderKitOptions()).PlaceAsync(Request("MUG", 1))).Order.Id;

        IOrderKitTransaction holder = await store.BeginTransactionAsync();
        await holder.Inventory.SaveHoldAsync(Hold("cart-holder"));
        IOrderKitTransaction abandoned = await store.BeginTransactionAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(await abandoned.Orders.FindAsync(placed).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        // Its caller stops waiting for the write (a time-out, say) and disposes it; then the holder ends.
        Task write = abandoned.Inventory.SaveHoldAsync(Hold("cart-abandoned")).AsTask();
        await Task.Delay(100);
        await abandoned.DisposeAsync();
        await holder.CommitAsync();
        await holder.DisposeAsync();

        // The abandoned write fails, nothing of it is written, and the turn is free for the next unit of work.
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => write.WaitAsync(TimeSpan.FromSeconds(30)));
        await using (IOrderKitTransaction next = await store.BeginTransactionAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)))
        {
            await next.Inventory.SaveHoldAsync(Hold("cart-next")).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            await next.CommitAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        }

        await using (IOrderKitTransaction check = await store.BeginTransactionAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30)))
        {
            Assert.NotNull(await check.Inventory.FindHoldAsync("cart-next"));
            Assert.Null(await check.Inventory.FindHoldAsync("cart-abandoned"));
        }

        await store.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task CommitsQueuedBehindTheWriter_AreWrittenTogether_AndOneRefusedLeavesTheOthersWhole()
    {
        await using var store = new SqliteOrderKitStore(_database.ConnectionString, _clock);
        (LocationId at, Sku plenty, Sku scarce) = await StockAsync(store);

        // The turn is held; three units of work begin beside it, stage reservations, and hand their commits over.
        IOrderKitTransaction holder = await store.BeginTransactionAsync();
        await holder.Inventory.SaveHoldAsync(Hold("cart-holder"));
        Task first = StageAndCommitAsync(store, Reserve(plenty, at, 2, "ord_first"));
        Task refused = StageAndCommitAsync(store, Reserve(plenty, at, 1, "ord_refused"), Reserve(scarce, at, 5, "ord_refused"));
        Task third = StageAndCommitAsync(store, Reserve(plenty, at, 3, "ord_third"));
        await WaitUntilAsync(() => store.QueuedCommits == 3, "the three commits queued for the writer");
        long groupedBefore = store.GroupedCommits;

        // Whoever gives the turn back runs what queued meanwhile, in one transaction.
        await holder.CommitAsync();
        await holder.DisposeAsync();
        await first.WaitAsync(TimeSpan.FromSeconds(30));
        await third.WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAsync<InsufficientStockException>(() => refused.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(groupedBefore + 2, store.GroupedCommits);

        // The refused one is rolled back whole, its reservation of the plentiful SKU too; the others are all there.
        Assert.Equal(5L, await ScalarAsync("SELECT reserved FROM orderkit_stock WHERE sku = 'PLENTY'"));
        Assert.Equal(0L, await ScalarAsync("SELECT reserved FROM orderkit_stock WHERE sku = 'SCARCE'"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM orderkit_ledger WHERE order_id = 'ord_refused'"));
        Assert.Equal(2L, await ScalarAsync("SELECT count(*) FROM orderkit_ledger WHERE order_id IN ('ord_first', 'ord_third')"));
        await using IOrderKitTransaction check = await store.BeginTransactionAsync();
        Assert.NotNull(await check.Inventory.FindHoldAsync("cart-holder"));
        Assert.Equal(2 + 3, (await check.Inventory.FindAsync(plenty))!.Levels.Single().Reserved);
    }

    [Fact]
    public async Task ParallelCheckoutsOnScarceStock_SharingCommits_NeverOversell_AndKeepStockAndLedgerInStep()
    {
        await using var store = new SqliteOrderKitStore(_database.ConnectionString, _clock);
        var at = new LocationId("WH-1");
        Sku[] skus = [new("S-1"), new("S-2"), new("S-3")];
        var inventory = new InventoryService(store, _clock, new OrderKitOptions());
        await inventory.AddLocationAsync(new StockLocation(at, "Main"));
        foreach (Sku sku in skus)
        {
            await inventory.ReceiveAsync(sku, at, new Quantity(25));
        }

        // Sixteen workers check out more than there is, so that commits queue behind each other, share transactions,
        // and some reservations are refused inside a shared one (and planned again from what is left).
        // SQLite's calls complete on the caller's thread, so the workers overlap only as far as the thread pool has
        // threads for them; it starts with one per core and adds more slowly.
        var orders = new OrderService(store, _clock, new OrderKitOptions());
        var placed = new System.Collections.Concurrent.ConcurrentBag<OrderId>();
        ThreadPool.GetMinThreads(out int workerThreads, out int completionThreads);
        ThreadPool.SetMinThreads(Math.Max(workerThreads, 24), completionThreads);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
            {
                var random = new Random(worker);
                for (int i = 0; i < 12; i++)
                {
                    // One or two lines: a refusal of the second line's cell must undo the first's too.
                    PlaceOrderLine[] lines = [.. skus.OrderBy(_ => random.Next()).Take(random.Next(1, 3))
                        .Select(sku => new PlaceOrderLine(sku, new Quantity(random.Next(1, 3)), new Money(9.99m, Currency.EUR)))];
                    PlaceOrderRequest request = new()
                    {
                        CustomerId = new CustomerId("cus_1"),
                        Channel = new SalesChannel("web"),
                        ShippingAddress = new Address("Ada Lovelace", "Unter den Linden 1", "Berlin", "10117", "DE"),
                        Currency = Currency.EUR,
                        Lines = lines,
                    };
                    PlaceOrderResult result = await orders.PlaceAndAllocateAsync(request, new Money(9.99m * lines.Sum(l => l.Quantity.Value), Currency.EUR));
                    placed.Add(result.Order.Id);
                }
            })));
        }
        finally
        {
            ThreadPool.SetMinThreads(workerThreads, completionThreads);
        }

        Assert.True(store.GroupedCommits > 0, "no commits shared a transaction");
        Assert.Equal(16 * 12, placed.Count);
        foreach (Sku sku in skus)
        {
            int allocated = 0;
            foreach (OrderId id in placed)
            {
                Order order = (await orders.FindAsync(id))!;
                allocated += order.Lines.Where(l => l.Sku == sku).Sum(l => l.Allocated);
            }

            StockLevel level = await inventory.GetLevelAsync(sku, at);
            IReadOnlyList<StockMovement> ledger = await inventory.GetLedgerAsync(sku);
            Assert.Equal(25, level.OnHand);
            Assert.Equal(allocated, level.Reserved);
            Assert.True(level.Reserved <= level.OnHand, $"{sku} oversold: {level.Reserved} reserved of {level.OnHand}");
            Assert.Equal((level.OnHand, level.Reserved), (ledger.Sum(m => m.OnHandChange), ledger.Sum(m => m.ReservedChange)));
        }
    }

    [Fact]
    public async Task ACommitCancelledWhileItWaitsForTheWriter_WritesNothing_AndTheOthersCommit()
    {
        await using var store = new SqliteOrderKitStore(_database.ConnectionString, _clock);
        (LocationId at, Sku plenty, _) = await StockAsync(store);

        IOrderKitTransaction holder = await store.BeginTransactionAsync();
        await holder.Inventory.SaveHoldAsync(Hold("cart-holder"));
        using var cancel = new CancellationTokenSource();
        Task cancelled = StageAndCommitAsync(store, cancel.Token, Reserve(plenty, at, 4, "ord_cancelled"));
        Task kept = StageAndCommitAsync(store, Reserve(plenty, at, 1, "ord_kept"));
        await WaitUntilAsync(() => store.QueuedCommits == 2, "the two commits queued for the writer");
        await cancel.CancelAsync();

        await holder.CommitAsync();
        await holder.DisposeAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(TimeSpan.FromSeconds(30)));
        await kept.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1L, await ScalarAsync("SELECT reserved FROM orderkit_stock WHERE sku = 'PLENTY'"));
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM orderkit_ledger WHERE order_id = 'ord_cancelled'"));
    }

    [Fact]
    public async Task CommitsQueuedWhenTheStoreIsDisposed_FailWithoutWriting()
    {
        var store = new SqliteOrderKitStore(_database.ConnectionString, _clock);
        (LocationId at, Sku plenty, _) = await StockAsync(store);

        IOrderKitTransaction holder = await store.BeginTransactionAsync();
        await holder.Inventory.SaveHoldAsync(Hold("cart-holder"));
        Task queued = StageAndCommitAsync(store, Reserve(plenty, at, 4, "ord_queued"));
        await WaitUntilAsync(() => store.QueuedCommits == 1, "the commit queued for the writer");

        // The disposal waits for the holder (its checkpoint loop stops first, in a moment), and the commit queued
        // behind both is refused, not written. Should the holder give the turn back before the disposal waits for it,
        // the commit runs first and is written: either way what it was told is what is stored, and nothing hangs.
        Task disposal = store.DisposeAsync().AsTask();
        await Task.Delay(200);
        await holder.CommitAsync();
        await holder.DisposeAsync();
        await disposal.WaitAsync(TimeSpan.FromSeconds(30));
        Exception? failure = await Record.ExceptionAsync(() => queued.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(failure is null or ObjectDisposedException, $"the queued commit failed with {failure}");
        Assert.Equal(failure is null ? 4L : 0L, await ScalarAsync("SELECT reserved FROM orderkit_stock WHERE sku = 'PLENTY'"));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM orderkit_cart_holds WHERE cart_id = 'cart-holder'"));
    }

    [Fact]
    public void SQLitesCountOfItsMemory_IsOff_OnceAStoreWasMadeBeforeAnyConnection()
    {
        // FirstUseOfSqlite made a store before this assembly opened any connection: the count is off for the process.
        Assert.True(SqliteMemoryStatistics.TurnedOff);
        using var connection = new SqliteConnection(_database.ConnectionString);
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE t (x); INSERT INTO t VALUES (randomblob(100000));";
        command.ExecuteNonQuery();
        Assert.Equal(0, SQLitePCL.raw.sqlite3_memory_used());
    }

    [Fact]
    public void SQLitesCountOfItsMemory_IsKept_WhenTheApplicationSetsTheSwitch()
    {
        Assert.False(SqliteMemoryStatistics.Kept);
        AppContext.SetSwitch(SqliteMemoryStatistics.KeepSwitch, true);
        try
        {
            Assert.True(SqliteMemoryStatistics.Kept);
            Assert.False(SqliteMemoryStatistics.TryTurnOff());
        }
        finally
        {
            AppContext.SetSwitch(SqliteMemoryStatistics.KeepSwitch, false);
        }

        // Without the switch the setting is asked for again, and SQLite, started by then, refuses it.
        using (var connection = new SqliteConnection(_database.ConnectionString))
        {
            connection.Open();
        }

        Assert.False(SqliteMemoryStatistics.TryTurnOff());
    }

    private static async Task<(LocationId At, Sku Plenty, Sku Scarce)> StockAsync(SqliteOrderKitStore store)
    {
        var at = new LocationId("WH-1");
        var inventory = new InventoryService(store, new FakeClock(Instant.FromUtc(2026, 11, 2, 9, 0)), new OrderKitOptions());
        await inventory.AddLocationAsync(new StockLocation(at, "Main"));
        await inventory.ReceiveAsync(new Sku("PLENTY"), at, new Quantity(10));
        await inventory.ReceiveAsync(new Sku("SCARCE"), at, new Quantity(1));
        return (at, new Sku("PLENTY"), new Sku("SCARCE"));
    }

    private StockMovement Reserve(Sku sku, LocationId at, int units, string orderId) =>
        new(0, StockMovementKind.Reserved, sku, at, units, 0, units, null, new OrderId(orderId), null, _clock.GetCurrentInstant());

    private static Task StageAndCommitAsync(SqliteOrderKitStore store, params StockMovement[] movements) =>
        StageAndCommitAsync(store, CancellationToken.None, movements);

    /// <summary>A unit of work that reads, stages its reservations (no write yet), and commits: its first write is its commit.</summary>
    private static async Task StageAndCommitAsync(SqliteOrderKitStore store, CancellationToken cancellationToken, params StockMovement[] movements)
    {
        await using IOrderKitTransaction unit = await store.BeginTransactionAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(-1, await unit.Inventory.TryApplyAllAsync(movements));
        await unit.CommitAsync(cancellationToken);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        for (int wait = 0; wait < 1200 && !condition(); wait++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition(), $"waited 30 s for {what}");
    }

    [Fact]
    public async Task ADatabaseInMemory_HasNoLog_AndNoBackgroundCheckpoints()
    {
        await using var store = new SqliteOrderKitStore("Data Source=orderkit-checkpoints;Mode=Memory;Cache=Shared", _clock);
        await new OrderService(store, _clock, new OrderKitOptions()).PlaceAsync(Request("MUG", 1));
        Assert.False(store.CheckpointsInBackground);
        Assert.Equal(0, store.BackgroundCheckpoints);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
