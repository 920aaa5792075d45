using OrderKit.Fulfillment;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence;
using OrderKit.Shipping;
using static OrderKit.Testing.Shop;

namespace OrderKit.Testing;

public sealed partial class StoreConformance
{
    /// <summary>
    /// Shipments round-trip with their parcels, labels and tracking; shipping takes stock off the shelf and moving a
    /// shipment reserves at the new location, both with the order; tracking numbers find their orders; a webhook
    /// event received twice is applied once.
    /// </summary>
    private static async Task ShipmentsRoundTripAndTrackingAsync(Shop shop)
    {
        await shop.Inventory.ReceiveAsync(Mug, A, new Quantity(2), "PO-1", shop.Token);
        await shop.Inventory.ReceiveAsync(Tee, B, new Quantity(3), "PO-2", shop.Token);
        await shop.Inventory.ReceiveAsync(Cap, A, new Quantity(1), "PO-3", shop.Token);
        await shop.Inventory.ReceiveAsync(Cap, B, new Quantity(1), "PO-4", shop.Token);
        var carrier = new FakeCarrier();
        var fulfillment = new FulfillmentService(shop.Store, shop.Clock, shop.Options, new CarrierRegistry([carrier]));

        Order order = await shop.ConfirmedAsync((Mug, 2), (Tee, 3), (Cap, 1));
        await shop.Orders.AllocateAsync(order.Id, new Allocation.AllocationPreferences(), shop.Token);
        order = await fulfillment.CreateShipmentsAsync(order.Id, shop.Token);
        shop.Expect(order.Shipments.Count == 2, $"an order allocated at two locations should get two shipments; got {order.Shipments.Count}.");
        Shipment atA = order.Shipments.First(s => s.Location == A);
        Shipment atB = order.Shipments.First(s => s.Location == B);

        // Ship the first: pick, pack, label, ship, then tracking.
        await fulfillment.PickAsync(order.Id, atA.Number, cancellationToken: shop.Token);
        await fulfillment.PackAsync(order.Id, atA.Number, [new Parcel(1.4m, dimensions: new ParcelDimensions(30, 20, 10))], shop.Token);
        order = await fulfillment.PurchaseLabelAsync(order.Id, atA.Number, carrier.Code, "standard", cancellationToken: shop.Token);
        string tracking = order.GetShipment(atA.Number).Label!.TrackingNumber;
        await fulfillment.ShipAsync(order.Id, atA.Number, shop.Token);
        StockLevel mugAtA = await shop.LevelAsync(Mug, A);
        shop.ExpectEqual((0, 0), (mugAtA.OnHand, mugAtA.Reserved), "on hand and reserved of a SKU whose every unit shipped");

        // Move the second: its reservation goes from B to A (the cap) in one unit of work.
        await shop.Inventory.ReceiveAsync(Tee, A, new Quantity(3), "PO-5", shop.Token);
        await shop.Inventory.ReceiveAsync(Cap, A, new Quantity(1), "PO-6", shop.Token);
        order = await fulfillment.MoveShipmentAsync(order.Id, atB.Number, A, shop.Token);
        StockLevel teeAtB = await shop.LevelAsync(Tee, B);
        StockLevel teeAtA = await shop.LevelAsync(Tee, A);
        shop.ExpectEqual((0, 3), (teeAtB.Reserved, teeAtA.Reserved), "reserved at the old and the new location after a shipment moved");

        TrackingUpdate inTransit = new(TrackingStatus.InTransit, shop.Clock.GetCurrentInstant(), "in_transit") { EventId = "evt-1", Place = "Hub" };
        TrackingResult first = await fulfillment.ReceiveTrackingAsync(carrier.Code, tracking, inTransit, shop.Token);
        TrackingResult again = await fulfillment.ReceiveTrackingAsync(carrier.Code, tracking, inTransit, shop.Token);
        shop.ExpectEqual(TrackingOutcome.Applied, first.Outcome, "the first delivery of a webhook event");
        shop.ExpectEqual(TrackingOutcome.Repeat, again.Outcome, "the second delivery of the same webhook event");
        TrackingResult unknown = await fulfillment.ReceiveTrackingAsync(carrier.Code, "NO-SUCH-NUMBER", inTransit with { EventId = "evt-2" }, shop.Token);
        shop.ExpectEqual(TrackingOutcome.UnknownTrackingNumber, unknown.Outcome, "a tracking event for a number no order carries");
        await fulfillment.MarkDeliveredAsync(order.Id, atA.Number, "signed by A. L.", shop.Token);

        // A label bought, voided and bought again: the new tracking number finds the order too.
        await fulfillment.PickAsync(order.Id, atB.Number, cancellationToken: shop.Token);
        await fulfillment.PackAsync(order.Id, atB.Number, [new Parcel(2m)], shop.Token);
        await fulfillment.PurchaseLabelAsync(order.Id, atB.Number, carrier.Code, "standard", cancellationToken: shop.Token);
        await fulfillment.VoidLabelAsync(order.Id, atB.Number, shop.Token);
        Order relabel = await fulfillment.PurchaseLabelAsync(order.Id, atB.Number, carrier.Code, "standard", cancellationToken: shop.Token);
        string second = relabel.GetShipment(atB.Number).Label!.TrackingNumber;
        OrderId? relabelled = await shop.ReadAsync(tx => tx.Orders.FindByTrackingNumberAsync(carrier.Code, second, shop.Token).AsTask());
        shop.ExpectEqual<OrderId?>(order.Id, relabelled, "the order found by the tracking number of a label bought after a void");

        Order expected = await shop.Orders.GetAsync(order.Id, shop.Token);
        OrderSnapshot? stored = await shop.ReadAsync(tx => tx.Orders.FindAsync(order.Id, shop.Token).AsTask());
        shop.ExpectEqual(OrderKitJson.SerializeOrder(expected.ToSnapshot()), OrderKitJson.SerializeOrder(stored!), $"order {order.Id} with shipments, as read back (compared as its JSON document)");
        shop.ExpectEqual(ShipmentStatus.Delivered, expected.GetShipment(atA.Number).Status, "the delivered shipment's status");
        shop.ExpectEqual(2, expected.GetShipment(atA.Number).Tracking.Count, "tracking updates kept on the delivered shipment");
        OrderId? found = await shop.ReadAsync(tx => tx.Orders.FindByTrackingNumberAsync(carrier.Code.ToUpperInvariant(), tracking, shop.Token).AsTask());
        shop.ExpectEqual<OrderId?>(order.Id, found, $"the order found by tracking number {tracking} (carrier code in another case)");
        OrderId? none = await shop.ReadAsync(tx => tx.Orders.FindByTrackingNumberAsync(carrier.Code, tracking + "X", shop.Token).AsTask());
        shop.Expect(none is null, "FindByTrackingNumberAsync of an unknown number must return null.");
    }
}
