using NodaTime.Testing;
using OrderKit.Orders;
using OrderKit.Persistence;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

public sealed class OrderNotFoundExceptionTests
{
    [Fact]
    public async Task GetAsync_UnknownOrder_ThrowsNamingIt()
    {
        FakeClock clock = NewClock();
        var service = new OrderService(new InMemoryOrderKitStore(clock), clock, new OrderKitOptions());
        var id = new OrderId("ord_missing");

        OrderNotFoundException error = await Assert.ThrowsAsync<OrderNotFoundException>(() => service.GetAsync(id));

        Assert.Equal(id, error.OrderId);
        Assert.Equal("Order ord_missing does not exist.", error.Message);
        Assert.IsAssignableFrom<KeyNotFoundException>(error);
        Assert.Null(await service.FindAsync(id));
    }

    [Fact]
    public async Task Commands_OnAnUnknownOrder_ThrowIt()
    {
        FakeClock clock = NewClock();
        var service = new OrderService(new InMemoryOrderKitStore(clock), clock, new OrderKitOptions());

        await Assert.ThrowsAsync<OrderNotFoundException>(() => service.CancelAsync(new OrderId("ord_missing"), "no reason"));
    }
}
