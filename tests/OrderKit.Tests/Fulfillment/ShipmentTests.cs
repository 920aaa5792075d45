using NodaTime;
using OrderKit.Events;
using OrderKit.Fulfillment;
using OrderKit.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Fulfillment;

public sealed partial class ShipmentTests
{
    internal static readonly LocationId A = new("WH-A");
    internal static readonly LocationId B = new("WH-B");

    /// <summary>An order of 2 mugs at A and 3 tees at B, confirmed, allocated with reservations, and given its two shipments.</summary>
    internal static Order SplitOrder(IClock? clock = null)
    {
        Order order = PlaceTwoLineOrder(clock);
        order.Confirm(order.Total);
        order.Allocate([new LineAllocation(Mug, 2, 0, A), new LineAllocation(Tee, 3, 0, B)]);
        order.CreateShipments();
        return order;
    }

    internal static void PackAndShip(Order order, int number)
    {
        order.Pick(number);
        order.Pack(number, [new Parcel(1.5m)]);
        order.RecordLabel(number, new ShippingLabel("fake", "standard", $"T{number}", $"L{number}", Eur(4.90m)) { TrackingUrl = new Uri($"https://track.example/T{number}") });
        order.ShipShipment(number);
    }

    [Fact]
    public void CreateShipments_OnePerLocation_WithTheAllocatedUnits()
    {
        Order order = SplitOrder();

        Assert.Equal(2, order.Shipments.Count);
        Assert.Equal((A, ShipmentStatus.Pending, 2), (order.Shipments[0].Location, order.Shipments[0].Status, order.Shipments[0].QuantityOf(Mug)));
        Assert.Equal((B, 3), (order.Shipments[1].Location, order.Shipments[1].QuantityOf(Tee)));
        Assert.Empty(order.CreateShipments());
        Assert.Equal(FulfillmentStatus.Unfulfilled, order.FulfillmentStatus);
        Assert.Equal(2, order.Timeline.OfType<ShipmentCreated>().Count());
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 1)]
    public void SplitOverTwoWarehouses_ShippedAndDeliveredInEitherOrder_EndsDelivered(int first, int second)
    {
        var clock = NewClock();
        Order order = SplitOrder(clock);
        PackAndShip(order, first);
        Assert.Equal((OrderStatus.PartiallyShipped, FulfillmentStatus.PartiallyShipped), (order.Status, order.FulfillmentStatus));
        PackAndShip(order, second);
        Assert.Equal((OrderStatus.Shipped, FulfillmentStatus.Shipped), (order.Status, order.FulfillmentStatus));

        order.ApplyTracking(second, new TrackingUpdate(TrackingStatus.Delivered, clock.GetCurrentInstant(), "DL"));
        Assert.Equal(FulfillmentStatus.PartiallyDelivered, order.FulfillmentStatus);
        order.ApplyTracking(first, new TrackingUpdate(TrackingStatus.Delivered, clock.GetCurrentInstant(), "DL"));

        Assert.Equal((OrderStatus.Delivered, FulfillmentStatus.Delivered), (order.Status, order.FulfillmentStatus));
        Assert.All(order.Lines, l => Assert.Equal(l.Ordered, l.Delivered));
        Assert.Equal(2, order.Timeline.OfType<ShipmentDelivered>().Count());
        Assert.Equal(["ShipmentShipped", "ShipmentShipped"], order.Timeline.OfType<ShipmentShipped>().Select(e => e.Name));
        Assert.Equal(new Uri($"https://track.example/T{first}"), order.Timeline.OfType<ShipmentShipped>().First().TrackingUrl);
    }

    [Fact]
    public void DeliveryException_ThenDelivered_EndsDelivered_AndTellsTheCustomerBoth()
    {
        var clock = NewClock();
        Order order = SplitOrder(clock);
        PackAndShip(order, 1);
        Instant t = clock.GetCurrentInstant();
        order.ApplyTracking(1, new TrackingUpdate(TrackingStatus.DeliveryAttemptFailed, t, "NA") { Detail = "Nobody home" });
        Assert.Equal(ShipmentStatus.DeliveryException, order.GetShipment(1).Status);
        order.ApplyTracking(1, new TrackingUpdate(TrackingStatus.OutForDelivery, t + Duration.FromDays(1), "OFD"));
        order.ApplyTracking(1, new TrackingUpdate(TrackingStatus.Delivered, t + Duration.FromDays(1) + Duration.FromHours(3), "DL"));

        Assert.Equal(ShipmentStatus.Delivered, order.GetShipment(1).Status);
        DeliveryException exception = Assert.Single(order.Timeline.OfType<DeliveryException>());
        Assert.Equal((TrackingStatus.DeliveryAttemptFailed, "Nobody home"), (exception.Reason, exception.Detail));
        Assert.Single(order.Timeline.OfType<ShipmentOutForDelivery>());
        Assert.Equal(2, order.GetLine(Mug).Delivered);
    }

    [Fact]
    public void LateInTransit_NeverUndoesDelivered_AndRepeatsAreIgnored()
    {
        var clock = NewClock();
        Order order = SplitOrder(clock);
        PackAndShip(order, 1);
        Instant t = clock.GetCurrentInstant();
        Assert.True(order.ApplyTracking(1, new TrackingUpdate(TrackingStatus.Delivered, t + Duration.FromHours(5), "DL") { EventId = "e2" }));
        int events = order.Timeline.Count;
        Assert.True(order.ApplyTracking(1, new TrackingUpdate(TrackingStatus.InTransit, t + Duration.FromHours(1), "IT") { EventId = "e1" }));
        Assert.False(order.ApplyTracking(1, new TrackingUpdate(TrackingStatus.InTransit, t + Duration.FromHours(9), "IT-again") { EventId = "e1" }));

        Assert.Equal(ShipmentStatus.Delivered, order.GetShipment(1).Status);
        Assert.Equal(events + 1, order.Timeline.Count);
        Assert.Equal(["IT", "DL"], order.GetShipment(1).Tracking.Select(u => u.RawStatus));
    }

    [Fact]
    public void ReturnedToSender_IsTheOneMoveBackAfterDelivered()
    {
        var clock = NewClock();
        Order order = SplitOrder(clock);
        PackAndShip(order, 1);
        Instant t = clock.GetCurrentInstant();
        order.ApplyTracking(1, new TrackingUpdate(TrackingStatus.Delivered, t, "DL"));
        order.ApplyTracking(1, new TrackingUpdate(TrackingStatus.ReturnedToSender, t + Duration.FromDays(2), "RTS") { Detail = "refused" });

        Assert.Equal(ShipmentStatus.ReturnedToSender, order.GetShipment(1).Status);
        Assert.Single(order.Timeline.OfType<ShipmentReturnedToSender>());
        Assert.Equal(2, order.GetLine(Mug).Delivered);
    }

    [Fact]
    public void ShortPick_PacksWhatWasPicked_AndSplitsTheRestIntoANewShipment()
    {
        Order order = SplitOrder();
        order.Pick(2, [new LineQuantity(Tee, new Quantity(1))]);
        Shipment? rest = order.Pack(2, [new Parcel(0.4m)]);

        Assert.NotNull(rest);
        Assert.Equal((3, ShipmentStatus.Pending, B, 2, 2), (rest!.Number, rest.Status, rest.Location, rest.QuantityOf(Tee), rest.SplitFrom));
        Assert.Equal(1, order.GetShipment(2).QuantityOf(Tee));
        Assert.Equal([new LineQuantity(Tee, new Quantity(1))], order.GetShipment(2).Parcels[0].Contents);
    }

    [Fact]
    public void SplitShipment_MovesUnitsToANewShipment_FromTheSameLocation()
    {
        Order order = SplitOrder();
        Shipment split = order.SplitShipment(2, [new LineQuantity(Tee, new Quantity(2))]);

        Assert.Equal((1, 2), (order.GetShipment(2).QuantityOf(Tee), split.QuantityOf(Tee)));
        Assert.Throws<ArgumentException>(() => order.SplitShipment(2, [new LineQuantity(Tee, new Quantity(1))]));
    }

    [Fact]
    public void MoveShipment_ReservesThereAndReleasesHere()
    {
        Order order = SplitOrder();
        order.Pick(2);
        order.MoveShipment(2, A);

        Assert.Equal((A, ShipmentStatus.Pending, 0), (order.GetShipment(2).Location, order.GetShipment(2).Status, order.GetShipment(2).Lines[0].Picked));
        Assert.Equal([new AllocatedStock(A, 3, true)], order.GetLine(Tee).AllocatedAt);
        Assert.Equal(
            [new StockEffect(StockEffectKind.Reserve, Mug, A, 2), new StockEffect(StockEffectKind.Reserve, Tee, B, 3), new StockEffect(StockEffectKind.Release, Tee, B, 3), new StockEffect(StockEffectKind.Reserve, Tee, A, 3)],
            order.UnsavedStockEffects);
        Assert.Single(order.Timeline.OfType<ShipmentMoved>());
    }

    [Fact]
    public void CancelShipment_ReleasesItsUnits_WhichAwaitAllocationAgain()
    {
        Order order = SplitOrder();
        order.CancelShipment(2, "shelf empty");

        Assert.Equal(ShipmentStatus.Cancelled, order.GetShipment(2).Status);
        Assert.Equal((0, 3), (order.GetLine(Tee).Allocated, order.GetLine(Tee).AwaitingAllocation));
        Assert.Equal(OrderStatus.Confirmed, order.Status);
        Assert.Contains(new StockEffect(StockEffectKind.Release, Tee, B, 3), order.UnsavedStockEffects);
    }

    [Fact]
    public void CancelOrder_CancelsOpenShipments_ButNotOneWithALabel()
    {
        Order order = SplitOrder();
        order.Pick(1);
        order.Pack(1, [new Parcel(1m)]);
        order.RecordLabel(1, new ShippingLabel("fake", "standard", "T1", "L1", Eur(4.90m)));
        Assert.Throws<InvalidOrderTransitionException>(() => order.Cancel("customer asked"));

        order.VoidLabel(1);
        order.Cancel("customer asked");
        Assert.All(order.Shipments, s => Assert.Equal(ShipmentStatus.Cancelled, s.Status));
        Assert.Equal(FulfillmentStatus.Cancelled, order.FulfillmentStatus);
    }

    [Fact]
    public void UnitsInOpenShipments_AreLeftAloneByTheOrdersOtherActions()
    {
        Order order = SplitOrder();
        Assert.Throws<ArgumentException>(() => order.Ship([new LineQuantity(Mug, new Quantity(1))]));
        Assert.Throws<ArgumentException>(() => order.Deallocate(Tee, new Quantity(1)));
        Assert.Throws<ArgumentException>(() => order.CancelLine(Tee, new Quantity(1), "no"));
        PackAndShip(order, 1);
        Assert.Throws<ArgumentException>(() => order.Deliver([new LineQuantity(Mug, new Quantity(1))]));
    }

    [Fact]
    public void BadInput_IsRefusedByName_AndChangesNothing()
    {
        Order order = SplitOrder();
        string before = OrderKit.Persistence.OrderKitJson.SerializeOrder(order.ToSnapshotAtVersion(1));

        order.Pick(1, [new LineQuantity(Mug, new Quantity(1))]);
        before = OrderKit.Persistence.OrderKitJson.SerializeOrder(order.ToSnapshotAtVersion(1));
        ArgumentException tooMuch = Assert.Throws<ArgumentException>(() => order.Pack(1, [new Parcel(1m, [new LineQuantity(Mug, new Quantity(2))])]));
        Assert.Contains("only 1 were picked", tooMuch.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Parcel(0m));
        Assert.Throws<ArgumentException>(() => new Parcel(-1m));
        Assert.Throws<ArgumentException>(() => order.Pack(1, [new Parcel(1m), new Parcel(1m)]));
        Assert.Throws<ArgumentException>(() => order.Pick(9));
        Assert.Throws<InvalidShipmentTransitionException>(() => order.ShipShipment(1));
        Assert.Equal(before, OrderKit.Persistence.OrderKitJson.SerializeOrder(order.ToSnapshotAtVersion(1)));

        order.Pack(1, [new Parcel(1m)]);
        ArgumentException currency = Assert.Throws<ArgumentException>(() => order.RecordLabel(1, new ShippingLabel("fake", "standard", "T1", "L1", new Money(5m, Currency.USD))));
        Assert.Contains("USD", currency.Message, StringComparison.Ordinal);

        order.CancelShipment(2, "changed plan");
        InvalidShipmentTransitionException cancelled = Assert.Throws<InvalidShipmentTransitionException>(() => order.ShipShipment(2));
        Assert.Equal((ShipmentStatus.Cancelled, ShipmentActions.Ship, ShipmentActions.None), (cancelled.Status, cancelled.Action, cancelled.PermittedActions));
        Assert.Throws<InvalidShipmentTransitionException>(() => order.ApplyTracking(2, new TrackingUpdate(TrackingStatus.InTransit, Start, "IT")));
    }

    [Fact]
    public void HeldOrder_CannotShipAShipment()
    {
        Order order = SplitOrder();
        order.Pick(1);
        order.Pack(1, [new Parcel(1m)]);
        order.Hold(HoldReason.FraudReview, "risk");

        Assert.Throws<InvalidOrderTransitionException>(() => order.ShipShipment(1));
        Assert.Equal(ShipmentStatus.Packed, order.GetShipment(1).Status);
    }

    [Fact]
    public void AMovingUpdate_ForALabelledShipment_ShipsIt()
    {
        var clock = NewClock();
        Order order = SplitOrder(clock);
        order.Pick(1);
        order.Pack(1, [new Parcel(1m)]);
        order.RecordLabel(1, new ShippingLabel("fake", "standard", "T1", "L1", Eur(4.90m)));
        order.ApplyTracking(1, new TrackingUpdate(TrackingStatus.LabelCreated, clock.GetCurrentInstant(), "LC"));
        Assert.Equal(ShipmentStatus.LabelPurchased, order.GetShipment(1).Status);

        Instant scanned = clock.GetCurrentInstant();
        order.ApplyTracking(1, new TrackingUpdate(TrackingStatus.InTransit, scanned, "IT"));

        Assert.Equal((ShipmentStatus.InTransit, scanned), (order.GetShipment(1).Status, order.GetShipment(1).ShippedAt));
        Assert.Equal(2, order.GetLine(Mug).Shipped);
    }

    [Fact]
    public void Snapshot_RoundTripsShipments_AndRefusesInconsistentOnes()
    {
        Order order = SplitOrder();
        PackAndShip(order, 1);
        OrderSnapshot snapshot = order.ToSnapshotAtVersion(1);
        Order restored = Order.FromSnapshot(snapshot, NewClock());
        Assert.Equal(OrderKit.Persistence.OrderKitJson.SerializeOrder(snapshot), OrderKit.Persistence.OrderKitJson.SerializeOrder(restored.ToSnapshotAtVersion(1)));

        Shipment tooBig = snapshot.Shipments[1] with { Lines = [new ShipmentLine(Tee, 4, 0, 0)] };
        ArgumentException e = Assert.Throws<ArgumentException>(() => Order.FromSnapshot(snapshot with { Shipments = [snapshot.Shipments[0], tooBig] }, NewClock()));
        Assert.Contains("open shipments", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Order.FromSnapshot(snapshot with { Shipments = [snapshot.Shipments[1]] }, NewClock()));
    }

    [Fact]
    public void Shipment_Text_AndActions()
    {
        Order order = SplitOrder();
        Shipment shipment = order.GetShipment(1);

        Assert.Equal("#1 @ WH-A Pending (2 units)", shipment.ToString());
        Assert.Equal(ShipmentActions.Pick | ShipmentActions.Split | ShipmentActions.Move | ShipmentActions.Cancel, shipment.AllowedActions);
        Assert.True(shipment.IsOpen);
        Assert.False(shipment.HasShipped);
        Assert.Equal("2 x MUG-RED (picked 0, packed 0)", shipment.Lines[0].ToString());
        Assert.Equal(0m, shipment.WeightKg);
    }
}
