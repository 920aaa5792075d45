using NodaTime;
using OrderKit.Insights;
using OrderKit.Orders;
using OrderKit.Tests.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Insights;

public sealed class ReplenishmentAdvisorTests
{
    private static readonly LocationId s_a = new("WH-A");
    private static readonly Instant s_t = Instant.FromUtc(2026, 11, 2, 9, 0);

    private static async Task ShipAsync(OrderServiceTests.Shop shop, Instant at, int units)
    {
        shop.Clock.Reset(at);
        Order order = await shop.ConfirmedAsync((Mug, units));
        await shop.Orders.AllocateAsync(order.Id);
        await shop.Orders.ChangeAsync(order.Id, o => o.Ship([new LineQuantity(Mug, new Quantity(units))], s_a));
    }

    /// <summary>40 mugs at A with a safety stock of 2; 28 shipped over the four weeks before the last day.</summary>
    private static async Task<OrderServiceTests.Shop> ShopAsync()
    {
        var shop = new OrderServiceTests.Shop();
        shop.Clock.Reset(s_t);
        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(40));
        await shop.Inventory.SetSafetyStockAsync(Mug, s_a, 2);
        await ShipAsync(shop, s_t + Duration.FromDays(1), 10);
        await ShipAsync(shop, s_t + Duration.FromDays(8), 10);
        await ShipAsync(shop, s_t + Duration.FromDays(15), 8);
        shop.Clock.Reset(s_t + Duration.FromDays(28));
        return shop;
    }

    [Fact]
    public async Task Advice_ReadsDemandFromTheLedger_AndPlansTheReorder()
    {
        OrderServiceTests.Shop shop = await ShopAsync();
        var advisor = new ReplenishmentAdvisor(shop.Inventory, shop.Clock);

        ReplenishmentAdvice advice = (await advisor.AdviseAsync(Mug)).Single(a => a.Location == s_a);

        // 28 shipped over 28 days: 1 a day; 10 available (12 on hand less 2 safety) last 10 days; reorder at 7 + 2.
        Assert.Equal((1.0, 10, 0, 10.0, 9, 0), (advice.DailyDemand, advice.Available, advice.Incoming, advice.DaysOfCover, advice.ReorderPoint, advice.SuggestedQuantity));
        Assert.False(advice.IsAtOrBelowReorderPoint);
        Assert.Equal("MUG-RED @ WH-A: 1/day, 10 available (10 days), reorder at 9, order 0", advice.ToString());
    }

    [Fact]
    public async Task FallingToTheReorderPoint_SuggestsAnOrder_AndRaisesTheAlertOncePerCrossing()
    {
        OrderServiceTests.Shop shop = await ShopAsync();
        var advisor = new ReplenishmentAdvisor(shop.Inventory, shop.Clock);
        Assert.Empty(await advisor.CheckAsync([Mug]));

        await ShipAsync(shop, s_t + Duration.FromDays(28), 2);
        shop.Clock.Reset(s_t + Duration.FromDays(28) + Duration.FromMinutes(1));
        StockRunningLow alert = Assert.Single(await advisor.CheckAsync([Mug, Mug]));
        Assert.Empty(await advisor.CheckAsync([Mug]));

        // 30 over 28 days; 8 available; reorder at ceil(7.5) + 2 = 10; cover to 10 + ceil(15) = 25: order 17.
        Assert.Equal((8, 10, 17), (alert.Advice.Available, alert.Advice.ReorderPoint, alert.Advice.SuggestedQuantity));
        Assert.InRange(alert.DetectedAt, s_t + Duration.FromDays(28) + Duration.FromMinutes(1), shop.Clock.GetCurrentInstant());

        await shop.Inventory.ReceiveAsync(Mug, s_a, new Quantity(17));
        Assert.Empty(await advisor.CheckAsync([Mug]));
        await ShipAsync(shop, s_t + Duration.FromDays(28) + Duration.FromHours(1), 16);
        shop.Clock.Reset(s_t + Duration.FromDays(28) + Duration.FromHours(2));
        Assert.Single(await advisor.CheckAsync([Mug]));
    }

    [Fact]
    public async Task IncomingStock_CountsTowardsTheReorderPoint_AndNoDemand_MeansNoAdvice()
    {
        OrderServiceTests.Shop shop = await ShopAsync();
        await ShipAsync(shop, s_t + Duration.FromDays(28), 2);
        await shop.Inventory.ExpectIncomingAsync(Mug, s_a, new Quantity(20), new LocalDate(2026, 12, 10));
        shop.Clock.Reset(s_t + Duration.FromDays(29));
        var advisor = new ReplenishmentAdvisor(shop.Inventory, shop.Clock, new ReplenishmentPolicy { DemandWindow = Duration.FromDays(28), LeadTimeDays = 7, CoverDays = 14 });

        ReplenishmentAdvice advice = (await advisor.AdviseAsync(Mug)).Single(a => a.Location == s_a);
        Assert.Equal((20, 0), (advice.Incoming, advice.SuggestedQuantity));

        await shop.Inventory.ReceiveAsync(Tee, s_a, new Quantity(1));
        ReplenishmentAdvice idle = (await new ReplenishmentAdvisor(shop.Inventory, shop.Clock).AdviseAsync(Tee)).Single(a => a.Location == s_a);
        Assert.Equal((0.0, (double?)null, 0), (idle.DailyDemand, idle.DaysOfCover, idle.SuggestedQuantity));
        Assert.False(idle.IsAtOrBelowReorderPoint);
    }

    [Fact]
    public async Task BadValues_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplenishmentPolicy { DemandWindow = Duration.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplenishmentPolicy { LeadTimeDays = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplenishmentPolicy { CoverDays = 366 });
        Assert.Throws<ArgumentNullException>(() => new ReplenishmentAdvisor(null!, NewClock()));
        var shop = new OrderServiceTests.Shop();
        var advisor = new ReplenishmentAdvisor(shop.Inventory, NewClock());
        await Assert.ThrowsAsync<ArgumentException>(() => advisor.AdviseAsync(default));
        ArgumentException noSku = await Assert.ThrowsAsync<ArgumentException>(() => shop.Inventory.GetLedgerSinceAsync(default, Instant.FromUtc(2026, 11, 1, 0, 0)));
        Assert.Equal("sku", noSku.ParamName);
    }
}
