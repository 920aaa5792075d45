using NodaTime;
using OrderKit.Events;
using OrderKit.Inventory;
using OrderKit.Shipping;

namespace OrderKit.Orders;

public sealed partial class Order
{
    private Instant? _shipBy;
    private Instant? _atRiskSince;
    private Instant? _deliveredAt;

    /// <summary>Gets the order this one replaces or exchanges units of (<see cref="Returns.ReturnService"/>); null for an order of its own.</summary>
    public OrderId? ReplacementFor { get; private init; }

    /// <summary>Gets the carrier service the customer chose at checkout, if the request named one.</summary>
    public ShippingMethod? ShippingMethod { get; private init; }

    /// <summary>Gets the moment the order must be with the carrier; null until it is promised at its first allocation.</summary>
    /// <remarks>
    /// The earliest <see cref="DeliveryPromise.ShipBy"/> of the locations its units were allocated to, computed once by
    /// <see cref="OrderService"/> when the order is first allocated (<see cref="DeliveryPromised"/>) and kept after.
    /// See <c>docs/delivery-promise.md</c>.
    /// </remarks>
    public Instant? ShipBy => _shipBy;

    /// <summary>Gets when the order was found past its ship-by moment with units still to ship (<see cref="OrderAtRisk"/>); null when it has not been.</summary>
    public Instant? AtRiskSince => _atRiskSince;

    /// <summary>Gets when the order's last unit was delivered; null until then.</summary>
    public Instant? DeliveredAt => _deliveredAt;

    /// <summary>Returns whether the order is past its ship-by moment with units still to ship.</summary>
    /// <param name="now">The moment to judge at.</param>
    /// <returns>True when <see cref="ShipBy"/> is at or before <paramref name="now"/> and the order is confirmed, allocated, backordered or partly shipped.</returns>
    public bool IsAtRisk(Instant now) => _shipBy is { } shipBy && shipBy <= now && AwaitsShipment(_status);

    /// <summary>Whether an order in this status still has units to ship; the stores' at-risk query uses the same statuses.</summary>
    internal static bool AwaitsShipment(OrderStatus status) =>
        status is OrderStatus.Confirmed or OrderStatus.Allocated or OrderStatus.Backordered or OrderStatus.PartiallyShipped;

    /// <summary>Promises the order once it has units at locations: the ship-by moment and, where known, the delivery date.</summary>
    /// <returns>Whether a promise was recorded now.</returns>
    internal bool TryPromise(StockIndex.LocationTable locations, Instant readyAt, OrderKitOptions options)
    {
        if (_shipBy is not null || !AwaitsShipment(_status))
        {
            return false;
        }

        Instant? shipBy = null;
        LocalDate? delivery = null;
        int? transitDays = ShippingMethod?.TransitDays;

        // One promise per location, however many lines draw on it. Past sixteen locations a repeat is worked out
        // again, which changes nothing: the earliest and the latest are the same.
        Span<int> done = stackalloc int[16];
        int doneCount = 0;
        foreach (OrderLine line in _lines)
        {
            foreach (AllocatedStock stock in line.AllocatedAt)
            {
                if (!locations.TryGetIndex(stock.Location, out int index) || done[..doneCount].Contains(index))
                {
                    continue;
                }

                if (doneCount < done.Length)
                {
                    done[doneCount++] = index;
                }

                StockLocation location = locations[index];
                DeliveryPromise promise = DeliveryPromise.For(location, readyAt, options.TimeZone, transitDays, options.TransitCalendar);
                if (shipBy is null || promise.ShipBy < shipBy)
                {
                    shipBy = promise.ShipBy;
                }

                if (promise.EstimatedDelivery is { } date && (delivery is null || date > delivery))
                {
                    delivery = date;
                }
            }
        }

        if (shipBy is not { } due)
        {
            return false;
        }

        _shipBy = due;
        PromisedDeliveryDate ??= delivery;
        Record(new DeliveryPromised(Id, NextSequence, Now, due, PromisedDeliveryDate));
        return true;
    }

    /// <summary>Records <see cref="OrderAtRisk"/> the first time the order is found at risk.</summary>
    /// <returns>Whether it was recorded now.</returns>
    internal bool MarkAtRisk(Instant now)
    {
        if (_atRiskSince is not null || !IsAtRisk(now))
        {
            return false;
        }

        _atRiskSince = now;
        Record(new OrderAtRisk(Id, NextSequence, Now, _shipBy!.Value, _totals.Open));
        return true;
    }

    /// <summary>When the order last became delivered, for snapshots written before <see cref="DeliveredAt"/> was kept.</summary>
    private Instant? LastDeliveredFromTimeline()
    {
        for (int i = _timeline.Count - 1; i >= 0; i--)
        {
            if (_timeline[i] is OrderStatusChanged { To: OrderStatus.Delivered } change)
            {
                return change.OccurredAt;
            }
        }

        return null;
    }
}
