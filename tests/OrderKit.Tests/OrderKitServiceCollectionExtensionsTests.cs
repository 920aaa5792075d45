using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using OrderKit.Events;
using OrderKit.Orders;
using OrderKit.Persistence;

namespace OrderKit.Tests;

public sealed class OrderKitServiceCollectionExtensionsTests
{
    private sealed class Handler : IOrderEventHandler
    {
        public ValueTask HandleAsync(OrderEvent orderEvent, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    [Fact]
    public void AddOrderKit_RegistersDefaultsAsSingletons()
    {
        using ServiceProvider provider = new ServiceCollection().AddOrderKit().Services.BuildServiceProvider();
        Assert.Same(provider.GetRequiredService<OrderService>(), provider.GetRequiredService<OrderService>());
        Assert.IsType<InMemoryOrderKitStore>(provider.GetRequiredService<IOrderKitStore>());
        Assert.NotNull(provider.GetRequiredService<OutboxRelay>());
        Assert.NotNull(provider.GetRequiredService<IClock>());
        Assert.Same(provider.GetRequiredService<OrderKit.Returns.ReturnService>(), provider.GetRequiredService<OrderKit.Returns.ReturnService>());
        Assert.NotNull(provider.GetRequiredService<OrderKit.Fulfillment.FulfillmentService>());
        Assert.Equal(OrderKit.Shipping.BusinessCalendar.MondayToFriday, provider.GetRequiredService<OrderKit.Shipping.CarrierRegistry>().TransitCalendar);
    }

    [Fact]
    public void AddOrderKit_HostRegistrationsWin()
    {
        var clock = new FakeClock(Instant.FromUtc(2030, 1, 1, 0, 0));
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(clock);
        services.AddOrderKit().AddEventHandler<Handler>().AddEventHandler<Handler>();
        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.Same(clock, provider.GetRequiredService<IClock>());
        Assert.Single(provider.GetServices<IOrderEventHandler>());
    }

    [Fact]
    public void UseStore_ReplacesTheDefault()
    {
        var store = new InMemoryOrderKitStore(SystemClockForTests.Instance);
        using ServiceProvider provider = new ServiceCollection().AddOrderKit().UseStore(_ => store).Services.BuildServiceProvider();
        Assert.Same(store, provider.GetRequiredService<IOrderKitStore>());
    }

    [Fact]
    public void AddOrderKit_BadOption_ThrowsAtRegistration()
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new ServiceCollection().AddOrderKit(o => o.OutboxBatchSize = 0));
        Assert.Equal("OutboxBatchSize", error.ParamName);
        Assert.Contains("OrderKitOptions.OutboxBatchSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddOrderKit_Twice_ConfiguresOneOptionsInstance()
    {
        var services = new ServiceCollection();
        services.AddOrderKit(o => o.MaxConcurrencyRetries = 7);
        services.AddOrderKit(o => o.OutboxBatchSize = 5);
        using ServiceProvider provider = services.BuildServiceProvider();
        OrderKitOptions options = provider.GetRequiredService<OrderKitOptions>();
        Assert.Equal((7, 5), (options.MaxConcurrencyRetries, options.OutboxBatchSize));
        Assert.Single(services, d => d.ServiceType == typeof(OrderService));
    }

    private static class SystemClockForTests
    {
        public static IClock Instance { get; } = new FakeClock(Instant.FromUtc(2026, 1, 1, 0, 0));
    }
}
