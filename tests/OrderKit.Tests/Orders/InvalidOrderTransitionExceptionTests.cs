using OrderKit.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

public sealed class InvalidOrderTransitionExceptionTests
{
    [Fact]
    public void RefusedAction_NamesOrderStatusActionReasonAndWhatIsPermitted()
    {
        Order order = PlaceTwoLineOrder();

        InvalidOrderTransitionException error = Assert.Throws<InvalidOrderTransitionException>(() => order.Ship([new LineQuantity(Mug, new Quantity(1))]));

        Assert.Equal(order.Id, error.OrderId);
        Assert.Equal(OrderStatus.Pending, error.Status);
        Assert.Equal(OrderActions.Ship, error.Action);
        Assert.Equal(order.AllowedActions, error.PermittedActions);
        Assert.Equal("Ship is not possible in status Pending", error.Reason);
        Assert.Equal($"Cannot Ship order {order.Id} in status Pending: Ship is not possible in status Pending. Permitted now: {order.AllowedActions}.", error.Message);
    }

    [Fact]
    public void HeldOrder_ReasonNamesTheGuardAndTheActiveHolds()
    {
        Order order = PlaceTwoLineOrder();
        order.Confirm(order.Total);
        order.Hold(HoldReason.FraudReview, "risk-engine");

        InvalidOrderTransitionException error = Assert.Throws<InvalidOrderTransitionException>(() => order.Allocate([new LineAllocation(Mug, 2, 0)]));

        Assert.Equal("Allocate requires that no hold is active (active: #1 FraudReview by risk-engine)", error.Reason);
    }

    [Fact]
    public void NothingPermitted_SaysNothing()
    {
        var error = new InvalidOrderTransitionException(new OrderId("ord_1"), OrderStatus.Completed, OrderActions.Ship, OrderActions.None, "done");

        Assert.EndsWith("Permitted now: nothing.", error.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<InvalidOperationException>(error);
    }
}
