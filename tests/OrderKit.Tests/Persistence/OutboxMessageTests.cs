using OrderKit.Events;
using OrderKit.Orders;
using OrderKit.Persistence;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Persistence;

public sealed class OutboxMessageTests
{
    [Fact]
    public async Task Messages_CarryTheCommittedEvents_WithIncreasingIds()
    {
        var clock = NewClock();
        var store = new InMemoryOrderKitStore(clock);
        var service = new OrderService(store, clock, new OrderKitOptions());
        Order order = (await service.PlaceAsync(TwoLineRequest())).Order;
        Order confirmed = await service.ConfirmPaymentAsync(order.Id, order.Total);

        IReadOnlyList<OutboxMessage> messages = await store.ReadOutboxAsync(10);

        Assert.Equal(confirmed.Timeline, messages.Select(m => m.Event));
        Assert.True(messages.Zip(messages.Skip(1)).All(p => p.First.Id < p.Second.Id));
    }

    [Fact]
    public void Messages_CompareByValue()
    {
        OrderEvent e = new OrderCompleted(new OrderId("ord_1"), 3, Start);

        Assert.Equal(new OutboxMessage(1, e), new OutboxMessage(1, e));
        Assert.NotEqual(new OutboxMessage(1, e), new OutboxMessage(2, e));
    }
}
