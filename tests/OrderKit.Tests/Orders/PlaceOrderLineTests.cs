using OrderKit.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

public sealed class PlaceOrderLineTests
{
    [Fact]
    public void Line_BecomesAnOrderLineWithItsTotal()
    {
        Order order = Order.Place(Request((Cap, 4, 2.25m)), NewClock());

        OrderLine line = Assert.Single(order.Lines);
        Assert.Equal((Cap, 4, Eur(2.25m), Eur(9m)), (line.Sku, line.Ordered, line.UnitPrice, line.Total));
    }

    [Fact]
    public void Lines_CompareByValue()
    {
        Assert.Equal(new PlaceOrderLine(Mug, new Quantity(1), Eur(1m)), new PlaceOrderLine(Mug, new Quantity(1), Eur(1m)));
        Assert.NotEqual(new PlaceOrderLine(Mug, new Quantity(1), Eur(1m)), new PlaceOrderLine(Mug, new Quantity(2), Eur(1m)));
    }

    [Theory]
    [InlineData(0.00)]
    [InlineData(1234.56)]
    public void FreeAndPricedLines_AreAccepted(double price)
    {
        Order order = Order.Place(Request((Mug, 1, (decimal)price)), NewClock());

        Assert.Equal(Eur((decimal)price), order.Subtotal);
    }
}
