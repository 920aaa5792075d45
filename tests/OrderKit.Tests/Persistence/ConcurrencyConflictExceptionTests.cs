using OrderKit.Orders;
using OrderKit.Persistence;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Persistence;

public sealed class ConcurrencyConflictExceptionTests
{
    [Fact]
    public async Task StaleSave_ThrowsNamingTheOrderAndBothVersions()
    {
        var store = new InMemoryOrderKitStore(NewClock());
        Order order = PlaceTwoLineOrder();
        await using (IOrderKitTransaction first = await store.BeginTransactionAsync())
        {
            await first.Orders.SaveAsync(order.ToSnapshot() with { Version = 1 });
            await first.CommitAsync();
        }

        await using IOrderKitTransaction stale = await store.BeginTransactionAsync();
        await stale.Orders.SaveAsync(order.ToSnapshot() with { Version = 1 });
        ConcurrencyConflictException error = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await stale.CommitAsync());

        Assert.Equal(order.Id, error.OrderId);
        Assert.Equal(0, error.ExpectedVersion);
        Assert.Equal(1, error.ActualVersion);
        Assert.Equal($"order {order.Id}", error.Resource);
        Assert.Contains("expected version 0 in the store, found 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherResource_KeepsItsDescription()
    {
        var error = new ConcurrencyConflictException("idempotency key checkout-1", "taken by a concurrent request");

        Assert.Equal("idempotency key checkout-1: taken by a concurrent request", error.Message);
        Assert.Null(error.OrderId);
        Assert.Null(error.ExpectedVersion);
    }
}
