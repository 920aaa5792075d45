using NodaTime;
using NodaTime.Testing;
using OrderKit.Allocation;
using OrderKit.Events;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

/// <summary>Allocation through the service: plan, reserve and save in one unit of work; backorders; cart holds.</summary>
public sealed partial class OrderServiceTests
{
    private static readonly LocationId s_a = new("WH-A");
    private static readonly LocationId s_b = new("WH-B");

    /// <summary>A shop with two warehouses and the services over one in-memory store.</summary>
    internal sealed class Shop
    {
        public Shop(OrderKitOptions? options = null)
        {
            Clock = NewClock();
            Store = new InMemoryOrderKitStore(Clock);
            Options = options ?? new OrderKitOptions();
            Inventory = new InventoryService(Store, Clock, Options);
            Orders = new OrderService(Store, Clock, Options, Inventory);
            Inventory.AddLocation(new StockLocation(s_a, "Warehouse A") { Rank = 1 });
            Inventory.AddLocation(new StockLocation(s_b, "Warehouse B") { Rank = 2 });
        }

        public FakeClock Clock { get; }

        public InMemoryOrderKitStore Store { get; }

        public OrderKitOptions Options { get; }

        public InventoryService Inventory { get; }

        public OrderService Orders { get; }

        public async Task<Order> ConfirmedAsync(params (Sku Sku, int Quantity)[] lines)
        {
            PlaceOrderResult placed = await Orders.PlaceAsync(Request([.. lines.Select(l => (l.Sku, l.Quantity, 10m))]));
            return await Orders.ConfirmPaymentAsync(placed.Order.Id, placed.Order.Total);
        }

        public async Task<(int OnHand, int Reserved, int Available)> LevelAsync(Sku sku, LocationId location)
        {
            StockLevel level = await Inventory.GetLevelAsync(sku, location);
            return (level.OnHand, level.Reserved, level.Available);
        }
    }

    [Fact]
    public async Task AllocateAsync_SplitsAnOrderAcrossTwoWarehouses_AndReservesBoth()
    {
        var shop = new Shop();
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(5));
        await shop.Inventory.ReceiveAsync(Tee, s_b, new Quantity(5));
        Order order = await shop.ConfirmedAsync((Mug, 2), (Tee, 3));

        AllocationResult result = await shop.Orders.AllocateAsync(order.Id);

        Assert.Equal(OrderStatus.Allocated, result.Order.Status);
        Assert.Equal(2, result.Plan.ShipmentCount);
        Assert.Equal([new AllocatedStock(s_a, 2, true)], result.Order.GetLine(Mug).AllocatedAt);
        Assert.Equal([new AllocatedStock(s_b, 3, true)], result.Order.GetLine(Tee).AllocatedAt);
        Assert.Equal((5, 2, 3), await shop.LevelAsync(Mug, s_a));
        Assert.Equal((5, 3, 2), await shop.LevelAsync(Tee, s_b));
        Order stored = await shop.Orders.GetAsync(order.Id);
        Assert.Equal(result.Order.Version, stored.Version);
        Assert.Equal(result.Order.GetLine(Tee).AllocatedAt, stored.GetLine(Tee).AllocatedAt);
    }

    [Fact]
    public async Task AllocateAsync_TheLastUnitWantedByTwoOrdersAtOnce_GoesToOne()
    {
        for (int round = 0; round < 50; round++)
        {
            var shop = new Shop();
            await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(1));
            Order first = await shop.ConfirmedAsync((Mug, 1));
            Order second = await shop.ConfirmedAsync((Mug, 1));

            AllocationResult[] results = await Task.WhenAll(
                Task.Run(() => shop.Orders.AllocateAsync(first.Id)),
                Task.Run(() => shop.Orders.AllocateAsync(second.Id)));

            Assert.Single(results, r => r.Order.Status == OrderStatus.Allocated);
            Order loser = Assert.Single(results, r => r.Order.Status == OrderStatus.Confirmed).Order;
            Assert.Equal(HoldReason.OutOfStock, Assert.Single(loser.ActiveHolds).Reason);
            Assert.Contains(loser.Timeline, e => e is StockShortfall { Sku: var s, Refused: 1 } && s == Mug);
            Assert.Equal((1, 1, 0), await shop.LevelAsync(Mug, s_a));
        }
    }

    [Fact]
    public async Task AllocateAsync_ShortStockUnderABackorderPolicy_BackordersWithTheExpectedDate()
    {
        var shop = new Shop();
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(1));
        await shop.Inventory.SetPolicyAsync(Mug, InventoryPolicy.Backorder());
        await shop.Inventory.ExpectIncomingAsync(Mug, s_b, new Quantity(10), new LocalDate(2026, 12, 3));
        Order order = await shop.ConfirmedAsync((Mug, 3));

        AllocationResult result = await shop.Orders.AllocateAsync(order.Id);

        OrderLine line = result.Order.GetLine(Mug);
        Assert.Equal(OrderStatus.Backordered, result.Order.Status);
        Assert.Equal((1, 2), (line.Allocated, line.Backordered));
        LineBackordered backordered = Assert.Single(result.Order.Timeline.OfType<LineBackordered>());
        Assert.Equal((2, new LocalDate(2026, 12, 3), false), (backordered.Quantity, backordered.ExpectedOn, backordered.IsPreorder));
    }

    [Fact]
    public async Task AllocateAsync_CancelUnitsOnShortfall_CancelsWhatIsRefused()
    {
        var shop = new Shop();
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(1));
        Order order = await shop.ConfirmedAsync((Mug, 3), (Tee, 1));

        AllocationResult result = await shop.Orders.AllocateAsync(order.Id, new AllocationPreferences { OnShortfall = ShortfallAction.CancelUnits });

        Assert.Equal(OrderStatus.Allocated, result.Order.Status);
        Assert.Equal((1, 2), (result.Order.GetLine(Mug).Allocated, result.Order.GetLine(Mug).Cancelled));
        Assert.Equal(1, result.Order.GetLine(Tee).Cancelled);
        Assert.Empty(result.Order.ActiveHolds);
    }

    [Fact]
    public async Task CancelAsync_AfterPartialAllocation_ReleasesWhatWasReserved_AndLeavesTheQueue()
    {
        var shop = new Shop();
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(1));
        await shop.Inventory.SetPolicyAsync(Mug, InventoryPolicy.Backorder());
        Order order = await shop.ConfirmedAsync((Mug, 3));
        await shop.Orders.AllocateAsync(order.Id);

        await shop.Orders.CancelAsync(order.Id, "customer asked");

        Assert.Equal((1, 0, 1), await shop.LevelAsync(Mug, s_a));
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(5));
        Assert.Equal((6, 0, 6), await shop.LevelAsync(Mug, s_a));
        Assert.Contains(await shop.Inventory.GetLedgerAsync(Mug), m => m.Kind == StockMovementKind.Released && m.OrderId == order.Id);
    }

    [Fact]
    public async Task ReceiveAsync_FillsBackorderedLines_FirstComeFirstServed()
    {
        var shop = new Shop();
        await shop.Inventory.SetPolicyAsync(Mug, InventoryPolicy.Backorder());
        Order first = await shop.ConfirmedAsync((Mug, 2));
        Order second = await shop.ConfirmedAsync((Mug, 2));
        Order third = await shop.ConfirmedAsync((Mug, 2));
        foreach (Order order in new[] { first, second, third })
        {
            Assert.Equal(OrderStatus.Backordered, (await shop.Orders.AllocateAsync(order.Id)).Order.Status);
        }

        await shop.Inventory.ReceiveAsync(Mug, s_b, new Quantity(3));

        Assert.Equal(OrderStatus.Allocated, (await shop.Orders.GetAsync(first.Id)).Status);
        Order partly = await shop.Orders.GetAsync(second.Id);
        Assert.Equal((OrderStatus.Backordered, 1, 1), (partly.Status, partly.GetLine(Mug).Allocated, partly.GetLine(Mug).Backordered));
        Assert.Equal(0, (await shop.Orders.GetAsync(third.Id)).GetLine(Mug).Allocated);
        Assert.Equal((3, 3, 0), await shop.LevelAsync(Mug, s_b));
    }

    [Fact]
    public async Task FillBackordersAsync_PutsChosenOrdersFirst()
    {
        var shop = new Shop(new OrderKitOptions { FillBackordersOnArrival = false });
        await shop.Inventory.SetPolicyAsync(Mug, InventoryPolicy.Backorder());
        Order first = await shop.ConfirmedAsync((Mug, 1));
        Order vip = await shop.ConfirmedAsync((Mug, 1));
        await shop.Orders.AllocateAsync(first.Id);
        await shop.Orders.AllocateAsync(vip.Id);
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(1));
        Assert.Equal(OrderStatus.Backordered, (await shop.Orders.GetAsync(first.Id)).Status);

        IReadOnlyList<BackorderFill> fills = await shop.Inventory.FillBackordersAsync(Mug, s_a, [vip.Id]);

        Assert.Equal([new BackorderFill(vip.Id, Mug, s_a, 1)], fills);
        Assert.Equal(OrderStatus.Allocated, (await shop.Orders.GetAsync(vip.Id)).Status);
        Assert.Equal(OrderStatus.Backordered, (await shop.Orders.GetAsync(first.Id)).Status);
    }

    [Fact]
    public async Task ACartHold_IsTakenOverAtPlacement_AndUsedFirstAtAllocation()
    {
        var shop = new Shop();
        await shop.Inventory.ReceiveAsync(Mug, s_b, new Quantity(2));
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(5));
        await shop.Inventory.HoldForCartAsync("cart-9", new AllocationRequest
        {
            Lines = [new LineQuantity(Mug, new Quantity(2))],
            Destination = Berlin,
            Channel = new SalesChannel("web"),
            CollectAt = null,
            Strategy = AllocationStrategy.HighestStock,
        }, Duration.FromMinutes(15));
        (int _, int reservedAtA, int _) = await shop.LevelAsync(Mug, s_a);

        PlaceOrderRequest request = Request((Mug, 2, 10m));
        PlaceOrderResult placed = await shop.Orders.PlaceAsync(new PlaceOrderRequest
        {
            CustomerId = request.CustomerId,
            Channel = request.Channel,
            ShippingAddress = request.ShippingAddress,
            Currency = request.Currency,
            Lines = request.Lines,
            CartId = "cart-9",
        });
        shop.Clock.Advance(Duration.FromHours(1));
        Assert.Equal(0, await shop.Inventory.SweepExpiredCartHoldsAsync());
        await shop.Orders.ConfirmPaymentAsync(placed.Order.Id, placed.Order.Total);
        AllocationResult result = await shop.Orders.AllocateAsync(placed.Order.Id);

        Assert.Equal(2, reservedAtA);
        Assert.Equal([new HeldStock(Mug, s_a, 2)], result.FromCartHold);
        Assert.Equal([new AllocatedStock(s_a, 2, true)], result.Order.GetLine(Mug).AllocatedAt);
        Assert.Equal((5, 2, 3), await shop.LevelAsync(Mug, s_a));
        Assert.Null(await shop.Inventory.GetCartHoldAsync("cart-9"));
        Assert.Contains(await shop.Inventory.GetLedgerAsync(Mug), m => m.Kind == StockMovementKind.HoldConverted && m.OrderId == placed.Order.Id);
    }

    [Fact]
    public async Task ChangeAsync_ShippingAllocatedUnits_TakesThemOffTheShelf()
    {
        var shop = new Shop();
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(5));
        Order order = await shop.ConfirmedAsync((Mug, 2));
        await shop.Orders.AllocateAsync(order.Id);

        await shop.Orders.ChangeAsync(order.Id, o => o.Ship([new LineQuantity(Mug, new Quantity(2))], s_a));

        Assert.Equal((3, 0, 3), await shop.LevelAsync(Mug, s_a));
    }

    [Fact]
    public async Task ChangeAsync_AnAllocationTheStockCannotCover_ReservesNothing_AndSavesNothing()
    {
        var shop = new Shop();
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(5));
        await shop.Inventory.ReceiveAsync(Tee, s_a, new Quantity(1));
        Order order = await shop.ConfirmedAsync((Mug, 2), (Tee, 3));

        InsufficientStockException error = await Assert.ThrowsAsync<InsufficientStockException>(() =>
            shop.Orders.ChangeAsync(order.Id, o => o.Allocate([new LineAllocation(Mug, 2, 0, s_a), new LineAllocation(Tee, 3, 0, s_a)])));

        Assert.Equal((Tee, s_a, 3), (error.Sku, error.Location, error.Requested));
        Assert.Equal((5, 0, 5), await shop.LevelAsync(Mug, s_a));
        Assert.Equal((1, 0, 1), await shop.LevelAsync(Tee, s_a));
        Assert.Equal(order.Version, (await shop.Orders.GetAsync(order.Id)).Version);
    }

    [Fact]
    public async Task AllocateAsync_AHeldOrder_IsRefusedAndNothingIsReserved()
    {
        var shop = new Shop();
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(5));
        Order order = await shop.ConfirmedAsync((Mug, 2));
        await shop.Orders.HoldAsync(order.Id, HoldReason.FraudReview, "risk");

        await Assert.ThrowsAsync<InvalidOrderTransitionException>(() => shop.Orders.AllocateAsync(order.Id));

        Assert.Equal((5, 0, 5), await shop.LevelAsync(Mug, s_a));
    }
}
