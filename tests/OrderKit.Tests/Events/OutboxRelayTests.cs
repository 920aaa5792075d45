using OrderKit.Events;
using OrderKit.Orders;
using OrderKit.Persistence;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Events;

public sealed class OutboxRelayTests
{
    private sealed class RecordingHandler : IOrderEventHandler
    {
        public List<OrderEvent> Seen { get; } = [];

        public Func<OrderEvent, bool> FailWhen { get; set; } = _ => false;

        public ValueTask HandleAsync(OrderEvent orderEvent, CancellationToken cancellationToken)
        {
            if (FailWhen(orderEvent))
            {
                throw new InvalidOperationException("handler down");
            }

            Seen.Add(orderEvent);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task DeliverPendingAsync_DeliversEveryEventInOrderPerOrder_Once()
    {
        var clock = NewClock();
        var store = new InMemoryOrderKitStore(clock);
        var service = new OrderService(store, clock, new OrderKitOptions());
        var handler = new RecordingHandler();
        var relay = new OutboxRelay(store, [handler], new OrderKitOptions { OutboxBatchSize = 2 });
        Order a = (await service.PlaceAsync(TwoLineRequest())).Order;
        Order b = (await service.PlaceAsync(TwoLineRequest())).Order;
        await service.ConfirmPaymentAsync(a.Id, a.Total);
        await service.CancelAsync(b.Id, "no");

        OutboxDeliveryResult result = await relay.DeliverPendingAsync();
        Assert.Empty(result.Failures);
        Assert.Equal(handler.Seen.Count, result.Delivered);
        Assert.Equal(0, store.PendingOutboxCount);
        foreach (IGrouping<OrderId, OrderEvent> perOrder in handler.Seen.GroupBy(e => e.OrderId))
        {
            Assert.Equal(Enumerable.Range(1, perOrder.Count()), perOrder.Select(e => e.Sequence));
        }

        Assert.Equal(0, (await relay.DeliverPendingAsync()).Delivered);
    }

    [Fact]
    public async Task DeliverPendingAsync_HandlerFails_KeepsThatOrdersLaterEventsWaiting_AndRetriesLater()
    {
        var clock = NewClock();
        var store = new InMemoryOrderKitStore(clock);
        var service = new OrderService(store, clock, new OrderKitOptions());
        var handler = new RecordingHandler();
        var reported = new List<OutboxDeliveryFailure>();
        var relay = new OutboxRelay(store, [handler], new OrderKitOptions { OutboxDeliveryFailed = reported.Add });
        Order a = (await service.PlaceAsync(TwoLineRequest())).Order;
        Order b = (await service.PlaceAsync(TwoLineRequest())).Order;
        await service.ConfirmPaymentAsync(a.Id, a.Total);
        handler.FailWhen = e => e.OrderId == a.Id;

        OutboxDeliveryResult first = await relay.DeliverPendingAsync();
        Assert.Single(first.Failures);
        Assert.Single(reported);
        Assert.All(handler.Seen, e => Assert.Equal(b.Id, e.OrderId));
        Assert.Equal(3, store.PendingOutboxCount);

        handler.FailWhen = _ => false;
        OutboxDeliveryResult second = await relay.DeliverPendingAsync();
        Assert.Equal(3, second.Delivered);
        Assert.Equal(new[] { 1, 2, 3 }, handler.Seen.Where(e => e.OrderId == a.Id).Select(e => e.Sequence));
    }

    [Fact]
    public async Task RunAsync_StopsWhenCancelled()
    {
        var clock = NewClock();
        var store = new InMemoryOrderKitStore(clock);
        var handler = new RecordingHandler();
        var relay = new OutboxRelay(store, [handler], new OrderKitOptions { OutboxPollInterval = NodaTime.Duration.FromMilliseconds(10) });
        var service = new OrderService(store, clock, new OrderKitOptions());
        await service.PlaceAsync(TwoLineRequest());
        using var stop = new CancellationTokenSource();
        Task running = relay.RunAsync(stop.Token);
        for (int i = 0; i < 500 && handler.Seen.Count == 0; i++)
        {
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        await running;
        Assert.Single(handler.Seen);
    }
}
