using NodaTime;
using OrderKit.Allocation;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence;
using OrderKit.Tests.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Inventory;

/// <summary>The laws of stock: nothing goes below zero, the ledger explains every count, reservations belong to someone.</summary>
public sealed partial class StockConservationTests
{
    private static readonly Sku[] s_skus = [Mug, Tee, Cap];
    private static readonly LocationId[] s_locations = [new("WH-A"), new("WH-B")];

    /// <summary>One random step: an operation and its arguments, interpreted by <see cref="RunAsync"/>.</summary>
    public sealed record Step(int Kind, int Sku, int Location, int Units, int Pick);

    private static Gen<Step> Steps => StepsOf(kinds: 11, maxUnits: 6);

    private static Gen<Step> StepsOf(int kinds, int maxUnits) =>
        from kind in Gen.Choose(0, kinds - 1)
        from sku in Gen.Choose(0, s_skus.Length - 1)
        from location in Gen.Choose(0, s_locations.Length - 1)
        from units in Gen.Choose(1, maxUnits)
        from pick in Gen.Choose(0, 1000)
        select new Step(kind, sku, location, units, pick);

    [Fact]
    public void Property_RandomOperations_ConserveStock()
    {
        var reached = new HashSet<StockMovementKind>();
        Prop.ForAll(Steps.ListOf().Select(l => l.Take(40).ToArray()).ToArbitrary(), steps => RunAsync(steps, reached).GetAwaiter().GetResult())
            .QuickCheckThrowOnFailure();

        // The generator must reach the interesting cases: orders reserving, shipping and releasing, holds converted away.
        Assert.Superset(new HashSet<StockMovementKind> { StockMovementKind.Reserved, StockMovementKind.Shipped, StockMovementKind.Released, StockMovementKind.TransferredIn, StockMovementKind.MarkedDamaged }, reached);
    }

    private static async Task RunAsync(Step[] steps, HashSet<StockMovementKind> reached)
    {
        var shop = new OrderServiceTests.Shop();
        await shop.Inventory.SetPolicyAsync(Tee, InventoryPolicy.Backorder());
        var orders = new List<OrderId>();
        var carts = new List<string>();
        foreach (Step step in steps)
        {
            Sku sku = s_skus[step.Sku];
            LocationId at = s_locations[step.Location];
            try
            {
                switch (step.Kind)
                {
                    case 0 or 1:
                        await shop.Inventory.ReceiveAsync(sku, at, new Quantity(step.Units));
                        break;
                    case 2:
                        await shop.Inventory.AdjustAsync(sku, at, step.Units, "count");
                        break;
                    case 3:
                        await shop.Inventory.TransferAsync(sku, at, s_locations[1 - step.Location], new Quantity(step.Units));
                        break;
                    case 4:
                        await shop.Inventory.MarkDamagedAsync(sku, at, new Quantity(step.Units), "damaged");
                        break;
                    case 5:
                        string cart = $"cart-{carts.Count}";
                        await shop.Inventory.HoldForCartAsync(cart, new AllocationRequest { Lines = [new LineQuantity(sku, new Quantity(step.Units))], Destination = Berlin, Channel = new SalesChannel("web") }, Duration.FromMinutes(step.Units));
                        carts.Add(cart);
                        break;
                    case 6 when carts.Count > 0:
                        await shop.Inventory.ReleaseCartHoldAsync(carts[step.Pick % carts.Count]);
                        break;
                    case 7:
                        Order order = await shop.ConfirmedAsync((sku, step.Units), (s_skus[(step.Sku + 1) % s_skus.Length], 1));
                        orders.Add(order.Id);
                        await shop.Orders.AllocateAsync(order.Id, new AllocationPreferences { OnShortfall = (ShortfallAction)(step.Pick % 3) });
                        break;
                    case 8 when orders.Count > 0:
                        await shop.Orders.CancelAsync(orders[step.Pick % orders.Count], "changed mind");
                        break;
                    case 9 when orders.Count > 0:
                        OrderId id = orders[step.Pick % orders.Count];
                        Order current = await shop.Orders.GetAsync(id);
                        OrderLine? line = current.Lines.FirstOrDefault(l => l.AllocatedAt.Any(s => s.IsReserved));
                        if (line is not null && current.CanShip)
                        {
                            AllocatedStock source = line.AllocatedAt.First(s => s.IsReserved);
                            await shop.Orders.ChangeAsync(id, o => o.Ship([new LineQuantity(line.Sku, new Quantity(source.Quantity))], source.Location));
                        }

                        break;
                    case 10:
                        shop.Clock.Advance(Duration.FromMinutes(step.Units));
                        await shop.Inventory.SweepExpiredCartHoldsAsync();
                        break;
                }
            }
            catch (Exception error) when (error is ArgumentException or InvalidOrderTransitionException)
            {
                // Refused input or an action the order's state does not permit: nothing may have changed.
            }

            await CheckAsync(shop, orders);
        }

        reached.UnionWith((await shop.Inventory.GetLedgerAsync()).Select(m => m.Kind));
    }

    /// <summary>Checks every law against the store as it stands.</summary>
    internal static async Task CheckAsync(OrderServiceTests.Shop shop, IEnumerable<OrderId> orders)
    {
        var live = new Dictionary<(Sku, LocationId), int>();
        foreach (OrderId id in orders)
        {
            Order order = await shop.Orders.GetAsync(id);
            foreach (OrderLine line in order.Lines)
            {
                Assert.Equal(line.Ordered, line.AwaitingAllocation + line.Allocated + line.Backordered + line.Cancelled + line.Shipped);
                Assert.True(line.AwaitingAllocation >= 0 && line.AllocatedWithoutLocation >= 0, line.ToString());
                foreach (AllocatedStock source in line.AllocatedAt.Where(s => s.IsReserved))
                {
                    live[(line.Sku, source.Location)] = live.GetValueOrDefault((line.Sku, source.Location)) + source.Quantity;
                }
            }
        }

        IOrderKitTransaction transaction = await shop.Store.BeginTransactionAsync();
        await using (transaction)
        {
            foreach (CartHold hold in await transaction.Inventory.FindExpiredHoldsAsync(Instant.MaxValue, int.MaxValue))
            {
                foreach (HeldStock held in hold.Lines)
                {
                    live[(held.Sku, held.Location)] = live.GetValueOrDefault((held.Sku, held.Location)) + held.Quantity;
                }
            }
        }

        IReadOnlyList<StockMovement> ledger = await shop.Inventory.GetLedgerAsync();
        foreach (Sku sku in s_skus)
        {
            foreach (LocationId at in s_locations)
            {
                StockLevel level = await shop.Inventory.GetLevelAsync(sku, at);
                StockMovement[] moves = [.. ledger.Where(m => m.Sku == sku && m.Location == at)];
                Assert.True(level.OnHand - level.Reserved - level.SafetyStock >= 0, $"{level} went below zero available");
                Assert.Equal(moves.Sum(m => m.OnHandChange), level.OnHand);
                Assert.Equal(moves.Sum(m => m.ReservedChange), level.Reserved);
                Assert.Equal(moves.Sum(m => m.DamagedChange), level.Damaged);
                Assert.Equal(live.GetValueOrDefault((sku, at)), level.Reserved);
            }
        }
    }

    /// <summary>
    /// The in-memory store takes units at once and gives them back when a transaction fails: an allocation planned
    /// while another transaction holds the last unit waits a moment and finds it once it comes back, rather than
    /// leaving the order waiting for stock that is on the shelf.
    /// </summary>
    [Fact]
    public async Task AUnitHeldByAFailingTransaction_IsFoundOnceItComesBack()
    {
        var shop = new OrderServiceTests.Shop();
        var a = new LocationId("WH-A");
        await shop.Inventory.ReceiveAsync(Mug, a, new Quantity(1));
        Order order = await shop.ConfirmedAsync((Mug, 1));
        IOrderKitTransaction other = await shop.Store.BeginTransactionAsync();
        Assert.True(await other.Inventory.TryApplyAsync(new StockMovement(0, StockMovementKind.Reserved, Mug, a, 1, 0, 1, null, null, null, Start)));

        // The unit goes back 5 ms later, never committed, on a thread of its own: a busy thread pool (the whole suite
        // runs in parallel) must not push the give-back past the allocation's wait.
        var giveBack = new Thread(() =>
        {
            Thread.Sleep(5);
            other.DisposeAsync().AsTask().GetAwaiter().GetResult();
        });
        Task<AllocationResult> allocating = shop.Orders.AllocateAsync(order.Id, new AllocationPreferences { OnShortfall = ShortfallAction.LeaveAwaiting });
        giveBack.Start();
        AllocationResult result = await allocating;
        giveBack.Join();

        Assert.Equal(OrderStatus.Allocated, result.Order.Status);
        Assert.Equal(1, (await shop.Inventory.GetLevelAsync(Mug, a)).Reserved);
    }

    [Fact]
    public async Task ManyThreads_PlacingRandomOrdersAgainstScarceStock_NeverOversell()
    {
        var shop = new OrderServiceTests.Shop();
        foreach (Sku sku in s_skus)
        {
            foreach (LocationId at in s_locations)
            {
                await shop.Inventory.ReceiveAsync(sku, at, new Quantity(15));
            }
        }

        var orders = new System.Collections.Concurrent.ConcurrentBag<OrderId>();
        await Parallel.ForAsync(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, token) =>
        {
            var random = new Random(i);
            Sku first = s_skus[random.Next(s_skus.Length)];
            Sku second = s_skus[(Array.IndexOf(s_skus, first) + 1 + random.Next(s_skus.Length - 1)) % s_skus.Length];
            Order order = await shop.ConfirmedAsync((first, random.Next(1, 4)), (second, random.Next(1, 3)));
            orders.Add(order.Id);
            await shop.Orders.AllocateAsync(order.Id, new AllocationPreferences { OnShortfall = ShortfallAction.LeaveAwaiting }, token);
            if (random.Next(4) == 0)
            {
                await shop.Orders.CancelAsync(order.Id, "changed mind", token);
            }
        });

        await CheckAsync(shop, orders);
        int allocated = 0;
        foreach (OrderId id in orders)
        {
            allocated += (await shop.Orders.GetAsync(id)).Lines.Sum(l => l.Allocated);
        }

        int reserved = 0;
        foreach (Sku sku in s_skus)
        {
            foreach (LocationId at in s_locations)
            {
                StockLevel level = await shop.Inventory.GetLevelAsync(sku, at);
                Assert.InRange(level.Reserved, 0, 15);
                reserved += level.Reserved;
            }
        }

        Assert.Equal(allocated, reserved);
        Assert.True(reserved > 60, $"only {reserved} of 90 units were sold; the test did not reach scarcity");
    }
}
