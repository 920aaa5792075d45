using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderKit.Events;
using OrderKit.Orders;
using OrderKit.Payments;
using OrderKit.Testing;
using OrderKit.Tests.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Observability;

/// <summary>Log messages go to the options' logger factory (the host's, through DI), with stable event ids and no personal data.</summary>
public sealed class LoggingTests
{
    private sealed class Capture : ILoggerFactory, ILogger
    {
        public ConcurrentQueue<(string Category, LogLevel Level, int EventId, string Message)> Entries { get; } = new();

        private string _category = string.Empty;

        public ILogger CreateLogger(string categoryName) => new Capture { _category = categoryName, Sink = Entries };

        private ConcurrentQueue<(string, LogLevel, int, string)>? Sink { get; init; }

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            (Sink ?? Entries).Enqueue((_category, logLevel, eventId.Id, formatter(state, exception)));
    }

    private sealed class Failing : IOrderEventHandler
    {
        public ValueTask HandleAsync(OrderEvent orderEvent, CancellationToken cancellationToken) => throw new InvalidOperationException("mail server down");
    }

    [Fact]
    public async Task Failures_AndOrdersAtRisk_AreLogged_WithTheirEventIds()
    {
        var capture = new Capture();
        var shop = new OrderServiceTests.Shop(new OrderKitOptions { LoggerFactory = capture });
        await shop.Inventory.ReceiveAsync(Mug, new LocationId("WH-A"), new Quantity(1));
        Order order = (await shop.Orders.PlaceAndAllocateAsync(Request((Mug, 1, 10m)), Eur(10m))).Order;
        await shop.Orders.FindOrdersAtRiskAsync(order.ShipBy!.Value);
        await new OutboxRelay(shop.Store, [new Failing()], shop.Options).DeliverPendingAsync();
        var gateway = new FakePaymentGateway();
        gateway.DeclineNext("insufficient funds");
        Order pending = (await shop.Orders.PlaceAsync(Request((Mug, 1, 10m)))).Order;
        await new PaymentService(shop.Store, shop.Clock, shop.Options, gateway).AuthorizeAsync(pending.Id);

        (string Category, LogLevel Level, int EventId, string Message)[] entries = [.. capture.Entries];
        Assert.Contains(entries, e => e.EventId == 2002 && e.Level == LogLevel.Information && e.Message.Contains(order.Id.Value, StringComparison.Ordinal) && e.Category == typeof(OrderService).FullName);
        Assert.Contains(entries, e => e.EventId == 1001 && e.Level == LogLevel.Warning && e.Message.Contains("OrderPlaced #1 of order " + order.Id, StringComparison.Ordinal));
        Assert.Contains(entries, e => e.EventId == 4001 && e.Message.Contains("refused to authorize EUR 10.00 for order " + pending.Id + ": insufficient funds", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Message.Contains("Lovelace", StringComparison.Ordinal) || e.Message.Contains("Linden", StringComparison.Ordinal));
    }

    [Fact]
    public void AddOrderKit_UsesTheHostsLoggerFactory()
    {
        var capture = new Capture();
        using ServiceProvider provider = new ServiceCollection().AddSingleton<ILoggerFactory>(capture).AddOrderKit().Services.BuildServiceProvider();

        provider.GetRequiredService<OrderService>();

        Assert.Same(capture, provider.GetRequiredService<OrderKitOptions>().LoggerFactory);
    }
}
