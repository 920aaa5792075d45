using NodaTime;
using OrderKit.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

public sealed partial class OrderServiceTests
{
    [Fact]
    public async Task FindCustomerOrdersAsync_PagesTheHistoryNewestFirst_WithoutOtherCustomersOrders()
    {
        var placed = new List<OrderId>();
        for (int i = 0; i < 5; i++)
        {
            placed.Add((await _service.PlaceAsync(Request((Mug, 1, 12.50m)))).Order.Id);
            await _service.PlaceAsync(BobsRequest());
            _clock.Advance(Duration.FromMinutes(5));
        }

        var walked = new List<OrderId>();
        OrderId? after = null;
        IReadOnlyList<Order> page;
        do
        {
            page = await _service.FindCustomerOrdersAsync(new CustomerId("CUST-1"), after, maxCount: 2);
            Assert.InRange(page.Count, 0, 2);
            Assert.All(page, o => Assert.Equal(new CustomerId("CUST-1"), o.CustomerId));
            walked.AddRange(page.Select(o => o.Id));
            after = page.Count > 0 ? page[^1].Id : after;
        }
        while (page.Count == 2);

        placed.Reverse();
        Assert.Equal(placed, walked);
        Assert.Empty(await _service.FindCustomerOrdersAsync(new CustomerId("CUST-404")));
    }

    [Fact]
    public async Task FindCustomerOrdersAsync_BadArguments_ThrowNamingThem()
    {
        Order bobs = (await _service.PlaceAsync(BobsRequest())).Order;
        ArgumentException noCustomer = await Assert.ThrowsAsync<ArgumentException>(() => _service.FindCustomerOrdersAsync(default));
        Assert.Equal("customerId", noCustomer.ParamName);
        ArgumentException otherCustomer = await Assert.ThrowsAsync<ArgumentException>(() => _service.FindCustomerOrdersAsync(new CustomerId("CUST-1"), bobs.Id));
        Assert.Equal("after", otherCustomer.ParamName);
        Assert.Contains(bobs.Id.Value, otherCustomer.Message, StringComparison.Ordinal);
        ArgumentException noCursor = await Assert.ThrowsAsync<ArgumentException>(() => _service.FindCustomerOrdersAsync(new CustomerId("CUST-1"), default(OrderId)));
        Assert.Equal("after", noCursor.ParamName);
        await Assert.ThrowsAsync<OrderNotFoundException>(() => _service.FindCustomerOrdersAsync(new CustomerId("CUST-1"), new OrderId("ord-missing")));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _service.FindCustomerOrdersAsync(new CustomerId("CUST-1"), maxCount: 0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _service.FindCustomerOrdersAsync(new CustomerId("CUST-1"), maxCount: 10_001));
    }

    private static PlaceOrderRequest BobsRequest() => new()
    {
        CustomerId = new CustomerId("CUST-2"),
        Channel = new SalesChannel("web"),
        ShippingAddress = Berlin,
        Currency = Currency.EUR,
        Lines = [new PlaceOrderLine(Mug, new Quantity(1), Eur(12.50m))],
    };
}
