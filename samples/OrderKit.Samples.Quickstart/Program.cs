// The OrderKit quickstart: wire OrderKit with dependency injection on the in-memory default, stock two warehouses,
// place orders, confirm one, hold and release it, cancel part of a line, allocate it across both warehouses with the
// plan's explanation, backorder a third order and fill it when stock arrives, cancel another, and print what happened.
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OrderKit;
using OrderKit.Allocation;
using OrderKit.Events;
using OrderKit.Inventory;
using OrderKit.Orders;

var printed = new ConsoleEventPrinter();
var services = new ServiceCollection();
services.AddOrderKit(options => options.MaxConcurrencyRetries = 5)
        .AddEventHandler(printed);
await using ServiceProvider provider = services.BuildServiceProvider();

OrderService orders = provider.GetRequiredService<OrderService>();
OutboxRelay relay = provider.GetRequiredService<OutboxRelay>();
InventoryService inventory = provider.GetRequiredService<InventoryService>();

var mug = new Sku("MUG-RED");
var tee = new Sku("TEE-M-BLUE");
var cap = new Sku("CAP-ONE");
var berlin = new LocationId("BER");
var hamburg = new LocationId("HAM");

// 0. Two warehouses: mugs in Berlin, tees in Hamburg; caps are out of stock and may be backordered.
await inventory.AddLocationAsync(new StockLocation(berlin, "Berlin warehouse") { Rank = 1 });
await inventory.AddLocationAsync(new StockLocation(hamburg, "Hamburg warehouse") { Rank = 2 });
await inventory.ReceiveAsync(mug, berlin, new Quantity(10), reference: "PO-1001");
await inventory.ReceiveAsync(tee, hamburg, new Quantity(10), reference: "PO-1002");
await inventory.SetPolicyAsync(cap, InventoryPolicy.Backorder());
await inventory.ExpectIncomingAsync(cap, hamburg, new Quantity(20), new LocalDate(2026, 12, 14));
var home = new Address("Ada Lovelace", "Unter den Linden 1", "Berlin", "10117", "DE");
PlaceOrderRequest Checkout(string customer, params (Sku Sku, int Quantity, decimal Price)[] lines) => new()
{
    CustomerId = new CustomerId(customer),
    Channel = new SalesChannel("web"),
    ShippingAddress = home,
    Currency = Currency.EUR,
    Lines = [.. lines.Select(l => new PlaceOrderLine(l.Sku, new Quantity(l.Quantity), new Money(l.Price, Currency.EUR)))],
    ShippingCharge = new Money(4.90m, Currency.EUR),
};

// 1. Place two orders. The first is sent twice with one idempotency key, as a double-clicked checkout would.
PlaceOrderResult first = await orders.PlaceAsync(Checkout("CUST-1", (mug, 2, 12.50m), (tee, 3, 20m)), idempotencyKey: "checkout-7f3a");
PlaceOrderResult retried = await orders.PlaceAsync(Checkout("CUST-1", (mug, 2, 12.50m), (tee, 3, 20m)), idempotencyKey: "checkout-7f3a");
PlaceOrderResult second = await orders.PlaceAsync(Checkout("CUST-2", (tee, 1, 20m)));
Console.WriteLine($"Placed {first.Order.Id} ({first.Order.Total}); the retry was a replay: {retried.IsReplay}, same order: {retried.Order.Id == first.Order.Id}");

// 2. Confirm the first order's payment, hold it for a fraud review, and release the hold.
OrderId id = first.Order.Id;
await orders.ConfirmPaymentAsync(id, first.Order.Total);
OrderHold hold = await orders.HoldAsync(id, HoldReason.FraudReview, placedBy: "risk-engine");
Order held = await orders.GetAsync(id);
Console.WriteLine($"While held: {held.Status}, allowed: {held.AllowedActions}");
await orders.ReleaseHoldAsync(id, hold.Number, releasedBy: "analyst");

// 3. Cancel one of the two mugs; the line keeps count of every unit.
Order afterCancel = await orders.CancelLineAsync(id, mug, new Quantity(1), reason: "customer asked");
Console.WriteLine($"Mug line: {afterCancel.GetLine(mug)}");

// 4. Allocate the first order: no single warehouse has everything, so it splits across both, and says why.
AllocationResult allocated = await orders.AllocateAsync(id, new AllocationPreferences { Explain = true });
Console.WriteLine($"Allocated: {allocated.Order.Status}; plan: {allocated.Plan}");
foreach (string why in allocated.Plan.Explanation)
{
    Console.WriteLine($"  because {why}");
}

// 5. A checkout whose payment the storefront authorized first: placed, confirmed and allocated in one unit of work.
//    There are no caps yet, so it waits; when the caps arrive, the waiting order is filled first.
//    The amount is what the payment provider authorized: two caps at 15.00 plus 4.90 shipping.
PlaceOrderResult third = await orders.PlaceAndAllocateAsync(Checkout("CUST-3", (cap, 2, 15m)), authorizedAmount: new Money(34.90m, Currency.EUR));
Console.WriteLine($"Cap order: {third.Order.Status} at version {third.Order.Version}");
await inventory.ReceiveAsync(cap, hamburg, new Quantity(20), reference: "PO-1003");
Console.WriteLine($"Cap order after the caps arrived: {(await orders.GetAsync(third.Order.Id)).Status}; Hamburg caps: {await inventory.GetLevelAsync(cap, hamburg)}");

// 6. Cancel the second order in full.
await orders.CancelAsync(second.Order.Id, reason: "payment never arrived");

// 7. A refused action says why and what is permitted; nothing changes.
try
{
    await orders.ChangeAsync(second.Order.Id, order => order.Confirm(order.Total));
}
catch (InvalidOrderTransitionException refused)
{
    Console.WriteLine($"Refused: {refused.Message}");
}

// 8. Deliver the events committed so far through the outbox, then print each order's timeline.
OutboxDeliveryResult delivered = await relay.DeliverPendingAsync();
Console.WriteLine($"Outbox delivered {delivered.Delivered} events to handlers ({printed.Count} seen), failures: {delivered.Failures.Count}");
foreach (OrderId orderId in new[] { id, second.Order.Id, third.Order.Id })
{
    Order order = await orders.GetAsync(orderId);
    Console.WriteLine();
    Console.WriteLine($"Order {order} — allowed now: {order.AllowedActions}");
    foreach (OrderEvent e in order.Timeline)
    {
        Console.WriteLine($"  #{e.Sequence} {e.OccurredAt:yyyy-MM-dd HH:mm:ss} {e.Name,-20} {e.Describe()}");
    }
}

return 0;

/// <summary>An event handler that counts what the outbox delivers.</summary>
internal sealed class ConsoleEventPrinter : IOrderEventHandler
{
    public int Count { get; private set; }

    public ValueTask HandleAsync(OrderEvent orderEvent, CancellationToken cancellationToken)
    {
        Count++;
        return ValueTask.CompletedTask;
    }
}
