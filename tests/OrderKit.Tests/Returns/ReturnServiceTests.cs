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

    /// <summary>Requests, authorizes, receives (quarantined) and inspects a return of units of one SKU.</summary>
    private static async Task InspectedAsync(Shop shop, OrderId id, Sku sku, int units, ReturnReason reason = ReturnReason.Defective)
    {
        Order order = await shop.Returns.RequestAsync(id, [Line(sku, units, reason)]);
        int number = order.Returns.Count;
        await shop.Returns.AuthorizeAsync(id, number);
        await shop.Returns.ReceiveAsync(id, number, [new ReturnReceipt(sku, new Quantity(units), ReturnDisposition.Quarantine, A)]);
        await shop.Returns.InspectAsync(id, number, "checked");
    }

    [Fact]
    public async Task TheDefectivePhone_IsReplaced_OnANewOrderAtNoCharge_Once()
    {
        var shop = new Shop();
        Order order = await shop.DeliveredAsync((s_phone, 1, 499m));
        await shop.Inventory.ReceiveAsync(s_phone, A, new Quantity(1), "PO-2");
        await InspectedAsync(shop, order.Id, s_phone, 1);

        (Order original, Order replacement) = await shop.Returns.ReplaceAsync(order.Id, 1);
        (_, Order again) = await shop.Returns.ReplaceAsync(order.Id, 1);

        Assert.Equal(replacement.Id, again.Id);
        Assert.Equal(order.Id, replacement.ReplacementFor);
        Assert.Equal((OrderStatus.Allocated, Eur(0m)), (replacement.Status, replacement.Total));
        Assert.Equal(1, replacement.GetLine(s_phone).Allocated);
        Assert.Equal(new ReturnResolution(ReturnResolutionKind.Replacement, Eur(0m)) { NewOrderId = replacement.Id }, original.GetReturn(1).Resolution);
        Assert.Equal(PaymentStatus.Captured, original.PaymentStatus);
        Assert.Equal(2, shop.Store.OrderCount);
    }

    [Fact]
    public async Task AReplacement_WithoutStock_IsBackordered()
    {
        var shop = new Shop();
        Order order = await shop.DeliveredAsync((s_phone, 1, 499m));
        await shop.Inventory.SetPolicyAsync(s_phone, InventoryPolicy.Backorder());
        await InspectedAsync(shop, order.Id, s_phone, 1);

        (_, Order replacement) = await shop.Returns.ReplaceAsync(order.Id, 1);

        Assert.Equal(OrderStatus.Backordered, replacement.Status);
    }

    [Fact]
    public async Task AnExchange_ToADearerSize_ChargesTheDifference_OnTheNewOrder()
    {
        var shop = new Shop();
        var large = new Sku("TEE-L-BLUE");
        Order order = await shop.DeliveredAsync((Tee, 1, 20m));
        await shop.Inventory.ReceiveAsync(large, A, new Quantity(3));
        await InspectedAsync(shop, order.Id, Tee, 1, ReturnReason.ChangedMind);

        (Order original, Order exchange, PaymentResult? refund) = await shop.Returns.ExchangeAsync(order.Id, 1, [new PlaceOrderLine(large, new Quantity(1), Eur(25m))]);

        Assert.Null(refund);
        Assert.Equal((Eur(25m), Eur(20m), Eur(5m)), (exchange.Subtotal, exchange.Discount, exchange.Total));
        Assert.Equal((OrderStatus.Allocated, Eur(5m)), (exchange.Status, exchange.AuthorizedAmount));
        Assert.Equal(5m, shop.Gateway.MoneyOf(exchange.Id).Authorized);
        Assert.Equal(new ReturnResolution(ReturnResolutionKind.Exchange, Eur(0m)) { NewOrderId = exchange.Id }, original.GetReturn(1).Resolution);
        Assert.Equal(Eur(0m), original.RefundedAmount);
    }

    [Fact]
    public async Task AnExchange_ToACheaperItem_RefundsTheDifference()
    {
        var shop = new Shop();
        Order order = await shop.DeliveredAsync((Tee, 1, 20m));
        await shop.Inventory.ReceiveAsync(Cap, A, new Quantity(1));
        await InspectedAsync(shop, order.Id, Tee, 1);

        (Order original, Order exchange, PaymentResult? refund) = await shop.Returns.ExchangeAsync(order.Id, 1, [new PlaceOrderLine(Cap, new Quantity(1), Eur(15m))]);

        Assert.True(refund!.Succeeded);
        Assert.Equal((Eur(0m), OrderStatus.Allocated), (exchange.Total, exchange.Status));
        Assert.Equal(Eur(5m), original.RefundedAmount);
        Assert.Equal(new ReturnResolution(ReturnResolutionKind.Exchange, Eur(5m)) { NewOrderId = exchange.Id }, original.GetReturn(1).Resolution);
        Assert.Equal("#1: Exchange EUR 5.00, new order " + exchange.Id, original.Timeline.OfType<OrderKit.Events.ReturnResolved>().Single().Describe());
    }

    [Fact]
    public async Task AnExchange_ToAnUnknownSku_IsRefused_AndPlacesNothing()
    {
        var shop = new Shop();
        Order order = await shop.DeliveredAsync((Tee, 1, 20m));
        await InspectedAsync(shop, order.Id, Tee, 1);

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => shop.Returns.ExchangeAsync(order.Id, 1, [new PlaceOrderLine(new Sku("NO-SUCH"), new Quantity(1), Eur(20m))]));

        Assert.Contains("\"NO-SUCH\" is not a SKU the inventory knows", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, shop.Store.OrderCount);
        Assert.Equal(ReturnStatus.Inspected, (await shop.Orders.GetAsync(order.Id)).GetReturn(1).Status);
    }

    [Fact]
    public async Task AGoodwillRefund_IsPaidAndRecordedOnce_PerKey()
    {
        var shop = new Shop();
        Order order = await shop.DeliveredAsync((Tee, 2, 20m));

        (Order first, PaymentResult? paid) = await shop.Returns.SettleClaimAsync(order.Id, ClaimKind.Goodwill, null, ReturnResolutionKind.Refund, Eur(5m), "late delivery", "goodwill-1");
        (Order second, _) = await shop.Returns.SettleClaimAsync(order.Id, ClaimKind.Goodwill, null, ReturnResolutionKind.Refund, Eur(5m), "late delivery", "goodwill-1");

        Assert.True(paid!.Succeeded);
        Assert.Equal(5m, shop.Gateway.MoneyOf(order.Id).Refunded);
        Claim claim = Assert.Single(second.Claims);
        Assert.Equal((ClaimKind.Goodwill, "goodwill-1", Eur(5m)), (claim.Kind, claim.Reference, claim.Resolution.Amount));
        Assert.Equal(Eur(5m), first.RefundedAmount);
        await Assert.ThrowsAsync<ArgumentException>(() => shop.Returns.SettleClaimAsync(order.Id, ClaimKind.Goodwill, null, ReturnResolutionKind.Refund, Eur(100m), "too much", "goodwill-2"));
        Assert.Single((await shop.Orders.GetAsync(order.Id)).Claims);
    }

    [Fact]
    public async Task ALostShipment_IsReplaced_WithoutAnythingComingBack()
    {
        var shop = new Shop();
        Order order = await shop.DeliveredAsync((Tee, 2, 20m));
        await shop.Inventory.ReceiveAsync(Tee, A, new Quantity(2));

        (Order original, Order replacement) = await shop.Returns.ReplaceShipmentAsync(order.Id, 1, ClaimKind.LostInTransit, "carrier lost the parcel at the hub");
        (Order again, Order same) = await shop.Returns.ReplaceShipmentAsync(order.Id, 1, ClaimKind.LostInTransit, "carrier lost the parcel at the hub");

        Assert.Equal(replacement.Id, same.Id);
        Assert.Single(again.Claims);
        Assert.Equal((ClaimKind.LostInTransit, 1, replacement.Id), (original.Claims[0].Kind, original.Claims[0].ShipmentNumber, original.Claims[0].Resolution.NewOrderId));
        Assert.Equal((2, Eur(0m), order.Id), (replacement.GetLine(Tee).Allocated, replacement.Total, replacement.ReplacementFor));
        Assert.Equal(0, again.GetLine(Tee).Returned);
    }

    [Fact]
    public async Task Claims_NameWhatTheyAreAbout()
    {
        var shop = new Shop();
        Order order = await shop.DeliveredAsync((Tee, 1, 20m));

        await Assert.ThrowsAsync<ArgumentException>(() => shop.Returns.SettleClaimAsync(order.Id, ClaimKind.LostInTransit, null, ReturnResolutionKind.Refund, Eur(5m), "lost", "claim-1"));
        await Assert.ThrowsAsync<ArgumentException>(() => shop.Returns.SettleClaimAsync(order.Id, ClaimKind.LostInTransit, 9, ReturnResolutionKind.Refund, Eur(5m), "lost", "claim-2"));
        await Assert.ThrowsAsync<ArgumentException>(() => shop.Returns.SettleClaimAsync(order.Id, ClaimKind.Goodwill, null, ReturnResolutionKind.Exchange, Eur(5m), "no", "claim-3"));
        await Assert.ThrowsAsync<ArgumentException>(() => shop.Returns.ReplaceShipmentAsync(order.Id, 1, ClaimKind.Goodwill, "no"));
        (Order credited, PaymentResult? none) = await shop.Returns.SettleClaimAsync(order.Id, ClaimKind.DamagedInTransit, 1, ReturnResolutionKind.StoreCredit, Eur(10m), "box crushed", "claim-4");
        Assert.Null(none);
        Assert.Equal("claim #1 DamagedInTransit (shipment #1): StoreCredit EUR 10.00", credited.Claims.Single().ToString());
        Assert.Equal(0m, shop.Gateway.MoneyOf(order.Id).Refunded);
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
