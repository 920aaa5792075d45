using OrderKit.Orders;
using OrderKit.Tests.Orders;
using OrderKit.Persistence;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Persistence;

public sealed class WaitingLineTests
{
    [Fact]
    public async Task TheStoreQueuesBackorderedLines_EarliestPlacedFirst_AndDropsThemWhenFilled()
    {
        var shop = new OrderServiceTests.Shop();
        await shop.Inventory.SetPolicyAsync(Mug, OrderKit.Inventory.InventoryPolicy.Backorder());
        Order first = await shop.ConfirmedAsync((Mug, 2));
        Order second = await shop.ConfirmedAsync((Mug, 1));
        await shop.Orders.AllocateAsync(first.Id);
        await shop.Orders.AllocateAsync(second.Id);

        IReadOnlyList<WaitingLine> queue = await ReadQueueAsync(shop.Store);
        await shop.Inventory.ReceiveAsync(Mug, new LocationId("WH-A"), new Quantity(2));

        Assert.Equal([(first.Id, 2), (second.Id, 1)], queue.Select(w => (w.OrderId, w.Units)));
        Assert.Equal([second.Id], (await ReadQueueAsync(shop.Store)).Select(w => w.OrderId));
    }

    private static async Task<IReadOnlyList<WaitingLine>> ReadQueueAsync(IOrderKitStore store)
    {
        IOrderKitTransaction transaction = await store.BeginTransactionAsync();
        await using (transaction)
        {
            return await transaction.Orders.FindWaitingAsync(Mug, 10);
        }
    }
}
