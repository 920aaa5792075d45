using NodaTime;
using OrderKit.Inventory;
using OrderKit.Persistence;
using static OrderKit.Testing.Shop;

namespace OrderKit.Testing;

public sealed partial class StoreConformance
{
    /// <summary>
    /// A cart hold is reserved stock: a unit of work that read a hold may remove or replace it only while it is as read,
    /// and one that found a cart without a hold may give it one only while it still has none. Here another unit of work
    /// takes the hold over (and creates one) after this one read, and commits first.
    /// </summary>
    private static async Task CartHoldChangedOnlyAsReadAsync(Shop shop)
    {
        Instant now = shop.Clock.GetCurrentInstant();
        await using (IOrderKitTransaction setUp = await shop.Store.BeginTransactionAsync(shop.Token))
        {
            await setUp.Inventory.SaveHoldAsync(new CartHold("cart-1", [], now, now + Duration.FromMinutes(15)), shop.Token);
            await setUp.CommitAsync(shop.Token);
        }

        IOrderKitTransaction first = await shop.Store.BeginTransactionAsync(shop.Token);
        IOrderKitTransaction second = await shop.Store.BeginTransactionAsync(shop.Token);
        await using (first)
        await using (second)
        {
            shop.Expect(await first.Inventory.FindHoldAsync("cart-1", shop.Token) is not null, "the first unit of work should read cart-1's hold.");
            shop.Expect(await second.Inventory.FindHoldAsync("cart-1", shop.Token) is not null, "the second unit of work should read cart-1's hold.");
            await first.Inventory.DeleteHoldAsync("cart-1", shop.Token);
            await first.CommitAsync(shop.Token);

            await ExpectRefusedAsync(shop, "removing cart-1's hold after another unit of work removed it", async () =>
            {
                await second.Inventory.DeleteHoldAsync("cart-1", shop.Token);
                await second.CommitAsync(shop.Token);
            });
        }

        first = await shop.Store.BeginTransactionAsync(shop.Token);
        second = await shop.Store.BeginTransactionAsync(shop.Token);
        await using (first)
        await using (second)
        {
            shop.Expect(await first.Inventory.FindHoldAsync("cart-2", shop.Token) is null, "cart-2 should have no hold yet.");
            shop.Expect(await second.Inventory.FindHoldAsync("cart-2", shop.Token) is null, "cart-2 should have no hold yet.");
            await first.Inventory.SaveHoldAsync(new CartHold("cart-2", [], now, now + Duration.FromMinutes(5)), shop.Token);
            await first.CommitAsync(shop.Token);

            await ExpectRefusedAsync(shop, "giving cart-2 a hold after another unit of work gave it one", async () =>
            {
                await second.Inventory.SaveHoldAsync(new CartHold("cart-2", [], now, now + Duration.FromMinutes(9)), shop.Token);
                await second.CommitAsync(shop.Token);
            });
        }

        await using IOrderKitTransaction check = await shop.Store.BeginTransactionAsync(shop.Token);
        shop.Expect(await check.Inventory.FindHoldAsync("cart-1", shop.Token) is null, "cart-1's hold should be gone, removed once.");
        shop.ExpectEqual(now + Duration.FromMinutes(5), (await check.Inventory.FindHoldAsync("cart-2", shop.Token))?.ExpiresAt, "cart-2's hold, as the first unit of work saved it: expires at");
    }

    /// <summary>
    /// A cell's expected arrivals are replaced with a list built from the one read: only while that is still the list.
    /// Here another unit of work announces an arrival after this one read the (empty) list, and commits first.
    /// </summary>
    private static async Task ArrivalsReplacedOnlyAsReadAsync(Shop shop)
    {
        var day = new LocalDate(2026, 12, 1);
        IOrderKitTransaction first = await shop.Store.BeginTransactionAsync(shop.Token);
        IOrderKitTransaction second = await shop.Store.BeginTransactionAsync(shop.Token);
        await using (first)
        await using (second)
        {
            shop.ExpectEqual(0, (await first.Inventory.FindAsync(Mug, shop.Token))?.LevelAt(A).IncomingTotal ?? 0, "units the first unit of work reads as expected");
            shop.ExpectEqual(0, (await second.Inventory.FindAsync(Mug, shop.Token))?.LevelAt(A).IncomingTotal ?? 0, "units the second unit of work reads as expected");
            await first.Inventory.SaveIncomingAsync(Mug, A, [new IncomingStock(2, day)], shop.Token);
            await first.CommitAsync(shop.Token);

            await ExpectRefusedAsync(shop, "replacing MUG's arrivals at WH-A after another unit of work changed them", async () =>
            {
                await second.Inventory.SaveIncomingAsync(Mug, A, [new IncomingStock(3, day)], shop.Token);
                await second.CommitAsync(shop.Token);
            });
        }

        await using IOrderKitTransaction check = await shop.Store.BeginTransactionAsync(shop.Token);
        SkuStock? stock = await check.Inventory.FindAsync(Mug, shop.Token);
        shop.Expect(stock is not null && stock.LevelAt(A).Incoming.SequenceEqual([new IncomingStock(2, day)]), $"MUG's arrivals at WH-A should be the first unit of work's (2 units on {day}); read {string.Join(", ", stock?.LevelAt(A).Incoming ?? [])}.");
    }

    /// <summary>Expects a write and the commit after it to be refused with <see cref="ConcurrencyConflictException"/>, at either step.</summary>
    private static async Task ExpectRefusedAsync(Shop shop, string what, Func<Task> writeAndCommit)
    {
        try
        {
            await writeAndCommit();
        }
        catch (ConcurrencyConflictException)
        {
            return;
        }

        shop.Expect(false, $"{what} should be refused with {nameof(ConcurrencyConflictException)}, at the write or at the commit; it was committed.");
    }
}
