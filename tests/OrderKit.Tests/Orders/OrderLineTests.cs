using OrderKit.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

public sealed class OrderLineTests
{
    [Fact]
    public void NewLine_HasEveryUnitAwaitingAllocation()
    {
        OrderLine line = PlaceTwoLineOrder().GetLine(Tee);

        Assert.Equal(3, line.Ordered);
        Assert.Equal(3, line.Open);
        Assert.Equal(3, line.AwaitingAllocation);
        Assert.Equal(0, line.Allocated + line.Backordered + line.Cancelled + line.Shipped + line.Delivered + line.Returned);
        Assert.Equal(Eur(60m), line.Total);
    }

    [Fact]
    public void Quantities_FollowEachBucketThroughTheOrder()
    {
        Order order = PlaceTwoLineOrder();
        order.Confirm(order.Total);
        order.Allocate([new LineAllocation(Tee, 1, 1), new LineAllocation(Mug, 2, 0)]);
        order.CancelLine(Tee, new Quantity(1), "customer asked");
        order.Ship([new LineQuantity(Tee, new Quantity(1))]);
        order.Deliver([new LineQuantity(Tee, new Quantity(1))]);

        OrderLine tee = order.GetLine(Tee);
        Assert.Equal((3, 1, 0, 1, 1, 1, 1, 0), (tee.Ordered, tee.Cancelled, tee.Allocated, tee.Backordered, tee.Shipped, tee.Delivered, tee.Open, tee.InTransit));
        Assert.Equal(tee.Ordered, tee.Open + tee.Cancelled + tee.Shipped);
        Assert.Equal(tee.Open, tee.AwaitingAllocation + tee.Allocated + tee.Backordered);
    }

    [Fact]
    public void Cancel_TakesAwaitingUnitsFirst_ThenBackordered_ThenAllocated()
    {
        Order order = Order.Place(Request((Tee, 6, 20m)), NewClock());
        order.Confirm(order.Total);
        order.Allocate([new LineAllocation(Tee, 2, 2)]);
        OrderLine tee = order.GetLine(Tee);

        order.CancelLine(Tee, new Quantity(3), "too many");

        Assert.Equal((0, 1, 2), (tee.AwaitingAllocation, tee.Backordered, tee.Allocated));
    }

    [Fact]
    public void ToString_ShowsSkuAndEveryBucket()
    {
        string text = PlaceTwoLineOrder().GetLine(Mug).ToString();

        Assert.Equal("MUG-RED x2 (open 2: awaiting 2, allocated 0, backordered 0; cancelled 0; shipped 0, delivered 0, returned 0)", text);
    }
}
