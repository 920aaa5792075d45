using OrderKit.Events;
using OrderKit.Orders;
using OrderKit.Tests.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Events;

/// <summary>Covers <see cref="OrderEvent"/> and every concrete event: each is recorded by the action that owns it.</summary>
public sealed class OrderEventTests
{
    private static readonly Type[] s_eventTypes =
    [
        .. typeof(OrderEvent).Assembly.GetExportedTypes().Where(t => t.IsSubclassOf(typeof(OrderEvent)) && !t.IsAbstract),
    ];

    [Fact]
    public async Task EveryEventType_IsRecordedBySomeAction_WithSequenceAndTime()
    {
        List<OrderEvent> events = [.. FullLife().Timeline, .. CancelledLife().Timeline, .. (await ShortLife()).Timeline, .. ShipmentLife().Timeline, .. (await PromiseLife()).Timeline, .. ReturnLife().Timeline];

        Assert.Equal(s_eventTypes.OrderBy(t => t.Name), events.Select(e => e.GetType()).Distinct().OrderBy(t => t.Name));
        foreach (IGrouping<OrderId, OrderEvent> perOrder in events.GroupBy(e => e.OrderId))
        {
            Assert.Equal(Enumerable.Range(1, perOrder.Count()), perOrder.Select(e => e.Sequence));
            Assert.True(perOrder.Zip(perOrder.Skip(1)).All(p => p.First.OccurredAt <= p.Second.OccurredAt));
        }
    }

    [Fact]
    public void Text_NamesTheEventAndDescribesIt()
    {
        foreach (OrderEvent e in FullLife().Timeline.Concat(CancelledLife().Timeline))
        {
            Assert.Equal(e.GetType().Name, e.Name);
            string description = e.Describe();
            Assert.False(string.IsNullOrWhiteSpace(description), $"{e.Name} describes itself with nothing");
            Assert.DoesNotContain("OrderKit.", description, StringComparison.Ordinal);
            Assert.Equal($"{e.OccurredAt} #{e.Sequence} {e.Name} {e.OrderId}: {description}", e.ToString());
        }
    }

    [Fact]
    public void Descriptions_ReadWell()
    {
        Order order = FullLife();
        string[] texts = [.. order.Timeline.Select(e => e.Describe())];

        Assert.Equal("2 lines, 5 units, EUR 85.00, customer CUST-1, channel web", texts[0]);
        Assert.Contains("MUG-RED: 2 allocated, 0 backordered, TEE-M-BLUE: 3 allocated, 0 backordered", texts);
        Assert.Contains("Confirmed -> Allocated", texts);
    }

    [Fact]
    public void Events_CompareByValue()
    {
        var id = new OrderId("ord_1");
        var a = new OrderCompleted(id, 7, Start);

        Assert.Equal(a, new OrderCompleted(id, 7, Start));
        Assert.NotEqual<OrderEvent>(a, a with { Sequence = 8 });
    }

    private static Order FullLife()
    {
        Order order = PlaceTwoLineOrder();
        order.FailPayment("card declined");
        order.Confirm(order.Total);
        OrderHold hold = order.Hold(HoldReason.AddressCheck, "ops");
        order.ReleaseHold(hold.Number, "ops");
        order.Allocate([new LineAllocation(Mug, 2, 0), new LineAllocation(Tee, 3, 0)]);
        order.Deallocate(Tee, new Quantity(1));
        order.CancelLine(Tee, new Quantity(1), "out of stock");
        order.Ship([new LineQuantity(Mug, new Quantity(2)), new LineQuantity(Tee, new Quantity(2))]);
        order.CapturePayment(order.Total - Eur(20m));
        order.VoidPayment();
        order.Deliver([new LineQuantity(Mug, new Quantity(2)), new LineQuantity(Tee, new Quantity(2))]);
        order.RefundPayment(Eur(5m));
        order.Complete();
        return order;
    }

    /// <summary>An order allocated through the service against short stock: one line backordered, one refused.</summary>
    private static async Task<Order> ShortLife()
    {
        var shop = new OrderServiceTests.Shop();
        await shop.Inventory.SetPolicyAsync(Mug, OrderKit.Inventory.InventoryPolicy.Backorder());
        await shop.Inventory.SetPolicyAsync(Tee, OrderKit.Inventory.InventoryPolicy.DenyWhenShort);
        Order order = await shop.ConfirmedAsync((Mug, 1), (Tee, 1));
        return (await shop.Orders.AllocateAsync(order.Id)).Order;
    }

    /// <summary>An order through every shipment event: pick short, pack, split, move, label, void, ship, track, deliver, return, cancel.</summary>
    private static Order ShipmentLife()
    {
        var clock = NewClock();
        Order order = Fulfillment.ShipmentTests.SplitOrder(clock);
        order.Pick(2, [new LineQuantity(Tee, new Quantity(1))]);
        order.Pack(2, [new OrderKit.Fulfillment.Parcel(1m)]);
        order.SplitShipment(3, [new LineQuantity(Tee, new Quantity(1))]);
        order.MoveShipment(3, Fulfillment.ShipmentTests.A);
        order.CancelShipment(4, "damaged at packing");
        order.Pick(1);
        order.Pack(1, [new OrderKit.Fulfillment.Parcel(1m)]);
        order.RecordLabel(1, new OrderKit.Fulfillment.ShippingLabel("fake", "standard", "T1", "L1", Eur(4.90m)));
        order.VoidLabel(1);
        order.RecordLabel(1, new OrderKit.Fulfillment.ShippingLabel("fake", "standard", "T2", "L2", Eur(4.90m)));
        order.ShipShipment(1);
        NodaTime.Instant t = clock.GetCurrentInstant();
        order.ApplyTracking(1, new OrderKit.Fulfillment.TrackingUpdate(OrderKit.Fulfillment.TrackingStatus.Exception, t, "EX"));
        order.ApplyTracking(1, new OrderKit.Fulfillment.TrackingUpdate(OrderKit.Fulfillment.TrackingStatus.OutForDelivery, t + NodaTime.Duration.FromHours(1), "OFD"));
        order.ApplyTracking(1, new OrderKit.Fulfillment.TrackingUpdate(OrderKit.Fulfillment.TrackingStatus.Delivered, t + NodaTime.Duration.FromHours(2), "DL"));
        order.ApplyTracking(1, new OrderKit.Fulfillment.TrackingUpdate(OrderKit.Fulfillment.TrackingStatus.ReturnedToSender, t + NodaTime.Duration.FromHours(3), "RTS"));
        order.RecordCaptureFailed(Eur(25m), "authorization expired");
        return order;
    }

    /// <summary>A delivered order through every return event: one return to its close, one rejected, one cancelled.</summary>
    private static Order ReturnLife()
    {
        Order order = Returns.ReturnRequestTests.Delivered();
        var policy = new OrderKit.Returns.ReturnPolicy();
        var at = new LocationId("WH-A");
        order.RequestReturn([new OrderKit.Returns.ReturnLine(Mug, new Quantity(1), OrderKit.Returns.ReturnReason.Defective)], policy, NodaTime.DateTimeZone.Utc);
        order.AuthorizeReturn(1);
        order.RecordReturnLabel(1, new OrderKit.Fulfillment.ShippingLabel("fake", "return", "RT1", "L1", Eur(0m)));
        order.ReceiveReturn(1, [new OrderKit.Returns.ReturnReceipt(Mug, new Quantity(1), OrderKit.Returns.ReturnDisposition.Restock, at)]);
        order.InspectReturn(1, "fine");
        order.ResolveReturn(1, new OrderKit.Returns.ReturnResolution(OrderKit.Returns.ReturnResolutionKind.Refund, Eur(12.50m)));
        order.CloseReturn(1);
        order.RequestReturn([new OrderKit.Returns.ReturnLine(Tee, new Quantity(1), OrderKit.Returns.ReturnReason.ChangedMind)], policy, NodaTime.DateTimeZone.Utc);
        order.RejectReturn(2, "worn");
        order.RequestReturn([new OrderKit.Returns.ReturnLine(Tee, new Quantity(1), OrderKit.Returns.ReturnReason.ChangedMind)], policy, NodaTime.DateTimeZone.Utc);
        order.CancelReturn(3, "kept it");
        order.RecordClaim(OrderKit.Returns.ClaimKind.Goodwill, null, "late", new OrderKit.Returns.ReturnResolution(OrderKit.Returns.ReturnResolutionKind.StoreCredit, Eur(5m)));
        return order;
    }

    /// <summary>An order promised at checkout and found at risk once its ship-by moment passed.</summary>
    private static async Task<Order> PromiseLife()
    {
        var shop = new OrderServiceTests.Shop();
        await shop.Inventory.ReceiveAsync(Mug, new LocationId("WH-A"), new Quantity(1));
        Order order = (await shop.Orders.PlaceAndAllocateAsync(Request((Mug, 1, 10m)), Eur(10m))).Order;
        await shop.Orders.FindOrdersAtRiskAsync(order.ShipBy!.Value);
        return await shop.Orders.GetAsync(order.Id);
    }

    private static Order CancelledLife()
    {
        Order order = PlaceTwoLineOrder();
        order.Cancel("customer asked");
        return order;
    }
}
