using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using NodaTime;
using Npgsql;
using OrderKit.Allocation;
using OrderKit.Events;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence;
using OrderKit.PostgreSql;
using OrderKit.Sqlite;

namespace OrderKit.Benchmarks.Stores;

/// <summary>
/// Orders per second through the durable stores, with concurrent workers; BenchmarkDotNet measures one call at a time,
/// so this is a throughput harness. Each order has five lines, one unit each, and is placed, confirmed and allocated
/// with its stock reserved: <c>orderkit</c> is the checkout in one unit of work
/// (<see cref="OrderService.PlaceAndAllocateAsync"/>); <c>orderkit-3</c> (with <c>--three-commands</c>) is the same
/// through <see cref="OrderService.PlaceAsync"/>, <see cref="OrderService.ConfirmPaymentAsync"/> and
/// <see cref="OrderService.AllocateAsync"/>, three units of work. The baseline, <c>row-locking</c>, writes the same in
/// one transaction the common way: <c>SELECT … FOR UPDATE</c> on the stock rows, check in the application, then
/// <c>UPDATE</c>. On SQLite, <c>write-set</c> (with <c>--workers 1 [--group N]</c>) is a ceiling rather than a shop: a
/// checkout's rows alone (<see cref="WriteSetShop"/>). <c>--pgbench-write-set FOLDER</c> (with a server) sets up the
/// same on PostgreSQL for <c>pgbench</c> instead (<see cref="PgbenchWriteSet"/>). <c>--only memory</c> runs the
/// checkout on the in-memory store, for what the process's own work costs without a database. <c>reads</c> runs only what
/// a checkout reads (the stock of its SKUs with their policies, arrivals and the locations) in a unit of work that
/// writes nothing. <c>--durability power-loss</c> runs OrderKit's SQLite cases with
/// <see cref="SqliteDurability.SurvivesPowerLoss"/> (every commit synced) instead of the default.
/// </summary>
/// <remarks>
/// <c>--stores [--seconds N] [--warmup N] [--pg CONNECTION] [--only sqlite|postgresql|memory] [--mix uniform|hot] [--workers N] [--three-commands] [--engine NAME] [--group N] [--durability process-crash|power-loss] [--pool N]</c>
/// (<c>--pool</c>: the PostgreSQL data source's largest pool, 50 by default).
/// Prints one line per case: <c>store &lt;store&gt; &lt;engine&gt; workers=&lt;n&gt; mix=&lt;mix&gt; orders_per_s=&lt;x&gt; orders=&lt;n&gt; oversold_cells=0 client_cpu_us_per_order=&lt;x&gt; client_allocated_b_per_order=&lt;n&gt;</c>
/// (the harness process's processor time and allocations per order over the measured window);
/// after each of OrderKit's cases, <c>relay …  events_per_s=&lt;x&gt; events=&lt;n&gt;</c>: the outbox the case left, delivered by an
/// <see cref="OutboxRelay"/> with nothing else running.
/// After each case the stock is checked: no cell has more reserved than on hand, and the units reserved equal the units
/// the orders hold.
/// </remarks>
public static class StoreThroughput
{
    private const int SkuCount = 1_000;
    private const int LinesPerOrder = 5;
    private const int StockPerCell = 10_000_000;
    private const string FolderPrefix = "orderkit-throughput-";
    private static readonly LocationId[] s_locations = [new("WH-1"), new("WH-2")];
    private static readonly Sku s_hot = new("HOT-0001");

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        int seconds = IntArgument(args, "--seconds", 10);
        int warmup = IntArgument(args, "--warmup", 8);
        string? only = Argument(args, "--only");
        string? onlyMix = Argument(args, "--mix");
        string? pg = Argument(args, "--pg") ?? Environment.GetEnvironmentVariable("ORDERKIT_PG");
        SqliteDurability durability = Argument(args, "--durability") switch
        {
            null or "process-crash" => SqliteDurability.SurvivesProcessCrash,
            "power-loss" => SqliteDurability.SurvivesPowerLoss,
            string other => throw new ArgumentException($"--durability {other}: use process-crash or power-loss.", nameof(args)),
        };
        var settings = new Settings(TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(warmup), IntArgument(args, "--group", 1), durability, IntArgument(args, "--pool", 50));
        string[] mixes = onlyMix is null ? ["uniform", "hot"] : [onlyMix];
        int? onlyWorkers = Argument(args, "--workers") is { } w ? int.Parse(w, CultureInfo.InvariantCulture) : null;
        string[] engines = Argument(args, "--engine") is { } chosen ? [chosen]
            : args.Contains("--three-commands") ? ["row-locking", "orderkit", "orderkit-3"] : ["row-locking", "orderkit"];
        bool failed = false;
        if (Argument(args, "--pgbench-write-set") is { } folder)
        {
            return pg is null
                ? throw new ArgumentException("--pgbench-write-set needs a server: pass --pg or set ORDERKIT_PG.", nameof(args))
                : await PgbenchWriteSet.WriteAsync(pg, folder, store => new KitShop(store, "orderkit").SetUpAsync(), await SampleAsync());
        }

        if (only is null or "sqlite")
        {
            foreach (string mix in mixes)
            {
                foreach (int workers in onlyWorkers is { } n ? [n] : new[] { 1, 4 })
                {
                    foreach (string engine in engines)
                    {
                        failed |= !await RunSqliteAsync(settings, mix, workers, engine);
                    }
                }
            }
        }

        if (only is "memory")
        {
            // No database: what the checkout costs the process itself, for comparison with the durable stores.
            foreach (string mix in mixes)
            {
                foreach (int workers in onlyWorkers is { } n ? [n] : new[] { 1, 2 })
                {
                    var shop = new KitShop(new InMemoryOrderKitStore(SystemClock.Instance), "orderkit");
                    await shop.SetUpAsync();
                    failed |= !Report("memory", "orderkit", workers, mix, await DriveAsync(settings, workers, mix, shop.PlaceAndAllocateAsync), await shop.CheckAsync());
                }
            }
        }

        if (only is null or "postgresql")
        {
            if (pg is null)
            {
                Console.WriteLine("store postgresql skipped: pass --pg or set ORDERKIT_PG to a server's connection string");
            }
            else
            {
                foreach (string mix in mixes)
                {
                    foreach (int workers in onlyWorkers is { } n ? [n] : new[] { 1, 2, 8 })
                    {
                        foreach (string engine in engines)
                        {
                            failed |= !await RunPostgreSqlAsync(settings, pg, mix, workers, engine);
                        }
                    }
                }
            }
        }

        return failed ? 1 : 0;
    }

    private static async Task<bool> RunSqliteAsync(Settings settings, string mix, int workers, string engine)
    {
        RemoveAbandonedFolders();
        string folder = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        string file = Path.Combine(folder, "orders.db");
        try
        {
            string connection = $"Data Source={file}";
            if (engine == "row-locking")
            {
                var rowLocking = new RowLockingShop(() => new SqliteConnection(connection + ";Default Timeout=30"), isPostgreSql: false);
                await rowLocking.SetUpAsync(SkuNames(), s_locations, StockPerCell);
                return Report("sqlite", "row-locking", workers, mix, await DriveAsync(settings, workers, mix, rowLocking.PlaceAndAllocateAsync), await rowLocking.CheckAsync());
            }

            if (engine == "write-set")
            {
                return await RunWriteSetAsync(settings, connection, mix, workers);
            }

            var store = new SqliteOrderKitStore(connection, SystemClock.Instance, new SqliteStoreOptions { Durability = settings.Durability });
            await using (store)
            {
                var shop = new KitShop(store, engine);
                await shop.SetUpAsync();
                string label = settings.Durability == SqliteDurability.SurvivesPowerLoss ? engine + " durability=power-loss" : engine;
                bool passed = Report("sqlite", label, workers, mix, await DriveAsync(settings, workers, mix, shop.PlaceAndAllocateAsync), await shop.CheckAsync());
                ReportRelay("sqlite", label, workers, mix, await DrainOutboxAsync(store));
                return passed;
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Deletes the folders of runs that were killed before they could delete their own (a run writes its database
    /// throughout, so a folder none of whose files changed for an hour belongs to no running harness).
    /// </summary>
    private static void RemoveAbandonedFolders()
    {
        DateTime cutoff = DateTime.UtcNow - TimeSpan.FromHours(1);
        foreach (DirectoryInfo folder in new DirectoryInfo(Path.GetTempPath()).EnumerateDirectories(FolderPrefix + "*"))
        {
            try
            {
                DateTime lastWrite = folder.EnumerateFiles().Select(f => f.LastWriteTimeUtc).DefaultIfEmpty(folder.LastWriteTimeUtc).Max();
                if (lastWrite < cutoff)
                {
                    folder.Delete(recursive: true);
                    Console.WriteLine($"removed {folder.FullName}, left by a run that was stopped");
                }
            }
            catch (IOException)
            {
                // In use after all, or gone already: leave it.
            }
            catch (UnauthorizedAccessException)
            {
                // Another user's: leave it.
            }
        }
    }

    /// <summary>
    /// The <c>write-set</c> ceiling (<see cref="WriteSetShop"/>): OrderKit's schema and stock set up through the store,
    /// then a checkout's rows written alone on one thread, <see cref="Settings.Group"/> orders to a transaction, and the
    /// stock checked through the store again.
    /// </summary>
    private static async Task<bool> RunWriteSetAsync(Settings settings, string connection, string mix, int workers)
    {
        if (workers != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(workers), workers, "The write-set engine writes on one thread: pass --workers 1.");
        }

        await using (var store = new SqliteOrderKitStore(connection, SystemClock.Instance))
        {
            await new KitShop(store, "orderkit").SetUpAsync();
        }

        SqliteConnection.ClearAllPools();
        Outcome outcome;
        using (var writeSet = WriteSetShop.Open(connection, settings.Group, await SampleAsync()))
        {
            outcome = await DriveAsync(settings, 1, mix, writeSet.PlaceAndAllocateAsync);
            writeSet.Finish();
        }

        await using (var store = new SqliteOrderKitStore(connection, SystemClock.Instance))
        {
            return Report("sqlite", $"write-set group={settings.Group}", workers, mix, outcome, await new KitShop(store, "orderkit").CheckAsync());
        }
    }

    private static async Task<bool> RunPostgreSqlAsync(Settings settings, string connection, string mix, int workers, string engine)
    {
        string schema = "throughput_" + Guid.NewGuid().ToString("N")[..12];
        // Both engines get the data source docs/persistence.md recommends: statements prepared once per connection.
        var builder = new NpgsqlConnectionStringBuilder(connection) { MaxPoolSize = settings.Pool, MaxAutoPrepare = 64, AutoPrepareMinUsages = 2 };
        await using NpgsqlDataSource dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            if (engine == "row-locking")
            {
                await using (NpgsqlCommand create = dataSource.CreateCommand($"CREATE SCHEMA {schema}"))
                {
                    await create.ExecuteNonQueryAsync();
                }

                var rowLocking = new RowLockingShop(() => dataSource.CreateConnection(), isPostgreSql: true, schema + ".");
                await rowLocking.SetUpAsync(SkuNames(), s_locations, StockPerCell);
                return Report("postgresql", "row-locking", workers, mix, await DriveAsync(settings, workers, mix, rowLocking.PlaceAndAllocateAsync), await rowLocking.CheckAsync());
            }

            var store = new PostgreSqlOrderKitStore(dataSource, SystemClock.Instance, schema);
            var shop = new KitShop(store, engine);
            await shop.SetUpAsync();
            bool passed = Report("postgresql", engine, workers, mix, await DriveAsync(settings, workers, mix, shop.PlaceAndAllocateAsync), await shop.CheckAsync());
            ReportRelay("postgresql", engine, workers, mix, await DrainOutboxAsync(store));
            return passed;
        }
        finally
        {
            await using NpgsqlCommand drop = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE");
            await drop.ExecuteNonQueryAsync();
        }
    }

    /// <summary>A checkout's document and events as the harness's orders have them.</summary>
    private static Task<(byte[] Document, byte[][] Events)> SampleAsync() =>
        WriteSetShop.SampleCheckoutAsync([.. Enumerable.Range(1, LinesPerOrder).Select(SkuName)], s_locations, StockPerCell);

    /// <summary>Runs the workers through a warm-up, then counts the orders completed in the measured window.</summary>
    private static async Task<Outcome> DriveAsync(Settings settings, int workers, string mix, Func<Sku[], Task> placeAndAllocate)
    {
        long completed = 0;
        bool measuring = false;
        var stop = new CancellationTokenSource();
        var running = new Task[workers];
        for (int w = 0; w < workers; w++)
        {
            int seed = w;
            running[w] = Task.Run(async () =>
            {
                var random = new Random(seed);
                while (!stop.IsCancellationRequested)
                {
                    await placeAndAllocate(Lines(random, mix));
                    if (Volatile.Read(ref measuring))
                    {
                        Interlocked.Increment(ref completed);
                    }
                }
            });
        }

        await Task.Delay(settings.Warmup);
        using var process = Process.GetCurrentProcess();
        TimeSpan cpuBefore = process.TotalProcessorTime;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        Volatile.Write(ref measuring, true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(settings.Measure);
        Volatile.Write(ref measuring, false);
        double elapsed = clock.Elapsed.TotalSeconds;
        long counted = Interlocked.Read(ref completed);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        process.Refresh();
        TimeSpan cpu = process.TotalProcessorTime - cpuBefore;
        await stop.CancelAsync();
        await Task.WhenAll(running);
        long orders = Math.Max(counted, 1);
        return new Outcome(counted / elapsed, counted, cpu.TotalMicroseconds / orders, allocated / orders);
    }

    /// <summary>Five distinct SKUs; with the hot mix, every order takes the hot SKU as one of them.</summary>
    private static Sku[] Lines(Random random, string mix)
    {
        var chosen = new HashSet<int>();
        if (mix == "hot")
        {
            chosen.Add(0);
        }

        while (chosen.Count < LinesPerOrder)
        {
            chosen.Add(random.Next(1, SkuCount));
        }

        return [.. chosen.Select(SkuName)];
    }

    private static Sku SkuName(int i) => i == 0 ? s_hot : new Sku("SKU-" + i.ToString("D4", CultureInfo.InvariantCulture));

    private static Sku[] SkuNames() => [.. Enumerable.Range(0, SkuCount).Select(SkuName)];

    private static bool Report(string store, string engine, int workers, string mix, Outcome outcome, int oversold)
    {
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"store {store} {engine} workers={workers} mix={mix} orders_per_s={outcome.PerSecond:F0} orders={outcome.Count} oversold_cells={oversold} client_cpu_us_per_order={outcome.CpuMicroseconds:F0} client_allocated_b_per_order={outcome.AllocatedBytes}"));
        return oversold == 0;
    }

    /// <summary>Delivers what the case left in the outbox with an <see cref="OutboxRelay"/> in batches of the default size, to a handler that only counts.</summary>
    private static async Task<Outcome> DrainOutboxAsync(IOrderKitStore store)
    {
        var counter = new CountingHandler();
        var relay = new OutboxRelay(store, [counter], new OrderKitOptions());
        var clock = Stopwatch.StartNew();
        OutboxDeliveryResult result = await relay.DeliverPendingAsync();
        double elapsed = clock.Elapsed.TotalSeconds;
        if (result.Failures.Count > 0 || result.Delivered != counter.Count)
        {
            throw new InvalidOperationException($"The relay delivered {result.Delivered} events, the handler took {counter.Count}, {result.Failures.Count} failed.");
        }

        return new Outcome(result.Delivered / elapsed, result.Delivered);
    }

    private static void ReportRelay(string store, string engine, int workers, string mix, Outcome outcome) =>
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"relay {store} {engine} workers={workers} mix={mix} events_per_s={outcome.PerSecond:F0} events={outcome.Count}"));

    private static string? Argument(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int IntArgument(string[] args, string name, int fallback) =>
        Argument(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    /// <summary>How long to measure and warm up; <paramref name="Group"/>: the <c>write-set</c> engine's orders to a transaction; <paramref name="Durability"/>: OrderKit's SQLite cases' setting; <paramref name="Pool"/>: the PostgreSQL data source's largest pool.</summary>
    private sealed record Settings(TimeSpan Measure, TimeSpan Warmup, int Group, SqliteDurability Durability, int Pool);

    /// <summary>
    /// What a case completed (orders, or events delivered) and how many per second; for orders, the processor time the
    /// harness's process used (the client, and SQLite in it) and the bytes it allocated, each per order, over the
    /// measured window. The bytes are exact and repeat from run to run; the processor time moves with the machine, and
    /// includes the thread pool's spinning while workers wait for a server, so it is high when few workers wait long.
    /// </summary>
    private sealed record Outcome(double PerSecond, long Count, double CpuMicroseconds = 0, long AllocatedBytes = 0);

    /// <summary>Counts the events it is given.</summary>
    private sealed class CountingHandler : IOrderEventHandler
    {
        private int _count;

        public int Count => _count;

        public ValueTask HandleAsync(OrderEvent orderEvent, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>OrderKit's own paths: the checkout in one unit of work, or three commands.</summary>
    private sealed class KitShop
    {
        private readonly bool _threeCommands;
        private readonly bool _readsOnly;
        private readonly IOrderKitStore _store;
        private readonly InventoryService _inventory;
        private readonly OrderService _orders;
        private readonly AllocationPreferences _preferences = new() { Strategy = AllocationStrategy.Priority, Split = SplitPolicy.ShipAvailable };

        public KitShop(IOrderKitStore store, string engine)
        {
            _threeCommands = engine == "orderkit-3";
            _readsOnly = engine == "reads";
            _store = store;
            var options = new OrderKitOptions { MaxConcurrencyRetries = 50 };
            _inventory = new InventoryService(store, SystemClock.Instance, options);
            _orders = new OrderService(store, SystemClock.Instance, options, _inventory);
        }

        public async Task SetUpAsync()
        {
            for (int i = 0; i < s_locations.Length; i++)
            {
                await _inventory.AddLocationAsync(new StockLocation(s_locations[i], "Warehouse " + (i + 1)) { Rank = i + 1 });
            }

            foreach (Sku sku in SkuNames())
            {
                foreach (LocationId location in s_locations)
                {
                    await _inventory.ReceiveAsync(sku, location, new Quantity(StockPerCell));
                }
            }
        }

        public async Task PlaceAndAllocateAsync(Sku[] skus)
        {
            if (_readsOnly)
            {
                // What a checkout reads of the store, in a unit of work that writes nothing.
                await using IOrderKitTransaction transaction = await _store.BeginTransactionAsync();
                _ = await transaction.Inventory.FindManyAsync(skus);
                _ = await transaction.Inventory.GetLocationsAsync();
                return;
            }

            var request = new PlaceOrderRequest
            {
                CustomerId = new CustomerId("cus_1"),
                Channel = new SalesChannel("web"),
                ShippingAddress = new Address("Ada Lovelace", "Unter den Linden 1", "Berlin", "10117", "DE"),
                Currency = Currency.EUR,
                Lines = [.. skus.Select(s => new PlaceOrderLine(s, new Quantity(1), new Money(12.50m, Currency.EUR)))],
            };
            Order order;
            if (_threeCommands)
            {
                PlaceOrderResult placed = await _orders.PlaceAsync(request);
                await _orders.ConfirmPaymentAsync(placed.Order.Id, placed.Order.Total);
                order = (await _orders.AllocateAsync(placed.Order.Id, _preferences)).Order;
            }
            else
            {
                order = (await _orders.PlaceAndAllocateAsync(request, new Money(12.50m * skus.Length, Currency.EUR), _preferences)).Order;
            }

            if (order.Status != OrderStatus.Allocated)
            {
                throw new InvalidOperationException($"Order {order.Id} ended {order.Status}.");
            }
        }

        /// <summary>The number of cells whose reserved units are above on hand or differ from the ledger's reservations.</summary>
        public async Task<int> CheckAsync()
        {
            IReadOnlyList<StockMovement> ledger = await _inventory.GetLedgerAsync();
            var reservedByLedger = ledger.GroupBy(m => (m.Sku, m.Location)).ToDictionary(g => g.Key, g => g.Sum(m => m.ReservedChange));
            int bad = 0;
            foreach (Sku sku in SkuNames())
            {
                foreach (StockLevel level in await _inventory.GetLevelsAsync(sku))
                {
                    if (level.Reserved > level.OnHand || level.Reserved != reservedByLedger.GetValueOrDefault((sku, level.Location)))
                    {
                        bad++;
                    }
                }
            }

            return bad;
        }
    }
}
