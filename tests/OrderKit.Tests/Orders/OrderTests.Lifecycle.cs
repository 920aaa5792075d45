using OrderKit.Events;
using OrderKit.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

public sealed partial class OrderTests
{
    [Fact]
    public void Lifecycle_HappyPath_FollowsTheQuantities()
    {
        Order order = PlaceTwoLineOrder();
        order.Confirm(order.Total);
        Assert.Equal(OrderStatus.Confirmed, order.Status);
        Assert.Equal(PaymentStatus.Authorized, order.PaymentStatus);

        order.Allocate([new LineAllocation(Mug, 2, 0)]);
        Assert.Equal(OrderStatus.Confirmed, order.Status);
        order.Allocate([new LineAllocation(Tee, 1, 2)]);
        Assert.Equal(OrderStatus.Backordered, order.Status);
        order.Allocate([new LineAllocation(Tee, 2, 0)]);
        Assert.Equal(OrderStatus.Allocated, order.Status);
        Assert.Equal(3, order.GetLine(Tee).Allocated);

        order.Ship([new LineQuantity(Mug, new Quantity(2))]);
        Assert.Equal(OrderStatus.PartiallyShipped, order.Status);
        order.Ship([new LineQuantity(Tee, new Quantity(3))]);
        Assert.Equal(OrderStatus.Shipped, order.Status);
        order.Deliver([new LineQuantity(Mug, new Quantity(2)), new LineQuantity(Tee, new Quantity(3))]);
        Assert.Equal(OrderStatus.Delivered, order.Status);
        order.Complete();
        Assert.Equal(OrderStatus.Completed, order.Status);
        Assert.Equal(OrderActions.CapturePayment | OrderActions.VoidPayment, order.AllowedActions);

        string[] statuses = [.. order.Timeline.OfType<OrderStatusChanged>().Select(e => $"{e.From}->{e.To}")];
        Assert.Equal(["Pending->Confirmed", "Confirmed->Backordered", "Backordered->Allocated", "Allocated->PartiallyShipped", "PartiallyShipped->Shipped", "Shipped->Delivered", "Delivered->Completed"], statuses);
        Assert.Equal(Enumerable.Range(1, order.Timeline.Count), order.Timeline.Select(e => e.Sequence));
    }

    [Fact]
    public void Ship_FromPending_ThrowsNamingStatusActionAndPermitted()
    {
        Order order = PlaceTwoLineOrder();
        InvalidOrderTransitionException error = Assert.Throws<InvalidOrderTransitionException>(() => order.Ship([new LineQuantity(Mug, new Quantity(1))]));
        Assert.Equal(OrderStatus.Pending, error.Status);
        Assert.Equal(OrderActions.Ship, error.Action);
        Assert.Equal(order.Id, error.OrderId);
        Assert.Equal(order.AllowedActions, error.PermittedActions);
        Assert.Contains($"Cannot Ship order {order.Id} in status Pending", error.Message, StringComparison.Ordinal);
        Assert.Contains("Permitted now: Confirm, Cancel, CancelLine, Hold, FailPayment", error.Message, StringComparison.Ordinal);
        Assert.Single(order.Timeline);
    }

    [Fact]
    public void Cancel_AfterShipping_IsRefused_AndCancelLineNeverTouchesShippedUnits()
    {
        Order order = ConfirmedAndAllocated();
        order.Ship([new LineQuantity(Mug, new Quantity(1))]);
        Assert.False(order.CanCancel);
        Assert.Throws<InvalidOrderTransitionException>(() => order.Cancel("changed mind"));

        ArgumentException error = Assert.Throws<ArgumentException>(() => order.CancelLine(Mug, new Quantity(2), "too many"));
        Assert.Contains("only 1 are open (2 ordered, 0 cancelled, 1 shipped); shipped units cannot be cancelled", error.Message, StringComparison.Ordinal);

        order.CancelLine(Mug, new Quantity(1), "customer asked");
        order.CancelLine(Tee, new Quantity(3), "customer asked");
        Assert.Equal(OrderStatus.Shipped, order.Status);
        Assert.Equal(1, order.GetLine(Mug).Shipped);
        Assert.Equal(1, order.GetLine(Mug).Cancelled);
    }

    [Fact]
    public void Cancel_BeforeShipping_CancelsEveryOpenUnit()
    {
        Order order = ConfirmedAndAllocated();
        order.Cancel("fraud confirmed");
        Assert.Equal(OrderStatus.Cancelled, order.Status);
        Assert.All(order.Lines, l => Assert.Equal((l.Ordered, 0, 0), (l.Cancelled, l.Allocated, l.Backordered)));
        OrderCancelled cancelled = order.Timeline.OfType<OrderCancelled>().Single();
        Assert.Equal(5, cancelled.UnitsCancelled);
        Assert.Throws<InvalidOrderTransitionException>(() => order.Cancel("again"));
        Assert.True(order.Can(OrderActions.VoidPayment));
        Assert.False(order.Can(OrderActions.CapturePayment));
    }

    [Fact]
    public void CancelLine_TakesAwaitingThenBackorderedThenAllocated()
    {
        Order order = PlaceTwoLineOrder();
        order.Confirm(order.Total);
        order.Allocate([new LineAllocation(Tee, 1, 1)]);
        order.CancelLine(Tee, new Quantity(2), "short");
        OrderLine tee = order.GetLine(Tee);
        Assert.Equal((0, 0, 1, 2), (tee.AwaitingAllocation, tee.Backordered, tee.Allocated, tee.Cancelled));
    }

    [Fact]
    public void CancelLine_EverythingBeforeShipping_CancelsTheOrder()
    {
        Order order = PlaceTwoLineOrder();
        order.CancelLine(Mug, new Quantity(2), "gone");
        Assert.Equal(OrderStatus.Pending, order.Status);
        order.CancelLine(Tee, new Quantity(3), "gone");
        Assert.Equal(OrderStatus.Cancelled, order.Status);
    }

    [Fact]
    public void Deallocate_ShortPick_ReturnsUnitsToAllocation()
    {
        Order order = ConfirmedAndAllocated();
        order.Deallocate(Tee, new Quantity(1));
        Assert.Equal(OrderStatus.Confirmed, order.Status);
        Assert.Equal(1, order.GetLine(Tee).AwaitingAllocation);
        order.Allocate([new LineAllocation(Tee, 0, 1)]);
        Assert.Equal(OrderStatus.Backordered, order.Status);
        Assert.Throws<ArgumentException>(() => order.Deallocate(Tee, new Quantity(5)));
    }

    [Fact]
    public void Allocate_BadArguments_ThrowAndChangeNothing()
    {
        Order order = PlaceTwoLineOrder();
        order.Confirm(order.Total);
        int events = order.Timeline.Count;
        Assert.Contains("allocates 3 units of \"MUG-RED\", but only 2 await stock", Assert.Throws<ArgumentException>(() => order.Allocate([new LineAllocation(Mug, 3, 0)])).Message, StringComparison.Ordinal);
        Assert.Contains("repeats SKU \"MUG-RED\"", Assert.Throws<ArgumentException>(() => order.Allocate([new LineAllocation(Mug, 1, 0), new LineAllocation(Mug, 1, 0)])).Message, StringComparison.Ordinal);
        Assert.Contains("\"CAP-ONE\" is not a line", Assert.Throws<ArgumentException>(() => order.Allocate([new LineAllocation(Mug, 1, 0), new LineAllocation(Cap, 1, 0)])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => order.Allocate([]));
        Assert.Equal(events, order.Timeline.Count);
        Assert.All(order.Lines, l => Assert.Equal(0, l.Allocated));
    }

    [Fact]
    public void Deliver_MoreThanInTransit_Throws()
    {
        Order order = ConfirmedAndAllocated();
        order.Ship([new LineQuantity(Mug, new Quantity(2))]);
        ArgumentException error = Assert.Throws<ArgumentException>(() => order.Deliver([new LineQuantity(Mug, new Quantity(3))]));
        Assert.Contains("only 2 are in transit", error.Message, StringComparison.Ordinal);
    }

    private static Order ConfirmedAndAllocated()
    {
        Order order = PlaceTwoLineOrder();
        order.Confirm(order.Total);
        order.Allocate([new LineAllocation(Mug, 2, 0), new LineAllocation(Tee, 3, 0)]);
        Assert.Equal(OrderStatus.Allocated, order.Status);
        return order;
    }
}
