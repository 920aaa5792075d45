// The OrderKit quickstart: wire OrderKit with dependency injection on the in-memory default, place two orders,
// confirm one, hold and release it, cancel part of a line, cancel the other order, and print what happened.
using Microsoft.Extensions.DependencyInjection;
using OrderKit;
using OrderKit.Events;
using OrderKit.Orders;

var printed = new ConsoleEventPrinter();
var services = new ServiceCollection();
services.AddOrderKit(options => options.MaxConcurrencyRetries = 5)
        .AddEventHandler(printed);
await using ServiceProvider provider = services.BuildServiceProvider();

OrderService orders = provider.GetRequiredService<OrderService>();
OutboxRelay relay = provider.GetRequiredService<OutboxRelay>();

var mug = new Sku("MUG-RED");
var tee = new Sku("TEE-M-BLUE");
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

// 4. Cancel the second order in full.
await orders.CancelAsync(second.Order.Id, reason: "payment never arrived");

// 5. A refused action says why and what is permitted; nothing changes.
try
{
    await orders.ChangeAsync(second.Order.Id, order => order.Confirm(order.Total));
}
catch (InvalidOrderTransitionException refused)
{
    Console.WriteLine($"Refused: {refused.Message}");
}

// 6. Deliver the events committed so far through the outbox, then print each order's timeline.
OutboxDeliveryResult delivered = await relay.DeliverPendingAsync();
Console.WriteLine($"Outbox delivered {delivered.Delivered} events to handlers ({printed.Count} seen), failures: {delivered.Failures.Count}");
foreach (OrderId orderId in new[] { id, second.Order.Id })
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
