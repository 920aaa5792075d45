using OrderKit.Inventory;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Inventory;

public sealed class StockMovementTests
{
    [Fact]
    public void Text_NamesKindUnitsSkuLocationOrderAndReason()
    {
        var movement = new StockMovement(12, StockMovementKind.Reserved, Mug, new LocationId("BER"), 2, 0, 2, null, new OrderId("ord_1"), "cart-9", Start);

        Assert.Equal("#12 Reserved 2 x MUG-RED @ BER for ord_1 (cart-9)", movement.ToString());
        Assert.Equal("#1 Adjusted 1 x MUG-RED @ BER: cycle count", (movement with { Sequence = 1, Kind = StockMovementKind.Adjusted, Quantity = 1, OrderId = null, Reference = null, Reason = "cycle count" }).ToString());
    }
}
