using Microsoft.Extensions.DependencyInjection;
using OrderKit.Events;
using OrderKit.Orders;
using OrderKit.Persistence;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests;

public sealed class OrderKitBuilderTests
{
    private sealed class Recorder : IOrderEventHandler
    {
        public List<string> Seen { get; } = [];

        public ValueTask HandleAsync(OrderEvent orderEvent, CancellationToken cancellationToken)
        {
            Seen.Add(orderEvent.Name);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task AddEventHandler_Instance_ReceivesEveryEventThroughTheRelay()
    {
        var recorder = new Recorder();
        var services = new ServiceCollection();
        services.AddSingleton<NodaTime.IClock>(NewClock());
        services.AddOrderKit().AddEventHandler(recorder);
        await using ServiceProvider provider = services.BuildServiceProvider();
        OrderService orders = provider.GetRequiredService<OrderService>();

        Order order = (await orders.PlaceAsync(TwoLineRequest())).Order;
        await orders.CancelAsync(order.Id, "test");
        await provider.GetRequiredService<OutboxRelay>().DeliverPendingAsync();

        Assert.Equal(["OrderPlaced", "OrderCancelled", "OrderStatusChanged"], recorder.Seen);
    }

    [Fact]
    public void Methods_ReturnTheSameBuilder_ForChaining()
    {
        OrderKitBuilder builder = new ServiceCollection().AddOrderKit();

        Assert.Same(builder, builder.AddEventHandler(new Recorder()));
        Assert.Same(builder, builder.UseStore(_ => new InMemoryOrderKitStore(NewClock())));
    }

    [Fact]
    public void NullArguments_AreRefused()
    {
        OrderKitBuilder builder = new ServiceCollection().AddOrderKit();

        Assert.Equal("handler", Assert.Throws<ArgumentNullException>(() => builder.AddEventHandler(null!)).ParamName);
        Assert.Equal("factory", Assert.Throws<ArgumentNullException>(() => builder.UseStore(null!)).ParamName);
    }
}
