using NodaTime;
using OrderKit.Events;
using OrderKit.Orders;
using OrderKit.Persistence;
using OrderKit.Returns;

namespace OrderKit.Insights;

/// <summary>The figures a shop watches, kept current from the orders' events: lead times, on-time, fill, backorder, split, cancellation, return and perfect-order rates.</summary>
/// <remarks>
/// <para>It follows the orders placed in a window (<c>[from, to)</c> by <see cref="Order.PlacedAt"/>). Feed it events as
/// they happen: register it as an <see cref="IOrderEventHandler"/> (the outbox relay then delivers every committed
/// event to it), or call <see cref="Observe(OrderEvent)"/>. It keeps a small summary per order, and keeping it
/// current never reads the store: a dictionary lookup per event; <see cref="Report()"/> adds the summaries up.
/// Events delivered again (the outbox delivers at least once) or out of their order's sequence are ignored, so the
/// result is the same as building it from the orders' timelines with <see cref="FromOrders"/>. After a restart,
/// <see cref="LoadAsync(IOrderKitStore, CancellationToken)"/> reads the window's orders from the store once.</para>
/// <para>Each order's events must start with its <see cref="OrderPlaced"/>: a summary starts there. Reports per
/// <see cref="SalesChannel"/> and per <see cref="LocationId"/> (every location an order drew stock from) sit beside the
/// overall one.</para>
/// <para>Thread safety: thread-safe.</para>
/// </remarks>
public sealed class OrderInsights : IOrderEventHandler
{
    private const int LoadPageSize = 500;

    private readonly Lock _gate = new();
    private readonly Dictionary<OrderId, Summary> _orders = [];
    private readonly DateTimeZone _zone;
    private int _loads;
    private List<OrderEvent>? _early;

    /// <summary>Creates insights over the orders placed in a window.</summary>
    /// <param name="from">The start of the window, included.</param>
    /// <param name="to">The end of the window, excluded.</param>
    /// <param name="timeZone">The zone delivery days are compared with promised dates in; UTC when null.</param>
    /// <exception cref="ArgumentException"><paramref name="to"/> is not after <paramref name="from"/>.</exception>
    public OrderInsights(Instant from, Instant to, DateTimeZone? timeZone = null)
    {
        if (to <= from)
        {
            throw new ArgumentException($"The window must end after it starts; got {from} to {to}.", nameof(to));
        }

        From = from;
        To = to;
        _zone = timeZone ?? DateTimeZone.Utc;
    }

    /// <summary>Gets the start of the window, included.</summary>
    public Instant From { get; }

    /// <summary>Gets the end of the window, excluded.</summary>
    public Instant To { get; }

    /// <summary>Gets the channels of the orders seen, in no particular order.</summary>
    public IReadOnlyList<SalesChannel> Channels
    {
        get
        {
            lock (_gate)
            {
                return [.. _orders.Values.Select(o => o.Channel).Distinct()];
            }
        }
    }

    /// <summary>Gets the locations the orders seen drew stock from, in no particular order.</summary>
    public IReadOnlyList<LocationId> Locations
    {
        get
        {
            lock (_gate)
            {
                return [.. _orders.Values.SelectMany(o => o.Locations).Distinct()];
            }
        }
    }

    /// <summary>Builds insights from whole orders, reading their timelines.</summary>
    /// <param name="orders">The orders; those placed outside the window are left out.</param>
    /// <param name="from">The start of the window, included.</param>
    /// <param name="to">The end of the window, excluded.</param>
    /// <param name="timeZone">The zone delivery days are compared with promised dates in; UTC when null.</param>
    /// <returns>The insights.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="orders"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="to"/> is not after <paramref name="from"/>.</exception>
    public static OrderInsights FromOrders(IEnumerable<Order> orders, Instant from, Instant to, DateTimeZone? timeZone = null)
    {
        ArgumentNullException.ThrowIfNull(orders);
        var insights = new OrderInsights(from, to, timeZone);
        foreach (Order order in orders)
        {
            foreach (OrderEvent orderEvent in order.Timeline)
            {
                insights.Observe(orderEvent);
            }
        }

        return insights;
    }

    /// <summary>Reads the orders placed in the window from a store and takes in their timelines: the figures after a restart.</summary>
    /// <remarks>
    /// <para>Insights live in memory, so a new process starts with none. Register the instance as an event handler
    /// first, then call this once at start-up (from a hosted service, say). An event the relay delivers meanwhile and the
    /// same event in a stored timeline count once, whichever comes first: an order's events count once each and only
    /// in their sequence, and an event that comes for an order whose page is not yet taken in waits for it. Calling it
    /// again changes nothing.</para>
    /// <para>It reads the orders a page at a time (<see cref="IOrderRepository.FindPlacedAsync"/>), each page in a
    /// unit of work of its own, and keeps only the summaries, so its memory follows the orders in the window, not their
    /// documents.</para>
    /// </remarks>
    /// <param name="store">The store the shop's orders are in.</param>
    /// <param name="cancellationToken">Cancels the read; what was taken in before stays.</param>
    /// <returns>The number of stored orders placed in the window.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is null.</exception>
    public Task<int> LoadAsync(IOrderKitStore store, CancellationToken cancellationToken = default) => LoadAsync(store, LoadPageSize, cancellationToken);

    /// <summary><see cref="LoadAsync(IOrderKitStore, CancellationToken)"/> with pages of a given size.</summary>
    internal async Task<int> LoadAsync(IOrderKitStore store, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);

        // Stores compare moments at their own precision (microseconds on PostgreSQL): ask a microsecond beyond the
        // end, and let Observe keep exactly the window.
        Instant end = To + Duration.FromNanoseconds(1_000);
        lock (_gate)
        {
            _loads++;
            _early ??= [];
        }

        try
        {
            OrderSnapshot? after = null;
            int read = 0;
            while (true)
            {
                IReadOnlyList<OrderSnapshot> page;
                IOrderKitTransaction transaction = await store.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    page = await transaction.Orders.FindPlacedAsync(From, end, after, pageSize, cancellationToken).ConfigureAwait(false);
                }

                lock (_gate)
                {
                    foreach (OrderSnapshot order in page)
                    {
                        if (order.PlacedAt >= From && order.PlacedAt < To)
                        {
                            read++;
                        }

                        foreach (OrderEvent orderEvent in order.Timeline)
                        {
                            ObserveLocked(orderEvent);
                        }
                    }

                    ReplayEarlyLocked();
                }

                if (page.Count < pageSize)
                {
                    return read;
                }

                after = page[^1];
            }
        }
        finally
        {
            lock (_gate)
            {
                _loads--;
                ReplayEarlyLocked();
                if (_loads == 0)
                {
                    _early = null;
                }
            }
        }
    }

    /// <summary>Takes in one event.</summary>
    /// <param name="orderEvent">The event; ignored when its order was placed outside the window, or when it is not the next of its order's sequence.</param>
    /// <exception cref="ArgumentNullException"><paramref name="orderEvent"/> is null.</exception>
    public void Observe(OrderEvent orderEvent)
    {
        ArgumentNullException.ThrowIfNull(orderEvent);
        lock (_gate)
        {
            ObserveLocked(orderEvent);
        }
    }

    private void ObserveLocked(OrderEvent orderEvent)
    {
        if (orderEvent is OrderPlaced placed)
        {
            if (placed.Sequence == 1 && placed.OccurredAt >= From && placed.OccurredAt < To && !_orders.ContainsKey(placed.OrderId))
            {
                _orders[placed.OrderId] = new Summary(placed);
            }

            return;
        }

        if (_orders.TryGetValue(orderEvent.OrderId, out Summary? summary))
        {
            if (orderEvent.Sequence == summary.LastSequence + 1)
            {
                summary.Apply(orderEvent);
            }
        }
        else
        {
            // While a load runs, an event may come for an order whose page is read but not yet taken in.
            _early?.Add(orderEvent);
        }
    }

    /// <summary>Takes in again the events that came during a load for orders not known then; those still unknown wait for the next page, or are dropped when no load is left.</summary>
    private void ReplayEarlyLocked()
    {
        if (_early is not { Count: > 0 } early)
        {
            return;
        }

        _early = _loads > 0 ? [] : null;
        early.Sort(static (x, y) => x.OrderId != y.OrderId ? x.OrderId.CompareTo(y.OrderId) : x.Sequence.CompareTo(y.Sequence));
        foreach (OrderEvent orderEvent in early)
        {
            ObserveLocked(orderEvent);
        }
    }

    /// <inheritdoc />
    ValueTask IOrderEventHandler.HandleAsync(OrderEvent orderEvent, CancellationToken cancellationToken)
    {
        Observe(orderEvent);
        return ValueTask.CompletedTask;
    }

    /// <summary>Returns the figures over every order seen.</summary>
    /// <returns>The report.</returns>
    public InsightsReport Report() => ReportOf(static _ => true);

    /// <summary>Returns the figures over the orders of one channel.</summary>
    /// <param name="channel">The channel.</param>
    /// <returns>The report.</returns>
    public InsightsReport Report(SalesChannel channel) => ReportOf(o => o.Channel == channel);

    /// <summary>Returns the figures over the orders that drew stock from one location.</summary>
    /// <param name="location">The location.</param>
    /// <returns>The report.</returns>
    public InsightsReport Report(LocationId location) => ReportOf(o => o.Locations.Contains(location));

    private InsightsReport ReportOf(Func<Summary, bool> include)
    {
        // Summaries change under the lock only; a report reads them under it too (it is rare, and cheap beside a query).
        lock (_gate)
        {
            return ReportOf([.. _orders.Values.Where(include)]);
        }
    }

    private InsightsReport ReportOf(Summary[] orders)
    {

        Summary[] delivered = [.. orders.Where(o => o.DeliveredAt is not null)];
        Summary[] allocated = [.. orders.Where(o => o.AllocatedAt is not null)];
        Summary[] shipped = [.. orders.Where(o => o.Consignments > 0)];
        Summary[] promised = [.. delivered.Where(o => o.PromisedBy is not null)];
        int deliveredUnits = orders.Sum(o => o.UnitsDelivered);
        var reasons = new Dictionary<ReturnReason, int>();
        foreach (Summary order in orders)
        {
            foreach ((ReturnReason reason, int units) in order.ReturnReasons)
            {
                reasons[reason] = reasons.GetValueOrDefault(reason) + units;
            }
        }

        return new InsightsReport
        {
            Orders = orders.Length,
            Delivered = delivered.Length,
            LeadTime = DurationStatistics.Of(delivered.Select(o => o.DeliveredAt!.Value - o.PlacedAt)),
            PlacedToAllocated = DurationStatistics.Of(allocated.Select(o => o.AllocatedAt!.Value - o.PlacedAt)),
            AllocatedToShipped = DurationStatistics.Of(shipped.Where(o => o.AllocatedAt is not null).Select(o => o.ShippedAt!.Value - o.AllocatedAt!.Value)),
            ShippedToDelivered = DurationStatistics.Of(delivered.Where(o => o.ShippedAt is not null).Select(o => o.DeliveredAt!.Value - o.ShippedAt!.Value)),
            OnTimeRate = Rate(promised.Count(IsOnTime), promised.Length),
            FirstTimeFillRate = Rate(allocated.Count(o => o.FirstTimeFill), allocated.Length),
            BackorderRate = Rate(orders.Count(o => o.Backordered), orders.Length),
            SplitShipmentRate = Rate(shipped.Count(o => o.Consignments > 1), shipped.Length),
            CancellationRate = Rate(orders.Count(o => o.Cancelled), orders.Length),
            ReturnRate = Rate(orders.Sum(o => o.UnitsAskedBack), deliveredUnits),
            ReturnReasons = reasons,
            PerfectOrderRate = Rate(delivered.Count(o => !o.LinesCancelled && !o.Damaged && o.UnitsAskedBack == 0 && (o.PromisedBy is null || IsOnTime(o))), delivered.Length),
        };
    }

    private bool IsOnTime(Summary order) => order.DeliveredAt!.Value.InZone(_zone).Date <= order.PromisedBy!.Value;

    private static double? Rate(int part, int whole) => whole == 0 ? null : (double)part / whole;

    /// <summary>What the figures need of one order, kept up to date event by event.</summary>
    private sealed class Summary
    {
        public Summary(OrderPlaced placed)
        {
            Channel = placed.Channel;
            PlacedAt = placed.OccurredAt;
            Units = placed.UnitCount;
            LastSequence = placed.Sequence;
        }

        public SalesChannel Channel { get; }

        public Instant PlacedAt { get; }

        public int Units { get; }

        public int LastSequence { get; private set; }

        public HashSet<LocationId> Locations { get; } = [];

        public Dictionary<ReturnReason, int> ReturnReasons { get; } = [];

        public Instant? AllocatedAt { get; private set; }

        public Instant? ShippedAt { get; private set; }

        public Instant? DeliveredAt { get; private set; }

        public LocalDate? PromisedBy { get; private set; }

        public bool FirstTimeFill { get; private set; }

        public bool Backordered { get; private set; }

        public bool Cancelled { get; private set; }

        public bool LinesCancelled { get; private set; }

        public bool Damaged { get; private set; }

        public int Consignments { get; private set; }

        public int UnitsCancelled { get; private set; }

        public int UnitsDelivered { get; private set; }

        public int UnitsAskedBack { get; private set; }

        public void Apply(OrderEvent orderEvent)
        {
            LastSequence = orderEvent.Sequence;
            switch (orderEvent)
            {
                case LinesAllocated allocated:
                    int units = 0;
                    int waiting = 0;
                    foreach (LineAllocation line in allocated.Allocations)
                    {
                        units += line.Allocated;
                        waiting += line.Backordered;
                        if (line.Location is { } at && line.Allocated > 0)
                        {
                            Locations.Add(at);
                        }
                    }

                    if (AllocatedAt is null && units > 0)
                    {
                        // The first allocation that found stock: a first-time fill when it found stock for every open unit.
                        AllocatedAt = allocated.OccurredAt;
                        FirstTimeFill = waiting == 0 && units == Units - UnitsCancelled && !Backordered;
                    }

                    break;
                case LineBackordered:
                    Backordered = true;
                    break;
                case OrderLineCancelled cancelled:
                    UnitsCancelled += cancelled.Quantity;
                    LinesCancelled = true;
                    break;
                case OrderCancelled:
                    Cancelled = true;
                    break;
                case LinesShipped shipped:
                    ShippedAt ??= shipped.OccurredAt;
                    Consignments++;
                    break;
                case LinesDelivered delivered:
                    UnitsDelivered += delivered.Lines.Sum(static l => l.Quantity.Value);
                    break;
                case OrderStatusChanged { To: OrderStatus.Delivered } changed:
                    DeliveredAt ??= changed.OccurredAt;
                    break;
                case DeliveryPromised promised:
                    PromisedBy ??= promised.PromisedDeliveryDate;
                    break;
                case ClaimRecorded claim:
                    Damaged |= claim.Kind == ClaimKind.DamagedInTransit;
                    break;
                case ReturnRequested returned:
                    foreach (ReturnLine line in returned.Lines)
                    {
                        UnitsAskedBack += line.Quantity.Value;
                        ReturnReasons[line.Reason] = ReturnReasons.GetValueOrDefault(line.Reason) + line.Quantity.Value;
                        Damaged |= line.Reason == ReturnReason.DamagedInTransit;
                    }

                    break;
            }
        }
    }
}
