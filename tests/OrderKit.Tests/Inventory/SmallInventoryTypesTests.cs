using NodaTime;
using OrderKit.Inventory;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Inventory;

public sealed class HeldStockTests
{
    [Fact]
    public void ReadsWellAndComparesByValue()
    {
        var held = new HeldStock(Mug, new LocationId("WH-1"), 2);
        Assert.Equal("2 x MUG-RED @ WH-1", held.ToString());
        Assert.Equal(held, new HeldStock(Mug, new LocationId("WH-1"), 2));
    }
}

public sealed class CartHoldTests
{
    [Fact]
    public void ExpiresOnlyWhenNoOrderTookItOver()
    {
        var hold = new CartHold("cart-1", [new HeldStock(Mug, new LocationId("WH-1"), 1)], Start, Start + Duration.FromMinutes(5));

        Assert.False(hold.IsExpiredAt(Start));
        Assert.True(hold.IsExpiredAt(Start + Duration.FromMinutes(5)));
        Assert.False((hold with { OrderId = new OrderId("ord_1") }).IsExpiredAt(Start + Duration.FromDays(1)));
        Assert.StartsWith("cart-1: 1 x MUG-RED @ WH-1 until ", hold.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("for order ord_1", (hold with { OrderId = new OrderId("ord_1") }).ToString(), StringComparison.Ordinal);
    }
}

public sealed class SkuStockTests
{
    [Fact]
    public void LevelAt_ReturnsTheLocationsLevel_OrZeroes()
    {
        var at = new LocationId("WH-1");
        var stock = new SkuStock(Mug, InventoryPolicy.Backorder(), [new StockLevel(Mug, at, 5, 2, 1, 0, [])]);

        Assert.Equal(2, stock.LevelAt(at).Available);
        Assert.Equal(0, stock.LevelAt(new LocationId("WH-2")).OnHand);
        Assert.Equal("MUG-RED (Backorder): 1 level(s)", stock.ToString());
    }
}

public sealed class BackorderFillTests
{
    [Fact]
    public void ReadsWell() =>
        Assert.Equal("ord_1: 2 x MUG-RED @ WH-1", new BackorderFill(new OrderId("ord_1"), Mug, new LocationId("WH-1"), 2).ToString());
}

public sealed class InsufficientStockExceptionTests
{
    [Fact]
    public void NamesTheSkuTheLocationAndTheUnits()
    {
        var error = new InsufficientStockException(Mug, new LocationId("WH-1"), 3);

        Assert.Equal("Cannot reserve 3 x MUG-RED at WH-1: fewer are available there now.", error.Message);
        Assert.Equal((Mug, new LocationId("WH-1"), 3), (error.Sku, error.Location, error.Requested));
    }
}
