using NodaTime.Testing;
using OrderKit.Orders;
using OrderKit.Persistence;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Persistence;

public sealed class IdempotencyKeyMismatchExceptionTests
{
    [Fact]
    public async Task SameKeyOtherRequest_NamesOperationKeyAndFirstResult()
    {
        FakeClock clock = NewClock();
        var service = new OrderService(new InMemoryOrderKitStore(clock), clock, new OrderKitOptions());
        PlaceOrderResult first = await service.PlaceAsync(TwoLineRequest(), "checkout-7");

        IdempotencyKeyMismatchException error = await Assert.ThrowsAsync<IdempotencyKeyMismatchException>(() => service.PlaceAsync(Request((Cap, 1, 9m)), "checkout-7"));

        Assert.Equal("checkout-7", error.Key);
        Assert.Equal(first.Order.Id.Value, error.FirstResult);
        Assert.False(string.IsNullOrEmpty(error.Operation));
        Assert.Equal("idempotencyKey", error.ParamName);
        Assert.Contains("\"checkout-7\"", error.Message, StringComparison.Ordinal);
        Assert.Contains(first.Order.Id.Value, error.Message, StringComparison.Ordinal);
    }
}
