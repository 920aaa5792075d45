using OrderKit.Events;
using OrderKit.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Orders;

public sealed class OrderSnapshotTests
{
    [Fact]
    public void RoundTrip_KeepsEverything()
    {
        Order order = PlaceTwoLineOrder();
        order.Confirm(order.Total);
        order.Allocate([new LineAllocation(Mug, 2, 0), new LineAllocation(Tee, 1, 2)]);
        order.Hold(HoldReason.Custom, "ops", "wait for the truck");

        OrderSnapshot snapshot = order.ToSnapshot();
        Order restored = Order.FromSnapshot(snapshot with { Version = 1 }, NewClock());

        Assert.Equal(OrderStatus.Backordered, restored.Status);
        Assert.Equal(order.Timeline, restored.Timeline);
        Assert.Equal(order.AllowedActions, restored.AllowedActions);
        Assert.Equal(order.ActiveHolds, restored.ActiveHolds);
        Assert.Equal(order.Lines.Select(l => l.ToString()), restored.Lines.Select(l => l.ToString()));
        Assert.Equal((order.Total, order.AuthorizedAmount, order.PaymentStatus), (restored.Total, restored.AuthorizedAmount, restored.PaymentStatus));
        Assert.False(restored.HasUnsavedChanges);
        Assert.Equal(1, restored.Version);
    }

    [Fact]
    public void RoundTrip_OfALargeOrder_FindsEveryLine()
    {
        PlaceOrderRequest request = Request([.. Enumerable.Range(1, 40).Select(i => (new Sku($"SKU-{i}"), i, 1m))]);
        Order order = Order.Place(request, NewClock());
        Order restored = Order.FromSnapshot(order.ToSnapshot() with { Version = 1 }, NewClock());

        Assert.All(Enumerable.Range(1, 40), i => Assert.Equal(i, restored.GetLine(new Sku($"SKU-{i}")).Ordered));
    }

    public static TheoryData<string, Func<OrderSnapshot, OrderSnapshot>> Corruptions => new()
    {
        { "Version is 0", s => s with { Version = 0 } },
        { "Status is Allocated, but the line quantities lead to Confirmed", s => s with { Status = OrderStatus.Allocated } },
        { "a SKU appears on two lines", s => s with { Lines = [s.Lines[0], s.Lines[0] with { Ordered = 1 }] } },
        { "Lines[1].UnitPrice", s => s with { Lines = [s.Lines[0], s.Lines[1] with { UnitPrice = new Money(1m, Currency.USD) }] } },
        { "the payment amounts do not nest", s => s with { CapturedAmount = Eur(1m) } },
        { "Holds has an entry with a number not below NextHoldNumber", s => s with { Holds = [new OrderHold(5, HoldReason.Payment, "ops", null, Start)] } },
        { "Timeline does not start with OrderPlaced", s => s with { Timeline = [] } },
        { "Timeline[0] is not event 1", s => s with { Timeline = [new OrderCompleted(s.Id, 2, Start)] } },
        { "Status 42 is unknown", s => s with { Status = (OrderStatus)42 } },
        { "AtRiskSince is set, but ShipBy is not", s => s with { AtRiskSince = Start } },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void FromSnapshot_Inconsistent_ThrowsNamingTheOrderAndTheProblem(string problem, Func<OrderSnapshot, OrderSnapshot> spoil)
    {
        OrderSnapshot good = PlaceTwoLineOrder().ToSnapshot() with { Version = 1 };

        ArgumentException error = Assert.Throws<ArgumentException>(() => Order.FromSnapshot(spoil(good), NewClock()));

        Assert.Equal("snapshot", error.ParamName);
        Assert.Contains($"The stored order {good.Id}", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }
}
