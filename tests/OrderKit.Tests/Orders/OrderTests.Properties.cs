using OrderKit.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

public sealed partial class OrderTests
{
    private static Gen<OrderCommand> CommandGen =>
        from kind in Gen.Frequency(
            (10, Gen.Constant("Confirm")), (40, Gen.Constant("Allocate")), (3, Gen.Constant("Deallocate")), (30, Gen.Constant("Ship")),
            (25, Gen.Constant("Deliver")), (12, Gen.Constant("Complete")), (1, Gen.Constant("Cancel")), (3, Gen.Constant("CancelLine")),
            (4, Gen.Constant("Hold")), (6, Gen.Constant("ReleaseHold")), (2, Gen.Constant("FailPayment")), (5, Gen.Constant("CapturePayment")),
            (1, Gen.Constant("VoidPayment")), (3, Gen.Constant("RefundPayment")))
        from line in Gen.Choose(0, 2)
        from a in Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Choose(1, 3)), (1, Gen.Constant(4)))
        from b in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 3)))
        select new OrderCommand(kind, line, a, b);

    internal static Gen<(int[] Ordered, OrderCommand[] Commands)> RunGen =>
        from lines in Gen.Choose(1, 3)
        from ordered in Gen.ArrayOf(Gen.Choose(1, 3), lines)
        from count in Gen.Choose(0, 60)
        from commands in Gen.ArrayOf(CommandGen, count)
        select (ordered, commands);

    /// <summary>
    /// Model-based run: random action sequences against an order and an independent model. After every step the
    /// status, payment, quantities and allowed actions equal the model's; a refused action throws the kind of
    /// exception the model expects and leaves the order exactly as it was; the quantity buckets always add up.
    /// </summary>
    [Property(MaxTest = 1_000)]
    public Property Lifecycle_RandomActions_MatchTheModelAndRefusalsChangeNothing() =>
        Prop.ForAll(Arb.From(RunGen), run =>
        {
            Sku[] skus = [Mug, Tee, Cap];
            Order order = Order.Place(Request([.. run.Ordered.Select((q, i) => (skus[i], q, 1m))]), NewClock());
            var model = new OrderModel(run.Ordered, 1m);
            foreach (OrderCommand command in run.Commands)
            {
                string before = Describe(order);
                int events = order.Timeline.Count;
                Type? expected = model.Apply(command);
                Exception? thrown = Record.Exception(() => Run(order, command, skus));
                if (expected is null)
                {
                    Assert.True(thrown is null, $"{command} should succeed but threw {thrown}");
                    Assert.True(order.Timeline.Count > events, $"{command} recorded no event");
                }
                else
                {
                    Assert.True(thrown is not null && thrown.GetType() == expected || (expected == typeof(ArgumentException) && thrown is ArgumentException), $"{command} should throw {expected.Name} but threw {thrown?.GetType().Name ?? "nothing"}");
                    Assert.Equal(before, Describe(order));
                    Assert.Equal(events, order.Timeline.Count);
                }

                Assert.Equal(model.Status, order.Status);
                Assert.Equal(model.Payment, order.PaymentStatus);
                Assert.Equal(model.Allowed(), order.AllowedActions);
                for (int i = 0; i < run.Ordered.Length; i++)
                {
                    OrderLine line = order.Lines[i];
                    Assert.Equal((model.Allocated[i], model.Backordered[i], model.Cancelled[i], model.Shipped[i], model.Delivered[i]), (line.Allocated, line.Backordered, line.Cancelled, line.Shipped, line.Delivered));
                    Assert.Equal(line.Ordered, line.Open + line.Cancelled + line.Shipped);
                    Assert.Equal(line.Open, line.AwaitingAllocation + line.Allocated + line.Backordered);
                    Assert.True(line.AwaitingAllocation >= 0 && line.Delivered <= line.Shipped && line.Returned <= line.Delivered);
                }
            }

            // The order as stored restores to the same order.
            Assert.Equal(Describe(order), Describe(Order.FromSnapshot(order.ToSnapshotAtVersion(1), NewClock())));
            return true;
        });

    [Fact]
    public void Lifecycle_RandomActions_GeneratorReachesEveryStatus()
    {
        var reached = new HashSet<OrderStatus>();
        Sku[] skus = [Mug, Tee, Cap];
        foreach ((int[] ordered, OrderCommand[] commands) in RunGen.Sample(2_000))
        {
            Order order = Order.Place(Request([.. ordered.Select((q, i) => (skus[i], q, 1m))]), NewClock());
            foreach (OrderCommand command in commands)
            {
                _ = Record.Exception(() => Run(order, command, skus));
                reached.Add(order.Status);
            }
        }

        Assert.True(reached.SetEquals(Enum.GetValues<OrderStatus>()), "reached only: " + string.Join(", ", reached));
    }

    internal static void Run(Order order, OrderCommand c, Sku[] skus)
    {
        Sku sku = skus[c.Line % order.Lines.Count];
        OrderLine line = order.GetLine(sku);
        int available = c.Kind switch
        {
            "Allocate" => line.AwaitingAllocation + line.Backordered,
            "Deallocate" or "Ship" => line.Allocated,
            "Deliver" => line.InTransit,
            "CancelLine" => line.Open,
            _ => 1,
        };
        var q = new Quantity(c.A == OrderCommand.All ? Math.Max(1, available) : Math.Max(c.A, 1));
        int allocate = c.A == OrderCommand.All ? Math.Max(1, available) : c.A;
        switch (c.Kind)
        {
            case "Confirm": order.Confirm(Eur(order.Total.Amount * c.A / 2m)); break;
            case "Allocate": order.Allocate([new LineAllocation(sku, allocate, allocate == 0 && c.B == 0 ? 1 : c.B)]); break;
            case "Deallocate": order.Deallocate(sku, q); break;
            case "Ship": order.Ship([new LineQuantity(sku, q)]); break;
            case "Deliver": order.Deliver([new LineQuantity(sku, q)]); break;
            case "Complete": order.Complete(); break;
            case "Cancel": order.Cancel("model"); break;
            case "CancelLine": order.CancelLine(sku, q, "model"); break;
            case "Hold": order.Hold(HoldReason.FraudReview, "model"); break;
            case "ReleaseHold": order.ReleaseHold(c.A, "model"); break;
            case "FailPayment": order.FailPayment("declined"); break;
            case "CapturePayment": order.CapturePayment(Eur(q.Value)); break;
            case "VoidPayment": order.VoidPayment(); break;
            case "RefundPayment": order.RefundPayment(Eur(q.Value)); break;
            default: throw new InvalidOperationException(c.Kind);
        }
    }

    private static string Describe(Order order) =>
        $"{order.Id} {order.Status} {order.PaymentStatus} {order.AuthorizedAmount} {order.CapturedAmount} {order.RefundedAmount} [{string.Join("; ", order.Lines)}] holds[{string.Join(", ", order.ActiveHolds)}] events {order.Timeline.Count}";
}
