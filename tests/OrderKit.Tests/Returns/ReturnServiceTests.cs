using NodaTime;
using NodaTime.Testing;
using OrderKit.Fulfillment;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Payments;
using OrderKit.Persistence;
using OrderKit.Returns;
using OrderKit.Shipping;
using OrderKit.Testing;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Returns;

public sealed class ReturnServiceTests
{
    private static readonly LocationId A = new("WH-A");
    private static readonly Sku s_phone = new("PHONE-X");

    /// <summary>A shop with one warehouse, a fake carrier and a fake payment gateway, over one in-memory store.</summary>
    private sealed class Shop
    {
        public Shop(ReturnPolicy? policy = null)
        {
            Clock = NewClock();
            Store = new InMemoryOrderKitStore(Clock);
            Options = new OrderKitOptions { Returns = policy ?? new ReturnPolicy() };
            Inventory = new InventoryService(Store, Clock, Options);
            Orders = new OrderService(Store, Clock, Options, Inventory);
            Payments = new PaymentService(Store, Clock, Options, Gateway);
            var carriers = new CarrierRegistry([Carrier]);
            Fulfillment = new FulfillmentService(Store, Clock, Options, carriers, Payments);
            Returns = new ReturnService(Store, Clock, Options, Payments, carriers);
            Inventory.AddLocation(new StockLocation(A, "Warehouse A"));
        }

        public FakeClock Clock { get; }

        public InMemoryOrderKitStore Store { get; }

        public OrderKitOptions Options { get; }

        public InventoryService Inventory { get; }

        public OrderService Orders { get; }

        public FakeCarrier Carrier { get; } = new();

        public FakePaymentGateway Gateway { get; } = new();

        public PaymentService Payments { get; }

        public FulfillmentService Fulfillment { get; }

        public ReturnService Returns { get; }

        /// <summary>An order for the lines, paid through the gateway, shipped from A and delivered.</summary>
        public async Task<Order> DeliveredAsync(params (Sku Sku, int Quantity, decimal Price)[] lines)
        {
            foreach ((Sku sku, int quantity, _) in lines)
            {
                await Inventory.ReceiveAsync(sku, A, new Quantity(quantity));
            }

            PlaceOrderResult placed = await Orders.PlaceAsync(Request(lines));
            OrderId id = placed.Order.Id;
            await Payments.AuthorizeAsync(id);
            await Orders.AllocateAsync(id);
            Order order = await Fulfillment.CreateShipmentsAsync(id);
            await Fulfillment.PickAsync(id, 1);
            await Fulfillment.PackAsync(id, 1, [new Parcel(0.5m)]);
            await Fulfillment.PurchaseLabelAsync(id, 1, "fake", "standard");
            await Fulfillment.ShipAsync(id, 1);
            return await Fulfillment.MarkDeliveredAsync(id, 1);
        }
    }

    private static ReturnLine Line(Sku sku, int units, ReturnReason reason = ReturnReason.Defective) => new(sku, new Quantity(units), reason);

    [Fact]
    public async Task TheDefectivePhone_IsReturnedInspectedAndRefunded_AndTheUnitQuarantined()
    {
        var shop = new Shop();
        Order order = await shop.DeliveredAsync((s_phone, 1, 499m));
        OrderId id = order.Id;

        await shop.Returns.RequestAsync(id, [new ReturnLine(s_phone, new Quantity(1), ReturnReason.Defective, "screen stays black")]);
        await shop.Returns.AuthorizeAsync(id, 1);
        order = await shop.Returns.CreateLabelAsync(id, 1, "fake", A, [new Parcel(0.5m)]);
        Assert.Equal(ReturnStatus.InTransit, order.GetReturn(1).Status);
        Assert.NotNull(order.GetReturn(1).Label);

        await shop.Returns.ReceiveAsync(id, 1, [new ReturnReceipt(s_phone, new Quantity(1), ReturnDisposition.Quarantine, A)]);
        await shop.Returns.InspectAsync(id, 1, "display fault confirmed");
        (order, PaymentResult? paid) = await shop.Returns.RefundAsync(id, 1);
        order = await shop.Returns.CloseAsync(id, 1);

        Assert.True(paid!.Succeeded);
        Assert.Equal(ReturnStatus.Closed, order.GetReturn(1).Status);
        Assert.Equal(new ReturnResolution(ReturnResolutionKind.Refund, Eur(499m)), order.GetReturn(1).Resolution);
        Assert.Equal((PaymentStatus.Refunded, Eur(499m)), (order.PaymentStatus, order.RefundedAmount));
        Assert.Equal(499m, shop.Gateway.MoneyOf(id).Refunded);
        StockLevel level = await shop.Inventory.GetLevelAsync(s_phone, A);
        Assert.Equal((0, 1), (level.OnHand, level.Damaged));
        Assert.Contains(await shop.Inventory.GetLedgerAsync(s_phone), m => m.Kind == StockMovementKind.ReturnedDamaged && m.OrderId == id);
    }

    [Fact]
    public async Task ARestockedReturn_FillsAWaitingBackorder()
    {
        var shop = new Shop();
        Order first = await shop.DeliveredAsync((Mug, 1, 12.50m));
        await shop.Inventory.SetPolicyAsync(Mug, InventoryPolicy.Backorder());
        Order waiting = await shop.Orders.ConfirmPaymentAsync((await shop.Orders.PlaceAsync(Request((Mug, 1, 12.50m)))).Order.Id, Eur(12.50m));
        Assert.Equal(OrderStatus.Backordered, (await shop.Orders.AllocateAsync(waiting.Id)).Order.Status);

        await shop.Returns.RequestAsync(first.Id, [Line(Mug, 1, ReturnReason.ChangedMind)]);
        await shop.Returns.AuthorizeAsync(first.Id, 1);
        await shop.Returns.ReceiveAsync(first.Id, 1, [new ReturnReceipt(Mug, new Quantity(1), ReturnDisposition.Restock, A)]);

        Assert.Equal(OrderStatus.Allocated, (await shop.Orders.GetAsync(waiting.Id)).Status);
        StockLevel level = await shop.Inventory.GetLevelAsync(Mug, A);
        Assert.Equal((1, 1), (level.OnHand, level.Reserved));
    }

    [Fact]
    public async Task ARefundRetried_IsPaidOnce()
    {
        var shop = new Shop();
        Order order = await shop.DeliveredAsync((Mug, 2, 12.50m));
        await shop.Returns.RequestAsync(order.Id, [Line(Mug, 1)]);
        await shop.Returns.AuthorizeAsync(order.Id, 1);
        await shop.Returns.ReceiveAsync(order.Id, 1, [new ReturnReceipt(Mug, new Quantity(1), ReturnDisposition.Restock, A)]);
        await shop.Returns.InspectAsync(order.Id, 1, "as new");

        (Order once, _) = await shop.Returns.RefundAsync(order.Id, 1);
        (Order twice, _) = await shop.Returns.RefundAsync(order.Id, 1);

        Assert.Equal(12.50m, shop.Gateway.MoneyOf(order.Id).Refunded);
        Assert.Equal((Eur(12.50m), Eur(12.50m)), (once.RefundedAmount, twice.RefundedAmount));
        Assert.Equal(ReturnStatus.Resolved, twice.GetReturn(1).Status);
    }

    [Fact]
    public async Task ADeclinedRefund_LeavesTheReturnInspected()
    {
        var shop = new Shop();
        Order order = await shop.DeliveredAsync((Mug, 1, 12.50m));
        await shop.Returns.RequestAsync(order.Id, [Line(Mug, 1)]);
        await shop.Returns.AuthorizeAsync(order.Id, 1);
        await shop.Returns.ReceiveAsync(order.Id, 1, [new ReturnReceipt(Mug, new Quantity(1), ReturnDisposition.Dispose, A)]);
        await shop.Returns.InspectAsync(order.Id, 1, "broken");
        shop.Gateway.DeclineNext("card closed");

        (Order after, PaymentResult? result) = await shop.Returns.RefundAsync(order.Id, 1);

        Assert.False(result!.Succeeded);
        Assert.Equal(ReturnStatus.Inspected, after.GetReturn(1).Status);
        Order credited = await shop.Returns.IssueStoreCreditAsync(order.Id, 1, note: "refund declined; credit instead");
        Assert.Equal(new ReturnResolution(ReturnResolutionKind.StoreCredit, Eur(12.50m), "refund declined; credit instead"), credited.GetReturn(1).Resolution);
    }

    [Fact]
    public async Task BadInput_IsRefused_AndChangesNothing()
    {
        var shop = new Shop();
        Order order = await shop.DeliveredAsync((Mug, 2, 12.50m));
        await shop.Returns.RequestAsync(order.Id, [Line(Mug, 1)]);
        await shop.Returns.AuthorizeAsync(order.Id, 1);
        long version = (await shop.Orders.GetAsync(order.Id)).Version;

        ArgumentException unknown = await Assert.ThrowsAsync<ArgumentException>(() => shop.Returns.ReceiveAsync(order.Id, 1, [new ReturnReceipt(Mug, new Quantity(1), ReturnDisposition.Restock, new LocationId("NOWHERE"))]));
        Assert.Contains("\"NOWHERE\" is not a known stock location", unknown.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => shop.Returns.RequestAsync(order.Id, [Line(Mug, 2)]));
        Assert.Equal(version, (await shop.Orders.GetAsync(order.Id)).Version);
        Assert.Equal(0, (await shop.Inventory.GetLevelAsync(Mug, A)).OnHand);

        await shop.Returns.ReceiveAsync(order.Id, 1, [new ReturnReceipt(Mug, new Quantity(1), ReturnDisposition.Restock, A)]);
        await shop.Returns.InspectAsync(order.Id, 1, "fine");
        ArgumentException tooMuch = await Assert.ThrowsAsync<ArgumentException>(() => shop.Returns.RefundAsync(order.Id, 1, Eur(30m)));
        Assert.Contains("only EUR 25.00", tooMuch.Message, StringComparison.Ordinal);
        Assert.Equal(0m, shop.Gateway.MoneyOf(order.Id).Refunded);
        await Assert.ThrowsAsync<InvalidOperationException>(() => new ReturnService(shop.Store, shop.Clock, shop.Options).RefundAsync(order.Id, 1));
        await Assert.ThrowsAsync<InvalidOperationException>(() => new ReturnService(shop.Store, shop.Clock, shop.Options).CreateLabelAsync(order.Id, 1, "fake", A, [new Parcel(1m)]));
    }

    [Fact]
    public async Task AnOpenReturn_HoldsOffCompletion_UntilItIsResolved()
    {
        var shop = new Shop();
        Order order = await shop.DeliveredAsync((Mug, 1, 12.50m));
        await shop.Returns.RequestAsync(order.Id, [Line(Mug, 1)]);
        Instant late = Instant.FromUtc(2027, 1, 1, 0, 0);

        Assert.Empty(await shop.Orders.CompleteDeliveredOrdersAsync(late));
        await shop.Returns.CancelAsync(order.Id, 1, "kept it");
        Assert.Equal([order.Id], (await shop.Orders.CompleteDeliveredOrdersAsync(late)).Select(o => o.Id));
    }

    /// <summary>Random return work over paid, delivered orders: refunds never exceed what was captured, returned never exceeds delivered, and stock is conserved with restocks, quarantines and disposals.</summary>
    [Fact]
    public void RandomReturns_KeepTheMoneyAndTheStockStraight()
    {
        var reached = new HashSet<ReturnStatus>();
        Prop.ForAll(Arb.From(Gen.ArrayOf(from kind in Gen.Choose(0, 6) from units in Gen.Choose(1, 3) from pick in Gen.Choose(0, 100) select (kind, units, pick), 30)), steps =>
        {
            RunAsync(steps, reached).GetAwaiter().GetResult();
            return true;
        }).QuickCheckThrowOnFailure();

        // The generator must reach refunds, credits and cancellations, not only refusals.
        Assert.Superset(new HashSet<ReturnStatus> { ReturnStatus.Resolved, ReturnStatus.Cancelled, ReturnStatus.Received }, reached);
    }

    private static async Task RunAsync((int Kind, int Units, int Pick)[] steps, HashSet<ReturnStatus> reached)
    {
        var shop = new Shop();
        Order order = await shop.DeliveredAsync((Mug, 3, 12.50m), (Tee, 2, 20m));
        OrderId id = order.Id;
        foreach ((int kind, int units, int pick) in steps)
        {
            Order now = await shop.Orders.GetAsync(id);
            Sku sku = pick % 2 == 0 ? Mug : Tee;
            int number = now.Returns.Count == 0 ? 1 : 1 + (pick % now.Returns.Count);
            try
            {
                switch (kind)
                {
                    case 0:
                        await shop.Returns.RequestAsync(id, [Line(sku, units, (ReturnReason)(pick % 5))]);
                        break;
                    case 1:
                        await shop.Returns.AuthorizeAsync(id, number);
                        break;
                    case 2:
                        ReturnRequest request = now.GetReturn(number);
                        await shop.Returns.ReceiveAsync(id, number, [.. request.Lines.Select(l => new ReturnReceipt(l.Sku, new Quantity(Math.Min(l.Quantity.Value, units)), (ReturnDisposition)(pick % 3), A))]);
                        break;
                    case 3:
                        await shop.Returns.InspectAsync(id, number, "checked");
                        break;
                    case 4:
                        await shop.Returns.RefundAsync(id, number);
                        break;
                    case 5:
                        await shop.Returns.CancelAsync(id, number, "withdrawn");
                        break;
                    case 6:
                        await shop.Returns.IssueStoreCreditAsync(id, number);
                        break;
                }
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // Refused: nothing changed.
            }

            Order after = await shop.Orders.GetAsync(id);
            reached.UnionWith(after.Returns.Select(r => r.Status));
            Assert.True(after.RefundedAmount <= after.CapturedAmount, $"{after.RefundedAmount} refunded of {after.CapturedAmount} captured");
            Assert.Equal(after.RefundedAmount.Amount, shop.Gateway.MoneyOf(id).Refunded);
            foreach (OrderLine line in after.Lines)
            {
                Assert.True(line.Returned <= line.Delivered && after.ReturnableUnits(line.Sku) >= 0, line.ToString());
            }

            foreach (Sku each in new[] { Mug, Tee })
            {
                StockLevel level = await shop.Inventory.GetLevelAsync(each, A);
                IReadOnlyList<StockMovement> ledger = await shop.Inventory.GetLedgerAsync(each);
                Assert.Equal(ledger.Where(m => m.Location == A).Sum(m => m.OnHandChange), level.OnHand);
                Assert.Equal(ledger.Where(m => m.Location == A).Sum(m => m.DamagedChange), level.Damaged);
                int returned = after.GetLine(each).Returned;
                Assert.Equal(returned, ledger.Where(m => m.Kind is StockMovementKind.Restocked or StockMovementKind.ReturnedDamaged or StockMovementKind.ReturnDisposed).Sum(m => m.Quantity));
            }
        }
    }
}
