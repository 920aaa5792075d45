using OrderKit.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

public sealed class OrderHoldTests
{
    [Fact]
    public void Hold_RecordsWhoWhyWhenAndANumber()
    {
        Order order = PlaceTwoLineOrder();

        OrderHold first = order.Hold(HoldReason.FraudReview, "risk-engine", "score 91");
        OrderHold second = order.Hold(HoldReason.AddressCheck, "ops");

        Assert.Equal((1, HoldReason.FraudReview, "risk-engine", "score 91"), (first.Number, first.Reason, first.PlacedBy, first.Note));
        Assert.Equal(2, second.Number);
        Assert.True(second.PlacedAt > first.PlacedAt);
        Assert.Equal("#1 FraudReview by risk-engine", first.ToString());
    }

    [Fact]
    public void Numbers_AreNeverReused_AfterARelease()
    {
        Order order = PlaceTwoLineOrder();
        order.Hold(HoldReason.Payment, "ops");
        order.ReleaseHold(1, "ops");

        OrderHold next = order.Hold(HoldReason.Payment, "ops");

        Assert.Equal(2, next.Number);
    }

    [Fact]
    public void Holds_SurviveASnapshot()
    {
        Order order = PlaceTwoLineOrder();
        OrderHold hold = order.Hold(HoldReason.ScheduledDate, "ops", "ship on Monday");

        Order restored = Order.FromSnapshot(order.ToSnapshot() with { Version = 1 }, NewClock());

        Assert.Equal(hold, Assert.Single(restored.ActiveHolds));
    }
}
