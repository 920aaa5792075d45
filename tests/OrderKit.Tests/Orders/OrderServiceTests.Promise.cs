using NodaTime;
using OrderKit.Events;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Shipping;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

/// <summary>Delivery promises: computed at the first allocation, kept on the order, and swept for risk and completion.</summary>
public sealed partial class OrderServiceTests
{
    private static readonly ShippingMethod s_standard = new("dhl", "standard", 2);

    /// <summary>A shop whose warehouse A ships the same day before 14:00 UTC, and B two working days later.</summary>
    private static async Task<Shop> PromiseShopAsync()
    {
        var shop = new Shop();
        await shop.Inventory.UpdateLocationAsync(new StockLocation(s_a, "Warehouse A") { Rank = 1, CutOff = new LocalTime(14, 0) });
        await shop.Inventory.UpdateLocationAsync(new StockLocation(s_b, "Warehouse B") { Rank = 2, CutOff = new LocalTime(14, 0), HandlingDays = 2 });
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(10));
        await shop.Inventory.ReceiveAsync(Tee, s_b, new Quantity(10));
        return shop;
    }

    [Fact]
    public async Task Checkout_PromisesTheEarliestShipBy_AndTheLatestDelivery_OfItsLocations()
    {
        Shop shop = await PromiseShopAsync();

        // Monday 2026-11-02 09:00 UTC: A ships today by 14:00, B on Wednesday; two days in transit from Wednesday is Friday.
        PlaceOrderResult placed = await shop.Orders.PlaceAndAllocateAsync(Request(s_standard, null, (Mug, 1, 10m), (Tee, 1, 10m)), Eur(20m));
        Order order = placed.Order;

        Assert.Equal(Instant.FromUtc(2026, 11, 2, 14, 0), order.ShipBy);
        Assert.Equal(new LocalDate(2026, 11, 6), order.PromisedDeliveryDate);
        Assert.Equal(s_standard, order.ShippingMethod);
        DeliveryPromised promised = Assert.Single(order.Timeline.OfType<DeliveryPromised>());
        Assert.Equal(order.ShipBy, promised.ShipBy);
        Assert.Equal("ship by 2026-11-02T14:00:00Z, deliver by 2026-11-06", promised.Describe());

        Order stored = await shop.Orders.GetAsync(order.Id);
        Assert.Equal((order.ShipBy, order.PromisedDeliveryDate, order.ShippingMethod), (stored.ShipBy, stored.PromisedDeliveryDate, stored.ShippingMethod));
    }

    [Fact]
    public async Task APromisePlacedWithTheOrder_IsKept_AndTheShipByStillComputed()
    {
        Shop shop = await PromiseShopAsync();
        var told = new LocalDate(2026, 11, 20);

        Order order = (await shop.Orders.PlaceAndAllocateAsync(Request(s_standard, told, (Mug, 1, 10m)), Eur(10m))).Order;

        Assert.Equal(told, order.PromisedDeliveryDate);
        Assert.Equal(Instant.FromUtc(2026, 11, 2, 14, 0), order.ShipBy);
    }

    [Fact]
    public async Task WithoutAShippingMethod_OnlyTheShipByIsPromised()
    {
        Shop shop = await PromiseShopAsync();

        Order order = (await shop.Orders.PlaceAndAllocateAsync(Request((Tee, 1, 10m)), Eur(10m))).Order;

        Assert.Equal(Instant.FromUtc(2026, 11, 4, 14, 0), order.ShipBy);
        Assert.Null(order.PromisedDeliveryDate);
        Assert.Equal("ship by 2026-11-04T14:00:00Z", order.Timeline.OfType<DeliveryPromised>().Single().Describe());
    }

    [Fact]
    public async Task APromise_CountsFromTheFirstAllocation_AndIsNotMovedByLaterOnes()
    {
        Shop shop = await PromiseShopAsync();
        await shop.Inventory.SetPolicyAsync(Cap, InventoryPolicy.Backorder());
        Order order = await shop.ConfirmedAsync((Cap, 1));
        order = (await shop.Orders.AllocateAsync(order.Id)).Order;
        Assert.Null(order.ShipBy);

        // The cap arrives on Monday after the cut-off: filled at once, so it ships on Tuesday.
        shop.Clock.Reset(Instant.FromUtc(2026, 11, 2, 15, 0));
        await shop.Inventory.ReceiveAsync(Cap, s_a, new Quantity(1));
        order = await shop.Orders.GetAsync(order.Id);
        Assert.Equal(OrderStatus.Allocated, order.Status);
        Assert.Equal(Instant.FromUtc(2026, 11, 3, 14, 0), order.ShipBy);

        // An order promised for its mug keeps its promise when its backordered cap is filled later.
        Order partly = await shop.ConfirmedAsync((Mug, 1), (Cap, 1));
        partly = (await shop.Orders.AllocateAsync(partly.Id)).Order;
        Assert.Equal(Instant.FromUtc(2026, 11, 3, 14, 0), partly.ShipBy);
        shop.Clock.Reset(Instant.FromUtc(2026, 11, 5, 9, 0));
        await shop.Inventory.ReceiveAsync(Cap, s_b, new Quantity(1));
        partly = await shop.Orders.GetAsync(partly.Id);
        Assert.Equal(OrderStatus.Allocated, partly.Status);
        Assert.Equal(Instant.FromUtc(2026, 11, 3, 14, 0), partly.ShipBy);
        Assert.Single(partly.Timeline.OfType<DeliveryPromised>());
    }

    [Fact]
    public async Task FindOrdersAtRisk_RaisesTheEventOncePerOrder_AndDropsShippedAndCancelledOrders()
    {
        Shop shop = await PromiseShopAsync();
        Order late = (await shop.Orders.PlaceAndAllocateAsync(Request((Mug, 1, 10m)), Eur(10m))).Order;
        Order shipped = (await shop.Orders.PlaceAndAllocateAsync(Request((Mug, 1, 10m)), Eur(10m))).Order;
        Order cancelled = (await shop.Orders.PlaceAndAllocateAsync(Request((Mug, 1, 10m)), Eur(10m))).Order;
        Order onTime = (await shop.Orders.PlaceAndAllocateAsync(Request((Tee, 1, 10m)), Eur(10m))).Order;
        await shop.Orders.ChangeAsync(shipped.Id, o => o.Ship([new LineQuantity(Mug, new Quantity(1))]));
        await shop.Orders.CancelAsync(cancelled.Id, "customer asked");
        Instant now = Instant.FromUtc(2026, 11, 2, 14, 0);

        Assert.Empty(await shop.Orders.FindOrdersAtRiskAsync(now - Duration.FromSeconds(1)));
        IReadOnlyList<Order> found = await shop.Orders.FindOrdersAtRiskAsync(now);
        IReadOnlyList<Order> again = await shop.Orders.FindOrdersAtRiskAsync(now + Duration.FromHours(1));

        Assert.Equal([late.Id], found.Select(o => o.Id));
        Assert.Equal([late.Id], again.Select(o => o.Id));
        OrderAtRisk risk = Assert.Single(again[0].Timeline.OfType<OrderAtRisk>());
        Assert.Equal((late.ShipBy!.Value, 1), (risk.ShipBy, risk.UnshippedUnits));
        Assert.Equal(now, again[0].AtRiskSince);
        Assert.True(again[0].IsAtRisk(now));
        Assert.False((await shop.Orders.GetAsync(onTime.Id)).IsAtRisk(now));
    }

    [Fact]
    public async Task ParallelSweeps_RaiseTheEventOnce()
    {
        Shop shop = await PromiseShopAsync();
        Order late = (await shop.Orders.PlaceAndAllocateAsync(Request((Mug, 1, 10m)), Eur(10m))).Order;
        Instant now = late.ShipBy!.Value;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => shop.Orders.FindOrdersAtRiskAsync(now))));

        Assert.Single((await shop.Orders.GetAsync(late.Id)).Timeline.OfType<OrderAtRisk>());
    }

    [Fact]
    public async Task CompleteDeliveredOrders_ClosesOrdersPastTheReturnWindow_Once()
    {
        Shop shop = await PromiseShopAsync();
        LineQuantity[] mug = [new LineQuantity(Mug, new Quantity(1))];
        Order order = (await shop.Orders.PlaceAndAllocateAsync(Request((Mug, 1, 10m)), Eur(10m))).Order;
        Order closedByHand = (await shop.Orders.PlaceAndAllocateAsync(Request((Mug, 1, 10m)), Eur(10m))).Order;
        foreach (OrderId id in new[] { order.Id, closedByHand.Id })
        {
            await shop.Orders.ChangeAsync(id, o => o.Ship(mug));
            await shop.Orders.ChangeAsync(id, o => o.Deliver(mug));
        }

        await shop.Orders.ChangeAsync(closedByHand.Id, o => o.Complete());
        Instant deliveredAt = (await shop.Orders.GetAsync(order.Id)).DeliveredAt!.Value;

        // Delivered on 2026-11-02 with a 30-day window: returnable through 2026-12-02, completed from the day after.
        Assert.Empty(await shop.Orders.CompleteDeliveredOrdersAsync(Instant.FromUtc(2026, 12, 2, 23, 59)));
        IReadOnlyList<Order> completed = await shop.Orders.CompleteDeliveredOrdersAsync(Instant.FromUtc(2026, 12, 3, 0, 0));
        Assert.Equal([order.Id], completed.Select(o => o.Id));
        Assert.Equal(OrderStatus.Completed, completed[0].Status);
        Assert.Equal(deliveredAt, completed[0].DeliveredAt);
        Assert.Empty(await shop.Orders.CompleteDeliveredOrdersAsync(deliveredAt + Duration.FromDays(400)));
    }

    [Fact]
    public async Task Sweeps_RefuseABadCount()
    {
        Shop shop = await PromiseShopAsync();
        Instant now = shop.Clock.GetCurrentInstant();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => shop.Orders.FindOrdersAtRiskAsync(now, 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => shop.Orders.CompleteDeliveredOrdersAsync(now, 10_001));
    }

    [Fact]
    public async Task TheShippingMethod_IsPartOfTheIdempotentRequest()
    {
        Shop shop = await PromiseShopAsync();
        await shop.Orders.PlaceAsync(Request(s_standard, null, (Mug, 1, 10m)), "checkout-7");

        await Assert.ThrowsAsync<OrderKit.Persistence.IdempotencyKeyMismatchException>(() =>
            shop.Orders.PlaceAsync(Request(new ShippingMethod("dhl", "express", 1), null, (Mug, 1, 10m)), "checkout-7"));
        Assert.True((await shop.Orders.PlaceAsync(Request(s_standard, null, (Mug, 1, 10m)), "checkout-7")).IsReplay);
    }
}
