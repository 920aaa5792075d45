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
    /// <summary>A unit of work that fails in the middle, or is never committed, leaves nothing: no order, event, record, stock, hold or inbox entry.</summary>
    private static async Task CommitIsAllOrNothingAsync(Shop shop)
    {
        await shop.Inventory.ReceiveAsync(Mug, A, new Quantity(3), cancellationToken: shop.Token);
        Order existing = (await shop.Orders.PlaceAsync(Request((Cap, 1)), cancellationToken: shop.Token)).Order;
        int outboxBefore = (await shop.Store.ReadOutboxAsync(10_000, shop.Token)).Count;
        Instant now = shop.Clock.GetCurrentInstant();
        Order fresh = Order.Place(Request((Mug, 2)), shop.Clock);
        OrderSnapshot staleExisting = existing.ToSnapshot() with { Version = 1 };

        async Task StageEverythingAsync(IOrderKitTransaction tx, string message)
        {
            await tx.Orders.SaveAsync(fresh.ToSnapshot() with { Version = 1 }, shop.Token);
            await tx.Outbox.AppendAsync(fresh.Timeline, shop.Token);
            await tx.Idempotency.AddAsync(new IdempotencyRecord("place-order", "half-done", "hash", fresh.Id.Value, now, now + Duration.FromHours(24)), shop.Token);
            shop.Expect(await tx.Inventory.TryApplyAsync(new StockMovement(0, StockMovementKind.Reserved, Mug, A, 2, 0, 2, null, fresh.Id, null, now), shop.Token), "reserving 2 of 3 free units must be allowed.");
            await tx.Inventory.SaveHoldAsync(new CartHold("cart-half", [new HeldStock(Mug, A, 1)], now, now + Duration.FromMinutes(5)), shop.Token);
            await tx.Inventory.SavePolicyAsync(Cap, InventoryPolicy.Untracked, shop.Token);
            shop.Expect(await tx.Inbox.TryRecordAsync("carrier:test", message, shop.Token), "a new inbox message must be recorded.");
        }

        // A failure in the middle: the second order's save conflicts after everything else was written.
        await shop.ExpectConflictAsync(
            () => shop.InTransactionAsync(async tx =>
            {
                await StageEverythingAsync(tx, "evt-1");
                await tx.Orders.SaveAsync(staleExisting, shop.Token);
                return 0;
            }),
            "a unit of work that saves a new order under a taken id");
        await ExpectNothingAsync("a unit of work that failed in the middle", "evt-1");

        // Disposed without a commit.
        await shop.ReadAsync(async tx =>
        {
            await StageEverythingAsync(tx, "evt-2");
            return 0;
        });
        await ExpectNothingAsync("a unit of work disposed without a commit", "evt-2");

        async Task ExpectNothingAsync(string what, string message)
        {
            shop.Expect(await shop.ReadAsync(tx => tx.Orders.FindAsync(fresh.Id, shop.Token).AsTask()) is null, $"{what} left its order stored.");
            shop.ExpectEqual(outboxBefore, (await shop.Store.ReadOutboxAsync(10_000, shop.Token)).Count, $"outbox messages after {what}");
            shop.Expect(await shop.ReadAsync(tx => tx.Idempotency.FindAsync("place-order", "half-done", shop.Token).AsTask()) is null, $"{what} left its idempotency record stored.");
            StockLevel level = await shop.LevelAsync(Mug, A);
            shop.Expect(level.OnHand == 3 && level.Reserved == 0 && level.Available == 3, $"{what} changed the stock: read {level}.");
            shop.ExpectEqual(1, (await shop.Inventory.GetLedgerAsync(Mug, shop.Token)).Count, $"MUG ledger entries after {what}");
            shop.Expect(await shop.Inventory.GetCartHoldAsync("cart-half", shop.Token) is null, $"{what} left its cart hold stored.");
            shop.ExpectEqual(InventoryPolicy.DenyWhenShort, await shop.Inventory.GetPolicyAsync(Cap, shop.Token), $"CAP's policy after {what}");
            shop.Expect(await shop.ReadAsync(tx => tx.Inbox.TryRecordAsync("carrier:test", message, shop.Token).AsTask()), $"{what} left its inbox message recorded.");
            shop.ExpectEqual(1L, (await shop.ReadAsync(tx => tx.Orders.FindAsync(existing.Id, shop.Token).AsTask()))!.Version, $"the version of the other order after {what}");
        }

        // A location added by a unit of work that did not commit is unknown afterwards, even to a store that let the
        // same unit of work move stock there.
        var ghost = new LocationId("WH-GHOST");
        await shop.ReadAsync(async tx =>
        {
            await tx.Inventory.SaveLocationAsync(new StockLocation(ghost, "Never committed"), shop.Token);
            try
            {
                await tx.Inventory.TryApplyAsync(new StockMovement(0, StockMovementKind.Received, Mug, ghost, 1, 1, 0, null, null, null, now), shop.Token);
            }
            catch (InvalidOperationException)
            {
                // A store may refuse a location its own unit of work has not committed yet.
            }

            return 0;
        });
        try
        {
            await shop.InTransactionAsync(tx => tx.Inventory.TryApplyAsync(new StockMovement(0, StockMovementKind.Received, Mug, ghost, 1, 1, 0, null, null, null, now), shop.Token).AsTask());
            shop.Expect(false, "a movement at a location whose unit of work was not committed must be refused with InvalidOperationException.");
        }
        catch (InvalidOperationException)
        {
        }
    }

    /// <summary>Events come out in commit order per order, and stay in the outbox until marked delivered: at least once.</summary>
    private static async Task OutboxOrderAndAtLeastOnceAsync(Shop shop)
    {
        shop.ExpectEqual(0, (await shop.Store.ReadOutboxAsync(10, shop.Token)).Count, "outbox messages in a new store");
        await shop.Inventory.ReceiveAsync(Mug, A, new Quantity(10), cancellationToken: shop.Token);
        Order first = await shop.ConfirmedAsync((Mug, 1));
        Order second = await shop.ConfirmedAsync((Mug, 2));
        await shop.Orders.AllocateAsync(first.Id, cancellationToken: shop.Token);
        await shop.Orders.CancelAsync(second.Id, "changed mind", shop.Token);
        await shop.Orders.HoldAsync(first.Id, HoldReason.Payment, "ana", cancellationToken: shop.Token);
        Order firstNow = await shop.Orders.GetAsync(first.Id, shop.Token);
        Order secondNow = await shop.Orders.GetAsync(second.Id, shop.Token);

        IReadOnlyList<OutboxMessage> all = await shop.Store.ReadOutboxAsync(10_000, shop.Token);
        shop.Expect(all.Zip(all.Skip(1)).All(p => p.First.Id < p.Second.Id), "outbox messages must come oldest first, with increasing ids.");
        foreach (Order order in new[] { firstNow, secondNow })
        {
            OrderEvent[] events = [.. all.Select(m => m.Event).Where(e => e.OrderId == order.Id)];
            shop.ExpectEqual(
                string.Join(",", order.Timeline.Select(e => $"{e.Sequence}:{e.Name}")),
                string.Join(",", events.Select(e => $"{e.Sequence}:{e.Name}")),
                $"the events of order {order.Id} in the outbox against its timeline");
            shop.ExpectEqual(
                string.Join("\n", order.Timeline.Select(OrderKitJson.SerializeEvent)),
                string.Join("\n", events.Select(OrderKitJson.SerializeEvent)),
                $"the events of order {order.Id} read from the outbox (as JSON)");
        }

        IReadOnlyList<OutboxMessage> batch = await shop.Store.ReadOutboxAsync(3, shop.Token);
        shop.ExpectEqual(3, batch.Count, "outbox messages read with maxCount 3");
        shop.ExpectEqual(all[0].Id, batch[0].Id, "the first message of a batch");

        // Nothing marked: the same messages come again (a relay that died before marking delivers them again).
        IReadOnlyList<OutboxMessage> again = await shop.Store.ReadOutboxAsync(3, shop.Token);
        shop.ExpectEqual(string.Join(",", batch.Select(m => m.Id)), string.Join(",", again.Select(m => m.Id)), "the ids read again before any was marked delivered");

        await shop.Store.MarkDeliveredAsync([batch[0].Id, batch[1].Id], shop.Token);
        await shop.Store.MarkDeliveredAsync([batch[0].Id], shop.Token);
        IReadOnlyList<OutboxMessage> rest = await shop.Store.ReadOutboxAsync(10_000, shop.Token);
        shop.ExpectEqual(all.Count - 2, rest.Count, "outbox messages after two were marked delivered (one of them twice)");
        shop.ExpectEqual(batch[2].Id, rest[0].Id, "the oldest message left after marking");

        await shop.Store.MarkDeliveredAsync([.. rest.Select(m => m.Id)], shop.Token);
        shop.ExpectEqual(0, (await shop.Store.ReadOutboxAsync(10, shop.Token)).Count, "outbox messages after all were marked delivered");
        await shop.Orders.ReleaseHoldAsync(first.Id, 1, "ana", shop.Token);
        IReadOnlyList<OutboxMessage> later = await shop.Store.ReadOutboxAsync(10, shop.Token);
        shop.Expect(later.Count > 0 && later[0].Id > all[^1].Id, "a message committed after the others were delivered must come out, with a larger id.");
    }

    /// <summary>A retry with the same key replays the first outcome; the same key for another request is refused; a taken key conflicts.</summary>
    private static async Task IdempotencyReplayAndMismatchAsync(Shop shop)
    {
        PlaceOrderResult first = await shop.Orders.PlaceAsync(Request((Mug, 1)), "key-1", shop.Token);
        PlaceOrderResult retry = await shop.Orders.PlaceAsync(Request((Mug, 1)), "key-1", shop.Token);
        shop.Expect(!first.IsReplay && retry.IsReplay && retry.Order.Id == first.Order.Id, $"a retry with the same key must replay order {first.Order.Id}; got {retry.Order.Id} (replay: {retry.IsReplay}).");
        try
        {
            await shop.Orders.PlaceAsync(Request((Mug, 2)), "key-1", shop.Token);
            shop.Expect(false, "placing a different request under a used key must throw IdempotencyKeyMismatchException.");
        }
        catch (IdempotencyKeyMismatchException)
        {
        }

        Instant now = shop.Clock.GetCurrentInstant();
        var record = new IdempotencyRecord("test-op", "key-2", "hash-a", "result-a", now, now + Duration.FromHours(1));
        await shop.InTransactionAsync(async tx =>
        {
            await tx.Idempotency.AddAsync(record, shop.Token);
            return 0;
        });
        IdempotencyRecord? read = await shop.ReadAsync(tx => tx.Idempotency.FindAsync("test-op", "key-2", shop.Token).AsTask());
        shop.Expect(read is not null && read.RequestHash == "hash-a" && read.Result == "result-a" && read.Operation == "test-op" && read.Key == "key-2", $"the idempotency record read back as {read?.ToString() ?? "null"}.");
        shop.Expect(await shop.ReadAsync(tx => tx.Idempotency.FindAsync("other-op", "key-2", shop.Token).AsTask()) is null, "a key is scoped to its operation: another operation must not see it.");
        await shop.ExpectConflictAsync(
            () => shop.InTransactionAsync(async tx =>
            {
                await tx.Idempotency.AddAsync(record with { RequestHash = "hash-b" }, shop.Token);
                return 0;
            }),
            "adding a record under a key that is taken and unexpired");
    }

    /// <summary>An idempotency record counts until it expires; then it reads as absent and its key can be used again.</summary>
    private static async Task IdempotencyRecordsExpireAsync(Shop shop)
    {
        Instant now = shop.Clock.GetCurrentInstant();
        await shop.InTransactionAsync(async tx =>
        {
            await tx.Idempotency.AddAsync(new IdempotencyRecord("test-op", "key-exp", "hash-a", "result-a", now, now + Duration.FromMinutes(10)), shop.Token);
            return 0;
        });
        shop.Clock.Advance(Duration.FromMinutes(9));
        shop.Expect(await shop.ReadAsync(tx => tx.Idempotency.FindAsync("test-op", "key-exp", shop.Token).AsTask()) is not null, "a record must count until it expires.");
        shop.Clock.Advance(Duration.FromMinutes(1));
        shop.Expect(await shop.ReadAsync(tx => tx.Idempotency.FindAsync("test-op", "key-exp", shop.Token).AsTask()) is null, "a record must read as absent once its expiry has come.");
        Instant later = shop.Clock.GetCurrentInstant();
        await shop.InTransactionAsync(async tx =>
        {
            await tx.Idempotency.AddAsync(new IdempotencyRecord("test-op", "key-exp", "hash-b", "result-b", later, later + Duration.FromMinutes(10)), shop.Token);
            return 0;
        });
        IdempotencyRecord? reused = await shop.ReadAsync(tx => tx.Idempotency.FindAsync("test-op", "key-exp", shop.Token).AsTask());
        shop.ExpectEqual("result-b", reused?.Result, "the result under a key used again after its record expired");
    }

    /// <summary>Cart holds lapse at their expiry: the sweep finds them earliest first, releases their units, and skips holds an order took over.</summary>
    private static async Task CartHoldsExpireAsync(Shop shop)
    {
        await shop.Inventory.ReceiveAsync(Mug, A, new Quantity(10), cancellationToken: shop.Token);
        AllocationRequest Hold(int units) => new() { Lines = [new LineQuantity(Mug, new Quantity(units))], Destination = Berlin, Channel = Web };
        await shop.Inventory.HoldForCartAsync("cart-late", Hold(1), Duration.FromMinutes(30), shop.Token);
        await shop.Inventory.HoldForCartAsync("cart-early", Hold(2), Duration.FromMinutes(10), shop.Token);
        await shop.Inventory.HoldForCartAsync("cart-bought", Hold(3), Duration.FromMinutes(10), shop.Token);
        PlaceOrderRequest bought = Request((Mug, 3));
        await shop.Orders.PlaceAsync(new PlaceOrderRequest { CustomerId = bought.CustomerId, Channel = Web, ShippingAddress = Berlin, Currency = Currency.EUR, Lines = bought.Lines, CartId = "cart-bought" }, cancellationToken: shop.Token);
        shop.ExpectEqual(6, (await shop.LevelAsync(Mug, A)).Reserved, "MUG reserved by three carts, one of them now an order");

        shop.Clock.Advance(Duration.FromMinutes(10));
        IReadOnlyList<CartHold> lapsed = await shop.ReadAsync(tx => tx.Inventory.FindExpiredHoldsAsync(shop.Clock.GetCurrentInstant(), 10, shop.Token).AsTask());
        shop.ExpectEqual("cart-early", string.Join(",", lapsed.Select(h => h.CartId)), "the holds lapsed after 10 minutes");
        shop.ExpectEqual(1, await shop.Inventory.SweepExpiredCartHoldsAsync(cancellationToken: shop.Token), "holds released by the sweep after 10 minutes");
        shop.ExpectEqual(4, (await shop.LevelAsync(Mug, A)).Reserved, "MUG reserved after the first sweep");

        shop.Clock.Advance(Duration.FromMinutes(20));
        shop.ExpectEqual(1, await shop.Inventory.SweepExpiredCartHoldsAsync(cancellationToken: shop.Token), "holds released by the sweep after 30 minutes");
        shop.ExpectEqual(3, (await shop.LevelAsync(Mug, A)).Reserved, "MUG reserved after both carts lapsed (the order keeps its 3)");
        shop.ExpectEqual(0, await shop.Inventory.SweepExpiredCartHoldsAsync(cancellationToken: shop.Token), "holds released by a sweep with nothing left to release");
    }

    /// <summary>
    /// Checkout in one unit of work: an order is written once, at version 1, with its reservations, a cart hold it takes
    /// over and reads back in the same unit of work, and a backorder queue row; a checkout that cannot reserve leaves
    /// nothing.
    /// </summary>
    private static async Task CheckoutInOneUnitOfWorkAsync(Shop shop)
    {
        await shop.Inventory.ReceiveAsync(Mug, A, new Quantity(2), cancellationToken: shop.Token);
        await shop.Inventory.ReceiveAsync(Tee, B, new Quantity(1), cancellationToken: shop.Token);
        await shop.Inventory.SetPolicyAsync(Tee, InventoryPolicy.Backorder(), shop.Token);
        await shop.Inventory.HoldForCartAsync("cart-checkout", new AllocationRequest { Lines = [new LineQuantity(Mug, new Quantity(1))], Destination = Berlin, Channel = Web }, Duration.FromMinutes(15), shop.Token);

        PlaceOrderRequest request = Request((Mug, 2), (Tee, 3));
        PlaceOrderResult placed = await shop.Orders.PlaceAndAllocateAsync(
            new PlaceOrderRequest { CustomerId = request.CustomerId, Channel = Web, ShippingAddress = Berlin, Currency = Currency.EUR, Lines = request.Lines, CartId = "cart-checkout" },
            new Money(100m, Currency.EUR),
            cancellationToken: shop.Token);
        Order stored = await shop.Orders.GetAsync(placed.Order.Id, shop.Token);
        shop.ExpectEqual(1L, stored.Version, "the version of an order placed and allocated in one unit of work");
        shop.ExpectEqual(OrderStatus.Backordered, stored.Status, "its status");
        shop.ExpectEqual(2, (await shop.LevelAsync(Mug, A)).Reserved, "MUG reserved at WH-A (one unit from the cart hold, one new)");
        shop.ExpectEqual(1, (await shop.LevelAsync(Tee, B)).Reserved, "TEE reserved at WH-B");
        IReadOnlyList<WaitingLine> waiting = await shop.ReadAsync(tx => tx.Orders.FindWaitingAsync(Tee, 10, shop.Token).AsTask());
        shop.ExpectEqual($"{placed.Order.Id}:2", string.Join(",", waiting.Select(w => $"{w.OrderId}:{w.Units}")), "the backorder queue of TEE");
        shop.Expect(await shop.ReadAsync(tx => tx.Inventory.FindHoldAsync("order:" + placed.Order.Id.Value, shop.Token).AsTask()) is null, "the cart hold taken over and used at checkout must be gone.");

        // A checkout the stock cannot cover under a deny policy is held, and reserves nothing it could not.
        PlaceOrderResult refused = await shop.Orders.PlaceAndAllocateAsync(Request((Mug, 1)), new Money(100m, Currency.EUR), cancellationToken: shop.Token);
        shop.ExpectEqual(OrderStatus.Confirmed, (await shop.Orders.GetAsync(refused.Order.Id, shop.Token)).Status, "the status of a checkout with no stock left");
        shop.ExpectEqual(2, (await shop.LevelAsync(Mug, A)).Reserved, "MUG reserved after a checkout found none left");
    }

    /// <summary>An incoming message is handled once: a repeat, in the same unit of work or after its commit, is refused; an uncommitted one is forgotten.</summary>
    private static async Task InboxDeduplicatesAsync(Shop shop)
    {
        bool first = await shop.InTransactionAsync(async tx =>
        {
            bool recorded = await tx.Inbox.TryRecordAsync("carrier:dhl", "evt-1", shop.Token);
            shop.Expect(!await tx.Inbox.TryRecordAsync("carrier:dhl", "evt-1", shop.Token), "recording the same message twice in one unit of work must return false the second time.");
            return recorded;
        });
        shop.Expect(first, "recording a new message must return true.");
        shop.Expect(!await shop.InTransactionAsync(tx => tx.Inbox.TryRecordAsync("carrier:dhl", "evt-1", shop.Token).AsTask()), "a message recorded by a committed unit of work must be refused later.");
        shop.Expect(await shop.InTransactionAsync(tx => tx.Inbox.TryRecordAsync("carrier:ups", "evt-1", shop.Token).AsTask()), "the same id from another source is another message.");

        await shop.ReadAsync(tx => tx.Inbox.TryRecordAsync("carrier:dhl", "evt-2", shop.Token).AsTask());
        shop.Expect(await shop.InTransactionAsync(tx => tx.Inbox.TryRecordAsync("carrier:dhl", "evt-2", shop.Token).AsTask()), "a message recorded by a unit of work that did not commit must be new again.");

        try
        {
            await shop.InTransactionAsync(tx => tx.Inbox.TryRecordAsync("carrier:dhl", string.Empty, shop.Token).AsTask());
            shop.Expect(false, "an empty message id must be refused with an ArgumentException.");
        }
        catch (ArgumentException)
        {
        }

        // Parallel deliveries of one message: exactly one handles it.
        int handled = 0;
        await Parallel.ForAsync(0, 8, shop.Token, async (i, token) =>
        {
            try
            {
                if (await shop.InTransactionAsync(tx => tx.Inbox.TryRecordAsync("carrier:dhl", "evt-race", token).AsTask()))
                {
                    Interlocked.Increment(ref handled);
                }
            }
            catch (ConcurrencyConflictException)
            {
                // Another delivery committed first; a host would ignore this one.
            }
        });
        shop.ExpectEqual(1, handled, "parallel deliveries of one message that were handled");
    }
}
