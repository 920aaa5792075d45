using OrderKit.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

public sealed class OrderLineSnapshotTests
{
    [Fact]
    public void ToSnapshot_CopiesEveryBucket()
    {
        Order order = PlaceTwoLineOrder();
        order.Confirm(order.Total);
        order.Allocate([new LineAllocation(Tee, 1, 1)]);
        order.CancelLine(Tee, new Quantity(1), "changed mind");

        OrderLineSnapshot tee = order.ToSnapshot().Lines[1];

        Assert.Equal(new OrderLineSnapshot { Sku = Tee, UnitPrice = Eur(20m), Ordered = 3, Cancelled = 1, Allocated = 1, Backordered = 1 }, tee);
    }

    public static TheoryData<string, Func<OrderLineSnapshot, OrderLineSnapshot>> Corruptions => new()
    {
        { "Lines[0] has a negative quantity", l => l with { Cancelled = -1 } },
        { "Lines[0] (MUG-RED) quantities do not add up", l => l with { Shipped = 5 } },
        { "Lines[0] (MUG-RED) delivers or returns more than shipped", l => l with { Shipped = 1, Delivered = 2 } },
        { "Lines[0] is incomplete", l => l with { Sku = default } },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void FromSnapshot_InconsistentLine_ThrowsNamingTheLine(string problem, Func<OrderLineSnapshot, OrderLineSnapshot> spoil)
    {
        OrderSnapshot good = PlaceTwoLineOrder().ToSnapshot() with { Version = 1 };

        ArgumentException error = Assert.Throws<ArgumentException>(() => Order.FromSnapshot(good with { Lines = [spoil(good.Lines[0]), good.Lines[1]] }, NewClock()));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
