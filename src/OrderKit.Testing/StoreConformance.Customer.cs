using NodaTime;
using OrderKit.Orders;

namespace OrderKit.Testing;

public sealed partial class StoreConformance
{
    /// <summary>
    /// A customer's orders come latest placed first, ties by order id compared ordinally and descending (so "ord-a"
    /// before "ord-B", whatever the database's collation), each once and as last saved, and no other customer's;
    /// pages that start after the last order of the page before walk the history without repeating or skipping an
    /// order, also when orders share a moment finer than a microsecond; a customer without orders has an empty
    /// history; bad arguments are refused.
    /// </summary>
    private static async Task OrdersFoundByCustomerAsync(Shop shop)
    {
        var ada = new CustomerId("cus_ada");
        var bob = new CustomerId("cus_bob");
        Instant start = Instant.FromUtc(2026, 11, 2, 9, 0);
        shop.Clock.Reset(start);
        await PlaceAsAsync(shop, "ord-first", ada).ConfigureAwait(false);
        await PlaceAsAsync(shop, "ord-bob-1", bob).ConfigureAwait(false);

        // Three at one moment a fraction of a microsecond past the hour, then one a day on, and one of Bob's between.
        shop.Clock.Reset(start + Duration.FromHours(1) + Duration.FromNanoseconds(300));
        foreach (string id in new[] { "ord-a", "ord-B", "ord-C" })
        {
            await PlaceAsAsync(shop, id, ada).ConfigureAwait(false);
        }

        shop.Clock.Reset(start + Duration.FromHours(2));
        await PlaceAsAsync(shop, "ord-bob-2", bob).ConfigureAwait(false);
        shop.Clock.Reset(start + Duration.FromDays(1));
        await PlaceAsAsync(shop, "ord-latest", ada).ConfigureAwait(false);

        // An order changed after it was placed is found once, as it stands now.
        Order cancelled = await shop.Orders.CancelAsync(new OrderId("ord-C"), "changed my mind", shop.Token).ConfigureAwait(false);

        string[] expected = ["ord-latest", "ord-a", "ord-C", "ord-B", "ord-first"];
        IReadOnlyList<OrderSnapshot> all = await shop.ReadAsync(tx => tx.Orders.FindByCustomerAsync(ada, null, 100, shop.Token).AsTask()).ConfigureAwait(false);
        shop.ExpectEqual(string.Join(",", expected), string.Join(",", all.Select(o => o.Id.Value)), "a customer's orders, latest first, ties by id (ordinal, descending)");
        ExpectAsLastSaved(shop, cancelled, all, "by customer");

        await ExpectPagesAsync(shop, expected, (tx, after, pageSize) => tx.Orders.FindByCustomerAsync(ada, after, pageSize, shop.Token).AsTask(), "a customer's orders").ConfigureAwait(false);

        IReadOnlyList<OrderSnapshot> bobs = await shop.ReadAsync(tx => tx.Orders.FindByCustomerAsync(bob, null, 100, shop.Token).AsTask()).ConfigureAwait(false);
        shop.ExpectEqual("ord-bob-2,ord-bob-1", string.Join(",", bobs.Select(o => o.Id.Value)), "another customer's orders");
        IReadOnlyList<OrderSnapshot> none = await shop.ReadAsync(tx => tx.Orders.FindByCustomerAsync(new CustomerId("cus_nobody"), null, 100, shop.Token).AsTask()).ConfigureAwait(false);
        shop.ExpectEqual(0, none.Count, "the orders of a customer who never ordered");
        OrderSnapshot oldest = all[^1];
        IReadOnlyList<OrderSnapshot> pastTheOldest = await shop.ReadAsync(tx => tx.Orders.FindByCustomerAsync(ada, oldest, 100, shop.Token).AsTask()).ConfigureAwait(false);
        shop.ExpectEqual(0, pastTheOldest.Count, "a customer's orders after the oldest");

        await ExpectRefusedAsync<ArgumentException>(shop, tx => tx.Orders.FindByCustomerAsync(default, null, 10, shop.Token).AsTask(), "the orders of the default customer id").ConfigureAwait(false);
        await ExpectRefusedAsync<ArgumentException>(shop, tx => tx.Orders.FindByCustomerAsync(bob, all[0], 10, shop.Token).AsTask(), "a customer's orders after another customer's order").ConfigureAwait(false);
        await ExpectRefusedAsync<ArgumentOutOfRangeException>(shop, tx => tx.Orders.FindByCustomerAsync(ada, null, 0, shop.Token).AsTask(), "a customer's orders in a page of no orders").ConfigureAwait(false);
    }
}
