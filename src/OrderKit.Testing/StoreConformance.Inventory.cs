using NodaTime;
using OrderKit.Allocation;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence;
using static OrderKit.Testing.Shop;

namespace OrderKit.Testing;

public sealed partial class StoreConformance
{
    /// <summary>Locations, policies, counts, arrivals, the ledger and cart holds read back as written.</summary>
    private static async Task InventoryRoundTripAsync(Shop shop)
    {
        var store = new StockLocation(new LocationId("STORE-1"), "Mitte store", LocationKind.Store)
        {
            Rank = 7,
            IsActive = false,
            Position = new GeoPoint(52.52, 13.405),
            Regions = [new ShippingRegion("DE", "10"), new ShippingRegion("AT")],
            Channels = [Web, new SalesChannel("pos")],
            OffersClickAndCollect = true,
        };
        await shop.Inventory.AddLocationAsync(store, shop.Token);
        await shop.Inventory.UpdateLocationAsync(new StockLocation(B, "Warehouse B, renamed") { Rank = 3 }, shop.Token);
        IReadOnlyList<StockLocation> locations = await shop.Inventory.GetLocationsAsync(shop.Token);
        shop.ExpectEqual("WH-A,WH-B,STORE-1", string.Join(",", locations.Select(l => l.Id)), "the locations, in the order they were added");
        StockLocation read = locations[2];
        shop.Expect(
            read.Name == store.Name && read.Kind == store.Kind && read.Rank == 7 && !read.IsActive && read.Position == store.Position && read.OffersClickAndCollect
                && read.Regions.SequenceEqual(store.Regions) && read.Channels.SequenceEqual(store.Channels),
            $"the location read back differs: wrote {OrderKitJson.SerializeLocation(store)}, read {OrderKitJson.SerializeLocation(read)}.");
        shop.ExpectEqual("Warehouse B, renamed", locations[1].Name, "the name of a location after an update");

        InventoryPolicy[] policies = [InventoryPolicy.Untracked, InventoryPolicy.Backorder(4), InventoryPolicy.Preorder(new LocalDate(2027, 1, 15), 20), InventoryPolicy.Dropship(B)];
        for (int i = 0; i < policies.Length; i++)
        {
            var sku = new Sku($"POLICY-{i}");
            await shop.Inventory.SetPolicyAsync(sku, policies[i], shop.Token);
            shop.ExpectEqual(policies[i], await shop.Inventory.GetPolicyAsync(sku, shop.Token), $"the policy of {sku}");
        }

        await shop.Inventory.ReceiveAsync(Mug, A, new Quantity(10), "PO-7", shop.Token);
        await shop.Inventory.SetSafetyStockAsync(Mug, A, 2, shop.Token);
        await shop.Inventory.MarkDamagedAsync(Mug, A, new Quantity(1), "dropped", shop.Token);
        await shop.Inventory.ExpectIncomingAsync(Mug, B, new Quantity(6), new LocalDate(2026, 11, 20), shop.Token);
        await shop.Inventory.ExpectIncomingAsync(Mug, B, new Quantity(4), new LocalDate(2026, 11, 12), shop.Token);
        Order order = await shop.ConfirmedAsync((Mug, 3));
        await shop.Orders.AllocateAsync(order.Id, cancellationToken: shop.Token);

        StockLevel atA = await shop.LevelAsync(Mug, A);
        shop.Expect(atA.OnHand == 9 && atA.Reserved == 3 && atA.SafetyStock == 2 && atA.Damaged == 1, $"MUG at WH-A should read 9 on hand, 3 reserved, 2 safety stock, 1 damaged; read {atA}.");
        StockLevel atB = await shop.LevelAsync(Mug, B);
        shop.ExpectEqual("2026-11-12:4,2026-11-20:6", string.Join(",", atB.Incoming.Select(i => $"{i.ExpectedOn:yyyy-MM-dd}:{i.Quantity}")), "the stock expected at WH-B, earliest first");

        // Several SKUs read at once agree with one at a time; an unknown SKU reads as null in its place.
        IReadOnlyList<SkuStock?> many = await shop.ReadAsync(tx => tx.Inventory.FindManyAsync([new Sku("NEVER-SEEN"), Mug, new Sku("POLICY-1")], shop.Token).AsTask());
        SkuStock? mug = await shop.ReadAsync(tx => tx.Inventory.FindAsync(Mug, shop.Token).AsTask());
        shop.Expect(many.Count == 3 && many[0] is null && many[1] is not null && many[2] is not null, "FindManyAsync must return one entry per SKU asked, in order, null for an unknown SKU.");
        shop.ExpectEqual(
            string.Join(";", mug!.Levels.Select(l => $"{l.Location}:{l.OnHand}/{l.Reserved}/{l.SafetyStock}/{l.Damaged}/{l.Incoming.Count}")),
            string.Join(";", many[1]!.Levels.Select(l => $"{l.Location}:{l.OnHand}/{l.Reserved}/{l.SafetyStock}/{l.Damaged}/{l.Incoming.Count}")),
            "MUG's levels read with FindManyAsync, against FindAsync");
        shop.ExpectEqual(InventoryPolicy.Backorder(4), many[2]!.Policy, "the policy of POLICY-1 read with FindManyAsync");

        IReadOnlyList<StockMovement> ledger = await shop.Inventory.GetLedgerAsync(Mug, shop.Token);
        shop.ExpectEqual("Received,MarkedDamaged,Reserved", string.Join(",", ledger.Select(m => m.Kind)), "the kinds in MUG's ledger, oldest first");
        shop.Expect(ledger.Zip(ledger.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence), "ledger sequence numbers must increase.");
        StockMovement received = ledger[0];
        shop.Expect(received.Quantity == 10 && received.OnHandChange == 10 && received.ReservedChange == 0 && received.Reference == "PO-7" && received.Location == A, $"the receipt read back as {received}.");
        shop.Expect(ledger[1].Reason == "dropped" && ledger[2].OrderId == order.Id, $"the damage and reservation movements read back as {ledger[1]} and {ledger[2]}.");
        shop.ExpectEqual(0, (await shop.Inventory.GetLedgerAsync(Cap, shop.Token)).Count, "the ledger of a SKU that never moved");

        var request = new AllocationRequest { Lines = [new LineQuantity(Mug, new Quantity(2))], Destination = Berlin, Channel = Web };
        CartHold hold = await shop.Inventory.HoldForCartAsync("cart-42", request, Duration.FromMinutes(15), shop.Token);
        CartHold? readHold = await shop.Inventory.GetCartHoldAsync("cart-42", shop.Token);
        shop.Expect(
            readHold is not null && readHold.CartId == hold.CartId && readHold.Lines.SequenceEqual(hold.Lines) && readHold.ExpiresAt == hold.ExpiresAt && readHold.OrderId is null,
            $"the cart hold read back as {readHold?.ToString() ?? "null"}; it was saved as {hold}.");
        shop.Expect(await shop.Inventory.GetCartHoldAsync("cart-none", shop.Token) is null, "a cart without a hold must read back as null.");
        shop.Expect(await shop.Inventory.ReleaseCartHoldAsync("cart-42", shop.Token), "releasing the cart hold should report that there was one.");
        shop.Expect(await shop.Inventory.GetCartHoldAsync("cart-42", shop.Token) is null, "a released cart hold must be gone.");
        shop.ExpectEqual(3, (await shop.LevelAsync(Mug, A)).Reserved, "MUG reserved at WH-A after the cart hold was released");
        shop.Expect(await shop.ReadAsync(tx => tx.Inventory.FindAsync(new Sku("NEVER-SEEN"), shop.Token).AsTask()) is null, "FindAsync of a SKU the store never saw must return null.");
    }

    /// <summary>A movement that would leave reserved above on hand, or reserve into safety stock, changes nothing.</summary>
    private static async Task InventoryRefusesWhatDoesNotFitAsync(Shop shop)
    {
        await shop.Inventory.ReceiveAsync(Mug, A, new Quantity(5), cancellationToken: shop.Token);
        await shop.Inventory.SetSafetyStockAsync(Mug, A, 1, shop.Token);
        Instant now = shop.Clock.GetCurrentInstant();
        await shop.InTransactionAsync(async tx =>
        {
            bool tooMany = await tx.Inventory.TryApplyAsync(new StockMovement(0, StockMovementKind.Reserved, Mug, A, 5, 0, 5, null, null, null, now), shop.Token);
            shop.Expect(!tooMany, "reserving 5 of 5 on hand with 1 unit of safety stock must be refused.");
            bool fits = await tx.Inventory.TryApplyAsync(new StockMovement(0, StockMovementKind.Reserved, Mug, A, 4, 0, 4, null, null, null, now), shop.Token);
            shop.Expect(fits, "reserving 4 of 5 on hand with 1 unit of safety stock must be allowed.");
            bool release = await tx.Inventory.TryApplyAsync(new StockMovement(0, StockMovementKind.Released, Mug, A, 5, 0, -5, null, null, null, now), shop.Token);
            shop.Expect(!release, "releasing 5 units when 4 are reserved must be refused.");
            bool ship = await tx.Inventory.TryApplyAsync(new StockMovement(0, StockMovementKind.Adjusted, Mug, A, 2, -2, 0, "count", null, null, now), shop.Token);
            shop.Expect(!ship, "counting on hand down to 3 while 4 are reserved must be refused.");
            return 0;
        });

        StockLevel level = await shop.LevelAsync(Mug, A);
        shop.Expect(level.OnHand == 5 && level.Reserved == 4, $"after one allowed and three refused movements MUG at WH-A should read 5 on hand and 4 reserved; read {level}.");
        shop.ExpectEqual(2, (await shop.Inventory.GetLedgerAsync(Mug, shop.Token)).Count, "ledger entries (the receipt and the one reservation allowed)");

        // Several movements at once: all applied, or the index of one that does not fit (and the caller does not commit).
        await shop.Inventory.ReceiveAsync(Cap, A, new Quantity(3), cancellationToken: shop.Token);
        await shop.Inventory.ReceiveAsync(Tee, A, new Quantity(3), cancellationToken: shop.Token);
        await shop.Inventory.ReceiveAsync(Tee, B, new Quantity(3), cancellationToken: shop.Token);
        StockMovement Reserve(Sku sku, LocationId at, int units) => new(0, StockMovementKind.Reserved, sku, at, units, 0, units, null, null, null, now);
        // A store answers at once with the index, or stages the movements and refuses at the commit.
        IOrderKitTransaction batch = await shop.Store.BeginTransactionAsync(shop.Token);
        await using (batch)
        {
            int refused = await batch.Inventory.TryApplyAllAsync([Reserve(Cap, A, 1), Reserve(Tee, A, 3), Reserve(Tee, B, 4)], shop.Token);
            if (refused >= 0)
            {
                shop.ExpectEqual(2, refused, "the index TryApplyAllAsync names when its third movement (4 of 3 units) does not fit");
            }
            else
            {
                try
                {
                    await batch.CommitAsync(shop.Token);
                    shop.Expect(false, "a batch whose third movement (4 of 3 units) does not fit was committed.");
                }
                catch (InsufficientStockException e)
                {
                    shop.ExpectEqual((Tee, B), (e.Sku, e.Location), "the cell an InsufficientStockException from the commit names");
                }

                try
                {
                    await batch.CommitAsync(shop.Token);
                    shop.Expect(false, "a unit of work whose commit was refused was committed on a second try.");
                }
                catch (InvalidOperationException)
                {
                }
            }
        }

        shop.ExpectEqual(0, (await shop.LevelAsync(Cap, A)).Reserved, "CAP reserved at WH-A after the refused batch");
        int applied = await shop.InTransactionAsync(tx => tx.Inventory.TryApplyAllAsync([Reserve(Tee, A, 2), Reserve(Tee, B, 1)], shop.Token).AsTask());
        shop.ExpectEqual(-1, applied, "what TryApplyAllAsync returns when every movement fits");
        shop.ExpectEqual(2, (await shop.LevelAsync(Tee, A)).Reserved, "TEE reserved at WH-A after the committed batch (the refused one left nothing)");
        shop.ExpectEqual(4, (await shop.Inventory.GetLedgerAsync(Tee, shop.Token)).Count, "TEE ledger entries (two receipts and the two reservations of the committed batch)");
    }

    /// <summary>Stock reserved by parallel writers never exceeds what is there: exactly the units on hand are sold.</summary>
    private static async Task NoOversellUnderParallelWritersAsync(Shop shop)
    {
        const int Units = 25;
        const int Buyers = 60;
        await shop.Inventory.ReceiveAsync(Mug, A, new Quantity(Units), cancellationToken: shop.Token);
        await shop.Inventory.ReceiveAsync(Tee, A, new Quantity(Units), cancellationToken: shop.Token);
        int sold = 0;
        await Parallel.ForAsync(0, Buyers, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = shop.Token }, async (i, token) =>
        {
            Order order = await shop.ConfirmedAsync((Mug, 1), (Tee, 1));
            AllocationResult result = await shop.Orders.AllocateAsync(order.Id, new AllocationPreferences { OnShortfall = ShortfallAction.LeaveAwaiting, Split = SplitPolicy.ShipComplete }, token);
            if (result.Order.Lines.All(l => l.Allocated == 1))
            {
                Interlocked.Increment(ref sold);
            }
        });

        StockLevel mug = await shop.LevelAsync(Mug, A);
        StockLevel tee = await shop.LevelAsync(Tee, A);
        shop.ExpectEqual(Units, sold, $"orders fully allocated by {Buyers} parallel buyers of {Units} units");
        shop.Expect(mug.Reserved == Units && tee.Reserved == Units, $"all {Units} units of each SKU should be reserved, no more; read {mug} and {tee}.");
        shop.ExpectEqual(Units, (await shop.Inventory.GetLedgerAsync(Mug, shop.Token)).Count(m => m.Kind == StockMovementKind.Reserved), "reservations of MUG in the ledger");
    }

    /// <summary>A random mix of commands keeps every law of stock: counts never below zero, the ledger explains every count, and every reserved unit belongs to an order or a cart.</summary>
    private static async Task StockConservedUnderRandomCommandsAsync(Shop shop)
    {
        Sku[] skus = [Mug, Tee, Cap];
        LocationId[] locations = [A, B];
        await shop.Inventory.SetPolicyAsync(Tee, InventoryPolicy.Backorder(), shop.Token);
        var random = new Random(20261102);
        var orders = new List<OrderId>();
        var carts = new List<string>();
        for (int step = 0; step < 120; step++)
        {
            Sku sku = skus[random.Next(skus.Length)];
            int l = random.Next(locations.Length);
            LocationId at = locations[l];
            int units = random.Next(1, 7);
            try
            {
                switch (random.Next(11))
                {
                    case 0 or 1:
                        await shop.Inventory.ReceiveAsync(sku, at, new Quantity(units), cancellationToken: shop.Token);
                        break;
                    case 2:
                        await shop.Inventory.AdjustAsync(sku, at, units, "count", shop.Token);
                        break;
                    case 3:
                        await shop.Inventory.TransferAsync(sku, at, locations[1 - l], new Quantity(units), cancellationToken: shop.Token);
                        break;
                    case 4:
                        await shop.Inventory.MarkDamagedAsync(sku, at, new Quantity(units), "damaged", shop.Token);
                        break;
                    case 5:
                        string cart = $"cart-{carts.Count}";
                        await shop.Inventory.HoldForCartAsync(cart, new AllocationRequest { Lines = [new LineQuantity(sku, new Quantity(units))], Destination = Berlin, Channel = Web }, Duration.FromMinutes(units), shop.Token);
                        carts.Add(cart);
                        break;
                    case 6 when carts.Count > 0:
                        await shop.Inventory.ReleaseCartHoldAsync(carts[random.Next(carts.Count)], shop.Token);
                        break;
                    case 7:
                        Order order = await shop.ConfirmedAsync((sku, units), (skus[(Array.IndexOf(skus, sku) + 1) % skus.Length], 1));
                        orders.Add(order.Id);
                        await shop.Orders.AllocateAsync(order.Id, new AllocationPreferences { OnShortfall = (ShortfallAction)random.Next(3) }, shop.Token);
                        break;
                    case 8 when orders.Count > 0:
                        await shop.Orders.CancelAsync(orders[random.Next(orders.Count)], "changed mind", shop.Token);
                        break;
                    case 9 when orders.Count > 0:
                        OrderId id = orders[random.Next(orders.Count)];
                        Order current = await shop.Orders.GetAsync(id, shop.Token);
                        OrderLine? line = current.Lines.FirstOrDefault(x => x.AllocatedAt.Any(s => s.IsReserved));
                        if (line is not null && current.CanShip)
                        {
                            AllocatedStock source = line.AllocatedAt.First(s => s.IsReserved);
                            await shop.Orders.ChangeAsync(id, o => o.Ship([new LineQuantity(line.Sku, new Quantity(source.Quantity))], source.Location), shop.Token);
                        }

                        break;
                    case 10:
                        shop.Clock.Advance(Duration.FromMinutes(units));
                        await shop.Inventory.SweepExpiredCartHoldsAsync(cancellationToken: shop.Token);
                        break;
                }
            }
            catch (Exception e) when (e is ArgumentException or InvalidOrderTransitionException or InsufficientStockException)
            {
                // Refused input, or an action the order's state does not permit: nothing may have changed.
            }

            if (step % 10 == 9)
            {
                await CheckConservationAsync(shop, skus, locations, orders);
            }
        }

        await CheckConservationAsync(shop, skus, locations, orders);
    }

    /// <summary>
    /// Cycle counts of one cell run in parallel: each sets the on-hand count to what it counted, so the cell ends at one
    /// of the counts, and the ledger explains it. A count worked out from an on-hand figure another count changed before
    /// the write would leave the cell at a figure nobody counted. The services check the cell again after the write and
    /// run such a count again; a store must either hold the cell from the write to the commit and show it as written,
    /// or refuse the commit of an on-hand change when the count this unit of work read has moved.
    /// </summary>
    private static async Task CycleCountsUnderParallelWritersAsync(Shop shop)
    {
        const int Rounds = 40;
        const int Counters = 12;
        await shop.Inventory.ReceiveAsync(Mug, A, new Quantity(10), cancellationToken: shop.Token);
        for (int round = 0; round < Rounds; round++)
        {
            int[] counts = [.. Enumerable.Range(0, Counters).Select(c => 20 + (round * Counters) + c)];
            await Task.WhenAll(counts.Select(count => Task.Run(() => shop.Inventory.AdjustAsync(Mug, A, count, $"count {count}", shop.Token))));
            StockLevel level = await shop.LevelAsync(Mug, A);
            shop.Expect(counts.Contains(level.OnHand), $"after parallel counts of {string.Join(", ", counts)}, the cell should hold one of them; read {level}.");
            IReadOnlyList<StockMovement> ledger = await shop.Inventory.GetLedgerAsync(Mug, shop.Token);
            shop.ExpectEqual(level.OnHand, ledger.Sum(m => m.OnHandChange), $"on hand of MUG at WH-A by the ledger after round {round + 1}");
        }
    }

    /// <summary>
    /// Arrivals announced in parallel for one cell are all kept: each command reads the cell's list of incoming stock and
    /// stores it with its own arrival added, so a store that lets a unit of work replace the list after another changed
    /// it loses arrivals. The store must refuse such a replacement with a conflict, and the command then runs again.
    /// </summary>
    private static async Task IncomingUnderParallelWritersAsync(Shop shop)
    {
        const int Rounds = 10;
        const int Announcers = 12;
        var start = new LocalDate(2026, 12, 1);
        int expected = 0;
        for (int round = 0; round < Rounds; round++)
        {
            int[] units = [.. Enumerable.Range(1, Announcers).Select(a => a + round)];
            await Task.WhenAll(units.Select((u, a) => Task.Run(() => shop.Inventory.ExpectIncomingAsync(Tee, A, new Quantity(u), start.PlusDays(a), shop.Token))));
            expected += units.Sum();
            StockLevel level = await shop.LevelAsync(Tee, A);
            shop.ExpectEqual(expected, level.IncomingTotal, $"units expected at WH-A after {round + 1} rounds of {Announcers} parallel announcements");
            shop.ExpectEqual((round + 1) * Announcers, level.Incoming.Count, $"arrivals listed after {round + 1} rounds");
        }
    }

    /// <summary>
    /// Several checkouts and a release race for each cart hold: the hold's units are reserved once, so at most one of
    /// them may use or release it; whoever comes second finds it gone and does without. A store that lets two units of
    /// work remove the same hold, each having read it, lets an order count units that were released, or two orders
    /// count the same units: the stock's reserved count no longer matches the orders and holds.
    /// </summary>
    private static async Task CartHoldTakenOnceUnderParallelWritersAsync(Shop shop)
    {
        const int Carts = 8;
        await shop.Inventory.ReceiveAsync(Mug, A, new Quantity(Carts * 3), cancellationToken: shop.Token);
        for (int c = 0; c < Carts; c++)
        {
            await shop.Inventory.HoldForCartAsync($"cart-{c}", new AllocationRequest { Lines = [new LineQuantity(Mug, new Quantity(2))], Destination = Berlin, Channel = Web }, Duration.FromMinutes(15), shop.Token);
        }

        var placed = new System.Collections.Concurrent.ConcurrentBag<OrderId>();
        var work = new List<Task>();
        for (int c = 0; c < Carts; c++)
        {
            string cart = $"cart-{c}";
            for (int attempt = 0; attempt < 2; attempt++)
            {
                work.Add(Task.Run(async () =>
                {
                    PlaceOrderRequest request = Request((Mug, 2));
                    PlaceOrderResult result = await shop.Orders.PlaceAndAllocateAsync(
                        new PlaceOrderRequest { CustomerId = request.CustomerId, Channel = Web, ShippingAddress = Berlin, Currency = Currency.EUR, Lines = request.Lines, CartId = cart },
                        new Money(100m, Currency.EUR),
                        cancellationToken: shop.Token);
                    placed.Add(result.Order.Id);
                }));
            }

            work.Add(Task.Run(() => shop.Inventory.ReleaseCartHoldAsync(cart, shop.Token)));
        }

        await Task.WhenAll(work);
        List<OrderId> orders = [.. placed];
        shop.ExpectEqual(Carts * 2, orders.Count, "checkouts that returned an order");
        await CheckConservationAsync(shop, [Mug], [A, B], orders);
        StockLevel level = await shop.LevelAsync(Mug, A);
        shop.Expect(level.Reserved <= level.OnHand, $"{level}: more reserved than on hand.");
    }

    private static async Task CheckConservationAsync(Shop shop, Sku[] skus, LocationId[] locations, List<OrderId> orders)
    {
        var live = new Dictionary<(Sku, LocationId), int>();
        foreach (OrderId id in orders)
        {
            foreach (OrderLine line in (await shop.Orders.GetAsync(id, shop.Token)).Lines)
            {
                foreach (AllocatedStock source in line.AllocatedAt.Where(s => s.IsReserved))
                {
                    live[(line.Sku, source.Location)] = live.GetValueOrDefault((line.Sku, source.Location)) + source.Quantity;
                }
            }
        }

        var holds = new List<CartHold>(await shop.ReadAsync(tx => tx.Inventory.FindExpiredHoldsAsync(Instant.MaxValue, int.MaxValue, shop.Token).AsTask()));
        foreach (OrderId id in orders)
        {
            // A hold an order took over and has not used yet still reserves its units.
            if (await shop.ReadAsync(tx => tx.Inventory.FindHoldAsync("order:" + id.Value, shop.Token).AsTask()) is { } taken)
            {
                holds.Add(taken);
            }
        }

        foreach (CartHold hold in holds)
        {
            foreach (HeldStock held in hold.Lines)
            {
                live[(held.Sku, held.Location)] = live.GetValueOrDefault((held.Sku, held.Location)) + held.Quantity;
            }
        }

        IReadOnlyList<StockMovement> ledger = await shop.Inventory.GetLedgerAsync(cancellationToken: shop.Token);
        foreach (Sku sku in skus)
        {
            // A SKU's own ledger is the whole ledger's entries of that SKU, in the same order.
            IReadOnlyList<StockMovement> own = await shop.Inventory.GetLedgerAsync(sku, shop.Token);
            shop.ExpectEqual(
                string.Join(",", ledger.Where(m => m.Sku == sku).Select(m => m.Sequence)),
                string.Join(",", own.Select(m => m.Sequence)),
                $"the sequence numbers of {sku}'s ledger against the whole ledger's entries of {sku}");
            foreach (LocationId at in locations)
            {
                StockLevel level = await shop.LevelAsync(sku, at);
                StockMovement[] moves = [.. ledger.Where(m => m.Sku == sku && m.Location == at)];
                shop.Expect(level.OnHand >= level.Reserved && level.Reserved >= 0 && level.Damaged >= 0, $"{level} breaks on hand ≥ reserved ≥ 0.");
                shop.ExpectEqual(moves.Sum(m => m.OnHandChange), level.OnHand, $"on hand of {sku} at {at} against the sum of its ledger");
                shop.ExpectEqual(moves.Sum(m => m.ReservedChange), level.Reserved, $"reserved of {sku} at {at} against the sum of its ledger");
                shop.ExpectEqual(moves.Sum(m => m.DamagedChange), level.Damaged, $"damaged of {sku} at {at} against its ledger");
                shop.ExpectEqual(live.GetValueOrDefault((sku, at)), level.Reserved, $"reserved of {sku} at {at} against the orders and carts that hold it");
            }
        }
    }
}
