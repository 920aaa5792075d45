using OrderKit.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

public sealed class LineAllocationTests
{
    [Fact]
    public void Constructor_KeepsItsValues()
    {
        var allocation = new LineAllocation(Mug, 2, 1);

        Assert.Equal((Mug, 2, 1), (allocation.Sku, allocation.Allocated, allocation.Backordered));
        Assert.Equal(new LineAllocation(Mug, 2, 1), allocation);
        Assert.Equal("MUG-RED: 2 allocated, 1 backordered", allocation.ToString());
    }

    [Fact]
    public void Constructor_BadValues_ThrowNamingTheArgument()
    {
        Assert.Equal("sku", Assert.Throws<ArgumentException>(() => new LineAllocation(default, 1, 0)).ParamName);
        Assert.Equal("allocated", Assert.Throws<ArgumentOutOfRangeException>(() => new LineAllocation(Mug, -1, 0)).ParamName);
        Assert.Equal("backordered", Assert.Throws<ArgumentOutOfRangeException>(() => new LineAllocation(Mug, 0, -1)).ParamName);
        ArgumentException nothing = Assert.Throws<ArgumentException>(() => new LineAllocation(Mug, 0, 0));
        Assert.Contains("MUG-RED", nothing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_AllocatedUnits_FillTheBackorderAfterAwaitingUnits()
    {
        Order order = Order.Place(Request((Mug, 3, 1m)), NewClock());
        order.Confirm(order.Total);
        order.Allocate([new LineAllocation(Mug, 1, 2)]);

        order.Allocate([new LineAllocation(Mug, 2, 0)]);

        OrderLine line = order.GetLine(Mug);
        Assert.Equal((3, 0), (line.Allocated, line.Backordered));
        Assert.Equal(OrderStatus.Allocated, order.Status);
    }

    [Fact]
    public void Allocate_DefaultEntry_IsRefusedNamingItsIndex()
    {
        Order order = PlaceTwoLineOrder();
        order.Confirm(order.Total);

        ArgumentException error = Assert.Throws<ArgumentException>(() => order.Allocate([new LineAllocation(Mug, 1, 0), default]));

        Assert.Equal("allocations", error.ParamName);
        Assert.StartsWith("allocations[1].Sku is required", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, order.GetLine(Mug).Allocated);
    }
}
