using OrderKit.Events;
using OrderKit.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

public sealed partial class OrderTests
{
    [Fact]
    public void Hold_BlocksFulfillment_KeepsStatus_ReleasedOneByOne()
    {
        Order order = PlaceTwoLineOrder();
        order.Confirm(order.Total);
        OrderHold fraud = order.Hold(HoldReason.FraudReview, "risk-engine");
        OrderHold address = order.Hold(HoldReason.AddressCheck, "ops", "the street does not exist");
        Assert.Equal([1, 2], order.ActiveHolds.Select(h => h.Number));
        Assert.Equal(OrderStatus.Confirmed, order.Status);
        Assert.False(order.CanAllocate);
        Assert.True(order.CanCancel);

        InvalidOrderTransitionException error = Assert.Throws<InvalidOrderTransitionException>(() => order.Allocate([new LineAllocation(Mug, 1, 0)]));
        Assert.Contains("Allocate requires that no hold is active (active: #1 FraudReview by risk-engine, #2 AddressCheck by ops)", error.Message, StringComparison.Ordinal);

        order.ReleaseHold(fraud.Number, "analyst");
        Assert.False(order.CanAllocate);
        order.ReleaseHold(address.Number, "ops");
        Assert.True(order.CanAllocate);
        Assert.False(order.CanReleaseHold);
        Assert.Equal(2, order.Timeline.OfType<HoldReleased>().Count());
    }

    [Fact]
    public void Hold_BadArguments_ThrowAndChangeNothing()
    {
        Order order = PlaceTwoLineOrder();
        Assert.Equal("note", Assert.Throws<ArgumentException>(() => order.Hold(HoldReason.Custom, "ops")).ParamName);
        Assert.Equal("placedBy", Assert.ThrowsAny<ArgumentException>(() => order.Hold(HoldReason.Payment, " ")).ParamName);
        Assert.Equal("reason", Assert.Throws<ArgumentException>(() => order.Hold((HoldReason)42, "ops")).ParamName);
        Assert.Throws<InvalidOrderTransitionException>(() => order.ReleaseHold(1, "ops"));
        order.Hold(HoldReason.Payment, "ops");
        ArgumentException unknown = Assert.Throws<ArgumentException>(() => order.ReleaseHold(7, "ops"));
        Assert.Contains("has no active hold #7; active holds: #1 Payment by ops", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(2, order.Timeline.Count);
    }

    [Fact]
    public void Hold_AfterEverythingShipped_IsRefused()
    {
        Order order = ConfirmedAndAllocated();
        order.Ship([new LineQuantity(Mug, new Quantity(2)), new LineQuantity(Tee, new Quantity(3))]);
        Assert.False(order.CanHold);
        Assert.Contains("a hold cannot be placed in status Shipped", Assert.Throws<InvalidOrderTransitionException>(() => order.Hold(HoldReason.Payment, "x")).Message, StringComparison.Ordinal);
    }
}
