using NodaTime;
using OrderKit.Events;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Persistence;

public sealed class InMemoryOrderKitStoreTests
{
    private readonly NodaTime.Testing.FakeClock _clock = NewClock();

    [Fact]
    public async Task AnOnHandChange_AfterAnotherUnitOfWorkMovedTheCountThisOneRead_IsAConflict_AndNothingIsCommitted()
    {
        var store = new InMemoryOrderKitStore(_clock);
        var at = new LocationId("WH-A");
        StockMovement Adjusted(int change) => new(0, StockMovementKind.Adjusted, Mug, at, Math.Abs(change), change, 0, "count", null, null, Start);
        await using (IOrderKitTransaction setUp = await store.BeginTransactionAsync())
        {
            await setUp.Inventory.SaveLocationAsync(new StockLocation(at, "Warehouse A"));
            await setUp.CommitAsync();
        }

        await using (IOrderKitTransaction setUp = await store.BeginTransactionAsync())
        {
            Assert.True(await setUp.Inventory.TryApplyAsync(Adjusted(5)));
            await setUp.CommitAsync();
        }

        IOrderKitTransaction first = await store.BeginTransactionAsync();
        IOrderKitTransaction second = await store.BeginTransactionAsync();
        await using (first)
        await using (second)
        {
            Assert.Equal(5, (await first.Inventory.FindAsync(Mug))!.LevelAt(at).OnHand);
            Assert.Equal(5, (await second.Inventory.FindAsync(Mug))!.LevelAt(at).OnHand);
            Assert.True(await first.Inventory.TryApplyAsync(Adjusted(2)));
            await first.CommitAsync();

            Assert.True(await second.Inventory.TryApplyAsync(Adjusted(4)));
            await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await second.CommitAsync());
        }

        await using IOrderKitTransaction check = await store.BeginTransactionAsync();
        Assert.Equal(7, (await check.Inventory.FindAsync(Mug))!.LevelAt(at).OnHand);

        // Receipts read the cell only after they write to it, and depend on nothing they read: both commit.
        first = await store.BeginTransactionAsync();
        second = await store.BeginTransactionAsync();
        await using (first)
        await using (second)
        {
            Assert.True(await first.Inventory.TryApplyAsync(Adjusted(1)));
            Assert.True(await second.Inventory.TryApplyAsync(Adjusted(1)));
            Assert.Equal(8, (await first.Inventory.FindAsync(Mug))!.LevelAt(at).OnHand);
            Assert.Equal(8, (await second.Inventory.FindAsync(Mug))!.LevelAt(at).OnHand);
            await first.CommitAsync();
            await second.CommitAsync();
        }

        await using IOrderKitTransaction after = await store.BeginTransactionAsync();
        Assert.Equal(9, (await after.Inventory.FindAsync(Mug))!.LevelAt(at).OnHand);
    }

    [Fact]
    public async Task Commit_ConflictAnywhere_AppliesNothing()
    {
        var store = new InMemoryOrderKitStore(_clock);
        Order a = PlaceTwoLineOrder(_clock);
        await using (IOrderKitTransaction first = await store.BeginTransactionAsync())
        {
            await first.Orders.SaveAsync(a.ToSnapshotAtVersion(1));
            await first.CommitAsync();
        }

        Order b = PlaceTwoLineOrder(_clock);
        await using IOrderKitTransaction tx = await store.BeginTransactionAsync();
        await tx.Orders.SaveAsync(b.ToSnapshotAtVersion(1));
        await tx.Outbox.AppendAsync(b.Timeline);
        await tx.Idempotency.AddAsync(new IdempotencyRecord("op", "k", "h", "r", _clock.GetCurrentInstant(), _clock.GetCurrentInstant() + Duration.FromHours(1)));
        await tx.Orders.SaveAsync(a.ToSnapshotAtVersion(1)); // stale: version 1 is already stored
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await tx.CommitAsync());
        Assert.Equal(1, store.OrderCount);
        Assert.Equal(0, store.PendingOutboxCount);
        await using IOrderKitTransaction check = await store.BeginTransactionAsync();
        Assert.Null(await check.Idempotency.FindAsync("op", "k"));
        Assert.Null(await check.Orders.FindAsync(b.Id));
    }

    [Fact]
    public async Task Dispose_WithoutCommit_DiscardsWrites()
    {
        var store = new InMemoryOrderKitStore(_clock);
        Order order = PlaceTwoLineOrder(_clock);
        await using (IOrderKitTransaction tx = await store.BeginTransactionAsync())
        {
            await tx.Orders.SaveAsync(order.ToSnapshotAtVersion(1));
            Assert.NotNull(await tx.Orders.FindAsync(order.Id));
        }

        Assert.Equal(0, store.OrderCount);
    }

    [Fact]
    public async Task Outbox_ReadsInCommitOrder_AndMarkingIsIdempotent()
    {
        var store = new InMemoryOrderKitStore(_clock);
        Order order = PlaceTwoLineOrder(_clock);
        order.Hold(HoldReason.Payment, "x");
        await using (IOrderKitTransaction tx = await store.BeginTransactionAsync())
        {
            await tx.Outbox.AppendAsync(order.Timeline);
            await tx.CommitAsync();
        }

        IReadOnlyList<OutboxMessage> messages = await store.ReadOutboxAsync(10);
        Assert.Equal([1L, 2L], messages.Select(m => m.Id));
        Assert.IsType<OrderPlaced>(messages[0].Event);
        await store.MarkDeliveredAsync([1, 1, 99]);
        Assert.Equal([2L], (await store.ReadOutboxAsync(10)).Select(m => m.Id));
    }

    [Fact]
    public async Task Transaction_AfterCommit_RefusesUse()
    {
        var store = new InMemoryOrderKitStore(_clock);
        IOrderKitTransaction tx = await store.BeginTransactionAsync();
        await tx.CommitAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await tx.CommitAsync());
        await tx.DisposeAsync();
    }
}
