using NodaTime.Testing;
using OrderKit.Orders;
using OrderKit.Persistence;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

public sealed class PlaceOrderResultTests
{
    [Fact]
    public async Task FirstPlacement_IsNotAReplay_AndTheRetryIs()
    {
        FakeClock clock = NewClock();
        var service = new OrderService(new InMemoryOrderKitStore(clock), clock, new OrderKitOptions());

        PlaceOrderResult first = await service.PlaceAsync(TwoLineRequest(), "k-1");
        await service.ConfirmPaymentAsync(first.Order.Id, first.Order.Total);
        PlaceOrderResult retry = await service.PlaceAsync(TwoLineRequest(), "k-1");

        Assert.False(first.IsReplay);
        Assert.True(retry.IsReplay);
        Assert.Equal(first.Order.Id, retry.Order.Id);
        Assert.Equal(OrderStatus.Confirmed, retry.Order.Status);
        Assert.Equal(2, retry.Order.Version);
    }
}
