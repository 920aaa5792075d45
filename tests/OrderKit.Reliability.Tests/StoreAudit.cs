using NodaTime;
using OrderKit.Events;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence;

namespace OrderKit.Reliability.Tests;

/// <summary>What the checks found in a store after a load: the figures the reliability page quotes.</summary>
internal sealed record AuditFigures(int Orders, int UnitsReserved, int UnitsInStock, int EventsDelivered, int Duplicates);

/// <summary>Reopens a store after worker processes have used it and checks everything the reliability figures claim.</summary>
internal static class StoreAudit
{
    /// <summary>
    /// Checks, through OrderKit's own API: every order in the database reads back; the log's committed steps are all
    /// there; no cell has more reserved than on hand; the units each cell has reserved are exactly the units the stored
    /// orders hold there (a half-applied command would break this); the ledger adds up to the counts; and the outbox,
    /// drained now, hands over every event of every order, in order per order.
    /// </summary>
    public static async Task<AuditFigures> CheckAsync(SharedStore shared, int unitsPerCell, IEnumerable<string> log)
    {
        (IOrderKitStore store, IAsyncDisposable owner) = shared.Open();
        await using (owner)
        {
            var options = new OrderKitOptions();
            var orders = new OrderService(store, SystemClock.Instance, options);
            var inventory = new InventoryService(store, SystemClock.Instance, options);

            // Every order the database holds reads back whole.
            var stored = new Dictionary<OrderId, Order>();
            foreach (OrderId id in await shared.OrderIdsAsync())
            {
                stored[id] = await orders.GetAsync(id);
            }

            // Every step a worker logged was committed before it was logged: it must be there.
            foreach (string line in log)
            {
                string[] parts = line.Split(' ');
                var id = new OrderId(parts[1]);
                Assert.True(stored.TryGetValue(id, out Order? order), $"Order {id} was committed ({line}) but is not in the store.");
                switch (parts[0])
                {
                    case "confirmed":
                        Assert.NotEqual(PaymentStatus.Pending, order!.PaymentStatus);
                        break;
                    case "allocated":
                        Assert.Equal(parts[2], order!.Status.ToString());
                        Assert.Equal(long.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture), order.Version);
                        break;
                }
            }

            // Stock: the counts, the orders and the ledger agree; nothing is oversold.
            var held = new Dictionary<(Sku, LocationId), int>();
            foreach (Order order in stored.Values)
            {
                foreach (OrderLine line in order.Lines)
                {
                    Assert.True(line.Allocated + line.Backordered <= line.Open, $"Line {line} of {order.Id} breaks its buckets.");
                    foreach (AllocatedStock at in line.AllocatedAt.Where(a => a.IsReserved))
                    {
                        held[(line.Sku, at.Location)] = held.GetValueOrDefault((line.Sku, at.Location)) + at.Quantity;
                    }
                }
            }

            IReadOnlyList<StockMovement> ledger = await inventory.GetLedgerAsync();
            int reservedTotal = 0;
            foreach (Sku sku in SharedStore.Skus)
            {
                foreach (StockLevel level in await inventory.GetLevelsAsync(sku))
                {
                    Assert.Equal(unitsPerCell, level.OnHand);
                    Assert.True(level.Reserved <= level.OnHand, $"{sku} at {level.Location} is oversold: {level.Reserved} reserved of {level.OnHand} on hand.");
                    Assert.Equal(held.GetValueOrDefault((sku, level.Location)), level.Reserved);
                    IEnumerable<StockMovement> cell = ledger.Where(m => m.Sku == sku && m.Location == level.Location);
                    Assert.Equal(level.OnHand, cell.Sum(m => m.OnHandChange));
                    Assert.Equal(level.Reserved, cell.Sum(m => m.ReservedChange));
                    reservedTotal += level.Reserved;
                }
            }

            // The outbox hands over what had not been delivered: here, every event of every order, in order per order.
            var recorder = new Recorder();
            var relay = new OutboxRelay(store, [recorder], options);
            while ((await relay.DeliverPendingAsync()).Delivered > 0)
            {
            }

            foreach (Order order in stored.Values)
            {
                Assert.Equal(Enumerable.Range(1, order.Timeline.Count).AsEnumerable(), recorder.FirstSeen(order.Id));
            }

            return new AuditFigures(stored.Count, reservedTotal, unitsPerCell * SharedStore.Skus.Length * SharedStore.Locations.Length, recorder.Count, recorder.Duplicates);
        }
    }

    /// <summary>Checks a relay log: every event of every stored order delivered at least once, and, per order, first delivered in sequence order.</summary>
    public static async Task<(int Delivered, int Duplicates)> CheckRelayLogAsync(SharedStore shared, string[] log)
    {
        var recorder = new Recorder();
        foreach (string line in log)
        {
            string[] parts = line.Split(' ');
            recorder.Add(new OrderId(parts[0]), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }

        (IOrderKitStore store, IAsyncDisposable owner) = shared.Open();
        await using (owner)
        {
            var orders = new OrderService(store, SystemClock.Instance, new OrderKitOptions());
            foreach (OrderId id in await shared.OrderIdsAsync())
            {
                Order order = await orders.GetAsync(id);
                Assert.Equal(Enumerable.Range(1, order.Timeline.Count).AsEnumerable(), recorder.FirstSeen(id));
            }

            Assert.Empty(await store.ReadOutboxAsync(1));
        }

        return (recorder.Count, recorder.Duplicates);
    }

    /// <summary>Records deliveries: per order, the sequences in the order they were first seen.</summary>
    private sealed class Recorder : IOrderEventHandler
    {
        private readonly Dictionary<OrderId, List<int>> _first = [];
        private readonly HashSet<(OrderId, int)> _seen = [];

        public int Count { get; private set; }

        public int Duplicates { get; private set; }

        public ValueTask HandleAsync(OrderEvent orderEvent, CancellationToken cancellationToken)
        {
            Add(orderEvent.OrderId, orderEvent.Sequence);
            return ValueTask.CompletedTask;
        }

        public void Add(OrderId order, int sequence)
        {
            Count++;
            if (!_seen.Add((order, sequence)))
            {
                Duplicates++;
                return;
            }

            if (!_first.TryGetValue(order, out List<int>? list))
            {
                _first[order] = list = [];
            }

            list.Add(sequence);
        }

        public IReadOnlyList<int> FirstSeen(OrderId order) => _first.TryGetValue(order, out List<int>? list) ? list : [];
    }
}
