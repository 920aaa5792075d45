using System.Globalization;
using NodaTime;
using NodaTime.Testing;
using OrderKit.Events;
using OrderKit.Fulfillment;
using OrderKit.Insights;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence;
using OrderKit.Returns;
using OrderKit.Shipping;

namespace OrderKit.Samples.Simulation;

/// <summary>What a simulated day looked like, for the report's charts: its orders, the share filled at once, the share of its deliveries on time, and the stock of the busiest SKUs.</summary>
public sealed record DayFigures(LocalDate Date, int Orders, double? FirstTimeFill, double? OnTime, IReadOnlyDictionary<Sku, (int Available, int ReorderPoint)> Stock);

/// <summary>The outcome of a run: the insights over every order, and each day's figures.</summary>
public sealed record SimulationResult(InsightsReport Report, IReadOnlyList<DayFigures> Days, IReadOnlyList<Duration> LeadTimes, IReadOnlyList<Sku> BusiestSkus);

/// <summary>A small shop run day by day on a fake clock, through OrderKit's services on the in-memory store.</summary>
public static class ShopSimulation
{
    private static readonly DateTimeZone s_berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
    private static readonly LocationId[] s_warehouses = [new("BER"), new("HAM"), new("MUC")];

    /// <summary>Runs the shop for some days.</summary>
    /// <param name="days">How many days.</param>
    /// <param name="seed">The seed of the random demand.</param>
    /// <param name="log">Where to print a line per day and the final figures.</param>
    /// <returns>The insights and the daily figures.</returns>
    public static async Task<SimulationResult> RunAsync(int days, int seed, TextWriter log)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentNullException.ThrowIfNull(log);
        var random = new Random(seed);
        Instant start = Instant.FromUtc(2026, 11, 2, 7, 0);   // a Monday morning in Berlin
        var clock = new FakeClock(start);
        var store = new InMemoryOrderKitStore(clock);
        var options = new OrderKitOptions { TimeZone = s_berlin };
        var inventory = new InventoryService(store, clock, options);
        var orders = new OrderService(store, clock, options, inventory);
        var carriers = new CarrierRegistry([new FlatRateCarrier("post", [new FlatRateService("standard", new Money(4.90m, Currency.EUR), 2)])]);
        var fulfillment = new FulfillmentService(store, clock, options, carriers);
        var returns = new ReturnService(store, clock, options);
        var insights = new OrderInsights(start, start + Duration.FromDays(days + 30), s_berlin);
        var relay = new OutboxRelay(store, [insights], options);
        var advisor = new ReplenishmentAdvisor(inventory, clock, new ReplenishmentPolicy { DemandWindow = Duration.FromDays(7), LeadTimeDays = 3, CoverDays = 7 });

        Sku[] skus = [.. Enumerable.Range(1, 12).Select(i => new Sku($"SKU-{i:00}"))];
        double[] popularity = [.. skus.Select((_, i) => 1.0 / (i + 1))];   // a few best sellers, a long tail
        foreach (LocationId at in s_warehouses)
        {
            await inventory.AddLocationAsync(new StockLocation(at, at.Value) { TimeZone = s_berlin, CutOff = new LocalTime(15, 0), Rank = Array.IndexOf(s_warehouses, at) });
        }

        foreach (Sku sku in skus)
        {
            await inventory.SetPolicyAsync(sku, InventoryPolicy.Backorder());
            foreach (LocationId at in s_warehouses)
            {
                await inventory.ReceiveAsync(sku, at, new Quantity(random.Next(5, 40)), "opening stock");
            }
        }

        var all = new List<OrderId>();
        var toShip = new HashSet<OrderId>();
        var inTransit = new List<(OrderId Order, int Shipment, Instant Due)>();
        var returning = new List<OrderId>();
        var figures = new List<DayFigures>();
        for (int day = 0; day < days; day++)
        {
            LocalDate date = clock.GetCurrentInstant().InZone(s_berlin).Date;
            bool weekend = date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday;

            // Orders through the day (fewer at weekends), each paid at checkout and allocated at once.
            int count = weekend ? random.Next(5, 12) : random.Next(12, 30);
            int filledToday = 0, deliveredToday = 0, onTimeToday = 0;
            for (int n = 0; n < count; n++)
            {
                clock.Advance(Duration.FromMinutes(random.Next(5, 40)));
                var lines = new Dictionary<Sku, int>();
                for (int l = random.Next(1, 4); l > 0; l--)
                {
                    Sku sku = Pick(random, skus, popularity);
                    lines[sku] = lines.GetValueOrDefault(sku) + random.Next(1, 3);
                }

                var request = new PlaceOrderRequest
                {
                    CustomerId = new CustomerId($"C{random.Next(1, 400)}"),
                    Channel = new SalesChannel(random.Next(4) == 0 ? "pos" : "web"),
                    ShippingAddress = new Address("Customer", "Street 1", "Berlin", "10117", "DE"),
                    Currency = Currency.EUR,
                    Lines = [.. lines.Select(p => new PlaceOrderLine(p.Key, new Quantity(p.Value), new Money(19.90m, Currency.EUR)))],
                    ShippingMethod = new ShippingMethod("post", "standard", 2),
                };
                Money total = new Money(19.90m, Currency.EUR) * lines.Values.Sum();
                Order placedOrder = (await orders.PlaceAndAllocateAsync(request, total)).Order;
                OrderId placed = placedOrder.Id;
                filledToday += placedOrder.Status == OrderStatus.Allocated ? 1 : 0;
                all.Add(placed);
                toShip.Add(placed);
            }

            // The afternoon: every warehouse ships what it holds for orders, unless it is the weekend.
            if (!weekend)
            {
                clock.Reset(date.At(new LocalTime(14, 0)).InZoneLeniently(s_berlin).ToInstant());
                foreach (Order order in await LoadAsync(orders, toShip))
                {
                    if (order.Status is not (OrderStatus.Allocated or OrderStatus.Backordered or OrderStatus.PartiallyShipped))
                    {
                        toShip.Remove(order.Id);
                        continue;
                    }

                    if (!order.CanShip)
                    {
                        continue;
                    }

                    Order withShipments = await fulfillment.CreateShipmentsAsync(order.Id);
                    foreach (Shipment shipment in withShipments.Shipments.Where(s => s.Status == ShipmentStatus.Pending))
                    {
                        await fulfillment.PickAsync(order.Id, shipment.Number);
                        await fulfillment.PackAsync(order.Id, shipment.Number, [new Parcel(0.5m * shipment.Units)]);
                        await fulfillment.PurchaseLabelAsync(order.Id, shipment.Number, "post", "standard");
                        await fulfillment.ShipAsync(order.Id, shipment.Number);
                        // Two working days in transit, and one parcel in six a day or two late.
                        int late = random.Next(6) == 0 ? random.Next(1, 3) : 0;
                        LocalDate due = BusinessCalendar.MondayToFriday.AddWorkingDays(date, 2 + late);
                        inTransit.Add((order.Id, shipment.Number, due.At(new LocalTime(11, 0)).InZoneLeniently(s_berlin).ToInstant()));
                    }
                }
            }

            // Deliveries due today; a few customers send something back.
            Instant evening = date.At(new LocalTime(20, 0)).InZoneLeniently(s_berlin).ToInstant();
            clock.Reset(evening);
            foreach ((OrderId id, int number, Instant due) in inTransit.Where(t => t.Due <= evening).ToList())
            {
                inTransit.Remove((id, number, due));
                await fulfillment.ApplyTrackingAsync(id, number, new TrackingUpdate(TrackingStatus.Delivered, due, "DELIVERED"));
                Order order = await orders.GetAsync(id);
                deliveredToday++;
                onTimeToday += order.PromisedDeliveryDate is { } promised && due.InZone(s_berlin).Date <= promised ? 1 : 0;
                if (order.Status == OrderStatus.Delivered && random.Next(12) == 0)
                {
                    OrderLine line = order.Lines[random.Next(order.Lines.Count)];
                    await returns.RequestAsync(id, [new ReturnLine(line.Sku, new Quantity(1), (ReturnReason)random.Next(5))]);
                    await returns.AuthorizeAsync(id, order.Returns.Count + 1);
                    returning.Add(id);
                }
            }

            // Returns arrive a couple of days later: restocked at the first warehouse, inspected, credited.
            foreach (OrderId id in returning.ToList())
            {
                Order order = await orders.GetAsync(id);
                foreach (ReturnRequest request in order.Returns.Where(r => r.Status == ReturnStatus.Authorized && evening - r.RequestedAt >= Duration.FromDays(2)))
                {
                    await returns.ReceiveAsync(id, request.Number, [.. request.Lines.Select(l => new ReturnReceipt(l.Sku, l.Quantity, l.Reason.IsShopFault() ? ReturnDisposition.Quarantine : ReturnDisposition.Restock, s_warehouses[0]))]);
                    await returns.InspectAsync(id, request.Number, "checked");
                    await returns.IssueStoreCreditAsync(id, request.Number);
                    returning.Remove(id);
                }
            }

            // Fridays: reorder what the advisor says is running low; it arrives at once (a local supplier).
            if (date.DayOfWeek == IsoDayOfWeek.Friday)
            {
                foreach (Sku sku in skus)
                {
                    foreach (ReplenishmentAdvice advice in await advisor.AdviseAsync(sku))
                    {
                        if (advice.SuggestedQuantity > 0)
                        {
                            await inventory.ReceiveAsync(sku, advice.Location, new Quantity(advice.SuggestedQuantity), "weekly reorder");
                        }
                    }
                }
            }

            await relay.DeliverPendingAsync();
            var stock = new Dictionary<Sku, (int, int)>();
            foreach (Sku sku in skus.Take(3))
            {
                IReadOnlyList<ReplenishmentAdvice> advice = await advisor.AdviseAsync(sku);
                stock[sku] = (advice.Sum(a => a.Available), advice.Sum(a => a.ReorderPoint));
            }

            double fill = (double)filledToday / count;
            double? onTime = deliveredToday == 0 ? null : (double)onTimeToday / deliveredToday;
            figures.Add(new DayFigures(date, count, fill, onTime, stock));
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{date:uuuu-MM-dd} {date.DayOfWeek,-9} {count,3} orders, {deliveredToday,3} parcels delivered, {inTransit.Count,3} in transit; filled first time {fill:P0}, on time {onTime:P0}"));
            clock.Reset(date.PlusDays(1).At(new LocalTime(7, 0)).InZoneLeniently(s_berlin).ToInstant());
        }

        await relay.DeliverPendingAsync();
        InsightsReport report = insights.Report();
        await log.WriteLineAsync();
        await log.WriteLineAsync($"Orders {report.Orders}, delivered {report.Delivered}; lead time {report.LeadTime}");
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"On time {report.OnTimeRate:P1}, first-time fill {report.FirstTimeFillRate:P1}, backorders {report.BackorderRate:P1}, split {report.SplitShipmentRate:P1}, returns {report.ReturnRate:P1}, perfect {report.PerfectOrderRate:P1}"));
        List<Duration> leadTimes = [];
        foreach (Order order in await LoadAsync(orders, all))
        {
            if (order.DeliveredAt is { } at)
            {
                leadTimes.Add(at - order.PlacedAt);
            }
        }

        return new SimulationResult(report, figures, leadTimes, [.. skus.Take(3)]);
    }

    private static Sku Pick(Random random, Sku[] skus, double[] weights)
    {
        double roll = random.NextDouble() * weights.Sum();
        for (int i = 0; i < skus.Length; i++)
        {
            roll -= weights[i];
            if (roll <= 0)
            {
                return skus[i];
            }
        }

        return skus[^1];
    }

    private static async Task<List<Order>> LoadAsync(OrderService orders, IEnumerable<OrderId> ids)
    {
        var result = new List<Order>();
        foreach (OrderId id in ids)
        {
            result.Add(await orders.GetAsync(id));
        }

        return result;
    }
}
