using NodaTime;
using OrderKit.Allocation;
using OrderKit.Events;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

/// <summary>Checkout in one unit of work: place, confirm and allocate, all or nothing.</summary>
public sealed partial class OrderServiceTests
{
    [Fact]
    public async Task PlaceAndAllocateAsync_PlacesConfirmsAndReserves_InOneWriteOfTheOrder()
    {
        var shop = new Shop();
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(5));
        await shop.Inventory.ReceiveAsync(Tee, s_b, new Quantity(5));
        PlaceOrderRequest request = Request((Mug, 2, 10m), (Tee, 3, 10m));

        PlaceOrderResult result = await shop.Orders.PlaceAndAllocateAsync(request, new Money(50m, Currency.EUR));

        Assert.False(result.IsReplay);
        Assert.NotNull(result.Plan);
        Assert.Equal(2, result.Plan.ShipmentCount);
        Order stored = await shop.Orders.GetAsync(result.Order.Id);
        Assert.Equal((1L, OrderStatus.Allocated, PaymentStatus.Authorized), (stored.Version, stored.Status, stored.PaymentStatus));
        Assert.Equal(result.Order.Version, stored.Version);
        Assert.IsType<OrderPlaced>(stored.Timeline[0]);
        Assert.Contains(stored.Timeline, e => e is OrderConfirmed);
        Assert.Equal([new AllocatedStock(s_a, 2, true)], stored.GetLine(Mug).AllocatedAt);
        Assert.Equal((5, 2, 3), await shop.LevelAsync(Mug, s_a));
        Assert.Equal((5, 3, 2), await shop.LevelAsync(Tee, s_b));
        Assert.Equal(stored.Timeline.Count, (await shop.Store.ReadOutboxAsync(100)).Count);
    }

    [Fact]
    public async Task PlaceAndAllocateAsync_ShortStockUnderABackorderPolicy_BackordersTheRest()
    {
        var shop = new Shop();
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(1));
        await shop.Inventory.SetPolicyAsync(Mug, InventoryPolicy.Backorder());

        PlaceOrderResult result = await shop.Orders.PlaceAndAllocateAsync(Request((Mug, 3, 10m)), new Money(30m, Currency.EUR));

        Order stored = await shop.Orders.GetAsync(result.Order.Id);
        Assert.Equal(OrderStatus.Backordered, stored.Status);
        Assert.Equal((1, 2), (stored.GetLine(Mug).Allocated, stored.GetLine(Mug).Backordered));
        IOrderKitTransaction read = await shop.Store.BeginTransactionAsync();
        await using (read)
        {
            Assert.Equal(result.Order.Id, Assert.Single(await read.Orders.FindWaitingAsync(Mug, 10)).OrderId);
        }
    }

    [Fact]
    public async Task PlaceAndAllocateAsync_AnAmountShortOfTheTotal_IsRefusedAndStoresNothing()
    {
        var shop = new Shop();
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(5));
        PlaceOrderRequest request = Request((Mug, 2, 10m));

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => shop.Orders.PlaceAndAllocateAsync(request, new Money(19.99m, Currency.EUR), idempotencyKey: "k-short"));

        Assert.Contains("does not cover the order total", error.Message, StringComparison.Ordinal);
        Assert.Equal((5, 0, 5), await shop.LevelAsync(Mug, s_a));
        Assert.Empty(await shop.Store.ReadOutboxAsync(10));
        PlaceOrderResult corrected = await shop.Orders.PlaceAndAllocateAsync(request, new Money(20m, Currency.EUR), idempotencyKey: "k-short");
        Assert.False(corrected.IsReplay);
    }

    [Fact]
    public async Task PlaceAndAllocateAsync_NoSplitPolicy_IsRefusedBeforeAnythingIsStored()
    {
        var shop = new Shop();

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() =>
            shop.Orders.PlaceAndAllocateAsync(Request((Mug, 1, 10m)), new Money(10m, Currency.EUR), new AllocationPreferences { Split = null! }));

        Assert.Equal("preferences", error.ParamName);
        Assert.Empty(await shop.Store.ReadOutboxAsync(10));
    }

    [Fact]
    public async Task PlaceAndAllocateAsync_ARetryWithTheSameKey_ReplaysAndReservesNothingMore()
    {
        var shop = new Shop();
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(5));
        PlaceOrderRequest request = Request((Mug, 2, 10m));

        PlaceOrderResult first = await shop.Orders.PlaceAndAllocateAsync(request, new Money(20m, Currency.EUR), idempotencyKey: "checkout-1");
        PlaceOrderResult retry = await shop.Orders.PlaceAndAllocateAsync(request, new Money(20m, Currency.EUR), idempotencyKey: "checkout-1");

        Assert.True(retry.IsReplay);
        Assert.Null(retry.Plan);
        Assert.Equal(first.Order.Id, retry.Order.Id);
        Assert.Equal((5, 2, 3), await shop.LevelAsync(Mug, s_a));
        await Assert.ThrowsAsync<IdempotencyKeyMismatchException>(() => shop.Orders.PlaceAndAllocateAsync(Request((Mug, 3, 10m)), new Money(30m, Currency.EUR), idempotencyKey: "checkout-1"));
    }

    [Fact]
    public async Task PlaceAndAllocateAsync_WithACartHold_UsesTheHeldUnitsWithoutReservingThemTwice()
    {
        var shop = new Shop();
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(3));
        await shop.Inventory.HoldForCartAsync("cart-1", new AllocationRequest
        {
            Lines = [new LineQuantity(Mug, new Quantity(2))],
            Destination = Berlin,
            Channel = new SalesChannel("web"),
        }, Duration.FromMinutes(15));
        PlaceOrderRequest request = Request((Mug, 3, 10m));

        PlaceOrderResult result = await shop.Orders.PlaceAndAllocateAsync(
            new PlaceOrderRequest { CustomerId = request.CustomerId, Channel = request.Channel, ShippingAddress = request.ShippingAddress, Currency = request.Currency, Lines = request.Lines, CartId = "cart-1" },
            new Money(30m, Currency.EUR));

        Assert.Equal(OrderStatus.Allocated, result.Order.Status);
        Assert.Equal((3, 3, 0), await shop.LevelAsync(Mug, s_a));
        Assert.Null(await shop.Inventory.GetCartHoldAsync("cart-1"));
        Assert.Null(await shop.Inventory.GetCartHoldAsync("order:" + result.Order.Id.Value));
    }

    [Fact]
    public async Task PlaceAndAllocateAsync_ManyBuyersForTheLastUnits_NeverOversell()
    {
        var shop = new Shop(new OrderKitOptions { MaxConcurrencyRetries = 50 });
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(7));

        PlaceOrderResult[] results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() =>
            shop.Orders.PlaceAndAllocateAsync(Request((Mug, 1, 10m)), new Money(10m, Currency.EUR)))));

        Assert.Equal(7, results.Count(r => r.Order.Status == OrderStatus.Allocated));
        Assert.Equal((7, 7, 0), await shop.LevelAsync(Mug, s_a));
    }
}
