using NodaTime;
using OrderKit.Allocation;
using OrderKit.Events;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence;
using static OrderKit.Testing.Shop;

namespace OrderKit.Testing;

public sealed partial class StoreConformance
{
    /// <summary>An order with a long life (payment, holds, allocation, backorder, shipping, delivery, cancellation) reads back exactly as it was saved.</summary>
    private static async Task OrdersRoundTripAsync(Shop shop)
    {
        await shop.Inventory.ReceiveAsync(Mug, A, new Quantity(5), "PO-1", shop.Token);
        await shop.Inventory.SetPolicyAsync(Tee, InventoryPolicy.Backorder(), shop.Token);
        PlaceOrderRequest request = Request((Mug, 2), (Tee, 3));
        request = new PlaceOrderRequest
        {
            CustomerId = request.CustomerId,
            Channel = request.Channel,
            ShippingAddress = Berlin with { Line2 = "Hinterhaus", Phone = "+49 30 1234", Region = "BE" },
            BillingAddress = new Address("Ada Lovelace", "Postfach 7", "Potsdam", null, "DE"),
            Currency = Currency.EUR,
            Lines = request.Lines,
            ShippingCharge = new Money(4.95m, Currency.EUR),
            Discount = new Money(1.10m, Currency.EUR),
            PromisedDeliveryDate = new LocalDate(2026, 11, 9),
        };
        PlaceOrderResult placed = await shop.Orders.PlaceAsync(request, "round-trip-1", shop.Token);
        OrderId id = placed.Order.Id;
        await shop.Orders.ConfirmPaymentAsync(id, placed.Order.Total, shop.Token);
        OrderHold hold = await shop.Orders.HoldAsync(id, HoldReason.FraudReview, "risk-bot", "score 71", shop.Token);
        await shop.Orders.ReleaseHoldAsync(id, hold.Number, "ana", shop.Token);
        await shop.Orders.HoldAsync(id, HoldReason.AddressCheck, "ana", null, shop.Token);
        await shop.Orders.ChangeAsync(id, o => o.ReleaseHold(o.ActiveHolds[0].Number, "ana"), shop.Token);
        await shop.Orders.AllocateAsync(id, new AllocationPreferences { OnShortfall = ShortfallAction.Hold }, shop.Token);
        await shop.Orders.CancelLineAsync(id, Tee, new Quantity(1), "customer asked", shop.Token);
        await shop.Orders.ChangeAsync(id, o => o.CapturePayment(o.Total), shop.Token);
        await shop.Orders.ChangeAsync(id, o => o.Ship([new LineQuantity(Mug, new Quantity(1))], A), shop.Token);
        Order expected = await shop.Orders.ChangeAsync(id, o => o.Deliver([new LineQuantity(Mug, new Quantity(1))]), shop.Token);

        OrderSnapshot? stored = await shop.ReadAsync(tx => tx.Orders.FindAsync(id, shop.Token).AsTask());
        shop.Expect(stored is not null, $"order {id} was saved and committed, but FindAsync returned null.");
        shop.ExpectEqual(OrderKitJson.SerializeOrder(expected.ToSnapshot()), OrderKitJson.SerializeOrder(stored!), $"order {id} as read back (compared as its JSON document)");
        shop.Expect(stored!.Timeline.Count >= 10, $"order {id} should read back with its whole timeline; found {stored.Timeline.Count} events.");

        // A second order ends cancelled after a failed payment, so the timeline kinds not seen above are covered too.
        PlaceOrderResult second = await shop.Orders.PlaceAsync(Request((Cap, 1)), cancellationToken: shop.Token);
        await shop.Orders.ChangeAsync(second.Order.Id, o => o.FailPayment("card declined"), shop.Token);
        Order cancelled = await shop.Orders.CancelAsync(second.Order.Id, "payment failed", shop.Token);
        OrderSnapshot? storedCancelled = await shop.ReadAsync(tx => tx.Orders.FindAsync(second.Order.Id, shop.Token).AsTask());
        shop.ExpectEqual(OrderKitJson.SerializeOrder(cancelled.ToSnapshot()), OrderKitJson.SerializeOrder(storedCancelled!), $"order {second.Order.Id} as read back");

        // Read-your-writes inside one transaction, and nothing for an order that does not exist.
        await shop.ReadAsync(async tx =>
        {
            OrderSnapshot changed = stored with { Version = stored.Version + 1 };
            await tx.Orders.SaveAsync(changed, shop.Token);
            OrderSnapshot? seen = await tx.Orders.FindAsync(id, shop.Token);
            shop.ExpectEqual(changed.Version, seen?.Version ?? 0, "an order saved in a transaction, read back in the same transaction (version)");
            shop.Expect(await tx.Orders.FindAsync(new OrderId("ord_missing"), shop.Token) is null, "FindAsync of an unknown order must return null.");
            return 0;
        });
        OrderSnapshot? after = await shop.ReadAsync(tx => tx.Orders.FindAsync(id, shop.Token).AsTask());
        shop.ExpectEqual(stored.Version, after!.Version, "the version of an order saved in a transaction that was disposed without a commit");
    }

    /// <summary>A save from a stale read conflicts; so do a version gap and a second order under a taken id.</summary>
    private static async Task OrdersVersionConflictAsync(Shop shop)
    {
        Order placed = (await shop.Orders.PlaceAsync(Request((Mug, 1)), cancellationToken: shop.Token)).Order;
        OrderSnapshot stale = (await shop.ReadAsync(tx => tx.Orders.FindAsync(placed.Id, shop.Token).AsTask()))!;
        shop.ExpectEqual(1L, stale.Version, "the version of an order saved once");

        OrderSnapshot first = stale with { Version = 2, NextHoldNumber = stale.NextHoldNumber + 7 };
        await shop.InTransactionAsync(async tx =>
        {
            await tx.Orders.SaveAsync(first, shop.Token);
            return 0;
        });

        await shop.ExpectConflictAsync(
            () => shop.InTransactionAsync(async tx =>
            {
                await tx.Orders.SaveAsync(stale with { Version = 2 }, shop.Token);
                await tx.Outbox.AppendAsync([new OrderCompleted(placed.Id, 99, shop.Clock.GetCurrentInstant())], shop.Token);
                return 0;
            }),
            "saving version 2 of an order whose stored version is already 2");
        await shop.ExpectConflictAsync(
            () => shop.InTransactionAsync(async tx =>
            {
                await tx.Orders.SaveAsync(stale with { Version = 4 }, shop.Token);
                return 0;
            }),
            "saving version 4 of an order whose stored version is 2");
        await shop.ExpectConflictAsync(
            () => shop.InTransactionAsync(async tx =>
            {
                await tx.Orders.SaveAsync(stale with { Version = 1 }, shop.Token);
                return 0;
            }),
            "saving a new order (version 1) under an id that is taken");

        OrderSnapshot now = (await shop.ReadAsync(tx => tx.Orders.FindAsync(placed.Id, shop.Token).AsTask()))!;
        shop.ExpectEqual(2L, now.Version, "the stored version after the conflicts");
        shop.ExpectEqual(first.NextHoldNumber, now.NextHoldNumber, "the stored order after the conflicts (the first save must win)");
        IReadOnlyList<OutboxMessage> outbox = await shop.Store.ReadOutboxAsync(1000, shop.Token);
        shop.Expect(outbox.All(m => m.Event.Sequence != 99), "an event appended in a unit of work that conflicted reached the outbox.");
    }

    /// <summary>The backorder queue of a SKU lists its waiting lines first come, first served, and follows each save.</summary>
    private static async Task OrdersWaitingQueueAsync(Shop shop)
    {
        await shop.Inventory.SetPolicyAsync(Tee, InventoryPolicy.Backorder(), shop.Token);
        var ids = new List<OrderId>();
        for (int i = 0; i < 3; i++)
        {
            // Identifiers that sort against the order of placing: the queue must follow when orders were placed.
            PlaceOrderRequest request = Request((Tee, i + 1));
            PlaceOrderResult placed = await shop.Orders.PlaceAsync(
                new PlaceOrderRequest { CustomerId = request.CustomerId, Channel = Web, ShippingAddress = Berlin, Currency = Currency.EUR, Lines = request.Lines, OrderId = new OrderId($"ord_wait_{3 - i}") },
                cancellationToken: shop.Token);
            Order order = await shop.Orders.ConfirmPaymentAsync(placed.Order.Id, placed.Order.Total, shop.Token);
            await shop.Orders.AllocateAsync(order.Id, cancellationToken: shop.Token);
            ids.Add(order.Id);
            shop.Clock.Advance(Duration.FromMinutes(1));
        }

        IReadOnlyList<WaitingLine> waiting = await shop.ReadAsync(tx => tx.Orders.FindWaitingAsync(Tee, 10, shop.Token).AsTask());
        shop.ExpectEqual(string.Join(",", ids.Select((id, i) => $"{id}:{i + 1}")), string.Join(",", waiting.Select(w => $"{w.OrderId}:{w.Units}")), "the waiting lines of TEE (order:units), earliest placed first");
        IReadOnlyList<WaitingLine> two = await shop.ReadAsync(tx => tx.Orders.FindWaitingAsync(Tee, 2, shop.Token).AsTask());
        shop.ExpectEqual(2, two.Count, "the waiting lines returned with maxCount 2");

        await shop.Orders.CancelAsync(ids[0], "changed mind", shop.Token);
        await shop.Inventory.ReceiveAsync(Tee, A, new Quantity(2), cancellationToken: shop.Token);
        IReadOnlyList<WaitingLine> rest = await shop.ReadAsync(tx => tx.Orders.FindWaitingAsync(Tee, 10, shop.Token).AsTask());
        shop.ExpectEqual($"{ids[2]}:3", string.Join(",", rest.Select(w => $"{w.OrderId}:{w.Units}")), "the waiting lines after a cancellation and an arrival that filled the second order");
        IReadOnlyList<WaitingLine> none = await shop.ReadAsync(tx => tx.Orders.FindWaitingAsync(Mug, 10, shop.Token).AsTask());
        shop.ExpectEqual(0, none.Count, "the waiting lines of a SKU nobody waits for");
    }
}
