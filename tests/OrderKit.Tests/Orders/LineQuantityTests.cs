using OrderKit.Events;
using OrderKit.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

public sealed class LineQuantityTests
{
    [Fact]
    public void ValueSemantics_AndText()
    {
        var entry = new LineQuantity(Tee, new Quantity(2));

        Assert.Equal(new LineQuantity(Tee, new Quantity(2)), entry);
        Assert.NotEqual(new LineQuantity(Tee, new Quantity(3)), entry);
        Assert.Equal("2 x TEE-M-BLUE", entry.ToString());
    }

    [Fact]
    public void Ship_DefaultQuantity_IsRefusedNamingItsIndex()
    {
        Order order = AllocatedTwoLineOrder();

        ArgumentException error = Assert.Throws<ArgumentException>(() => order.Ship([new LineQuantity(Mug, new Quantity(1)), new LineQuantity(Tee, default)]));

        Assert.Equal("lines", error.ParamName);
        Assert.StartsWith("lines[1].Quantity must be positive", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, order.GetLine(Mug).Shipped);
    }

    [Fact]
    public void Ship_RepeatedSku_IsRefused()
    {
        Order order = AllocatedTwoLineOrder();

        ArgumentException error = Assert.Throws<ArgumentException>(() => order.Ship([new LineQuantity(Mug, new Quantity(1)), new LineQuantity(Mug, new Quantity(1))]));

        Assert.Contains("lines[1] repeats SKU \"MUG-RED\" of lines[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ship_TheCallersListChangingAfterwards_DoesNotChangeTheEvent()
    {
        Order order = AllocatedTwoLineOrder();
        List<LineQuantity> lines = [new LineQuantity(Mug, new Quantity(1))];

        order.Ship(lines);
        lines[0] = new LineQuantity(Tee, new Quantity(3));

        LinesShipped shipped = Assert.Single(order.Timeline.OfType<LinesShipped>());
        Assert.Equal(new LineQuantity(Mug, new Quantity(1)), Assert.Single(shipped.Lines));
    }

    private static Order AllocatedTwoLineOrder()
    {
        Order order = PlaceTwoLineOrder();
        order.Confirm(order.Total);
        order.Allocate([new LineAllocation(Mug, 2, 0), new LineAllocation(Tee, 3, 0)]);
        return order;
    }
}
