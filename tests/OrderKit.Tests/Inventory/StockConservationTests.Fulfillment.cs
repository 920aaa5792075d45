using OrderKit.Allocation;
using OrderKit.Fulfillment;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Shipping;
using OrderKit.Testing;

namespace OrderKit.Tests.Inventory;

public sealed partial class StockConservationTests
{
    private static Gen<Step> FulfillmentSteps => StepsOf(kinds: 10, maxUnits: 4);

    /// <summary>
    /// Random shipment work (create, pick, pack, label, ship, split, move, cancel a shipment, cancel an order) over
    /// random receipts and orders: after every step, stock is conserved (the ledger explains every count, reserved is
    /// what orders hold), shipped ≤ allocated within what is ordered per line, and shipments carry no more than is allocated.
    /// </summary>
    [Fact]
    public void Property_RandomShipmentWork_ConservesStock()
    {
        var reached = new HashSet<StockMovementKind>();
        var statuses = new HashSet<ShipmentStatus>();
        Prop.ForAll(FulfillmentSteps.ListOf().Select(l => l.Take(40).ToArray()).ToArbitrary(), steps => RunShipmentsAsync(steps, reached, statuses).GetAwaiter().GetResult())
            .QuickCheckThrowOnFailure();

        Assert.Superset(new HashSet<StockMovementKind> { StockMovementKind.Reserved, StockMovementKind.Shipped, StockMovementKind.Released }, reached);
        Assert.Superset(new HashSet<ShipmentStatus> { ShipmentStatus.Shipped, ShipmentStatus.Cancelled, ShipmentStatus.LabelPurchased }, statuses);
    }

    private static async Task RunShipmentsAsync(Step[] steps, HashSet<StockMovementKind> reached, HashSet<ShipmentStatus> statuses)
    {
        var shop = new Orders.OrderServiceTests.Shop();
        var fulfillment = new FulfillmentService(shop.Store, shop.Clock, shop.Options, new CarrierRegistry([new FakeCarrier()]));
        var orders = new List<OrderId>();
        foreach (Step step in steps)
        {
            Sku sku = s_skus[step.Sku];
            LocationId at = s_locations[step.Location];
            OrderId? id = orders.Count == 0 ? null : orders[step.Pick % orders.Count];
            Order? order = id is { } known ? await shop.Orders.GetAsync(known) : null;
            Shipment? shipment = order is { Shipments.Count: > 0 } ? order.Shipments[step.Pick % order.Shipments.Count] : null;
            try
            {
                switch (step.Kind)
                {
                    case 0:
                        await shop.Inventory.ReceiveAsync(sku, at, new Quantity(step.Units * 2));
                        break;
                    case 1:
                        Order placed = await shop.ConfirmedAsync((sku, step.Units), (s_skus[(step.Sku + 1) % s_skus.Length], 1));
                        orders.Add(placed.Id);
                        await shop.Orders.AllocateAsync(placed.Id, new AllocationPreferences { OnShortfall = ShortfallAction.LeaveAwaiting });
                        await fulfillment.CreateShipmentsAsync(placed.Id);
                        break;
                    case 2 when order is not null:
                        await fulfillment.CreateShipmentsAsync(order.Id);
                        break;
                    case 3 when shipment is not null:
                        // Pick (all or one short), pack what was picked, buy a label: ready to ship.
                        await fulfillment.PickAsync(order!.Id, shipment.Number, step.Pick % 3 == 0 ? [new LineQuantity(shipment.Lines[0].Sku, new Quantity(Math.Max(0, shipment.Lines[0].Quantity - 1)))] : null);
                        await fulfillment.PackAsync(order.Id, shipment.Number, [new Parcel(1m)]);
                        await fulfillment.PurchaseLabelAsync(order.Id, shipment.Number, "fake", "standard");
                        break;
                    case 4 when shipment is not null:
                        // Take it all the way: whatever it still needs, then ship.
                        if (shipment.Status == ShipmentStatus.Pending)
                        {
                            await fulfillment.PickAsync(order!.Id, shipment.Number);
                        }

                        if (shipment.Status is ShipmentStatus.Pending or ShipmentStatus.Picking)
                        {
                            await fulfillment.PackAsync(order!.Id, shipment.Number, [new Parcel(1m)]);
                        }

                        if (shipment.Status is ShipmentStatus.Pending or ShipmentStatus.Picking or ShipmentStatus.Packed)
                        {
                            await fulfillment.PurchaseLabelAsync(order!.Id, shipment.Number, "fake", "standard");
                        }

                        await fulfillment.ShipAsync(order!.Id, shipment.Number);
                        break;
                    case 5 when shipment is not null:
                        await fulfillment.CancelShipmentAsync(order!.Id, shipment.Number, "changed plan");
                        break;
                    case 6 when shipment is not null:
                        await fulfillment.MoveShipmentAsync(order!.Id, shipment.Number, s_locations[1 - s_locations.ToList().IndexOf(shipment.Location)]);
                        break;
                    case 7 when shipment is not null:
                        await fulfillment.SplitShipmentAsync(order!.Id, shipment.Number, [new LineQuantity(shipment.Lines[0].Sku, new Quantity(1))]);
                        break;
                    case 8 when order is not null:
                        await shop.Orders.CancelAsync(order.Id, "changed mind");
                        break;
                    case 9 when shipment is not null:
                        await fulfillment.VoidLabelAsync(order!.Id, shipment.Number);
                        break;
                }
            }
            catch (Exception error) when (error is ArgumentException or InvalidOperationException or InsufficientStockException)
            {
                // Refused input, or an action the order's or the shipment's state does not permit: nothing may have changed.
            }

            await CheckAsync(shop, orders);
            foreach (OrderId each in orders)
            {
                Order now = await shop.Orders.GetAsync(each);
                foreach (OrderLine line in now.Lines)
                {
                    int inOpenShipments = now.Shipments.Where(s => !s.HasShipped && s.Status != ShipmentStatus.Cancelled).Sum(s => s.Lines.Where(l => l.Sku == line.Sku).Sum(l => l.Quantity));
                    Assert.True(inOpenShipments <= line.Allocated, $"open shipments of {line.Sku} carry {inOpenShipments}, more than the {line.Allocated} allocated");
                    Assert.True(line.Shipped + line.Allocated <= line.Ordered - line.Cancelled);
                }

                statuses.UnionWith(now.Shipments.Select(s => s.Status));
            }
        }

        reached.UnionWith((await shop.Inventory.GetLedgerAsync()).Select(m => m.Kind));
    }
}
