using OrderKit.Persistence;

namespace OrderKit.Tests.Persistence;

public sealed class StoredDataExceptionTests
{
    [Fact]
    public void Message_NamesTheResourceAndTheProblem()
    {
        var inner = new FormatException("bad");
        var error = new StoredDataException("order ord_1", "its document is corrupt.", inner);
        Assert.Equal("order ord_1 cannot be read: its document is corrupt.", error.Message);
        Assert.Equal("order ord_1", error.Resource);
        Assert.Same(inner, error.InnerException);
        Assert.Throws<ArgumentNullException>(() => new StoredDataException(null!, "x"));
    }
}

public sealed class TransientStoreExceptionTests
{
    [Fact]
    public async Task Services_RetryTransientFailures_AndGiveUpAfterTheLimit()
    {
        var clock = TestValues.NewClock();
        var flaky = new FlakyStore(new InMemoryOrderKitStore(clock), failures: 2);
        var orders = new OrderKit.Orders.OrderService(flaky, clock, new OrderKitOptions { MaxConcurrencyRetries = 3 });
        OrderKit.Orders.PlaceOrderResult placed = await orders.PlaceAsync(TestValues.Request((TestValues.Mug, 1, 5m)));
        Assert.Equal(3, flaky.Begun);
        Assert.NotNull(await orders.FindAsync(placed.Order.Id));

        var broken = new FlakyStore(new InMemoryOrderKitStore(clock), failures: 100);
        var give = new OrderKit.Orders.OrderService(broken, clock, new OrderKitOptions { MaxConcurrencyRetries = 2 });
        await Assert.ThrowsAsync<TransientStoreException>(() => give.PlaceAsync(TestValues.Request((TestValues.Mug, 1, 5m))));
        Assert.Equal(3, broken.Begun);
    }

    private sealed class FlakyStore(IOrderKitStore inner, int failures) : IOrderKitStore
    {
        public int Begun { get; private set; }

        public ValueTask<IOrderKitTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default) =>
            ++Begun <= failures ? throw new TransientStoreException("busy") : inner.BeginTransactionAsync(cancellationToken);

        public ValueTask<IReadOnlyList<OutboxMessage>> ReadOutboxAsync(int maxCount, CancellationToken cancellationToken = default) => inner.ReadOutboxAsync(maxCount, cancellationToken);

        public ValueTask MarkDeliveredAsync(IReadOnlyList<long> messageIds, CancellationToken cancellationToken = default) => inner.MarkDeliveredAsync(messageIds, cancellationToken);
    }
}

public sealed class InboxKeyTests
{
    [Fact]
    public void Check_RefusesEmptyAndLongKeys()
    {
        InboxKey.Check("carrier:dhl", "evt-1");
        Assert.Throws<ArgumentException>(() => InboxKey.Check(" ", "evt-1"));
        Assert.Throws<ArgumentException>(() => InboxKey.Check("carrier:dhl", new string('x', InboxKey.MaxMessageIdLength + 1)));
        Assert.Throws<ArgumentNullException>(() => InboxKey.Check("carrier:dhl", null!));
    }
}
