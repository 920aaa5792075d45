using NodaTime;
using OrderKit.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

public sealed class PlaceOrderRequestTests
{
    [Fact]
    public void OptionalFields_DefaultToNothing()
    {
        Order order = Order.Place(Request((Mug, 1, 10m)), NewClock());

        Assert.Equal(order.ShippingAddress, order.BillingAddress);
        Assert.Equal(Eur(0m), order.ShippingCharge);
        Assert.Equal(Eur(0m), order.Discount);
        Assert.Null(order.PromisedDeliveryDate);
        Assert.StartsWith("ord_", order.Id.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryField_ReachesTheOrder()
    {
        var billing = new Address("Ada Lovelace", "Baker Street 1", "London", "NW1 6XE", "GB");
        var request = new PlaceOrderRequest
        {
            OrderId = new OrderId("ord_shop-1001"),
            CustomerId = new CustomerId("C-9"),
            Channel = new SalesChannel("app"),
            ShippingAddress = Berlin,
            BillingAddress = billing,
            Currency = Currency.EUR,
            Lines = [new PlaceOrderLine(Mug, new Quantity(2), Eur(10m))],
            ShippingCharge = Eur(4.90m),
            Discount = Eur(2m),
            PromisedDeliveryDate = new LocalDate(2026, 11, 6),
        };

        Order order = Order.Place(request, NewClock());

        Assert.Equal((request.OrderId.Value, request.CustomerId, request.Channel, billing), (order.Id, order.CustomerId, order.Channel, order.BillingAddress));
        Assert.Equal(Eur(22.90m), order.Total);
        Assert.Equal(new LocalDate(2026, 11, 6), order.PromisedDeliveryDate);
    }

    [Fact]
    public void DiscountLargerThanSubtotalAndShipping_IsRefused()
    {
        PlaceOrderRequest request = Request((Mug, 1, 10m));
        var spoiled = new PlaceOrderRequest
        {
            CustomerId = request.CustomerId,
            Channel = request.Channel,
            ShippingAddress = request.ShippingAddress,
            Currency = request.Currency,
            Lines = request.Lines,
            Discount = Eur(11m),
        };

        ArgumentException error = Assert.Throws<ArgumentException>(() => Order.Place(spoiled, NewClock()));

        Assert.Contains("request.Discount", error.Message, StringComparison.Ordinal);
    }
}
