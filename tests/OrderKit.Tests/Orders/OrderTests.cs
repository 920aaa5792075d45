using NodaTime;
using OrderKit.Events;
using OrderKit.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

public sealed partial class OrderTests
{
    [Fact]
    public void Place_ValidRequest_IsPendingWithTotalsAndAnEvent()
    {
        Order order = Order.Place(Copy(TwoLineRequest(), shipping: Eur(4.90m), discount: Eur(5m)), NewClock());
        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Equal(PaymentStatus.Pending, order.PaymentStatus);
        Assert.Equal(Eur(85m), order.Subtotal);
        Assert.Equal(Eur(85m + 4.90m - 5m), order.Total);
        Assert.Equal(0, order.Version);
        Assert.True(order.HasUnsavedChanges);
        OrderPlaced placed = Assert.IsType<OrderPlaced>(Assert.Single(order.Timeline));
        Assert.Equal(1, placed.Sequence);
        Assert.Equal(5, placed.UnitCount);
        Assert.Equal(Start, placed.OccurredAt);
        Assert.Equal(order.ShippingAddress, order.BillingAddress);
        Assert.Equal(OrderActions.Confirm | OrderActions.Cancel | OrderActions.CancelLine | OrderActions.Hold | OrderActions.FailPayment, order.AllowedActions);
    }

    [Fact]
    public void Place_ExplicitOrderId_IsKept()
    {
        PlaceOrderRequest request = new()
        {
            CustomerId = new CustomerId("C"),
            Channel = new SalesChannel("pos"),
            ShippingAddress = Berlin,
            Currency = Currency.EUR,
            Lines = [new PlaceOrderLine(Mug, new Quantity(1), Eur(1m))],
            OrderId = new OrderId("ORD-1001"),
            PromisedDeliveryDate = new LocalDate(2026, 11, 5),
        };
        Order order = Order.Place(request, NewClock());
        Assert.Equal(new OrderId("ORD-1001"), order.Id);
        Assert.Equal(new LocalDate(2026, 11, 5), order.PromisedDeliveryDate);
    }

    public static TheoryData<string, Func<PlaceOrderRequest, PlaceOrderRequest>> BadRequests => new()
    {
        { "request.Lines must have at least one line", r => Copy(r, lines: []) },
        { "request.Lines[0].Sku is required", r => Copy(r, lines: [new PlaceOrderLine(default, new Quantity(1), Eur(1m))]) },
        { "request.Lines[0].Quantity must be positive; got 0", r => Copy(r, lines: [new PlaceOrderLine(Mug, default, Eur(1m))]) },
        { "request.Lines[1].UnitPrice is USD 1.00, but the order's currency is EUR", r => Copy(r, lines: [new PlaceOrderLine(Mug, new Quantity(1), Eur(1m)), new PlaceOrderLine(Tee, new Quantity(1), new Money(1m, Currency.USD))]) },
        { "request.Lines[1].Sku \"MUG-RED\" repeats request.Lines[0]", r => Copy(r, lines: [new PlaceOrderLine(Mug, new Quantity(1), Eur(1m)), new PlaceOrderLine(Mug, new Quantity(2), Eur(1m))]) },
        { "request.Lines has 1001 lines; an order has at most 1000", r => Copy(r, lines: [.. Enumerable.Range(0, 1001).Select(i => new PlaceOrderLine(new Sku($"S{i}"), new Quantity(1), Eur(1m)))]) },
        { "request.Lines[0].UnitPrice is EUR -1.00; a price must not be negative", r => Copy(r, lines: [new PlaceOrderLine(Mug, new Quantity(1), Eur(-1m))]) },
        { "request.Discount EUR 100.00 is larger than the subtotal", r => Copy(r, discount: Eur(100m)) },
        { "request.ShippingCharge is USD 5.00", r => Copy(r, shipping: new Money(5m, Currency.USD)) },
        { "request.Currency is required", r => Copy(r, currency: default(Currency)) },
        { "request.CustomerId is required", r => Copy(r, customer: default(CustomerId)) },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void Place_BadRequest_ThrowsNamingTheFieldAndValue(string expected, Func<PlaceOrderRequest, PlaceOrderRequest> spoil)
    {
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(() => Order.Place(spoil(TwoLineRequest()), NewClock()));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal("request", error.ParamName);
    }

    [Fact]
    public void GetLine_UnknownSku_ThrowsNamingIt()
    {
        Order order = PlaceTwoLineOrder();
        ArgumentException error = Assert.Throws<ArgumentException>(() => order.GetLine(Cap));
        Assert.Contains("\"CAP-ONE\" is not a line of order", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, order.GetLine(Mug).Ordered);
    }

    [Fact]
    public void ToString_ShowsIdStatusAndVersion()
    {
        Order order = PlaceTwoLineOrder();
        Assert.Equal($"{order.Id} Pending/Pending v0", order.ToString());
        order.Hold(HoldReason.FraudReview, "risk");
        Assert.EndsWith("held(1)", order.ToString(), StringComparison.Ordinal);
    }

    private static PlaceOrderRequest Copy(PlaceOrderRequest r, PlaceOrderLine[]? lines = null, Money? discount = null, Money? shipping = null, Currency? currency = null, CustomerId? customer = null) => new()
    {
        CustomerId = customer ?? r.CustomerId,
        Channel = r.Channel,
        ShippingAddress = r.ShippingAddress,
        Currency = currency ?? r.Currency,
        Lines = lines ?? r.Lines,
        Discount = discount ?? r.Discount,
        ShippingCharge = shipping ?? r.ShippingCharge,
    };
}
