// The OrderKit quickstart: wire OrderKit with dependency injection on the in-memory default, stock two warehouses,
// place orders, confirm one, hold and release it, cancel part of a line, allocate it across both warehouses with the
// plan's explanation and its delivery promise, then pick, pack, buy a label, ship, follow the tracking and deliver
// from each warehouse; backorder a third order and fill it when stock arrives, find it at risk, cancel another,
// complete the delivered order once its return window has passed; then a customer returns a defective phone, which
// is inspected and replaced; and print what happened.
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OrderKit;
using OrderKit.Allocation;
using OrderKit.Events;
using OrderKit.Fulfillment;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Returns;
using OrderKit.Shipping;

var printed = new ConsoleEventPrinter();
var services = new ServiceCollection();
// A flat-rate carrier: standard parcels in two working days, express in one.
var post = new FlatRateCarrier(
    "post",
    [new FlatRateService("standard", new Money(4.90m, Currency.EUR), 2), new FlatRateService("express", new Money(9.90m, Currency.EUR), 1)],
    new TrackingUrlTemplate("https://post.example/track/{trackingNumber}"));
services.AddOrderKit(options => options.MaxConcurrencyRetries = 5)
        .AddCarrier(post)
        .AddEventHandler(printed);
await using ServiceProvider provider = services.BuildServiceProvider();

OrderService orders = provider.GetRequiredService<OrderService>();
OutboxRelay relay = provider.GetRequiredService<OutboxRelay>();
InventoryService inventory = provider.GetRequiredService<InventoryService>();
FulfillmentService fulfillment = provider.GetRequiredService<FulfillmentService>();
ReturnService returns = provider.GetRequiredService<ReturnService>();
IClock clock = provider.GetRequiredService<IClock>();

var mug = new Sku("MUG-RED");
var tee = new Sku("TEE-M-BLUE");
var cap = new Sku("CAP-ONE");
var phone = new Sku("PHONE-X");
var berlin = new LocationId("BER");
var hamburg = new LocationId("HAM");

// 0. Two warehouses on Berlin time: mugs in Berlin, which hands parcels to the carrier at 15:00 on working days;
//    tees in Hamburg, which needs a day more. Caps are out of stock and may be backordered.
DateTimeZone germany = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
BusinessCalendar workdays = BusinessCalendar.MondayToFriday.WithHolidays([new LocalDate(2026, 12, 25), new LocalDate(2026, 12, 26), new LocalDate(2027, 1, 1)]);
await inventory.AddLocationAsync(new StockLocation(berlin, "Berlin warehouse") { Rank = 1, TimeZone = germany, CutOff = new LocalTime(15, 0), Calendar = workdays });
await inventory.AddLocationAsync(new StockLocation(hamburg, "Hamburg warehouse") { Rank = 2, TimeZone = germany, CutOff = new LocalTime(15, 0), Calendar = workdays, HandlingDays = 1 });
await inventory.ReceiveAsync(mug, berlin, new Quantity(10), reference: "PO-1001");
await inventory.ReceiveAsync(tee, hamburg, new Quantity(10), reference: "PO-1002");
await inventory.ReceiveAsync(phone, berlin, new Quantity(2), reference: "PO-1004");
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
    ShippingMethod = new ShippingMethod("post", "standard", 2),   // what the customer chose at checkout
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

Console.WriteLine($"Promise: ship by {allocated.Order.ShipBy}, deliver by {allocated.Order.PromisedDeliveryDate:uuuu-MM-dd}");

// 5. Fulfil it: one shipment per warehouse. Pick, pack, buy a label, and ship each; then follow the tracking.
Order fulfilling = await fulfillment.CreateShipmentsAsync(id);
foreach (Shipment shipment in fulfilling.Shipments)
{
    PickList pickList = await fulfillment.GetPickListAsync(id, shipment.Number);
    Console.WriteLine($"Pick list: {pickList}");
    await fulfillment.PickAsync(id, shipment.Number);
    await fulfillment.PackAsync(id, shipment.Number, [new Parcel(weightKg: 1.2m, dimensions: new ParcelDimensions(30, 20, 15))]);
    await fulfillment.PurchaseLabelAsync(id, shipment.Number, carrierCode: "post", service: "standard");
    Order shippedNow = await fulfillment.ShipAsync(id, shipment.Number);
    ShippingLabel label = shippedNow.GetShipment(shipment.Number).Label!;
    Console.WriteLine($"Shipped #{shipment.Number} from {shipment.Location}: {label.TrackingNumber}, follow at {label.TrackingUrl}; order {shippedNow.Status}");
}

// The carrier reports on the first parcel (by polling or a webhook); the second is marked delivered by hand.
Instant now = clock.GetCurrentInstant();
await fulfillment.ApplyTrackingAsync(id, 1, new TrackingUpdate(TrackingStatus.InTransit, now + Duration.FromHours(3), "IN_TRANSIT") { Place = "Leipzig hub" });
await fulfillment.ApplyTrackingAsync(id, 1, new TrackingUpdate(TrackingStatus.OutForDelivery, now + Duration.FromHours(20), "OUT_FOR_DELIVERY"));
await fulfillment.ApplyTrackingAsync(id, 1, new TrackingUpdate(TrackingStatus.Delivered, now + Duration.FromHours(24), "DELIVERED") { Detail = "left with neighbour" });
await fulfillment.ApplyTrackingAsync(id, 1, new TrackingUpdate(TrackingStatus.InTransit, now + Duration.FromHours(4), "IN_TRANSIT"));   // late, changes nothing
Order deliveredOrder = await fulfillment.MarkDeliveredAsync(id, 2, note: "signed by A. Lovelace");
Console.WriteLine($"Delivered: {deliveredOrder.Status} ({deliveredOrder.FulfillmentStatus}); shipment 1 is {deliveredOrder.GetShipment(1).Status} after a late update");

// 6. A checkout whose payment the storefront authorized first: placed, confirmed and allocated in one unit of work.
//    There are no caps yet, so it waits; when the caps arrive, the waiting order is filled first.
//    The amount is what the payment provider authorized: two caps at 15.00 plus 4.90 shipping.
PlaceOrderResult third = await orders.PlaceAndAllocateAsync(Checkout("CUST-3", (cap, 2, 15m)), authorizedAmount: new Money(34.90m, Currency.EUR));
Console.WriteLine($"Cap order: {third.Order.Status} at version {third.Order.Version}");
await inventory.ReceiveAsync(cap, hamburg, new Quantity(20), reference: "PO-1003");
Console.WriteLine($"Cap order after the caps arrived: {(await orders.GetAsync(third.Order.Id)).Status}; Hamburg caps: {await inventory.GetLevelAsync(cap, hamburg)}");

// Nobody packs the caps: a sweep a few days later finds the order past its ship-by moment, and raises OrderAtRisk once.
IReadOnlyList<Order> atRisk = await orders.FindOrdersAtRiskAsync(clock.GetCurrentInstant() + Duration.FromDays(5));
Console.WriteLine($"At risk: {string.Join(", ", atRisk.Select(o => $"{o.Id} (ship by {o.ShipBy})"))}");

// 7. Cancel the second order in full.
await orders.CancelAsync(second.Order.Id, reason: "payment never arrived");

// 8. A refused action says why and what is permitted; nothing changes.
try
{
    await orders.ChangeAsync(second.Order.Id, order => order.Confirm(order.Total));
}
catch (InvalidOrderTransitionException refused)
{
    Console.WriteLine($"Refused: {refused.Message}");
}

// 9. Once the return window has passed, a sweep completes the delivered order.
IReadOnlyList<Order> completed = await orders.CompleteDeliveredOrdersAsync(clock.GetCurrentInstant() + Duration.FromDays(31));
Console.WriteLine($"Completed: {string.Join(", ", completed.Select(o => $"{o.Id} {o.Status}"))}");

// 10. The defective phone: bought, shipped and delivered; the customer reports a black screen. The shop accepts the
//     return, sends a return label, receives the phone into quarantine, confirms the fault, and replaces it on a new
//     order at no charge, shipped like any other.
OrderId phoneOrder = (await orders.PlaceAndAllocateAsync(Checkout("CUST-4", (phone, 1, 499m)), authorizedAmount: new Money(503.90m, Currency.EUR))).Order.Id;
async Task<Order> ShipAllAsync(OrderId orderId)
{
    Order withShipments = await fulfillment.CreateShipmentsAsync(orderId);
    foreach (Shipment shipment in withShipments.Shipments.Where(s => s.IsOpen))
    {
        await fulfillment.PickAsync(orderId, shipment.Number);
        await fulfillment.PackAsync(orderId, shipment.Number, [new Parcel(weightKg: 0.4m)]);
        await fulfillment.PurchaseLabelAsync(orderId, shipment.Number, carrierCode: "post", service: "standard");
        withShipments = await fulfillment.ShipAsync(orderId, shipment.Number);
    }

    return withShipments;
}

await ShipAllAsync(phoneOrder);
await fulfillment.MarkDeliveredAsync(phoneOrder, 1);
await returns.RequestAsync(phoneOrder, [new ReturnLine(phone, new Quantity(1), ReturnReason.Defective, "screen stays black")]);
await returns.AuthorizeAsync(phoneOrder, 1);
Order phoneReturn = await returns.CreateLabelAsync(phoneOrder, 1, carrierCode: "post", to: berlin, parcels: [new Parcel(weightKg: 0.4m)]);
Console.WriteLine($"Return label: {phoneReturn.GetReturn(1).Label!.TrackingNumber}");
await returns.ReceiveAsync(phoneOrder, 1, [new ReturnReceipt(phone, new Quantity(1), ReturnDisposition.Quarantine, berlin)]);
await returns.InspectAsync(phoneOrder, 1, "display fault confirmed");
(Order phoneAfter, Order replacementOrder) = await returns.ReplaceAsync(phoneOrder, 1);
Order replacementShipped = await ShipAllAsync(replacementOrder.Id);
Console.WriteLine($"Return #1: {phoneAfter.GetReturn(1)}; resolved by {phoneAfter.GetReturn(1).Resolution}");
Console.WriteLine($"Replacement {replacementShipped.Id} for {replacementShipped.ReplacementFor}: {replacementShipped.Status}, total {replacementShipped.Total}; Berlin phones: {await inventory.GetLevelAsync(phone, berlin)}");

// 11. Deliver the events committed so far through the outbox, then print each order's timeline.
OutboxDeliveryResult delivered = await relay.DeliverPendingAsync();
Console.WriteLine($"Outbox delivered {delivered.Delivered} events to handlers ({printed.Count} seen), failures: {delivered.Failures.Count}");
foreach (OrderId orderId in new[] { id, second.Order.Id, third.Order.Id, phoneOrder, replacementOrder.Id })
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
