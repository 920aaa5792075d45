using OrderKit.Inventory;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Inventory;

public sealed class StockLevelTests
{
    [Fact]
    public void Available_IsOnHandLessReservedLessSafety_NeverNegative()
    {
        var location = new LocationId("BER");

        Assert.Equal(6, new StockLevel(Mug, location, 10, 3, 1, 0, []).Available);
        Assert.Equal(0, new StockLevel(Mug, location, 2, 1, 5, 0, []).Available);
        Assert.Equal("MUG-RED @ BER: 6 available (10 on hand, 3 reserved, 1 safety, 0 damaged, 0 incoming)", new StockLevel(Mug, location, 10, 3, 1, 0, []).ToString());
    }
}
