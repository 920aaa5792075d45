using NodaTime;
using OrderKit.Orders;
using static OrderKit.Testing.Shop;

namespace OrderKit.Testing;

public sealed partial class StoreConformance
{
    /// <summary>
    /// The orders placed in a window come earliest first, ties by order id compared ordinally (so "ord-B" before
    /// "ord-a", whatever the database's collation), each once and as last saved; pages that start after the last order
    /// of the page before walk the window without repeating or skipping an order, also when orders share a moment
    /// finer than a microsecond; the window's end is excluded; bad arguments are refused.
    /// </summary>
    private static async Task OrdersFoundByPlacementAsync(Shop shop)
    {
        Instant from = Instant.FromUtc(2026, 11, 2, 9, 0);
        Instant to = from + Duration.FromHours(2);
        shop.Clock.Reset(from - Duration.FromMinutes(1));
        await PlaceAsAsync(shop, "ord-before").ConfigureAwait(false);

        // Three at one moment a fraction of a microsecond past the hour, then two an hour on, then one at the end.
        shop.Clock.Reset(from + Duration.FromNanoseconds(300));
        foreach (string id in new[] { "ord-a", "ord-B", "ord-C" })
        {
            await PlaceAsAsync(shop, id).ConfigureAwait(false);
        }

        shop.Clock.Reset(from + Duration.FromHours(1));
        await PlaceAsAsync(shop, "ord-later").ConfigureAwait(false);
        await PlaceAsAsync(shop, "ord-last").ConfigureAwait(false);
        shop.Clock.Reset(to);
        await PlaceAsAsync(shop, "ord-at-the-end").ConfigureAwait(false);

        // An order changed after it was placed is found once, as it stands now.
        Order cancelled = await shop.Orders.CancelAsync(new OrderId("ord-B"), "changed my mind", shop.Token).ConfigureAwait(false);

        string[] expected = ["ord-B", "ord-C", "ord-a", "ord-last", "ord-later"];
        IReadOnlyList<OrderSnapshot> all = await shop.ReadAsync(tx => tx.Orders.FindPlacedAsync(from, to, null, 100, shop.Token).AsTask()).ConfigureAwait(false);
        shop.ExpectEqual(string.Join(",", expected), string.Join(",", all.Select(o => o.Id.Value)), "the orders placed in the window, earliest first, ties by id (ordinal)");
        ExpectAsLastSaved(shop, cancelled, all, "by placement");

        await ExpectPagesAsync(shop, expected, (tx, after, pageSize) => tx.Orders.FindPlacedAsync(from, to, after, pageSize, shop.Token).AsTask(), "orders placed in the window").ConfigureAwait(false);

        IReadOnlyList<OrderSnapshot> narrow = await shop.ReadAsync(tx => tx.Orders.FindPlacedAsync(from + Duration.FromMinutes(30), to + Duration.FromSeconds(1), null, 100, shop.Token).AsTask()).ConfigureAwait(false);
        shop.ExpectEqual("ord-last,ord-later,ord-at-the-end", string.Join(",", narrow.Select(o => o.Id.Value)), "the orders placed in a window that starts later and includes its end");
        IReadOnlyList<OrderSnapshot> ever = await shop.ReadAsync(tx => tx.Orders.FindPlacedAsync(Instant.MinValue, Instant.MaxValue, null, 100, shop.Token).AsTask()).ConfigureAwait(false);
        shop.ExpectEqual(7, ever.Count, "the orders placed from the earliest instant to the latest");
        IReadOnlyList<OrderSnapshot> none = await shop.ReadAsync(tx => tx.Orders.FindPlacedAsync(to + Duration.FromSeconds(1), to + Duration.FromHours(1), null, 100, shop.Token).AsTask()).ConfigureAwait(false);
        shop.ExpectEqual(0, none.Count, "the orders placed in a window after every order");

        await ExpectRefusedAsync<ArgumentException>(shop, tx => tx.Orders.FindPlacedAsync(to, from, null, 10, shop.Token).AsTask(), "the orders placed in a window that ends before it starts").ConfigureAwait(false);
        await ExpectRefusedAsync<ArgumentException>(shop, tx => tx.Orders.FindPlacedAsync(from, from, null, 10, shop.Token).AsTask(), "the orders placed in an empty window").ConfigureAwait(false);
        await ExpectRefusedAsync<ArgumentOutOfRangeException>(shop, tx => tx.Orders.FindPlacedAsync(from, to, null, 0, shop.Token).AsTask(), "the orders placed in a page of no orders").ConfigureAwait(false);
    }

    /// <summary>An order cancelled after it was placed is found as it stands now (that it is found once, the caller checked).</summary>
    private static void ExpectAsLastSaved(Shop shop, Order cancelled, IReadOnlyList<OrderSnapshot> found, string how)
    {
        OrderSnapshot order = found.First(o => o.Id == cancelled.Id);
        shop.ExpectEqual(cancelled.Version, order.Version, $"the version of an order changed after it was placed, as found {how}");
        shop.ExpectEqual(OrderStatus.Cancelled, order.Status, $"the status of an order changed after it was placed, as found {how}");
        shop.ExpectEqual(cancelled.Timeline.Count, order.Timeline.Count, $"the timeline of an order found {how}");
    }

    /// <summary>
    /// Reads orders one and two a page, each page starting after the last order of the one before, and expects every
    /// page within its size and the pages together to be <paramref name="expected"/>, in order.
    /// </summary>
    private static async Task ExpectPagesAsync(Shop shop, string[] expected, Func<Persistence.IOrderKitTransaction, OrderSnapshot?, int, Task<IReadOnlyList<OrderSnapshot>>> read, string what)
    {
        foreach (int pageSize in new[] { 1, 2 })
        {
            var walked = new List<string>();
            OrderSnapshot? after = null;
            for (int pages = 0; pages <= expected.Length; pages++)
            {
                OrderSnapshot? cursor = after;
                IReadOnlyList<OrderSnapshot> page = await shop.ReadAsync(tx => read(tx, cursor, pageSize)).ConfigureAwait(false);
                shop.Expect(page.Count <= pageSize, $"a page of at most {pageSize} {what} held {page.Count}.");
                walked.AddRange(page.Select(o => o.Id.Value));
                if (page.Count < pageSize)
                {
                    break;
                }

                after = page[^1];
            }

            shop.ExpectEqual(string.Join(",", expected), string.Join(",", walked), $"the {what}, read {pageSize} a page");
        }
    }

    private static Task PlaceAsAsync(Shop shop, string id) => PlaceAsAsync(shop, id, new CustomerId("cus_1"));

    private static async Task PlaceAsAsync(Shop shop, string id, CustomerId customerId)
    {
        PlaceOrderRequest request = new()
        {
            OrderId = new OrderId(id),
            CustomerId = customerId,
            Channel = Web,
            ShippingAddress = Berlin,
            Currency = Currency.EUR,
            Lines = [new PlaceOrderLine(Mug, new Quantity(1), new Money(12.50m, Currency.EUR))],
        };
        await shop.Orders.PlaceAsync(request, cancellationToken: shop.Token).ConfigureAwait(false);
    }

    private static async Task ExpectRefusedAsync<TException>(Shop shop, Func<Persistence.IOrderKitTransaction, Task> read, string what)
        where TException : Exception
    {
        try
        {
            await shop.ReadAsync(async tx =>
            {
                await read(tx).ConfigureAwait(false);
                return 0;
            }).ConfigureAwait(false);
        }
        catch (TException)
        {
            return;
        }

        throw new ConformanceException(shop.Check, $"{what} were read; expected {typeof(TException).Name}.");
    }
}
