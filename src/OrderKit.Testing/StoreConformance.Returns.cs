using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence;
using OrderKit.Returns;
using static OrderKit.Testing.Shop;

namespace OrderKit.Testing;

public sealed partial class StoreConformance
{
    /// <summary>
    /// Return requests and claims round-trip with their lines, receipts and resolution; receiving moves the stock with the order
    /// (restocked on hand, quarantined damaged, disposed recorded), and a restock fills an order waiting for the SKU.
    /// </summary>
    private static async Task ReturnsRoundTripAndStockAsync(Shop shop)
    {
        await shop.Inventory.ReceiveAsync(Tee, A, new Quantity(3), "PO-1", shop.Token).ConfigureAwait(false);
        var returns = new ReturnService(shop.Store, shop.Clock, shop.Options);
        Order order = await shop.ConfirmedAsync((Tee, 3)).ConfigureAwait(false);
        await shop.Orders.AllocateAsync(order.Id, new Allocation.AllocationPreferences(), shop.Token).ConfigureAwait(false);
        LineQuantity[] tees = [new LineQuantity(Tee, new Quantity(3))];
        await shop.Orders.ChangeAsync(order.Id, o => o.Ship(tees, A), shop.Token).ConfigureAwait(false);
        await shop.Orders.ChangeAsync(order.Id, o => o.Deliver(tees), shop.Token).ConfigureAwait(false);

        // Another customer waits for a tee; the restocked one goes to them.
        await shop.Inventory.SetPolicyAsync(Tee, InventoryPolicy.Backorder(), shop.Token).ConfigureAwait(false);
        Order waiting = await shop.ConfirmedAsync((Tee, 1)).ConfigureAwait(false);
        await shop.Orders.AllocateAsync(waiting.Id, new Allocation.AllocationPreferences(), shop.Token).ConfigureAwait(false);

        await returns.RequestAsync(order.Id, [new ReturnLine(Tee, new Quantity(3), ReturnReason.Defective, "seams open")], cancellationToken: shop.Token).ConfigureAwait(false);
        await returns.AuthorizeAsync(order.Id, 1, shop.Token).ConfigureAwait(false);
        await returns.ReceiveAsync(order.Id, 1,
        [
            new ReturnReceipt(Tee, new Quantity(1), ReturnDisposition.Restock, A),
            new ReturnReceipt(Tee, new Quantity(1), ReturnDisposition.Quarantine, B),
            new ReturnReceipt(Tee, new Quantity(1), ReturnDisposition.Dispose, A),
        ], shop.Token).ConfigureAwait(false);
        await returns.InspectAsync(order.Id, 1, "two faulty, one fine", shop.Token).ConfigureAwait(false);
        await returns.IssueStoreCreditAsync(order.Id, 1, note: "credit", cancellationToken: shop.Token).ConfigureAwait(false);
        await returns.SettleClaimAsync(order.Id, ClaimKind.Goodwill, null, ReturnResolutionKind.StoreCredit, new Money(2m, Currency.EUR), "sorry for the wait", "claim-1", shop.Token).ConfigureAwait(false);
        await returns.SettleClaimAsync(order.Id, ClaimKind.Goodwill, null, ReturnResolutionKind.StoreCredit, new Money(2m, Currency.EUR), "sorry for the wait", "claim-1", shop.Token).ConfigureAwait(false);

        StockLevel atA = await shop.LevelAsync(Tee, A).ConfigureAwait(false);
        StockLevel atB = await shop.LevelAsync(Tee, B).ConfigureAwait(false);
        shop.ExpectEqual((1, 1, 0), (atA.OnHand, atA.Reserved, atA.Damaged), "on hand, reserved and damaged of TEE at WH-A after a restock that filled a waiting order");
        shop.ExpectEqual((0, 0, 1), (atB.OnHand, atB.Reserved, atB.Damaged), "on hand, reserved and damaged of TEE at WH-B after a quarantine");
        shop.ExpectEqual(OrderStatus.Allocated, (await shop.Orders.GetAsync(waiting.Id, shop.Token).ConfigureAwait(false)).Status, "the status of the order that waited for the restocked tee");
        IReadOnlyList<StockMovement> ledger = await shop.Inventory.GetLedgerAsync(Tee, shop.Token).ConfigureAwait(false);
        shop.ExpectEqual(
            "Restocked,ReturnedDamaged,ReturnDisposed",
            string.Join(",", ledger.Where(m => m.OrderId == order.Id && m.Kind is StockMovementKind.Restocked or StockMovementKind.ReturnedDamaged or StockMovementKind.ReturnDisposed).Select(m => m.Kind).Order()),
            "the ledger entries of the returned tees");

        Order expected = await shop.Orders.GetAsync(order.Id, shop.Token).ConfigureAwait(false);
        shop.ExpectEqual(3, expected.GetLine(Tee).Returned, "returned tees on the line");
        OrderSnapshot? stored = await shop.ReadAsync(tx => tx.Orders.FindAsync(order.Id, shop.Token).AsTask()).ConfigureAwait(false);
        shop.ExpectEqual(OrderKitJson.SerializeOrder(expected.ToSnapshot()), OrderKitJson.SerializeOrder(stored!), $"order {order.Id} with a return, as read back (compared as its JSON document)");
        shop.ExpectEqual(ReturnStatus.Resolved, expected.GetReturn(1).Status, "the return's status");
        shop.ExpectEqual(1, expected.Claims.Count, "claims recorded under one key, settled twice");
    }
}
