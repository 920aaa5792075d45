using System.Globalization;
using NodaTime;
using NodaTime.Testing;
using OrderKit.Events;
using OrderKit.Insights;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence;
using OrderKit.Returns;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Insights;

public sealed class OrderInsightsTests
{
    private static readonly LocationId s_a = new("WH-A");
    private static readonly LocationId s_b = new("WH-B");
    private static readonly StockIndex.LocationTable s_locations = StockIndex.LocationTable.From([new StockLocation(s_a, "A") { HandlingDays = 1 }, new StockLocation(s_b, "B")]);
    private static readonly LineQuantity[] s_all = [new LineQuantity(Mug, new Quantity(2)), new LineQuantity(Tee, new Quantity(3))];
    private static readonly Instant s_from = Instant.FromUtc(2026, 11, 1, 0, 0);
    private static readonly Instant s_to = Instant.FromUtc(2026, 12, 1, 0, 0);

    private static PlaceOrderRequest Placed(string channel) => new()
    {
        CustomerId = new CustomerId("CUST-1"),
        Channel = new SalesChannel(channel),
        ShippingAddress = Berlin,
        Currency = Currency.EUR,
        Lines = TwoLineRequest().Lines,
        ShippingMethod = new OrderKit.Shipping.ShippingMethod("post", "standard", 2),
    };

    /// <summary>Four orders over a fortnight: on time and whole; backordered, split and late; cancelled; delivered and half sent back.</summary>
    private static List<Order> History()
    {
        var clock = new FakeClock(Instant.FromUtc(2026, 11, 2, 9, 0));   // Monday
        var orders = new List<Order>();

        // 1. Allocated at A an hour after placing, shipped four hours later, delivered the next day (promise: Wed 11-04, A handles a day).
        Order whole = Order.Place(Placed("web"), clock);
        whole.Confirm(whole.Total);
        clock.AdvanceHours(1);
        whole.Allocate([new LineAllocation(Mug, 2, 0, s_a), new LineAllocation(Tee, 3, 0, s_a)]);
        whole.TryPromise(s_locations, clock.GetCurrentInstant(), new OrderKitOptions());
        clock.AdvanceHours(4);
        whole.Ship(s_all, s_a);
        clock.AdvanceHours(24);
        whole.Deliver(s_all);
        orders.Add(whole);

        // 2. Tees backordered at first; mugs ship from B, tees from A two days later; delivered after the promise.
        Order split = Order.Place(Placed("pos"), clock);
        split.Confirm(split.Total);
        clock.AdvanceHours(2);
        split.Allocate([new LineAllocation(Mug, 2, 0, s_b), new LineAllocation(Tee, 0, 3)]);
        split.RecordBackordered(Tee, 3, null, false);
        split.TryPromise(s_locations, clock.GetCurrentInstant(), new OrderKitOptions());
        split.Ship([s_all[0]], s_b);
        clock.AdvanceDays(2);
        split.Allocate([new LineAllocation(Tee, 3, 0, s_a)]);
        split.Ship([s_all[1]], s_a);
        clock.AdvanceDays(3);
        split.Deliver(s_all);
        orders.Add(split);

        // 3. Cancelled before anything happened.
        Order cancelled = Order.Place(Placed("web"), clock);
        cancelled.Cancel("changed mind");
        orders.Add(cancelled);

        // 4. Delivered without a promise, then one mug (defective) and one tee (changed mind) asked back.
        Order returned = Order.Place(Placed("web"), clock);
        returned.Confirm(returned.Total);
        returned.Allocate([new LineAllocation(Mug, 2, 0, s_a), new LineAllocation(Tee, 3, 0, s_a)]);
        clock.AdvanceHours(10);
        returned.Ship(s_all, s_a);
        clock.AdvanceHours(20);
        returned.Deliver(s_all);
        returned.RequestReturn([new ReturnLine(Mug, new Quantity(1), ReturnReason.Defective), new ReturnLine(Tee, new Quantity(1), ReturnReason.ChangedMind)], new ReturnPolicy(), DateTimeZone.Utc);
        orders.Add(returned);
        return orders;
    }

    [Fact]
    public void TheFigures_FollowFromTheTimelines()
    {
        InsightsReport report = OrderInsights.FromOrders(History(), s_from, s_to).Report();

        Assert.Equal((4, 3), (report.Orders, report.Delivered));
        Assert.Equal(3, report.LeadTime.Count);
        Assert.Equal(Duration.FromHours(30), report.LeadTime.Median);   // 29h, 30h and 122h
        Assert.Equal(Duration.FromHours(122), report.LeadTime.P99);
        Assert.Equal(Duration.FromHours(1), report.PlacedToAllocated.Median);
        Assert.Equal(0.5, report.OnTimeRate);              // of the two promised, the split one was late
        Assert.Equal(2.0 / 3, report.FirstTimeFillRate);   // the backordered one was not filled first time
        Assert.Equal(0.25, report.BackorderRate);
        Assert.Equal(1.0 / 3, report.SplitShipmentRate);
        Assert.Equal(0.25, report.CancellationRate);
        Assert.Equal(2.0 / 15, report.ReturnRate);
        Assert.Equal(1, report.ReturnReasons[ReturnReason.Defective]);
        Assert.Equal(1, report.ReturnReasons[ReturnReason.ChangedMind]);
        Assert.Equal(1.0 / 3, report.PerfectOrderRate);    // only the first: the second was late, the fourth came back
    }

    [Fact]
    public void Reports_PerChannelAndPerLocation_CountTheirOwnOrders()
    {
        OrderInsights insights = OrderInsights.FromOrders(History(), s_from, s_to);

        Assert.Equal(3, insights.Report(new SalesChannel("web")).Orders);
        Assert.Equal(1, insights.Report(new SalesChannel("pos")).Orders);
        Assert.Equal(3, insights.Report(s_a).Orders);
        Assert.Equal(1, insights.Report(s_b).Orders);
        Assert.Equal(0, insights.Report(new LocationId("NONE")).Orders);
        Assert.Null(insights.Report(new LocationId("NONE")).OnTimeRate);
        Assert.Equal([new SalesChannel("pos"), new SalesChannel("web")], insights.Channels.Order());
        Assert.Equal([s_a, s_b], insights.Locations.OrderBy(l => l.Value, StringComparer.Ordinal));
    }

    [Fact]
    public void EventsOutsideTheWindow_RepeatedOrOutOfSequence_AreIgnored()
    {
        List<Order> history = History();
        var insights = new OrderInsights(s_from, s_to);
        foreach (OrderEvent e in history.SelectMany(o => o.Timeline))
        {
            insights.Observe(e);
            insights.Observe(e);
        }

        Order early = Order.Place(TwoLineRequest(), new FakeClock(Instant.FromUtc(2026, 10, 1, 0, 0)));
        early.Cancel("test");
        foreach (OrderEvent e in early.Timeline)
        {
            insights.Observe(e);
        }

        Assert.Equal(Text(OrderInsights.FromOrders(history, s_from, s_to).Report()), Text(insights.Report()));
        Assert.Throws<ArgumentException>(() => new OrderInsights(s_to, s_from));
    }

    [Fact]
    public void DurationStatistics_UseTheNearestRank()
    {
        DurationStatistics stats = DurationStatistics.Of(Enumerable.Range(1, 10).Select(h => Duration.FromHours(h)));

        Assert.Equal((10, Duration.FromHours(5.5), Duration.FromHours(5), Duration.FromHours(9), Duration.FromHours(10)), (stats.Count, stats.Mean, stats.Median, stats.P90, stats.P99));
        Assert.Equal(DurationStatistics.Empty, DurationStatistics.Of([]));
        Assert.Equal("n=10 mean=5.5h p50=5.0h p90=9.0h p99=10.0h", stats.ToString());
    }

    /// <summary>Insights fed event by event (orders interleaved, events delivered again) equal insights built from the orders at the end.</summary>
    [Fact]
    public void Incremental_EqualsFromScratch()
    {
        var reached = new HashSet<string>();
        Prop.ForAll(
            Arb.From(
                from count in Gen.Choose(1, 6)
                from plans in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(0, 9), 8), count)
                from seed in Gen.Choose(0, int.MaxValue)
                select (plans, seed)),
            run =>
            {
                var clock = new FakeClock(s_from + Duration.FromDays(1), Duration.FromMinutes(37));
                List<Order> orders = [.. run.plans.Select(plan => RandomOrder(plan, clock))];
                var random = new Random(run.seed);
                var insights = new OrderInsights(s_from, s_to);
                var next = orders.Select(_ => 0).ToArray();
                while (next.Select((n, i) => n < orders[i].Timeline.Count).Any(left => left))
                {
                    int i = random.Next(orders.Count);
                    if (next[i] < orders[i].Timeline.Count)
                    {
                        OrderEvent e = orders[i].Timeline[next[i]++];
                        insights.Observe(e);
                        if (random.Next(4) == 0)
                        {
                            insights.Observe(e);
                        }
                    }
                }

                InsightsReport report = OrderInsights.FromOrders(orders, s_from, s_to).Report();
                Assert.Equal(Text(report), Text(insights.Report()));
                reached.UnionWith(new[]
                {
                    report.Delivered > 0 ? "delivered" : null, report.BackorderRate > 0 ? "backordered" : null, report.CancellationRate > 0 ? "cancelled" : null,
                    report.ReturnRate > 0 ? "returned" : null, report.SplitShipmentRate > 0 ? "split" : null, report.OnTimeRate is not null ? "promised" : null,
                }.OfType<string>());
                return true;
            }).QuickCheckThrowOnFailure();

        // The generator must reach the figures that take several steps to earn, not only placed orders.
        Assert.Superset(new HashSet<string> { "delivered", "backordered", "cancelled", "returned", "split", "promised" }, reached);
    }

    [Fact]
    public async Task LoadAsync_RebuildsTheFiguresFromTheStore_OnceHoweverOftenItIsCalled()
    {
        List<Order> history = History();
        var store = new InMemoryOrderKitStore(new FakeClock(s_to));
        Order before = Order.Place(Placed("web"), new FakeClock(s_from - Duration.FromHours(1)));
        Order after = Order.Place(Placed("web"), new FakeClock(s_to));
        await SaveAsync(store, [.. history, before, after]);
        var insights = new OrderInsights(s_from, s_to);

        int read = await insights.LoadAsync(store);
        int again = await insights.LoadAsync(store, pageSize: 1, CancellationToken.None);

        Assert.Equal((4, 4), (read, again));
        Assert.Equal(Text(OrderInsights.FromOrders(history, s_from, s_to).Report()), Text(insights.Report()));
        await Assert.ThrowsAsync<ArgumentNullException>(() => insights.LoadAsync(null!));
    }

    /// <summary>
    /// After a restart, while the insights load the stored orders a page at a time: orders go on changing (their later
    /// events committed one by one, also between a page's read and its take-in), and the relay delivers what is committed
    /// and was not delivered to the old process, from any point of each timeline, some events twice. The figures end
    /// equal to insights built from the finished orders: nothing is lost and nothing is counted twice.
    /// </summary>
    [Fact]
    public void LoadAsync_WhileOrdersChangeAndTheRelayDelivers_EqualsFromScratch()
    {
        var reached = new HashSet<string>();
        Prop.ForAll(
            Arb.From(
                from count in Gen.Choose(1, 7)
                from plans in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(0, 9), 8), count)
                from pageSize in Gen.Choose(1, 3)
                from seed in Gen.Choose(0, int.MaxValue)
                select (plans, pageSize, seed)),
            run =>
            {
                var clock = new FakeClock(s_from - Duration.FromHours(3), Duration.FromMinutes(37));
                List<Order> orders = [.. run.plans.Select(plan => RandomOrder(plan, clock))];
                var random = new Random(run.seed);
                var store = new InMemoryOrderKitStore(clock);

                // Each order is stored as it stood after its first few events; the relay had delivered fewer of them.
                int[] committed = [.. orders.Select(o => 1 + random.Next(o.Timeline.Count))];
                int[] delivered = [.. committed.Select(c => random.Next(c + 1))];
                long[] version = [.. orders.Select(_ => 1L)];
                OrderSnapshot Stored(int i) => orders[i].ToSnapshotAtVersion(version[i]) with { Timeline = [.. orders[i].Timeline.Take(committed[i])] };
                SaveAsync(store, [.. orders.Select((_, i) => Stored(i))]).GetAwaiter().GetResult();

                var insights = new OrderInsights(s_from, s_to);
                bool[] placedSeen = new bool[orders.Count];

                // The case the buffer is for: while a page is read but not taken in, an event committed after the read
                // comes for an order of the page that these insights have not seen placed (it is lost without the buffer).
                IReadOnlyList<OrderSnapshot>? readNotTakenIn = null;
                bool raced = false;
                void Step()
                {
                    int i = random.Next(orders.Count);
                    bool canCommit = committed[i] < orders[i].Timeline.Count;
                    if (delivered[i] < committed[i] && (!canCommit || random.Next(2) == 0))
                    {
                        OrderEvent e = orders[i].Timeline[delivered[i]];
                        raced |= readNotTakenIn?.FirstOrDefault(o => o.Id == orders[i].Id) is { } read
                            && delivered[i] >= read.Timeline.Count && !placedSeen[i] && read.PlacedAt >= s_from && read.PlacedAt < s_to;
                        insights.Observe(e);
                        placedSeen[i] |= delivered[i] == 0;
                        if (random.Next(4) != 0)
                        {
                            delivered[i]++;
                        }
                    }
                    else if (canCommit)
                    {
                        committed[i]++;
                        version[i]++;
                        SaveAsync(store, [Stored(i)]).GetAwaiter().GetResult();
                    }
                }

                for (int n = random.Next(4); n > 0; n--)
                {
                    Step();
                }

                int pages = 0;
                var relayed = new RelayBetweenPages(store, page =>
                {
                    pages++;
                    readNotTakenIn = page;
                    for (int n = random.Next(8); n > 0; n--)
                    {
                        Step();
                    }

                    readNotTakenIn = null;
                });
                insights.LoadAsync(relayed, run.pageSize, CancellationToken.None).GetAwaiter().GetResult();
                while (delivered.Select((d, i) => d < orders[i].Timeline.Count).Any(left => left))
                {
                    Step();
                }

                InsightsReport expected = OrderInsights.FromOrders(orders, s_from, s_to).Report();
                Assert.Equal(Text(expected), Text(insights.Report()));
                reached.UnionWith(new[]
                {
                    pages > 2 ? "several pages" : null, raced ? "committed after its page was read, delivered before it was taken in" : null,
                    expected.Orders < orders.Count ? "outside the window" : null,
                    expected.Delivered > 0 ? "delivered" : null, expected.CancellationRate > 0 ? "cancelled" : null,
                }.OfType<string>());
                return true;
            }).QuickCheckThrowOnFailure();

        Assert.Superset(new HashSet<string> { "several pages", "committed after its page was read, delivered before it was taken in", "outside the window", "delivered", "cancelled" }, reached);
    }

    private static Task SaveAsync(IOrderKitStore store, IEnumerable<Order> orders) => SaveAsync(store, [.. orders.Select(o => o.ToSnapshotAtVersion(1))]);

    private static async Task SaveAsync(IOrderKitStore store, IReadOnlyList<OrderSnapshot> orders)
    {
        IOrderKitTransaction transaction = await store.BeginTransactionAsync();
        await using (transaction)
        {
            foreach (OrderSnapshot order in orders)
            {
                await transaction.Orders.SaveAsync(order);
            }

            await transaction.CommitAsync();
        }
    }

    /// <summary>A store whose reads of orders by placement call back after each page is read and before it is returned: where a relay's delivery can fall.</summary>
    private sealed class RelayBetweenPages(IOrderKitStore inner, Action<IReadOnlyList<OrderSnapshot>> afterPage) : IOrderKitStore
    {
        public async ValueTask<IOrderKitTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default) =>
            new Transaction(await inner.BeginTransactionAsync(cancellationToken), afterPage);

        public ValueTask<IReadOnlyList<OutboxMessage>> ReadOutboxAsync(int maxCount, CancellationToken cancellationToken = default) => inner.ReadOutboxAsync(maxCount, cancellationToken);

        public ValueTask MarkDeliveredAsync(IReadOnlyList<long> messageIds, CancellationToken cancellationToken = default) => inner.MarkDeliveredAsync(messageIds, cancellationToken);

        private sealed class Transaction(IOrderKitTransaction inner, Action<IReadOnlyList<OrderSnapshot>> afterPage) : IOrderKitTransaction, IOrderRepository
        {
            public IOrderRepository Orders => this;

            public IOutbox Outbox => inner.Outbox;

            public IIdempotencyRecords Idempotency => inner.Idempotency;

            public IInventoryRepository Inventory => inner.Inventory;

            public IInbox Inbox => inner.Inbox;

            public ValueTask CommitAsync(CancellationToken cancellationToken = default) => inner.CommitAsync(cancellationToken);

            public ValueTask DisposeAsync() => inner.DisposeAsync();

            public async ValueTask<IReadOnlyList<OrderSnapshot>> FindPlacedAsync(Instant from, Instant to, OrderSnapshot? after, int maxCount, CancellationToken cancellationToken = default)
            {
                IReadOnlyList<OrderSnapshot> page = await inner.Orders.FindPlacedAsync(from, to, after, maxCount, cancellationToken);
                afterPage(page);
                return page;
            }

            public ValueTask<OrderSnapshot?> FindAsync(OrderId orderId, CancellationToken cancellationToken = default) => inner.Orders.FindAsync(orderId, cancellationToken);

            public ValueTask SaveAsync(OrderSnapshot order, CancellationToken cancellationToken = default) => inner.Orders.SaveAsync(order, cancellationToken);

            public ValueTask<OrderId?> FindByTrackingNumberAsync(string carrierCode, string trackingNumber, CancellationToken cancellationToken = default) =>
                inner.Orders.FindByTrackingNumberAsync(carrierCode, trackingNumber, cancellationToken);

            public ValueTask<IReadOnlyList<OrderId>> FindPastShipByAsync(Instant now, int maxCount, CancellationToken cancellationToken = default) =>
                inner.Orders.FindPastShipByAsync(now, maxCount, cancellationToken);

            public ValueTask<IReadOnlyList<OrderId>> FindDeliveredAsync(Instant deliveredBy, int maxCount, CancellationToken cancellationToken = default) =>
                inner.Orders.FindDeliveredAsync(deliveredBy, maxCount, cancellationToken);

            public ValueTask<IReadOnlyList<WaitingLine>> FindWaitingAsync(Sku sku, int maxCount, CancellationToken cancellationToken = default) =>
                inner.Orders.FindWaitingAsync(sku, maxCount, cancellationToken);

            public ValueTask<IReadOnlyList<OrderSnapshot>> FindByCustomerAsync(CustomerId customerId, OrderSnapshot? after, int maxCount, CancellationToken cancellationToken = default) =>
                inner.Orders.FindByCustomerAsync(customerId, after, maxCount, cancellationToken);
        }
    }

    /// <summary>An order taken through some of: allocate (whole, part or backordered, at A or B), ship, deliver, cancel a line, cancel, ask back.</summary>
    private static Order RandomOrder(int[] plan, IClock clock)
    {
        Order order = Order.Place(Placed(plan[0] % 2 == 0 ? "web" : "pos"), clock);
        order.Confirm(order.Total);
        foreach (int step in plan)
        {
            try
            {
                LocationId at = step % 2 == 0 ? s_a : s_b;
                switch (step)
                {
                    case 0 or 1:
                        order.Allocate([new LineAllocation(Mug, order.GetLine(Mug).AwaitingAllocation, 0, at), new LineAllocation(Tee, order.GetLine(Tee).AwaitingAllocation, 0, at)]);
                        order.TryPromise(s_locations, clock.GetCurrentInstant(), new OrderKitOptions());
                        break;
                    case 2:
                        order.Allocate([new LineAllocation(Tee, 0, order.GetLine(Tee).AwaitingAllocation)]);
                        order.RecordBackordered(Tee, order.GetLine(Tee).Backordered, null, false);
                        break;
                    case 3 or 4:
                        OrderLine line = order.Lines.First(l => l.AllocatedAt.Count > 0);
                        order.Ship([new LineQuantity(line.Sku, new Quantity(line.AllocatedAt[0].Quantity))], line.AllocatedAt[0].Location);
                        break;
                    case 5 or 6:
                        order.Deliver([.. order.Lines.Where(l => l.InTransit > 0).Select(l => new LineQuantity(l.Sku, new Quantity(l.InTransit)))]);
                        break;
                    case 7:
                        order.CancelLine(Mug, new Quantity(1), "short");
                        break;
                    case 8:
                        order.Cancel("changed mind");
                        break;
                    case 9:
                        OrderLine back = order.Lines.First(l => l.Delivered > l.Returned);
                        order.RequestReturn([new ReturnLine(back.Sku, new Quantity(1), (ReturnReason)(plan[1] % 5))], new ReturnPolicy(), DateTimeZone.Utc);
                        break;
                }
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Not possible in this state: skip the step.
            }
        }

        return order;
    }

    private static string Text(InsightsReport r) => string.Join(
        "|",
        r.Orders, r.Delivered, r.LeadTime, r.PlacedToAllocated, r.AllocatedToShipped, r.ShippedToDelivered,
        F(r.OnTimeRate), F(r.FirstTimeFillRate), F(r.BackorderRate), F(r.SplitShipmentRate), F(r.CancellationRate), F(r.ReturnRate), F(r.PerfectOrderRate),
        string.Join(",", r.ReturnReasons.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}")));

    private static string F(double? rate) => rate?.ToString("R", CultureInfo.InvariantCulture) ?? "-";
}
