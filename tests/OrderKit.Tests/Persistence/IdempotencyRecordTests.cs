using NodaTime;
using NodaTime.Testing;
using OrderKit.Orders;
using OrderKit.Persistence;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Persistence;

public sealed class IdempotencyRecordTests
{
    [Fact]
    public async Task PlaceAsync_WithAKey_StoresARecordThatExpiresAfterTheRetention()
    {
        FakeClock clock = NewClock();
        var store = new InMemoryOrderKitStore(clock);
        var options = new OrderKitOptions { IdempotencyRetention = Duration.FromHours(2) };
        var service = new OrderService(store, clock, options);
        PlaceOrderResult placed = await service.PlaceAsync(TwoLineRequest(), "checkout-9");

        await using IOrderKitTransaction transaction = await store.BeginTransactionAsync();
        IdempotencyRecord? record = await transaction.Idempotency.FindAsync("place-order", "checkout-9");

        Assert.NotNull(record);
        Assert.Equal(placed.Order.Id.Value, record.Result);
        Assert.Equal(record.CreatedAt + Duration.FromHours(2), record.ExpiresAt);
        Assert.False(string.IsNullOrEmpty(record.RequestHash));
    }

    [Fact]
    public void Records_CompareByValue()
    {
        var at = Instant.FromUtc(2026, 11, 2, 9, 0);
        var record = new IdempotencyRecord("place-order", "k", "hash", "ord_1", at, at + Duration.FromHours(24));

        Assert.Equal(record, record with { });
        Assert.NotEqual(record, record with { RequestHash = "other" });
    }
}
