using NodaTime;
using OrderKit.Inventory;

namespace OrderKit.Tests.Inventory;

public sealed class InventoryPolicyTests
{
    [Fact]
    public void Factories_DescribeThemselves()
    {
        Assert.Equal("DenyWhenShort", InventoryPolicy.DenyWhenShort.ToString());
        Assert.Equal("Backorder (limit 20)", InventoryPolicy.Backorder(20).ToString());
        Assert.Equal("Preorder until 2027-01-15", InventoryPolicy.Preorder(new LocalDate(2027, 1, 15)).ToString());
        Assert.Equal("Dropship from SUP", InventoryPolicy.Dropship(new LocationId("SUP")).ToString());
        Assert.Equal(InventoryPolicy.Backorder(3), InventoryPolicy.Backorder(3));
    }

    [Fact]
    public void BadValues_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InventoryPolicy.Backorder(-1));
        Assert.Throws<ArgumentException>(() => InventoryPolicy.Dropship(default));
    }
}
