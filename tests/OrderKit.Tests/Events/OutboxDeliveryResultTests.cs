using OrderKit.Events;
using OrderKit.Orders;
using OrderKit.Persistence;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Events;

public sealed class OutboxDeliveryResultTests
{
    private sealed class FailingFor(OrderId failing) : IOrderEventHandler
    {
        public ValueTask HandleAsync(OrderEvent orderEvent, CancellationToken cancellationToken) =>
            orderEvent.OrderId == failing ? throw new TimeoutException("mail server") : ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Result_CountsDeliveries_AndListsEachFailureWithItsMessageAndException()
    {
        var clock = NewClock();
        var store = new InMemoryOrderKitStore(clock);
        var service = new OrderService(store, clock, new OrderKitOptions());
        Order good = (await service.PlaceAsync(TwoLineRequest())).Order;
        Order bad = (await service.PlaceAsync(TwoLineRequest())).Order;
        await service.CancelAsync(good.Id, "test");
        var relay = new OutboxRelay(store, [new FailingFor(bad.Id)], new OrderKitOptions());

        OutboxDeliveryResult result = await relay.DeliverPendingAsync();

        Assert.Equal(3, result.Delivered);
        OutboxDeliveryFailure failure = Assert.Single(result.Failures);
        Assert.Equal(bad.Id, failure.Message.Event.OrderId);
        Assert.IsType<OrderPlaced>(failure.Message.Event);
        Assert.Equal("mail server", Assert.IsType<TimeoutException>(failure.Exception).Message);
    }
}
