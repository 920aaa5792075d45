using NodaTime;
using OrderKit.Allocation;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Persistence;

/// <summary>
/// Commands that act on stock they read, over a store whose reads may be stale until the unit of work first writes
/// (PostgreSQL reads committed data; SQLite reads beside the writer): another command moved the stock between the read
/// and the write. Each must end as if it had read the stock as it is, never half-applied, never failing for a state
/// that no longer holds.
/// </summary>
public sealed class StaleReadTests
{
    private static readonly LocationId s_a = new("WH-A");

    [Fact]
    public async Task FillBackorders_ReadingMoreThanIsThere_FillsWhatIsThere()
    {
        var shop = new StaleShop(new OrderKitOptions { FillBackordersOnArrival = false });
        await shop.Inventory.SetPolicyAsync(Mug, InventoryPolicy.Backorder());
        Order order = await shop.BackorderedAsync(Mug, 3);
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(2));

        // The first read shows a unit that another order took after it.
        shop.Store.MakeStale(Mug, s_a, onHand: +1, unitsOfWork: 1);
        IReadOnlyList<BackorderFill> fills = await shop.Inventory.FillBackordersAsync(Mug, s_a);
        Assert.Equal(2, shop.Store.Begun);

        Assert.Equal([new BackorderFill(order.Id, Mug, s_a, 2)], fills);
        Order filled = await shop.Orders.GetAsync(order.Id);
        Assert.Equal((2, 1), (filled.GetLine(Mug).Allocated, filled.GetLine(Mug).Backordered));
        StockLevel level = await shop.Inventory.GetLevelAsync(Mug, s_a);
        Assert.Equal((2, 2), (level.OnHand, level.Reserved));
    }

    [Fact]
    public async Task Adjust_ReadingAnOlderCount_SetsTheCountedOnHand()
    {
        var shop = new StaleShop();
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(9));

        // The first read predates a receipt of one unit: 8 on hand where there are 9.
        shop.Store.MakeStale(Mug, s_a, onHand: -1, unitsOfWork: 1);
        StockMovement? adjusted = await shop.Inventory.AdjustAsync(Mug, s_a, 10, "cycle count");
        Assert.Equal(2, shop.Store.Begun);

        Assert.Equal(10, (await shop.Inventory.GetLevelAsync(Mug, s_a)).OnHand);
        Assert.Equal(1, adjusted!.OnHandChange);
        IReadOnlyList<StockMovement> ledger = await shop.Inventory.GetLedgerAsync(Mug);
        Assert.Equal([9, 1], ledger.Select(m => m.OnHandChange));
    }

    [Fact]
    public async Task Adjust_WhenEveryReadIsStale_FailsWithAConflict_AndChangesNothing()
    {
        var shop = new StaleShop(new OrderKitOptions { MaxConcurrencyRetries = 2 });
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(9));

        shop.Store.MakeStale(Mug, s_a, onHand: -1, unitsOfWork: int.MaxValue);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => shop.Inventory.AdjustAsync(Mug, s_a, 10, "cycle count"));
        Assert.Equal(3, shop.Store.Begun);

        shop.Store.MakeStale(Mug, s_a, onHand: 0, unitsOfWork: 0);
        Assert.Equal(9, (await shop.Inventory.GetLevelAsync(Mug, s_a)).OnHand);
        Assert.Single(await shop.Inventory.GetLedgerAsync(Mug));
    }

    [Fact]
    public async Task HoldForCart_ReadingMoreThanIsThere_HoldsWhatIsThere()
    {
        var shop = new StaleShop();
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(2));

        shop.Store.MakeStale(Mug, s_a, onHand: +1, unitsOfWork: 1);
        CartHold hold = await shop.Inventory.HoldForCartAsync("cart-1", Cart(Mug, 3), Duration.FromMinutes(15));
        Assert.Equal(2, shop.Store.Begun);

        Assert.Equal([new HeldStock(Mug, s_a, 2)], hold.Lines);
        Assert.Equal(2, (await shop.Inventory.GetLevelAsync(Mug, s_a)).Reserved);
    }

    [Fact]
    public async Task Transfer_ReadingMoreThanIsFree_RefusesToMoveSafetyStock_AndChangesNothing()
    {
        var shop = new StaleShop();
        var b = new LocationId("WH-B");
        shop.Inventory.AddLocation(new StockLocation(b, "Warehouse B") { Rank = 2 });
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(5));
        await shop.Inventory.SetSafetyStockAsync(Mug, s_a, 2);

        // The read shows a sixth unit that another command moved out after it: 4 free where 3 are.
        shop.Store.MakeStale(Mug, s_a, onHand: +1, unitsOfWork: 1);
        ArgumentException refused = await Assert.ThrowsAsync<ArgumentException>(() => shop.Inventory.TransferAsync(Mug, s_a, b, new Quantity(4)));

        Assert.Contains("only 3 are available", refused.Message, StringComparison.Ordinal);
        Assert.Equal(5, (await shop.Inventory.GetLevelAsync(Mug, s_a)).OnHand);
        Assert.Equal(0, (await shop.Inventory.GetLevelAsync(Mug, b)).OnHand);
    }

    [Fact]
    public async Task ExpectIncoming_ForANewSku_KeepsAPolicySetMeanwhile()
    {
        var shop = new StaleShop();
        var other = new InventoryService(shop.Store.Inner, NewClock(), new OrderKitOptions());

        // Another command sets the new SKU's policy after the announcement read that the SKU is unknown.
        shop.Store.BeforeNextRead = () => other.SetPolicyAsync(Cap, InventoryPolicy.Backorder());
        await shop.Inventory.ExpectIncomingAsync(Cap, s_a, new Quantity(4), new LocalDate(2026, 12, 1));

        await using IOrderKitTransaction check = await shop.Store.Inner.BeginTransactionAsync();
        SkuStock stock = (await check.Inventory.FindAsync(Cap))!;
        Assert.Equal(InventoryPolicy.Backorder().Kind, stock.Policy.Kind);
        Assert.Equal(4, stock.LevelAt(s_a).IncomingTotal);
    }

    private static AllocationRequest Cart(Sku sku, int units) => new()
    {
        Lines = [new LineQuantity(sku, new Quantity(units))],
        Destination = Berlin,
        Channel = new SalesChannel("web"),
        Strategy = AllocationStrategy.Priority,
    };

    /// <summary>The services over a <see cref="StaleReadStore"/> around the in-memory store, with one warehouse.</summary>
    private sealed class StaleShop
    {
        public StaleShop(OrderKitOptions? options = null)
        {
            var clock = NewClock();
            Store = new StaleReadStore(new InMemoryOrderKitStore(clock));
            var settings = options ?? new OrderKitOptions();
            Inventory = new InventoryService(Store, clock, settings);
            Orders = new OrderService(Store, clock, settings, Inventory);
            Inventory.AddLocation(new StockLocation(s_a, "Warehouse A") { Rank = 1 });
        }

        public StaleReadStore Store { get; }

        public InventoryService Inventory { get; }

        public OrderService Orders { get; }

        public async Task<Order> BackorderedAsync(Sku sku, int units)
        {
            PlaceOrderResult placed = await Orders.PlaceAsync(Request((sku, units, 5m)));
            await Orders.ConfirmPaymentAsync(placed.Order.Id, placed.Order.Total);
            Order order = (await Orders.AllocateAsync(placed.Order.Id)).Order;
            Assert.Equal(OrderStatus.Backordered, order.Status);
            return order;
        }
    }

    /// <summary>
    /// A store around another whose next units of work read one stock cell off by a number of units until they first
    /// write, as a store that reads committed data does when another command changed the cell after the read. It is
    /// not an <see cref="IStockIndexSource"/>, so the services read stock through the repository, as over SQL.
    /// </summary>
    private sealed class StaleReadStore(IOrderKitStore inner) : IOrderKitStore
    {
        private (Sku Sku, LocationId Location, int OnHand) _off;
        private int _staleLeft;

        /// <summary>Gets the store underneath, which other commands may use directly.</summary>
        public IOrderKitStore Inner => inner;

        /// <summary>Gets or sets what runs once, before the next read of stock through this store.</summary>
        public Func<Task>? BeforeNextRead { get; set; }

        /// <summary>The units of work begun.</summary>
        public int Begun { get; private set; }

        /// <summary>From the next unit of work on, <paramref name="unitsOfWork"/> of them read the cell's on-hand count off by <paramref name="onHand"/> until they write.</summary>
        public void MakeStale(Sku sku, LocationId location, int onHand, int unitsOfWork)
        {
            _off = (sku, location, onHand);
            _staleLeft = unitsOfWork;
            Begun = 0;
        }

        public async ValueTask<IOrderKitTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default)
        {
            Begun++;
            IOrderKitTransaction transaction = await inner.BeginTransactionAsync(cancellationToken);
            bool stale = _staleLeft > 0;
            _staleLeft = stale ? _staleLeft - 1 : 0;
            return new Transaction(transaction, stale ? _off : null, this);
        }

        public ValueTask<IReadOnlyList<OutboxMessage>> ReadOutboxAsync(int maxCount, CancellationToken cancellationToken = default) => inner.ReadOutboxAsync(maxCount, cancellationToken);

        public ValueTask MarkDeliveredAsync(IReadOnlyList<long> messageIds, CancellationToken cancellationToken = default) => inner.MarkDeliveredAsync(messageIds, cancellationToken);

        private sealed class Transaction(IOrderKitTransaction inner, (Sku Sku, LocationId Location, int OnHand)? off, StaleReadStore store) : IOrderKitTransaction
        {
            private readonly Inventory _inventory = new(inner.Inventory, off, store);

            public IOrderRepository Orders => inner.Orders;

            public IOutbox Outbox => inner.Outbox;

            public IIdempotencyRecords Idempotency => inner.Idempotency;

            public IInventoryRepository Inventory => _inventory;

            public IInbox Inbox => inner.Inbox;

            public ValueTask CommitAsync(CancellationToken cancellationToken = default) => inner.CommitAsync(cancellationToken);

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }

        private sealed class Inventory(IInventoryRepository inner, (Sku Sku, LocationId Location, int OnHand)? off, StaleReadStore store) : IInventoryRepository
        {
            private (Sku Sku, LocationId Location, int OnHand)? _off = off;

            public async ValueTask<SkuStock?> FindAsync(Sku sku, CancellationToken cancellationToken = default)
            {
                SkuStock? stock = await inner.FindAsync(sku, cancellationToken);
                if (store.BeforeNextRead is { } meanwhile)
                {
                    store.BeforeNextRead = null;
                    await meanwhile();
                }

                if (stock is null || _off is not { } off || off.Sku != sku)
                {
                    return stock;
                }

                return stock with { Levels = [.. stock.Levels.Select(l => l.Location == off.Location ? l with { OnHand = l.OnHand + off.OnHand } : l)] };
            }

            public async ValueTask<IReadOnlyList<SkuStock?>> FindManyAsync(IReadOnlyList<Sku> skus, CancellationToken cancellationToken = default)
            {
                var found = new SkuStock?[skus.Count];
                for (int i = 0; i < found.Length; i++)
                {
                    found[i] = await FindAsync(skus[i], cancellationToken);
                }

                return found;
            }

            public ValueTask<bool> TryApplyAsync(StockMovement movement, CancellationToken cancellationToken = default)
            {
                _off = null;
                return inner.TryApplyAsync(movement, cancellationToken);
            }

            public ValueTask<int> TryApplyAllAsync(IReadOnlyList<StockMovement> movements, CancellationToken cancellationToken = default)
            {
                _off = null;
                return inner.TryApplyAllAsync(movements, cancellationToken);
            }

            public ValueTask<IReadOnlyList<StockLocation>> GetLocationsAsync(CancellationToken cancellationToken = default) => inner.GetLocationsAsync(cancellationToken);

            public ValueTask SaveLocationAsync(StockLocation location, CancellationToken cancellationToken = default) => inner.SaveLocationAsync(location, cancellationToken);

            public ValueTask SavePolicyAsync(Sku sku, InventoryPolicy policy, CancellationToken cancellationToken = default) => inner.SavePolicyAsync(sku, policy, cancellationToken);

            public ValueTask SaveIncomingAsync(Sku sku, LocationId location, IReadOnlyList<IncomingStock> incoming, CancellationToken cancellationToken = default) => inner.SaveIncomingAsync(sku, location, incoming, cancellationToken);

            public ValueTask SaveSafetyStockAsync(Sku sku, LocationId location, int safetyStock, CancellationToken cancellationToken = default) => inner.SaveSafetyStockAsync(sku, location, safetyStock, cancellationToken);

            public ValueTask<IReadOnlyList<StockMovement>> ReadLedgerAsync(Sku? sku, CancellationToken cancellationToken = default) => inner.ReadLedgerAsync(sku, cancellationToken);

            public ValueTask<CartHold?> FindHoldAsync(string cartId, CancellationToken cancellationToken = default) => inner.FindHoldAsync(cartId, cancellationToken);

            public ValueTask SaveHoldAsync(CartHold hold, CancellationToken cancellationToken = default) => inner.SaveHoldAsync(hold, cancellationToken);

            public ValueTask DeleteHoldAsync(string cartId, CancellationToken cancellationToken = default) => inner.DeleteHoldAsync(cartId, cancellationToken);

            public ValueTask<IReadOnlyList<CartHold>> FindExpiredHoldsAsync(Instant now, int maxCount, CancellationToken cancellationToken = default) => inner.FindExpiredHoldsAsync(now, maxCount, cancellationToken);
        }
    }
}
