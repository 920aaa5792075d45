using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using NodaTime;
using OrderKit.Events;
using OrderKit.Fulfillment;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Returns;
using OrderKit.Shipping;
using OrderKit.Testing;
using OrderKit.Tests.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Observability;

/// <summary>The meter and activity source, listened to while nothing else runs: other tests would add to the counts.</summary>
[CollectionDefinition(nameof(OrderKitDiagnosticsTests), DisableParallelization = true)]
public sealed class DiagnosticsCollection;

[Collection(nameof(OrderKitDiagnosticsTests))]
public sealed class OrderKitDiagnosticsTests : IDisposable
{
    private readonly MeterListener _meters = new();
    private readonly ActivityListener _activities;
    private readonly ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)> _measurements = new();
    private readonly ConcurrentQueue<Activity> _spans = new();

    public OrderKitDiagnosticsTests()
    {
        _meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == OrderKitDiagnostics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, Tags(tags))));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, Tags(tags))));
        _meters.Start();
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == OrderKitDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_activities);
    }

    public void Dispose()
    {
        _meters.Dispose();
        _activities.Dispose();
    }

    [Fact]
    public async Task AnOrdersLife_IsCountedOnce_WithTheDocumentedNamesAndTags_AndEachCommandHasASpan()
    {
        var shop = new OrderServiceTests.Shop();
        var fulfillment = new FulfillmentService(shop.Store, shop.Clock, shop.Options, new CarrierRegistry([new FakeCarrier()]));
        var returns = new ReturnService(shop.Store, shop.Clock, shop.Options);
        var a = new LocationId("WH-A");
        await shop.Inventory.ReceiveAsync(Mug, a, new Quantity(2));
        await shop.Inventory.SetPolicyAsync(Tee, InventoryPolicy.Backorder());

        Order order = (await shop.Orders.PlaceAndAllocateAsync(Request(new ShippingMethod("fake", "standard", 2), null, (Mug, 1, 10m), (Tee, 2, 10m)), Eur(30m))).Order;
        await Assert.ThrowsAsync<ArgumentException>(() => shop.Orders.PlaceAsync(new PlaceOrderRequest
        {
            OrderId = order.Id,
            CustomerId = new CustomerId("CUST-1"),
            Channel = new SalesChannel("web"),
            ShippingAddress = Berlin,
            Currency = Currency.EUR,
            Lines = [new PlaceOrderLine(Mug, new Quantity(1), Eur(1m))],
        }));
        Order other = await shop.ConfirmedAsync((Mug, 1));
        await shop.Orders.CancelAsync(other.Id, "changed mind");
        await shop.Orders.CancelLineAsync(order.Id, Tee, new Quantity(2), "no longer wanted");
        await fulfillment.CreateShipmentsAsync(order.Id);
        await fulfillment.PickAsync(order.Id, 1);
        await fulfillment.PackAsync(order.Id, 1, [new Parcel(1m)]);
        await fulfillment.PurchaseLabelAsync(order.Id, 1, "fake", "standard");
        await fulfillment.ShipAsync(order.Id, 1);
        await fulfillment.MarkDeliveredAsync(order.Id, 1);
        await returns.RequestAsync(order.Id, [new ReturnLine(Mug, new Quantity(1), ReturnReason.Defective)]);
        Order late = (await shop.Orders.PlaceAndAllocateAsync(Request((Mug, 1, 10m)), Eur(10m))).Order;
        await shop.Orders.FindOrdersAtRiskAsync(late.ShipBy!.Value);
        shop.Clock.Advance(Duration.FromSeconds(5));
        await new OutboxRelay(shop.Store, [], shop.Options).DeliverPendingAsync();
        await new OrderKit.Insights.ReplenishmentAdvisor(shop.Inventory, shop.Clock).CheckAsync([Mug]);

        Assert.Equal(3, Sum("orderkit.orders.placed"));
        Assert.All(Where("orderkit.orders.placed"), m => Assert.Equal("web", m.Tags["orderkit.channel"]));
        Assert.Equal(3, Sum("orderkit.orders.confirmed"));
        Assert.Equal(1, Sum("orderkit.orders.cancelled"));
        Assert.Equal(2, Sum("orderkit.backorder.units"));
        Assert.Equal(false, Where("orderkit.backorder.units").Single().Tags["orderkit.preorder"]);
        Assert.Equal(1, Sum("orderkit.shipments.shipped"));
        Assert.Equal("true", Where("orderkit.orders.delivered").Single().Tags["orderkit.on_time"]);
        Assert.Equal("Defective", Where("orderkit.returns.requested").Single().Tags["orderkit.reason"]);
        Assert.Equal(1, Sum("orderkit.orders.at_risk"));
        Assert.Equal(1, Sum("orderkit.stock.running_low"));
        Assert.Equal(2, Where("orderkit.allocation.duration").Count());
        Assert.NotEmpty(Where("orderkit.outbox.lag"));
        Assert.All(Where("orderkit.outbox.lag"), m => Assert.True(m.Value >= 0));

        string[] spans = [.. _spans.Select(s => s.OperationName).Distinct().Order()];
        Assert.Superset(
            new HashSet<string>
            {
                "OrderService.PlaceAndAllocateAsync", "OrderService.PlaceAsync", "OrderService.ConfirmPaymentAsync", "OrderService.CancelAsync",
                "OrderService.CancelLineAsync", "OrderService.FindOrdersAtRiskAsync", "InventoryService.ReceiveAsync", "InventoryService.SetPolicyAsync",
                "FulfillmentService.CreateShipmentsAsync", "FulfillmentService.ShipAsync", "FulfillmentService.MarkDeliveredAsync", "ReturnService.RequestAsync",
            },
            spans.ToHashSet());
        Assert.All(_spans, s => Assert.Equal(OrderKitDiagnostics.ActivitySourceName, s.Source.Name));
        Assert.DoesNotContain(spans, name => name.EndsWith(".ApplyAsync", StringComparison.Ordinal) || name.EndsWith(".RunAsync", StringComparison.Ordinal) || name.Contains("Command", StringComparison.Ordinal));
        Assert.Contains(_spans, s => s.OperationName == "FulfillmentService.ShipAsync" && (int)s.GetTagItem("orderkit.attempts")! == 1);
    }

    private IEnumerable<(string Name, double Value, Dictionary<string, object?> Tags)> Where(string name) => _measurements.Where(m => m.Name == name);

    private double Sum(string name) => Where(name).Sum(m => m.Value);

    private static Dictionary<string, object?> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            result[tag.Key] = tag.Value;
        }

        return result;
    }
}
