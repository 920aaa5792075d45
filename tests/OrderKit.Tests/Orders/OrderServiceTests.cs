using NodaTime;
using NodaTime.Testing;
using OrderKit.Orders;
using OrderKit.Persistence;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

public sealed partial class OrderServiceTests
{
    private readonly FakeClock _clock = NewClock();
    private readonly InMemoryOrderKitStore _store;
    private readonly OrderService _service;

    public OrderServiceTests()
    {
        _store = new InMemoryOrderKitStore(_clock);
        _service = new OrderService(_store, _clock, new OrderKitOptions());
    }

    [Fact]
    public async Task PlaceAsync_StoresTheOrderAndItsEvent()
    {
        PlaceOrderResult result = await _service.PlaceAsync(TwoLineRequest());
        Assert.False(result.IsReplay);
        Assert.Equal(1, result.Order.Version);
        Assert.False(result.Order.HasUnsavedChanges);
        Order stored = await _service.GetAsync(result.Order.Id);
        Assert.Equal(result.Order.Timeline, stored.Timeline);
        Assert.Equal(1, _store.PendingOutboxCount);
    }

    [Fact]
    public async Task PlaceAsync_SameKeyAndPayload_ReplaysWithoutASecondOrder()
    {
        PlaceOrderResult first = await _service.PlaceAsync(TwoLineRequest(), "checkout-1");
        PlaceOrderResult again = await _service.PlaceAsync(TwoLineRequest(), "checkout-1");
        Assert.True(again.IsReplay);
        Assert.Equal(first.Order.Id, again.Order.Id);
        Assert.Equal(1, _store.OrderCount);
        Assert.Equal(1, _store.PendingOutboxCount);
    }

    [Fact]
    public async Task PlaceAsync_SameKeyDifferentPayload_ThrowsMismatch()
    {
        PlaceOrderResult first = await _service.PlaceAsync(TwoLineRequest(), "checkout-1");
        IdempotencyKeyMismatchException error = await Assert.ThrowsAsync<IdempotencyKeyMismatchException>(() => _service.PlaceAsync(Request((Mug, 1, 12.50m)), "checkout-1"));
        Assert.Equal("checkout-1", error.Key);
        Assert.Equal(first.Order.Id.Value, error.FirstResult);
        Assert.Equal(1, _store.OrderCount);
    }

    [Fact]
    public async Task PlaceAsync_KeyExpired_PlacesANewOrder()
    {
        await _service.PlaceAsync(TwoLineRequest(), "checkout-1");
        _clock.Advance(Duration.FromHours(25));
        PlaceOrderResult again = await _service.PlaceAsync(Request((Mug, 1, 1m)), "checkout-1");
        Assert.False(again.IsReplay);
        Assert.Equal(2, _store.OrderCount);
    }

    [Fact]
    public async Task PlaceAsync_ConcurrentSameKey_PlacesOneOrder()
    {
        PlaceOrderResult[] results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => _service.PlaceAsync(TwoLineRequest(), "double-click"))));
        Assert.Single(results.Select(r => r.Order.Id).Distinct());
        Assert.Equal(15, results.Count(r => r.IsReplay));
        Assert.Equal(1, _store.OrderCount);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task PlaceAsync_BlankKey_ThrowsAndStoresNothing(string key)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _service.PlaceAsync(TwoLineRequest(), key));
        Assert.Equal(0, _store.OrderCount);
    }

    [Fact]
    public async Task PlaceAsync_KeyOver255Characters_ThrowsNamingIt()
    {
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => _service.PlaceAsync(TwoLineRequest(), new string('k', 256)));
        Assert.Equal("idempotencyKey", error.ParamName);
        Assert.Contains("256", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _store.OrderCount);
    }

    [Fact]
    public async Task PlaceAsync_BadRequest_StoresNothing()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _service.PlaceAsync(Request((Mug, 1, 1m), (Mug, 2, 1m)), "k"));
        Assert.Equal(0, _store.OrderCount);
        Assert.Equal(0, _store.PendingOutboxCount);
        PlaceOrderResult fixedUp = await _service.PlaceAsync(Request((Mug, 3, 1m)), "k");
        Assert.False(fixedUp.IsReplay);
    }

    [Fact]
    public async Task PlaceAsync_TakenOrderId_Throws()
    {
        PlaceOrderRequest request = new()
        {
            CustomerId = new CustomerId("C"),
            Channel = new SalesChannel("web"),
            ShippingAddress = Berlin,
            Currency = Currency.EUR,
            Lines = [new PlaceOrderLine(Mug, new Quantity(1), Eur(1m))],
            OrderId = new OrderId("ORD-1"),
        };
        await _service.PlaceAsync(request);
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => _service.PlaceAsync(request));
        Assert.Contains("\"ORD-1\" is already taken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_ConfirmHoldReleaseCancel_SaveEachVersion()
    {
        Order order = (await _service.PlaceAsync(TwoLineRequest())).Order;
        await _service.ConfirmPaymentAsync(order.Id, order.Total);
        OrderHold hold = await _service.HoldAsync(order.Id, HoldReason.FraudReview, "risk");
        await _service.ReleaseHoldAsync(order.Id, hold.Number, "analyst");
        await _service.CancelLineAsync(order.Id, Mug, new Quantity(1), "out of red");
        Order cancelled = await _service.CancelAsync(order.Id, "customer asked");
        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        Assert.Equal(6, cancelled.Version);
        Assert.Equal(cancelled.Timeline.Count, _store.PendingOutboxCount);
    }

    [Fact]
    public async Task Commands_RefusedAction_StoresNothing()
    {
        Order order = (await _service.PlaceAsync(TwoLineRequest())).Order;
        await Assert.ThrowsAsync<InvalidOrderTransitionException>(() => _service.ChangeAsync(order.Id, o => o.Complete()));
        Assert.Equal(1, (await _service.GetAsync(order.Id)).Version);
        await Assert.ThrowsAsync<OrderNotFoundException>(() => _service.CancelAsync(new OrderId("nope"), "x"));
        Assert.Null(await _service.FindAsync(new OrderId("nope")));
    }

    [Fact]
    public async Task ChangeAsync_ConcurrentWriters_LoseNoUpdate()
    {
        Order order = (await _service.PlaceAsync(TwoLineRequest())).Order;
        var service = new OrderService(_store, _clock, new OrderKitOptions { MaxConcurrencyRetries = 100 });
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => service.HoldAsync(order.Id, HoldReason.Custom, $"staff-{i}", "check"))));
        Order held = await service.GetAsync(order.Id);
        Assert.Equal(20, held.ActiveHolds.Count);
        Assert.Equal(21, held.Version);
        Assert.Equal(Enumerable.Range(1, 20), held.ActiveHolds.Select(h => h.Number).Order());
    }

    [Fact]
    public async Task ChangeAsync_StaleWriterBeyondRetries_ThrowsConflict()
    {
        Order order = (await _service.PlaceAsync(TwoLineRequest())).Order;
        var impatient = new OrderService(_store, _clock, new OrderKitOptions { MaxConcurrencyRetries = 0 });
        ConcurrencyConflictException error = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => impatient.ChangeAsync(order.Id, o =>
        {
            o.Hold(HoldReason.Payment, "first");
            _service.HoldAsync(order.Id, HoldReason.Payment, "second").GetAwaiter().GetResult();
        }));
        Assert.Equal(order.Id, error.OrderId);
        Assert.Equal(1, error.ExpectedVersion);
        Assert.Equal(2, error.ActualVersion);
    }

    [Fact]
    public void Constructor_BadOptions_ThrowNamingTheOption()
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new OrderService(_store, _clock, new OrderKitOptions { MaxConcurrencyRetries = -1 }));
        Assert.Equal("MaxConcurrencyRetries", error.ParamName);
    }
}
