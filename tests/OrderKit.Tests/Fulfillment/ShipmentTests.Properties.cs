using NodaTime;
using OrderKit.Fulfillment;
using OrderKit.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Fulfillment;

public sealed partial class ShipmentTests
{
    private static readonly TrackingStatus[] s_statuses = Enum.GetValues<TrackingStatus>();

    private static Gen<TrackingUpdate[]> UpdatesGen =>
        from count in Gen.Choose(1, 8)
        from updates in Gen.ArrayOf(
            from status in Gen.Elements(s_statuses)
            from hour in Gen.Choose(0, 6)
            from raw in Gen.Elements("a", "b")
            select new TrackingUpdate(status, Start + Duration.FromHours(hour), status + raw),
            count)
        select updates;

    /// <summary>Any permutation of a shipment's tracking updates ends in the same status, history and delivered units as applying them in time order.</summary>
    [Property(MaxTest = 500)]
    public Property Tracking_AnyArrivalOrder_EndsLikeTimeOrder() =>
        Prop.ForAll(Arb.From(from updates in UpdatesGen from seed in Gen.Choose(0, int.MaxValue) select (updates, seed)), run =>
        {
            TrackingUpdate[] inTime = [.. run.updates.OrderBy(u => u, Comparer<TrackingUpdate>.Create(TrackingUpdate.Compare))];
            TrackingUpdate[] shuffled = [.. run.updates.Select((u, i) => (u, k: (i * 7919L + run.seed) % 104729)).OrderBy(p => p.k).Select(p => p.u)];

            Order expected = Shipped();
            Order actual = Shipped();
            foreach (TrackingUpdate u in inTime)
            {
                expected.ApplyTracking(1, u);
            }

            foreach (TrackingUpdate u in shuffled)
            {
                actual.ApplyTracking(1, u);
            }

            Assert.Equal(expected.GetShipment(1).Status, actual.GetShipment(1).Status);
            Assert.Equal(expected.GetShipment(1).Tracking, actual.GetShipment(1).Tracking);
            Assert.Equal(expected.GetLine(Mug).Delivered, actual.GetLine(Mug).Delivered);
            Assert.Equal(expected.Status, actual.Status);
            return true;
        });

    private static Order Shipped()
    {
        Order order = SplitOrder();
        PackAndShip(order, 1);
        return order;
    }

    /// <summary>Random shipment actions: the line buckets always add up (shipped ≤ ordered, allocated within open), open shipments never carry more than is allocated, and a refused action changes nothing.</summary>
    [Property(MaxTest = 300)]
    public Property ShipmentActions_Random_KeepTheLineInvariants() =>
        Prop.ForAll(Arb.From(Gen.ArrayOf(from a in Gen.Choose(0, 9) from n in Gen.Choose(1, 4) from u in Gen.Choose(1, 3) select (a, n, u), 30)), steps =>
        {
            Order order = SplitOrder();
            foreach ((int action, int number, int units) in steps)
            {
                string before = OrderKit.Persistence.OrderKitJson.SerializeOrder(order.ToSnapshotAtVersion(1));
                Exception? thrown = Record.Exception(() => Act(order, action, number, units));
                if (thrown is not null)
                {
                    Assert.True(thrown is ArgumentException or InvalidOperationException, thrown.ToString());
                    Assert.Equal(before, OrderKit.Persistence.OrderKitJson.SerializeOrder(order.ToSnapshotAtVersion(1)));
                }

                foreach (OrderLine line in order.Lines)
                {
                    Assert.Equal(line.Ordered, line.Open + line.Cancelled + line.Shipped);
                    Assert.Equal(line.Open, line.AwaitingAllocation + line.Allocated + line.Backordered);
                    Assert.True(line.AwaitingAllocation >= 0 && line.Shipped <= line.Ordered && line.Delivered <= line.Shipped);
                    Assert.True(order.InShipments(line.Sku, null) <= line.Allocated);
                }

                // What the order holds restores to the same order: every step is a consistent aggregate.
                Order.FromSnapshot(order.ToSnapshotAtVersion(1), NewClock());
            }

            return true;
        });

    private static void Act(Order order, int action, int number, int units)
    {
        Sku sku = order.Shipments.Count >= number ? order.GetShipment(number).Lines[0].Sku : Mug;
        switch (action)
        {
            case 0: order.Pick(number); break;
            case 1: order.Pick(number, [new LineQuantity(sku, new Quantity(units))]); break;
            case 2: order.Pack(number, [new Parcel(1m)]); break;
            case 3: order.SplitShipment(number, [new LineQuantity(sku, new Quantity(units))]); break;
            case 4: order.MoveShipment(number, order.GetShipment(number).Location == A ? B : A); break;
            case 5: order.RecordLabel(number, new ShippingLabel("fake", "standard", $"T{number}-{order.Timeline.Count}", "L", Eur(1m))); break;
            case 6: order.ShipShipment(number); break;
            case 7: order.ApplyTracking(number, new TrackingUpdate(units == 1 ? TrackingStatus.Delivered : TrackingStatus.InTransit, Start + Duration.FromHours(units), "x" + units)); break;
            case 8: order.CancelShipment(number, "test"); break;
            default: order.CreateShipments(); break;
        }
    }
}
