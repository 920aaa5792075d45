using NodaTime;
using NodaTime.Testing;
using OrderKit.Fulfillment;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Payments;
using OrderKit.Persistence;
using OrderKit.Shipping;
using OrderKit.Testing;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Fulfillment;

public sealed class FulfillmentServiceTests
{
    private static readonly LocationId A = new("WH-A");
    private static readonly LocationId B = new("WH-B");

    private sealed class Shop
    {
        public Shop(PaymentCapturePolicy capture = PaymentCapturePolicy.OnShipment)
        {
            Clock = NewClock();
            Store = new InMemoryOrderKitStore(Clock);
            Options = new OrderKitOptions { PaymentCapture = capture };
            Inventory = new InventoryService(Store, Clock, Options);
            Orders = new OrderService(Store, Clock, Options, Inventory);
            Payments = new PaymentService(Store, Clock, Options, Gateway);
            Fulfillment = new FulfillmentService(Store, Clock, Options, new CarrierRegistry([Carrier, new ManualCarrier("own-van")]), Payments);
            Inventory.AddLocation(new StockLocation(A, "Warehouse A") { Rank = 1 });
            Inventory.AddLocation(new StockLocation(B, "Warehouse B") { Rank = 2 });
        }

        public FakeClock Clock { get; }

        public InMemoryOrderKitStore Store { get; }

        public OrderKitOptions Options { get; }

        public InventoryService Inventory { get; }

        public OrderService Orders { get; }

        public FakeCarrier Carrier { get; } = new();

        public FakePaymentGateway Gateway { get; } = new();

        public PaymentService Payments { get; }

        public FulfillmentService Fulfillment { get; }

        /// <summary>2 mugs from A and 3 tees from B, authorized through the gateway, allocated, with two shipments.</summary>
        public async Task<Order> SplitOrderAsync()
        {
            await Inventory.ReceiveAsync(Mug, A, new Quantity(2), "PO-1");
            await Inventory.ReceiveAsync(Tee, B, new Quantity(3), "PO-2");
            PlaceOrderResult placed = await Orders.PlaceAsync(TwoLineRequest());
            await Payments.AuthorizeAsync(placed.Order.Id);
            await Orders.AllocateAsync(placed.Order.Id);
            return await Fulfillment.CreateShipmentsAsync(placed.Order.Id);
        }

        public async Task<Order> ReadyToShipAsync(OrderId id, int number)
        {
            await Fulfillment.PickAsync(id, number);
            await Fulfillment.PackAsync(id, number, [new Parcel(1.2m)]);
            return await Fulfillment.PurchaseLabelAsync(id, number, "fake", "standard");
        }
    }

    [Fact]
    public async Task FullJourney_ShipsFromTwoWarehouses_CommitsStock_CapturesWhatShips_AndDelivers()
    {
        var shop = new Shop();
        Order order = await shop.SplitOrderAsync();
        Assert.Equal(PaymentStatus.Authorized, order.PaymentStatus);

        PickList pickList = await shop.Fulfillment.GetPickListAsync(order.Id, 1);
        Assert.Equal([new PickListLine(Mug, 2, null)], pickList.Lines);
        await shop.ReadyToShipAsync(order.Id, 1);
        order = await shop.Fulfillment.ShipAsync(order.Id, 1);

        Assert.Equal(Eur(25m), order.CapturedAmount);
        Assert.Equal(PaymentStatus.PartiallyCaptured, order.PaymentStatus);
        Assert.Equal((0, 0), await OnHandAndReservedAsync(shop, Mug, A));
        PackingSlip slip = FulfillmentService.GetPackingSlip(order, 1);
        Assert.Equal([new LineQuantity(Tee, new Quantity(3))], slip.ToFollow);

        await shop.ReadyToShipAsync(order.Id, 2);
        order = await shop.Fulfillment.ShipAsync(order.Id, 2);
        Assert.Equal((order.Total, PaymentStatus.Captured), (order.CapturedAmount, order.PaymentStatus));
        Assert.Equal(85m, shop.Gateway.MoneyOf(order.Id).Captured);

        string tracking = order.GetShipment(2).Label!.TrackingNumber;
        Instant now = shop.Clock.GetCurrentInstant();
        shop.Carrier.AddTracking(tracking, new TrackingUpdate(TrackingStatus.InTransit, now, "in_transit"));
        shop.Carrier.AddTracking(tracking, new TrackingUpdate(TrackingStatus.Delivered, now + Duration.FromHours(20), "delivered"));
        Assert.Equal(2, await shop.Fulfillment.PollTrackingAsync(order.Id));
        Assert.Equal(0, await shop.Fulfillment.PollTrackingAsync(order.Id));
        await shop.Fulfillment.MarkDeliveredAsync(order.Id, 1);

        order = await shop.Orders.GetAsync(order.Id);
        Assert.Equal((OrderStatus.Delivered, FulfillmentStatus.Delivered), (order.Status, order.FulfillmentStatus));
    }

    [Fact]
    public async Task Webhook_AppliesEachEventOnce_AndAPayloadThatDoesNotParseChangesNothing()
    {
        var shop = new Shop();
        Order order = await shop.SplitOrderAsync();
        order = await shop.ReadyToShipAsync(order.Id, 1);
        string tracking = order.GetShipment(1).Label!.TrackingNumber;
        await shop.Fulfillment.ShipAsync(order.Id, 1);
        string payload = $$"""{"events":[{"tracking":"{{tracking}}","status":"out_for_delivery","at":"2026-11-03T08:00:00Z","id":"e1"},{"tracking":"NOPE","status":"delivered","at":"2026-11-03T09:00:00Z","id":"e2"}]}""";

        IReadOnlyList<TrackingResult> first = await shop.Fulfillment.ReceiveWebhookAsync("fake", payload);
        IReadOnlyList<TrackingResult> again = await shop.Fulfillment.ReceiveWebhookAsync("fake", payload);

        Assert.Equal([TrackingOutcome.Applied, TrackingOutcome.UnknownTrackingNumber], first.Select(r => r.Outcome));
        Assert.Equal([TrackingOutcome.Repeat, TrackingOutcome.UnknownTrackingNumber], again.Select(r => r.Outcome));
        Assert.Equal(ShipmentStatus.OutForDelivery, first[0].Status);
        long version = (await shop.Orders.GetAsync(order.Id)).Version;
        FormatException bad = await Assert.ThrowsAsync<FormatException>(() => shop.Fulfillment.ReceiveWebhookAsync("fake", """{"events":[{"tracking":"X","status":"delivered"}]}"""));
        Assert.Contains("events[0].at", bad.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<FormatException>(() => shop.Fulfillment.ReceiveWebhookAsync("fake", "not json"));
        await Assert.ThrowsAsync<ArgumentException>(() => shop.Fulfillment.ReceiveWebhookAsync("own-van", "{}"));
        Assert.Equal(version, (await shop.Orders.GetAsync(order.Id)).Version);
    }

    [Fact]
    public async Task CancelAndMove_ReleaseAndReserveWithTheOrder_AndAnEmptyLocationChangesNothing()
    {
        var shop = new Shop();
        Order order = await shop.SplitOrderAsync();
        await Assert.ThrowsAsync<InsufficientStockException>(() => shop.Fulfillment.MoveShipmentAsync(order.Id, 2, A));
        Assert.Equal(B, (await shop.Orders.GetAsync(order.Id)).GetShipment(2).Location);
        await Assert.ThrowsAsync<ArgumentException>(() => shop.Fulfillment.MoveShipmentAsync(order.Id, 2, new LocationId("WH-Z")));

        await shop.Inventory.ReceiveAsync(Tee, A, new Quantity(3), "PO-3");
        await shop.Fulfillment.MoveShipmentAsync(order.Id, 2, A);
        Assert.Equal((3, 0), await OnHandAndReservedAsync(shop, Tee, B));
        Assert.Equal((3, 3), await OnHandAndReservedAsync(shop, Tee, A));

        await shop.ReadyToShipAsync(order.Id, 2);
        order = await shop.Fulfillment.CancelShipmentAsync(order.Id, 2, "customer changed address");
        Assert.Equal(ShipmentStatus.Cancelled, order.GetShipment(2).Status);
        Assert.Single(shop.Carrier.Voided);
        Assert.Equal((3, 0), await OnHandAndReservedAsync(shop, Tee, A));
    }

    [Fact]
    public async Task LabelPurchase_RetriedAfterTransientFailures_BuysOneLabel()
    {
        var shop = new Shop();
        Order order = await shop.SplitOrderAsync();
        await shop.Fulfillment.PickAsync(order.Id, 1);
        await shop.Fulfillment.PackAsync(order.Id, 1, [new Parcel(1m)]);
        shop.Carrier.FailNext(2);
        await shop.Fulfillment.PurchaseLabelAsync(order.Id, 1, "fake", "express");
        await Assert.ThrowsAsync<InvalidShipmentTransitionException>(() => shop.Fulfillment.PurchaseLabelAsync(order.Id, 1, "fake", "express"));

        Assert.Equal(1, shop.Carrier.LabelsPurchased);
        shop.Carrier.FailNext(1, transient: false);
        await Assert.ThrowsAsync<CarrierException>(() => shop.Fulfillment.VoidLabelAsync(order.Id, 1));
        Assert.Equal(ShipmentStatus.LabelPurchased, (await shop.Orders.GetAsync(order.Id)).GetShipment(1).Status);
    }

    /// <summary>However often a label purchase is retried with the same key, and however the answers get lost, the carrier sells one label.</summary>
    [Property(MaxTest = 50)]
    public FsCheck.Property LabelPurchase_RetriedWithTheSameKey_NeverCreatesTwoLabels() =>
        Prop.ForAll(Arb.From(Gen.Choose(1, 6)), retries =>
        {
            var carrier = new FakeCarrier();
            var request = new LabelRequest { OrderId = new OrderId("ord_1"), ShipmentNumber = 1, Service = "standard", Shipment = Shipping.CarrierRegistryTests.Request(Berlin, 1m) };
            ShippingLabel[] labels = [.. Enumerable.Range(0, retries).Select(_ => carrier.PurchaseLabelAsync(request, "label:ord_1:1:1").AsTask().GetAwaiter().GetResult())];
            return carrier.LabelsPurchased == 1 && labels.All(l => l == labels[0]);
        });

    [Fact]
    public async Task SelectAndPurchase_ChoosesByPolicy_AndManualTakesATypedNumber()
    {
        var shop = new Shop();
        Order order = await shop.SplitOrderAsync();
        await shop.Fulfillment.PickAsync(order.Id, 1);
        await shop.Fulfillment.PackAsync(order.Id, 1, [new Parcel(1m)]);
        await shop.Fulfillment.PickAsync(order.Id, 2);
        await shop.Fulfillment.PackAsync(order.Id, 2, [new Parcel(1m)]);
        IReadOnlyList<ShippingRate> rates = await shop.Fulfillment.GetRatesAsync(order.Id, 1);
        (Order labelled, RateSelection selection) = await shop.Fulfillment.SelectAndPurchaseLabelAsync(order.Id, 1, CarrierSelectionPolicy.Fastest);
        order = await shop.Fulfillment.PurchaseLabelAsync(order.Id, 2, "own-van", "van", "VAN-42");

        Assert.Equal(2, rates.Count);
        Assert.Equal("express", selection.Rate.Service);
        Assert.Equal("express", labelled.GetShipment(1).Label!.Service);
        Assert.Equal(("VAN-42", Eur(0m)), (order.GetShipment(2).Label!.TrackingNumber, order.GetShipment(2).Label!.Cost));
    }

    private static async Task<(int OnHand, int Reserved)> OnHandAndReservedAsync(Shop shop, Sku sku, LocationId location)
    {
        StockLevel level = await shop.Inventory.GetLevelAsync(sku, location);
        return (level.OnHand, level.Reserved);
    }
}
