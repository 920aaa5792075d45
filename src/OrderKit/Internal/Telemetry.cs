using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using NodaTime;
using OrderKit.Events;
using OrderKit.Orders;
using OrderKit.Persistence;
using OrderKit.Returns;

namespace OrderKit.Internal;

/// <summary>
/// OrderKit's meter and activity source. Counters follow committed events: a unit of work stages the events it saves,
/// and they are counted once its commit returns, so a rolled-back or retried attempt counts nothing.
/// </summary>
internal static class Telemetry
{
    public static readonly ActivitySource Source = new(OrderKitDiagnostics.ActivitySourceName, typeof(Telemetry).Assembly.GetName().Version?.ToString());

    public static readonly Meter Meter = new(OrderKitDiagnostics.MeterName, typeof(Telemetry).Assembly.GetName().Version?.ToString());

    private static readonly Counter<long> s_placed = Meter.CreateCounter<long>("orderkit.orders.placed", "{order}", "Orders placed.");
    private static readonly Counter<long> s_confirmed = Meter.CreateCounter<long>("orderkit.orders.confirmed", "{order}", "Orders whose payment was confirmed.");
    private static readonly Counter<long> s_cancelled = Meter.CreateCounter<long>("orderkit.orders.cancelled", "{order}", "Orders cancelled in full.");
    private static readonly Counter<long> s_backordered = Meter.CreateCounter<long>("orderkit.backorder.units", "{unit}", "Units backordered or preordered.");
    private static readonly Counter<long> s_shipped = Meter.CreateCounter<long>("orderkit.shipments.shipped", "{shipment}", "Consignments handed to a carrier.");
    private static readonly Counter<long> s_delivered = Meter.CreateCounter<long>("orderkit.orders.delivered", "{order}", "Orders delivered in full, tagged by whether they arrived by the promised date.");
    private static readonly Counter<long> s_returned = Meter.CreateCounter<long>("orderkit.returns.requested", "{unit}", "Units asked back, tagged by reason.");
    private static readonly Counter<long> s_atRisk = Meter.CreateCounter<long>("orderkit.orders.at_risk", "{order}", "Orders found past their ship-by moment.");
    private static readonly Counter<long> s_runningLow = Meter.CreateCounter<long>("orderkit.stock.running_low", "{alert}", "SKUs at a location that fell to their reorder point.");
    private static readonly Histogram<double> s_allocation = Meter.CreateHistogram<double>("orderkit.allocation.duration", "s", "Time to plan and reserve an order's stock, retries included.");
    private static readonly Histogram<double> s_outboxLag = Meter.CreateHistogram<double>("orderkit.outbox.lag", "s", "Time from an event's occurrence to its delivery to the handlers.");

    private static readonly ConditionalWeakTable<IOrderKitTransaction, List<(OrderEvent Event, LocalDate? PromisedBy)>> s_staged = new();

    /// <summary>Whether any counter of committed events is listened to; when not, nothing is staged.</summary>
    private static bool CountsEvents =>
        s_placed.Enabled || s_confirmed.Enabled || s_cancelled.Enabled || s_backordered.Enabled || s_shipped.Enabled
        || s_delivered.Enabled || s_returned.Enabled || s_atRisk.Enabled;

    /// <summary>Starts the span of a service command, named <c>Service.Method</c>; null when nobody listens.</summary>
    public static Activity? StartCommand(string file, string member)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        string service = Path.GetFileNameWithoutExtension(file);
        int dot = service.IndexOf('.', StringComparison.Ordinal);
        return Source.StartActivity(string.Concat(dot < 0 ? service : service[..dot], ".", member), ActivityKind.Internal);
    }

    /// <summary>Remembers the events of an order saved in a unit of work, to count them if it commits.</summary>
    public static void Stage(IOrderKitTransaction transaction, Order order)
    {
        if (!CountsEvents)
        {
            return;
        }

        List<(OrderEvent, LocalDate?)> staged = s_staged.GetOrCreateValue(transaction);
        foreach (OrderEvent orderEvent in order.UnsavedEvents)
        {
            staged.Add((orderEvent, order.PromisedDeliveryDate));
        }
    }

    /// <summary>Counts the events a unit of work committed.</summary>
    public static void Committed(IOrderKitTransaction transaction)
    {
        if (!s_staged.TryGetValue(transaction, out List<(OrderEvent Event, LocalDate? PromisedBy)>? staged))
        {
            return;
        }

        s_staged.Remove(transaction);
        foreach ((OrderEvent orderEvent, LocalDate? promisedBy) in staged)
        {
            Count(orderEvent, promisedBy);
        }
    }

    public static void RecordAllocation(long startTimestamp)
    {
        if (s_allocation.Enabled)
        {
            s_allocation.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds);
        }
    }

    public static void RecordRunningLow() => s_runningLow.Add(1);

    public static void RecordOutboxLag(Instant occurredAt, Instant now)
    {
        if (s_outboxLag.Enabled)
        {
            s_outboxLag.Record(Math.Max(0, (now - occurredAt).TotalSeconds));
        }
    }

    private static void Count(OrderEvent orderEvent, LocalDate? promisedBy)
    {
        switch (orderEvent)
        {
            case OrderPlaced placed:
                s_placed.Add(1, new KeyValuePair<string, object?>("orderkit.channel", placed.Channel.Value));
                break;
            case OrderConfirmed:
                s_confirmed.Add(1);
                break;
            case OrderCancelled:
                s_cancelled.Add(1);
                break;
            case LineBackordered backordered:
                s_backordered.Add(backordered.Quantity, new KeyValuePair<string, object?>("orderkit.preorder", backordered.IsPreorder));
                break;
            case LinesShipped:
                s_shipped.Add(1);
                break;
            case OrderStatusChanged { To: OrderStatus.Delivered } delivered:
                string onTime = promisedBy is not { } by ? "unknown" : delivered.OccurredAt.InUtc().Date <= by ? "true" : "false";
                s_delivered.Add(1, new KeyValuePair<string, object?>("orderkit.on_time", onTime));
                break;
            case ReturnRequested returned:
                foreach (ReturnLine line in returned.Lines)
                {
                    s_returned.Add(line.Quantity.Value, new KeyValuePair<string, object?>("orderkit.reason", line.Reason.ToString()));
                }

                break;
            case OrderAtRisk:
                s_atRisk.Add(1);
                break;
        }
    }
}
