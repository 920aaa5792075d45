using OrderKit.Orders;

namespace OrderKit.Tests.Orders;

public sealed class AllocatedStockTests
{
    [Fact]
    public void ReadsWell()
    {
        Assert.Equal("2 @ WH-1", new AllocatedStock(new LocationId("WH-1"), 2, true).ToString());
        Assert.Equal("2 @ SUP (not reserved)", new AllocatedStock(new LocationId("SUP"), 2, false).ToString());
    }
}
