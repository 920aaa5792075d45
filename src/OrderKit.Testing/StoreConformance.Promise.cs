using NodaTime;
using OrderKit.Events;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence;
using OrderKit.Shipping;
using static OrderKit.Testing.Shop;

namespace OrderKit.Testing;

public sealed partial class StoreConformance
{
    /// <summary>
    /// A location's time zone, cut-off, calendar and handling days round-trip; an order keeps its shipping method,
    /// ship-by moment, at-risk mark and delivery time; the store finds orders past their ship-by moment (and drops
    /// them once shipped) and delivered orders (and drops them once completed), earliest first.
    /// </summary>
    private static async Task DeliveryPromiseAndSweepsAsync(Shop shop)
    {
        DateTimeZone berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        var holiday = new LocalDate(2026, 11, 3);
        StockLocation planned = (await shop.Inventory.GetLocationsAsync(shop.Token).ConfigureAwait(false)).First(l => l.Id == A) with
        {
            TimeZone = berlin,
            CutOff = new LocalTime(14, 0),
            Calendar = BusinessCalendar.MondayToFriday.WithHolidays([holiday]),
            HandlingDays = 0,
        };
        await shop.Inventory.UpdateLocationAsync(planned, shop.Token).ConfigureAwait(false);
        StockLocation read = (await shop.Inventory.GetLocationsAsync(shop.Token).ConfigureAwait(false)).First(l => l.Id == A);
        shop.ExpectEqual("Europe/Berlin", read.TimeZone?.Id, "the time zone of a location, as read back");
        shop.ExpectEqual<LocalTime?>(new LocalTime(14, 0), read.CutOff, "the cut-off of a location, as read back");
        shop.ExpectEqual(planned.Calendar, read.Calendar, "the calendar of a location, as read back");
        await shop.Inventory.ReceiveAsync(Mug, A, new Quantity(5), "PO-1", shop.Token).ConfigureAwait(false);

        // Monday 2026-11-02, 10:00 in Berlin: ships today by 14:00 Berlin (13:00 UTC), arrives Wednesday.
        var method = new ShippingMethod("fake", "standard", 2);
        Order first = await PlaceAsync(shop, method).ConfigureAwait(false);
        shop.ExpectEqual<Instant?>(Instant.FromUtc(2026, 11, 2, 13, 0), first.ShipBy, "the ship-by moment of an order ready before the cut-off");
        shop.ExpectEqual<LocalDate?>(new LocalDate(2026, 11, 4), first.PromisedDeliveryDate, "the promised delivery date with 2 transit days");

        // 14:30 in Berlin, past the cut-off; Tuesday is a holiday, so it ships Wednesday.
        shop.Clock.AdvanceMinutes(270);
        Order second = await PlaceAsync(shop, method).ConfigureAwait(false);
        shop.ExpectEqual<Instant?>(Instant.FromUtc(2026, 11, 4, 13, 0), second.ShipBy, "the ship-by moment of an order ready after the cut-off, before a holiday");

        Instant now = shop.Clock.GetCurrentInstant();
        IReadOnlyList<Order> atRisk = await shop.Orders.FindOrdersAtRiskAsync(now, cancellationToken: shop.Token).ConfigureAwait(false);
        IReadOnlyList<Order> again = await shop.Orders.FindOrdersAtRiskAsync(now, cancellationToken: shop.Token).ConfigureAwait(false);
        shop.ExpectEqual(first.Id.Value, string.Join(",", atRisk.Select(o => o.Id.Value)), "the orders at risk after the first one's ship-by moment");
        shop.ExpectEqual(first.Id.Value, string.Join(",", again.Select(o => o.Id.Value)), "the orders at risk, asked again");
        shop.ExpectEqual(1, again[0].Timeline.OfType<OrderAtRisk>().Count(), "OrderAtRisk events of an order found at risk twice");

        shop.Clock.Reset(Instant.FromUtc(2026, 11, 5, 9, 0));
        now = shop.Clock.GetCurrentInstant();
        IReadOnlyList<OrderId> due = await shop.ReadAsync(tx => tx.Orders.FindPastShipByAsync(now, 10, shop.Token).AsTask()).ConfigureAwait(false);
        shop.ExpectEqual($"{first.Id},{second.Id}", string.Join(",", due), "the orders past their ship-by moment, earliest first");
        IReadOnlyList<OrderId> one = await shop.ReadAsync(tx => tx.Orders.FindPastShipByAsync(now, 1, shop.Token).AsTask()).ConfigureAwait(false);
        shop.ExpectEqual(first.Id.Value, string.Join(",", one), "the first order past its ship-by moment, with maxCount 1");

        LineQuantity[] units = [new LineQuantity(Mug, new Quantity(1))];
        await shop.Orders.ChangeAsync(first.Id, o => o.Ship(units), shop.Token).ConfigureAwait(false);
        atRisk = await shop.Orders.FindOrdersAtRiskAsync(now, cancellationToken: shop.Token).ConfigureAwait(false);
        shop.ExpectEqual(second.Id.Value, string.Join(",", atRisk.Select(o => o.Id.Value)), "the orders at risk once the first one shipped");

        // Delivered, then completed once the return window has passed.
        Order delivered = await shop.Orders.ChangeAsync(first.Id, o => o.Deliver(units), shop.Token).ConfigureAwait(false);
        shop.ExpectEqual<Instant?>(now, delivered.DeliveredAt, "the delivery moment of an order");
        IReadOnlyList<Order> early = await shop.Orders.CompleteDeliveredOrdersAsync(now, cancellationToken: shop.Token).ConfigureAwait(false);
        shop.ExpectEqual(0, early.Count, "orders completed inside the return window");
        // Delivered on 2026-11-05 with a 30-day window: returnable through 2026-12-05, completed from the day after.
        Instant later = Instant.FromUtc(2026, 12, 6, 0, 1);
        IReadOnlyList<OrderId> deliveredIds = await shop.ReadAsync(tx => tx.Orders.FindDeliveredAsync(now, 10, shop.Token).AsTask()).ConfigureAwait(false);
        shop.ExpectEqual(first.Id.Value, string.Join(",", deliveredIds), "the delivered orders");

        Order expected = await shop.Orders.GetAsync(first.Id, shop.Token).ConfigureAwait(false);
        OrderSnapshot? stored = await shop.ReadAsync(tx => tx.Orders.FindAsync(first.Id, shop.Token).AsTask()).ConfigureAwait(false);
        shop.ExpectEqual(OrderKitJson.SerializeOrder(expected.ToSnapshot()), OrderKitJson.SerializeOrder(stored!), $"order {first.Id} with its promise, as read back (compared as its JSON document)");

        IReadOnlyList<Order> completed = await shop.Orders.CompleteDeliveredOrdersAsync(later, cancellationToken: shop.Token).ConfigureAwait(false);
        shop.ExpectEqual(first.Id.Value, string.Join(",", completed.Select(o => o.Id.Value)), "the orders completed after the return window");
        shop.ExpectEqual(OrderStatus.Completed, completed[0].Status, "the status of an order completed after its return window");
        deliveredIds = await shop.ReadAsync(tx => tx.Orders.FindDeliveredAsync(later, 10, shop.Token).AsTask()).ConfigureAwait(false);
        shop.ExpectEqual(0, deliveredIds.Count, "delivered orders found once completed");
    }

    private static async Task<Order> PlaceAsync(Shop shop, ShippingMethod method)
    {
        PlaceOrderRequest request = Request(method, (Mug, 1));
        PlaceOrderResult placed = await shop.Orders.PlaceAndAllocateAsync(request, new Money(12.50m, Currency.EUR), cancellationToken: shop.Token).ConfigureAwait(false);
        return placed.Order;
    }
}
