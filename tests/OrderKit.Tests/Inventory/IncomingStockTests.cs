using NodaTime;
using OrderKit.Inventory;

namespace OrderKit.Tests.Inventory;

public sealed class IncomingStockTests
{
    [Fact]
    public void ValueAndText()
    {
        Assert.Equal(new IncomingStock(12, new LocalDate(2026, 12, 1)), new IncomingStock(12, new LocalDate(2026, 12, 1)));
        Assert.Equal("12 on 2026-12-01", new IncomingStock(12, new LocalDate(2026, 12, 1)).ToString());
    }
}
