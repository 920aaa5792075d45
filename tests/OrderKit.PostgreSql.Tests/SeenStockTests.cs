using Npgsql;
using NodaTime;
using NodaTime.Testing;
using OrderKit.Inventory;
using OrderKit.Orders;

namespace OrderKit.PostgreSql.Tests;

/// <summary>
/// A checkout plans from the stock its store last saw, and stays correct when other nodes change it: two stores over
/// one schema stand for two nodes.
/// </summary>
public sealed class SeenStockTests : IDisposable
{
    private static readonly Sku Mug = new("MUG");
    private static readonly LocationId A = new("WH-A");
    private static readonly LocationId B = new("WH-B");

    private readonly Lazy<NpgsqlDataSource> _dataSource = new(PostgreSqlServer.CreateDataSource);
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 11, 2, 9, 0));
    private readonly string _schema = PostgreSqlServer.NewSchema();
    private readonly OrderKitOptions _options = new();

    public void Dispose()
    {
        if (_dataSource.IsValueCreated)
        {
            PostgreSqlServer.DropSchemas(_dataSource.Value, [_schema]);
            _dataSource.Value.Dispose();
        }
    }

    private (OrderService Orders, InventoryService Inventory) Node(Duration? seenStockMaxAge = null)
    {
        var store = new PostgreSqlOrderKitStore(_dataSource.Value, _clock, _schema, seenStockMaxAge: seenStockMaxAge);
        return (new OrderService(store, _clock, _options), new InventoryService(store, _clock, _options));
    }

    /// <summary>A node whose store has committed once: a store's first commit sweeps expired idempotency records, which sends the reservations ahead of the commit, and the SKUs they moved are then read again.</summary>
    private async Task<(OrderService Orders, InventoryService Inventory)> StartedNodeAsync()
    {
        (OrderService Orders, InventoryService Inventory) node = Node();
        await node.Inventory.GetLevelAsync(Mug, A);
        return node;
    }

    private async Task<(OrderService Orders, InventoryService Inventory)> ShopAsync(params (LocationId At, int Rank, int Units)[] locations)
    {
        (OrderService, InventoryService Inventory) other = Node();
        foreach ((LocationId at, int rank, int units) in locations)
        {
            await other.Inventory.AddLocationAsync(new StockLocation(at, at.Value) { Rank = rank });
            if (units > 0)
            {
                await other.Inventory.ReceiveAsync(Mug, at, new Quantity(units));
            }
        }

        await other.Inventory.SetPolicyAsync(Mug, InventoryPolicy.Backorder());
        return other;
    }

    private static Task<Order> CheckoutAsync(OrderService orders, int units) =>
        CheckoutAsync(orders, [new PlaceOrderLine(Mug, new Quantity(units), new Money(10m, Currency.EUR))]);

    private static Task<Order> CheckoutAsync(OrderService orders, Sku[] skus) =>
        CheckoutAsync(orders, [.. skus.Select(sku => new PlaceOrderLine(sku, new Quantity(1), new Money(10m, Currency.EUR)))]);

    private static async Task<Order> CheckoutAsync(OrderService orders, PlaceOrderLine[] lines)
    {
        var request = new PlaceOrderRequest
        {
            CustomerId = new CustomerId("cus_1"),
            Channel = new SalesChannel("web"),
            ShippingAddress = new Address("Ada Lovelace", "Unter den Linden 1", "Berlin", "10117", "DE"),
            Currency = Currency.EUR,
            Lines = lines,
        };
        return (await orders.PlaceAndAllocateAsync(request, new Money(10m * lines.Sum(l => l.Quantity.Value), Currency.EUR))).Order;
    }

    private static LocationId ShippedFrom(Order order) => Assert.Single(Assert.Single(order.Lines).AllocatedAt).Location;

    [PostgreSqlFact]
    public async Task StockAddedOnAnotherNode_ChoosesTheLocation_OnceWhatWasSeenIsOlderThanTheAge_OrAtOnceWithNoAge()
    {
        (OrderService _, InventoryService otherInventory) = await ShopAsync((A, 1, 0), (B, 2, 10));
        (OrderService orders, InventoryService _) = await StartedNodeAsync();
        Assert.Equal(B, ShippedFrom(await CheckoutAsync(orders, 1)));

        // Units arrive at the preferred location through the other node.
        await otherInventory.ReceiveAsync(Mug, A, new Quantity(10));

        // The checkout plans from what its store saw, which the other node's receipt is not in: still a full plan.
        Assert.Equal(B, ShippedFrom(await CheckoutAsync(orders, 1)));

        // A store that reads at every checkout sees the receipt at once.
        (OrderService reading, InventoryService _) = Node(Duration.Zero);
        Assert.Equal(A, ShippedFrom(await CheckoutAsync(reading, 1)));

        // Once what was seen is older than the age, the store reads again.
        _clock.Advance(PostgreSqlOrderKitStore.DefaultSeenStockMaxAge + Duration.FromMilliseconds(1));
        Assert.Equal(A, ShippedFrom(await CheckoutAsync(orders, 1)));

        Assert.Equal(2, (await otherInventory.GetLevelAsync(Mug, B)).Reserved);
        Assert.Equal(2, (await otherInventory.GetLevelAsync(Mug, A)).Reserved);
    }

    [PostgreSqlFact]
    public async Task ALocationDeactivatedOnAnotherNode_FailsTheCheckoutPlannedFromWhatWasSeen_WhichIsPlannedAgain()
    {
        (OrderService _, InventoryService otherInventory) = await ShopAsync((A, 1, 10), (B, 2, 10));
        (OrderService orders, InventoryService _) = await StartedNodeAsync();
        Assert.Equal(A, ShippedFrom(await CheckoutAsync(orders, 1)));

        await otherInventory.UpdateLocationAsync(new StockLocation(A, A.Value) { Rank = 1, IsActive = false });

        // Planned from what was seen, the checkout would ship from the inactive location; its commit fails instead,
        // and the second try reads.
        Assert.Equal(B, ShippedFrom(await CheckoutAsync(orders, 1)));
        Assert.Equal(1, (await otherInventory.GetLevelAsync(Mug, A)).Reserved);
        Assert.Equal(1, (await otherInventory.GetLevelAsync(Mug, B)).Reserved);
    }

    [PostgreSqlFact]
    public async Task StockSoldOnAnotherNode_IsNotSoldAgain_AndTheShortfallIsDecidedOnWhatIsStored()
    {
        (OrderService otherOrders, InventoryService otherInventory) = await ShopAsync((A, 1, 3));
        (OrderService orders, InventoryService _) = await StartedNodeAsync();
        Assert.Equal(OrderStatus.Allocated, (await CheckoutAsync(orders, 1)).Status);

        // The other node sells the rest; this node's store still counts two available.
        Assert.Equal(OrderStatus.Allocated, (await CheckoutAsync(otherOrders, 2)).Status);

        Order order = await CheckoutAsync(orders, 1);
        Assert.Equal(OrderStatus.Backordered, order.Status);
        Assert.Empty(Assert.Single(order.Lines).AllocatedAt);
        StockLevel level = await otherInventory.GetLevelAsync(Mug, A);
        Assert.Equal((3, 3), (level.OnHand, level.Reserved));
    }

    [PostgreSqlFact]
    public async Task StockReceivedOnAnotherNode_IsFound_WhenThePlanFromWhatWasSeenFallsShort()
    {
        (OrderService _, InventoryService otherInventory) = await ShopAsync((A, 1, 1));
        (OrderService orders, InventoryService _) = await StartedNodeAsync();
        Assert.Equal(OrderStatus.Allocated, (await CheckoutAsync(orders, 1)).Status);

        // This node's store saw none left; the other node receives more.
        await otherInventory.ReceiveAsync(Mug, A, new Quantity(5));

        Order order = await CheckoutAsync(orders, 2);
        Assert.Equal(OrderStatus.Allocated, order.Status);
        Assert.Equal(A, ShippedFrom(order));
    }

    [PostgreSqlFact]
    public async Task StockThisNodeMoved_OtherThanByACheckout_IsReadAgain()
    {
        (OrderService _, InventoryService _) = await ShopAsync((A, 1, 0), (B, 2, 10));
        (OrderService orders, InventoryService inventory) = await StartedNodeAsync();
        Assert.Equal(B, ShippedFrom(await CheckoutAsync(orders, 1)));

        // A receipt through this node's own store: what the store saw of the SKU is forgotten, so the next checkout reads.
        await inventory.ReceiveAsync(Mug, A, new Quantity(10));
        Assert.Equal(A, ShippedFrom(await CheckoutAsync(orders, 1)));
    }

    [PostgreSqlFact]
    public async Task ACheckoutOfManyLines_WhoseCommitGoesApart_IsCheckedAgainstTheCatalogToo()
    {
        // Sixty lines: more ledger and outbox rows than one command carries, so the writes go first and the commit,
        // behind its own check of the catalog's version, after them.
        Sku[] skus = [.. Enumerable.Range(0, 60).Select(i => new Sku("SKU-" + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture)))];
        (OrderService _, InventoryService otherInventory) = Node();
        await otherInventory.AddLocationAsync(new StockLocation(A, A.Value) { Rank = 1 });
        await otherInventory.AddLocationAsync(new StockLocation(B, B.Value) { Rank = 2 });
        foreach (Sku sku in skus)
        {
            await otherInventory.ReceiveAsync(sku, A, new Quantity(10));
            await otherInventory.ReceiveAsync(sku, B, new Quantity(10));
        }

        (OrderService orders, InventoryService _) = await StartedNodeAsync();
        Order first = await CheckoutAsync(orders, skus);
        Assert.All(first.Lines, line => Assert.Equal(A, Assert.Single(line.AllocatedAt).Location));

        await otherInventory.UpdateLocationAsync(new StockLocation(A, A.Value) { Rank = 1, IsActive = false });
        Order second = await CheckoutAsync(orders, skus);
        Assert.All(second.Lines, line => Assert.Equal(B, Assert.Single(line.AllocatedAt).Location));
        Assert.Equal(1, (await otherInventory.GetLevelAsync(skus[^1], A)).Reserved);
        Assert.Equal(1, (await otherInventory.GetLevelAsync(skus[^1], B)).Reserved);
    }

    [Fact]
    public void ANegativeAge_IsRefused()
    {
        using NpgsqlDataSource dataSource = NpgsqlDataSource.Create("Host=127.0.0.1");
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new PostgreSqlOrderKitStore(dataSource, _clock, seenStockMaxAge: Duration.FromSeconds(-1)));
        Assert.Equal("seenStockMaxAge", error.ParamName);
    }
}
