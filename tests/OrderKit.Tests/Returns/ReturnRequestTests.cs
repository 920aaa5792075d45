using NodaTime;
using NodaTime.Testing;
using OrderKit.Events;
using OrderKit.Fulfillment;
using OrderKit.Orders;
using OrderKit.Returns;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Returns;

/// <summary>Return requests on the order: the lifecycle, the quantities, the window, and the receipt's stock effects.</summary>
public sealed class ReturnRequestTests
{
    internal static readonly LocationId A = new("WH-A");
    private static readonly ReturnPolicy s_policy = new();

    /// <summary>2 mugs at 12.50 and 3 tees at 20.00 (85.00), shipped from A, paid in full, and delivered at <see cref="TestValues.Start"/> plus a few seconds.</summary>
    internal static Order Delivered(IClock? clock = null, Money? discount = null, Money? shipping = null)
    {
        PlaceOrderRequest request = TwoLineRequest();
        var withCharges = new PlaceOrderRequest
        {
            CustomerId = request.CustomerId,
            Channel = request.Channel,
            ShippingAddress = request.ShippingAddress,
            Currency = request.Currency,
            Lines = request.Lines,
            Discount = discount,
            ShippingCharge = shipping,
        };
        Order order = Order.Place(withCharges, clock ?? NewClock());
        order.Confirm(order.Total);
        order.Allocate([new LineAllocation(Mug, 2, 0, A), new LineAllocation(Tee, 3, 0, A)]);
        LineQuantity[] all = [new LineQuantity(Mug, new Quantity(2)), new LineQuantity(Tee, new Quantity(3))];
        order.Ship(all, A);
        order.CapturePayment(order.Total);
        order.Deliver(all);
        return order;
    }

    private static ReturnLine Line(Sku sku, int units, ReturnReason reason = ReturnReason.Defective) => new(sku, new Quantity(units), reason);

    [Fact]
    public void AReturn_GoesFromRequestToClose_CountingTheUnitsReturnedOnReceipt()
    {
        Order order = Delivered();

        ReturnRequest request = order.RequestReturn([Line(Mug, 1)], s_policy, DateTimeZone.Utc);
        Assert.Equal((1, ReturnStatus.Requested, ReturnActions.Authorize | ReturnActions.Reject | ReturnActions.Cancel), (request.Number, request.Status, request.AllowedActions));
        Assert.Equal(1, order.ReturnableUnits(Mug));

        order.AuthorizeReturn(1);
        order.RecordReturnLabel(1, new ShippingLabel("fake", "return", "RT1", "L1", Eur(0m)));
        Assert.Equal(ReturnStatus.InTransit, order.GetReturn(1).Status);
        Assert.Equal(0, order.GetLine(Mug).Returned);

        order.ReceiveReturn(1, [new ReturnReceipt(Mug, new Quantity(1), ReturnDisposition.Quarantine, A)]);
        Assert.Equal(1, order.GetLine(Mug).Returned);
        Assert.Equal(1, order.ReturnableUnits(Mug));

        order.InspectReturn(1, "handle cracked; fault confirmed");
        order.ResolveReturn(1, new ReturnResolution(ReturnResolutionKind.StoreCredit, Eur(12.50m)));
        order.CloseReturn(1);

        ReturnRequest closed = order.GetReturn(1);
        Assert.Equal(ReturnStatus.Closed, closed.Status);
        Assert.Equal("handle cracked; fault confirmed", closed.Inspection);
        Assert.Equal(ReturnActions.None, closed.AllowedActions);
        Assert.Equal(
            ["ReturnRequested", "ReturnAuthorized", "ReturnInTransit", "ReturnReceived", "ReturnInspected", "ReturnResolved", "ReturnClosed"],
            order.Timeline.Skip(order.Timeline.Count - 7).Select(e => e.Name));
        Assert.Equal("#1: 1 x MUG-RED Quarantine @ WH-A", order.Timeline.OfType<ReturnReceived>().Single().Describe());
    }

    [Fact]
    public void Receipts_BecomeStockEffects_ByDisposition()
    {
        Order order = Delivered();
        order.AcceptSave();
        order.RequestReturn([Line(Tee, 3, ReturnReason.ChangedMind)], s_policy, DateTimeZone.Utc);
        order.AuthorizeReturn(1);

        order.ReceiveReturn(1,
        [
            new ReturnReceipt(Tee, new Quantity(1), ReturnDisposition.Restock, A),
            new ReturnReceipt(Tee, new Quantity(1), ReturnDisposition.Quarantine, A),
            new ReturnReceipt(Tee, new Quantity(1), ReturnDisposition.Dispose, A),
        ]);

        Assert.Equal(
            [new StockEffect(StockEffectKind.Restock, Tee, A, 1), new StockEffect(StockEffectKind.Quarantine, Tee, A, 1), new StockEffect(StockEffectKind.Dispose, Tee, A, 1)],
            order.UnsavedStockEffects);
        Assert.Equal(3, order.GetLine(Tee).Returned);
    }

    [Fact]
    public void FewerUnitsArriving_LeavesTheRestReturnableAgain()
    {
        Order order = Delivered();
        order.RequestReturn([Line(Tee, 3)], s_policy, DateTimeZone.Utc);
        Assert.Equal(0, order.ReturnableUnits(Tee));
        order.AuthorizeReturn(1);

        order.ReceiveReturn(1, [new ReturnReceipt(Tee, new Quantity(2), ReturnDisposition.Restock, A)]);

        Assert.Equal(2, order.GetLine(Tee).Returned);
        Assert.Equal(1, order.ReturnableUnits(Tee));
        Assert.Equal(2, order.RequestReturn([Line(Tee, 1)], s_policy, DateTimeZone.Utc).Number);
    }

    [Fact]
    public void RejectedAndCancelledReturns_GiveTheirUnitsBack()
    {
        Order order = Delivered();
        order.RequestReturn([Line(Mug, 2)], s_policy, DateTimeZone.Utc);
        order.RejectReturn(1, "used beyond testing");
        order.RequestReturn([Line(Mug, 2)], s_policy, DateTimeZone.Utc);
        order.AuthorizeReturn(2);
        order.CancelReturn(2, "customer kept it");

        Assert.Equal(("used beyond testing", "customer kept it"), (order.GetReturn(1).EndReason, order.GetReturn(2).EndReason));
        Assert.Equal(2, order.ReturnableUnits(Mug));
        Assert.Equal("#1: used beyond testing", order.Timeline.OfType<ReturnRejected>().Single().Describe());
    }

    [Fact]
    public void TheWindow_RefusesLateRequests_UnlessStaffOverride()
    {
        var clock = new FakeClock(Start);
        Order order = Delivered(clock);
        var policy = new ReturnPolicy { Window = Period.FromDays(14), SkuWindows = new Dictionary<Sku, Period> { [Tee] = Period.FromDays(60) } };

        clock.Reset(Instant.FromUtc(2026, 11, 16, 23, 59));   // delivered 2026-11-02: the mug's last day is 11-16
        Assert.Equal(1, order.RequestReturn([Line(Mug, 1)], policy, DateTimeZone.Utc).Number);

        clock.Reset(Instant.FromUtc(2026, 11, 17, 0, 0));
        ArgumentException late = Assert.Throws<ArgumentException>(() => order.RequestReturn([Line(Mug, 1)], policy, DateTimeZone.Utc));
        Assert.Contains("past its return window: the last day was 2026-11-16", late.Message, StringComparison.Ordinal);
        Assert.Equal(2, order.RequestReturn([Line(Tee, 1)], policy, DateTimeZone.Utc).Number);

        ReturnRequest overridden = order.RequestReturn([Line(Mug, 1)], policy, DateTimeZone.Utc, windowOverride: "loyal customer");
        Assert.Equal("loyal customer", overridden.WindowOverride);
        Assert.Contains("after the window: loyal customer", order.Timeline.OfType<ReturnRequested>().Last().Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void BadInput_IsRefused_AndChangesNothing()
    {
        Order order = Delivered();
        int events = order.Timeline.Count;

        Assert.Contains("only 2 can be returned", Assert.Throws<ArgumentException>(() => order.RequestReturn([Line(Mug, 3)], s_policy, DateTimeZone.Utc)).Message, StringComparison.Ordinal);
        Assert.Contains("repeats lines[0]", Assert.Throws<ArgumentException>(() => order.RequestReturn([Line(Mug, 1), Line(Mug, 1)], s_policy, DateTimeZone.Utc)).Message, StringComparison.Ordinal);
        Assert.Contains("is not a line of order", Assert.Throws<ArgumentException>(() => order.RequestReturn([Line(Cap, 1)], s_policy, DateTimeZone.Utc)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => order.RequestReturn([], s_policy, DateTimeZone.Utc));
        Assert.Throws<ArgumentException>(() => order.AuthorizeReturn(1));
        Assert.Equal(events, order.Timeline.Count);
        Assert.Empty(order.Returns);

        order.RequestReturn([Line(Mug, 1)], s_policy, DateTimeZone.Utc);
        InvalidReturnTransitionException early = Assert.Throws<InvalidReturnTransitionException>(() => order.ReceiveReturn(1, [new ReturnReceipt(Mug, new Quantity(1), ReturnDisposition.Restock, A)]));
        Assert.Equal((1, ReturnStatus.Requested, ReturnActions.Receive), (early.ReturnNumber, early.Status, early.Action));
        Assert.Contains("Cannot Receive return #1", early.Message, StringComparison.Ordinal);
        order.AuthorizeReturn(1);
        Assert.Contains("asks for 1", Assert.Throws<ArgumentException>(() => order.ReceiveReturn(1, [new ReturnReceipt(Mug, new Quantity(2), ReturnDisposition.Restock, A)])).Message, StringComparison.Ordinal);
        Assert.Contains("does not ask for", Assert.Throws<ArgumentException>(() => order.ReceiveReturn(1, [new ReturnReceipt(Tee, new Quantity(1), ReturnDisposition.Restock, A)])).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidReturnTransitionException>(() => order.InspectReturn(1, "too early"));
        Assert.Equal(ReturnStatus.Authorized, order.GetReturn(1).Status);
        Assert.Equal(0, order.GetLine(Mug).Returned);
    }

    [Fact]
    public void ReturnValues_RefuseBadParts()
    {
        Assert.Throws<ArgumentException>(() => new ReturnLine(default, new Quantity(1), ReturnReason.Defective));
        Assert.Throws<ArgumentException>(() => new ReturnLine(Mug, default, ReturnReason.Defective));
        Assert.Throws<ArgumentException>(() => new ReturnLine(Mug, new Quantity(1), (ReturnReason)42));
        Assert.Contains("needs a note", Assert.Throws<ArgumentException>(() => new ReturnLine(Mug, new Quantity(1), ReturnReason.Other)).Message, StringComparison.Ordinal);
        Assert.Equal("too small", new ReturnLine(Mug, new Quantity(1), ReturnReason.Other, "too small").Note);
        Assert.Throws<ArgumentException>(() => new ReturnReceipt(Mug, new Quantity(1), ReturnDisposition.Restock, default));
        Assert.Throws<ArgumentException>(() => new ReturnReceipt(Mug, new Quantity(1), (ReturnDisposition)9, A));
        Assert.Throws<ArgumentException>(() => new ReturnResolution(ReturnResolutionKind.Refund, Eur(-1m)));
        Assert.Throws<ArgumentException>(() => new ReturnResolution((ReturnResolutionKind)9, Eur(1m)));
        Assert.Equal("1 x MUG-RED (Defective)", new ReturnLine(Mug, new Quantity(1), ReturnReason.Defective).ToString());
        Assert.Equal("Refund EUR 1.00", new ReturnResolution(ReturnResolutionKind.Refund, Eur(1m)).ToString());
        Assert.True(ReturnReason.WrongItem.IsShopFault());
        Assert.False(ReturnReason.ChangedMind.IsShopFault());
    }

    [Fact]
    public void Snapshot_KeepsReturns_AndRefusesInconsistentOnes()
    {
        Order order = Delivered();
        order.RequestReturn([Line(Mug, 1)], s_policy, DateTimeZone.Utc);
        order.AuthorizeReturn(1);
        order.ReceiveReturn(1, [new ReturnReceipt(Mug, new Quantity(1), ReturnDisposition.Restock, A)]);
        order.RequestReturn([Line(Tee, 2, ReturnReason.ChangedMind)], s_policy, DateTimeZone.Utc);
        OrderSnapshot snapshot = order.ToSnapshot() with { Version = 1 };

        Order restored = Order.FromSnapshot(snapshot, NewClock());

        Assert.Equal(order.Returns, restored.Returns);
        Assert.Equal(1, restored.ReturnableUnits(Tee));
        ArgumentException broken = Assert.Throws<ArgumentException>(() => Order.FromSnapshot(snapshot with { Returns = [snapshot.Returns[1]] }, NewClock()));
        Assert.Contains("Returns[0] is not return 1", broken.Message, StringComparison.Ordinal);
        ArgumentException miscounted = Assert.Throws<ArgumentException>(() => Order.FromSnapshot(snapshot with { Returns = [snapshot.Returns[0] with { Receipts = [] }, snapshot.Returns[1]] }, NewClock()));
        Assert.Contains("but its line has 1 returned", miscounted.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Claims_AreRecorded_Checked_AndKeptInTheSnapshot()
    {
        Order order = Delivered();
        Claim claim = order.RecordClaim(ClaimKind.Goodwill, null, "late delivery", new ReturnResolution(ReturnResolutionKind.StoreCredit, Eur(5m)));

        Assert.Equal((1, ClaimKind.Goodwill), (claim.Number, claim.Kind));
        Assert.Equal("#1 Goodwill: StoreCredit EUR 5.00", order.Timeline.OfType<ClaimRecorded>().Single().Describe());
        Assert.Contains("names the shipment", Assert.Throws<ArgumentException>(() => order.RecordClaim(ClaimKind.DamagedInTransit, null, "box crushed", new ReturnResolution(ReturnResolutionKind.StoreCredit, Eur(5m)))).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => order.RecordClaim(ClaimKind.LostInTransit, 1, "lost", new ReturnResolution(ReturnResolutionKind.StoreCredit, Eur(5m))));
        Assert.Throws<ArgumentException>(() => order.RecordClaim((ClaimKind)9, null, "x", new ReturnResolution(ReturnResolutionKind.Refund, Eur(1m))));
        Assert.Throws<ArgumentException>(() => order.RecordClaim(ClaimKind.Goodwill, null, " ", new ReturnResolution(ReturnResolutionKind.Refund, Eur(1m))));
        Assert.Throws<ArgumentException>(() => order.RecordClaim(ClaimKind.Goodwill, null, "x", new ReturnResolution(ReturnResolutionKind.Replacement, Eur(0m))));
        Assert.Throws<ArgumentException>(() => order.RecordClaim(ClaimKind.Goodwill, null, "x", new ReturnResolution(ReturnResolutionKind.Refund, new Money(1m, Currency.USD))));
        Assert.Single(order.Claims);

        Order restored = Order.FromSnapshot(order.ToSnapshot() with { Version = 1 }, NewClock());
        Assert.Equal(order.Claims, restored.Claims);
    }

    [Fact]
    public void TheLifecycle_PermitsWhatTheTableSays()
    {
        Assert.Equal(ReturnActions.Ship | ReturnActions.Receive | ReturnActions.Cancel, ReturnLifecycle.AllowedActions(ReturnStatus.Authorized));
        Assert.Equal(ReturnActions.Ship | ReturnActions.Receive | ReturnActions.Cancel, ReturnLifecycle.AllowedActions(ReturnStatus.InTransit));
        Assert.Equal(ReturnActions.Inspect, ReturnLifecycle.AllowedActions(ReturnStatus.Received));
        Assert.Equal(ReturnActions.Resolve, ReturnLifecycle.AllowedActions(ReturnStatus.Inspected));
        Assert.Equal(ReturnActions.Close, ReturnLifecycle.AllowedActions(ReturnStatus.Resolved));
        Assert.Equal(ReturnActions.None, ReturnLifecycle.AllowedActions(ReturnStatus.Rejected));
        Assert.Equal(ReturnActions.None, ReturnLifecycle.AllowedActions((ReturnStatus)42));
    }
}
