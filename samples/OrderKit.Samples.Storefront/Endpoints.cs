using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using OrderKit.Fulfillment;
using OrderKit.Insights;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Returns;
using OrderKit.Shipping;

namespace OrderKit.Samples.Storefront;

/// <summary>The storefront's HTTP API: checkout, the order view, staff actions, a carrier webhook, stock and insights.</summary>
internal static class Endpoints
{
    public static void MapStorefront(this WebApplication app)
    {
        // What the shop's staff do (payment, holds, cancellation, fulfillment, returns handling, stock, figures) needs
        // the staff key; what a customer does (checkout, the order, the history, a return request) does not here, and
        // a shop puts its own customer sign-in in front of it, taking the customer id from the signed-in customer.
        RouteGroupBuilder staff = app.MapGroup(string.Empty).RequireAuthorization(StaffKey.Policy);

        // Checkout. With Idempotency-Key, a retried checkout returns the order the first one placed (200, not 201).
        app.MapPost("/orders", async Task<Results<Created<OrderView>, Ok<OrderView>>> (CheckoutRequest body, HttpRequest request, OrderService orders, InventoryService inventory, CancellationToken ct) =>
        {
            await StorefrontApp.EnsureWarehouseAsync(inventory, ct);
            string? key = request.Headers["Idempotency-Key"].FirstOrDefault();
            PlaceOrderRequest place = body.ToRequest();
            PlaceOrderResult placed = body.AuthorizedAmount is { } authorized
                ? await orders.PlaceAndAllocateAsync(place, new Money(authorized, place.Currency), idempotencyKey: key, cancellationToken: ct)
                : await orders.PlaceAsync(place, key, ct);
            OrderView view = OrderView.Of(placed.Order);
            return placed.IsReplay ? TypedResults.Ok(view) : TypedResults.Created($"/orders/{placed.Order.Id}", view);
        }).WithSummary("Places an order; authorized checkouts are confirmed and allocated at once.");

        app.MapGet("/orders/{id}", async (string id, OrderService orders, CancellationToken ct) =>
            OrderView.Of(await orders.GetAsync(new OrderId(id), ct))).WithSummary("The order, its timeline and the actions allowed now.");

        // A customer's order history, newest first; "next" is the link to the older page, absent on the last.
        app.MapGet("/customers/{customerId}/orders", async (string customerId, string? after, int? limit, OrderService orders, CancellationToken ct) =>
        {
            int pageSize = limit ?? 20;
            IReadOnlyList<Order> page = await orders.FindCustomerOrdersAsync(new CustomerId(customerId), after is null ? null : new OrderId(after), pageSize, ct);
            string? next = page.Count == pageSize ? $"/customers/{Uri.EscapeDataString(customerId)}/orders?after={Uri.EscapeDataString(page[^1].Id.Value)}&limit={pageSize}" : null;
            return new OrderHistoryView([.. page.Select(OrderSummary.Of)], next);
        }).WithSummary("A customer's orders, newest first, a page at a time.");

        // Staff actions on the order.
        staff.MapPost("/orders/{id}/confirm", async (string id, AmountBody body, OrderService orders, CancellationToken ct) =>
        {
            Order order = await orders.GetAsync(new OrderId(id), ct);
            return OrderView.Of(await orders.ConfirmPaymentAsync(order.Id, new Money(body.Amount, order.Currency), ct));
        });
        staff.MapPost("/orders/{id}/allocate", async (string id, OrderService orders, CancellationToken ct) =>
            OrderView.Of((await orders.AllocateAsync(new OrderId(id), cancellationToken: ct)).Order));
        staff.MapPost("/orders/{id}/hold", async (string id, HoldBody body, OrderService orders, CancellationToken ct) =>
        {
            OrderHold hold = await orders.HoldAsync(new OrderId(id), Parse<HoldReason>(body.Reason, "reason"), body.By, body.Note, ct);
            return new { hold.Number };
        });
        staff.MapPost("/orders/{id}/holds/{number:int}/release", async (string id, int number, ByBody body, OrderService orders, CancellationToken ct) =>
            OrderView.Of(await orders.ReleaseHoldAsync(new OrderId(id), number, body.By, ct)));
        staff.MapPost("/orders/{id}/cancel", async (string id, ReasonBody body, OrderService orders, CancellationToken ct) =>
            OrderView.Of(await orders.CancelAsync(new OrderId(id), body.Reason, ct)));

        // Fulfillment: shipments per warehouse, then pick, pack, label and ship each.
        staff.MapPost("/orders/{id}/shipments", async (string id, FulfillmentService fulfillment, CancellationToken ct) =>
            OrderView.Of(await fulfillment.CreateShipmentsAsync(new OrderId(id), ct)));
        staff.MapGet("/orders/{id}/shipments/{number:int}/pick-list", async (string id, int number, FulfillmentService fulfillment, CancellationToken ct) =>
            (await fulfillment.GetPickListAsync(new OrderId(id), number, ct)).Lines.Select(l => new { Sku = l.Sku.Value, l.Quantity, l.Bin }));
        staff.MapPost("/orders/{id}/shipments/{number:int}/pick", async (string id, int number, FulfillmentService fulfillment, CancellationToken ct) =>
            OrderView.Of(await fulfillment.PickAsync(new OrderId(id), number, cancellationToken: ct)));
        staff.MapPost("/orders/{id}/shipments/{number:int}/pack", async (string id, int number, PackBody body, FulfillmentService fulfillment, CancellationToken ct) =>
            OrderView.Of(await fulfillment.PackAsync(new OrderId(id), number, [new Parcel(body.WeightKg)], ct)));
        staff.MapPost("/orders/{id}/shipments/{number:int}/label", async (string id, int number, LabelBody body, FulfillmentService fulfillment, CancellationToken ct) =>
            OrderView.Of(await fulfillment.PurchaseLabelAsync(new OrderId(id), number, body.Carrier, body.Service, cancellationToken: ct)));
        staff.MapPost("/orders/{id}/shipments/{number:int}/ship", async (string id, int number, FulfillmentService fulfillment, CancellationToken ct) =>
            OrderView.Of(await fulfillment.ShipAsync(new OrderId(id), number, ct)));

        // A carrier's tracking webhook, in a normalized form, signed with the secret shared with the carrier: its event
        // id makes a repeat harmless.
        app.MapPost("/webhooks/carriers/{carrier}", async Task<Results<Ok<TrackingView>, ProblemHttpResult>> (string carrier, HttpRequest request, WebhookSignature signature, FulfillmentService fulfillment, CancellationToken ct) =>
        {
            (byte[]? signed, string? refusal) = await signature.ReadAsync(request, ct);
            if (signed is null)
            {
                return TypedResults.Problem(refusal, statusCode: StatusCodes.Status401Unauthorized, title: "Unsigned webhook");
            }

            TrackingBody body = JsonSerializer.Deserialize<TrackingBody>(signed, JsonSerializerOptions.Web)
                ?? throw new ArgumentException("The webhook's body is empty.", nameof(request));
            var update = new TrackingUpdate(Parse<TrackingStatus>(body.Status, "status"), Instant.FromDateTimeOffset(body.OccurredAt), body.RawStatus ?? body.Status)
            {
                EventId = body.EventId,
                Place = body.Place,
            };
            TrackingResult result = await fulfillment.ReceiveTrackingAsync(carrier, body.TrackingNumber, update, ct);
            return TypedResults.Ok(new TrackingView(result.Outcome.ToString(), result.ShipmentNumber, result.Status?.ToString()));
        }).WithSummary("A carrier's tracking event, signed in X-Signature (sha256=<hex HMAC of the body>).");

        // Returns: request, authorize, receive, inspect, and replace.
        app.MapPost("/orders/{id}/returns", async (string id, ReturnBody body, ReturnService returns, CancellationToken ct) =>
            OrderView.Of(await returns.RequestAsync(new OrderId(id), [.. body.Lines.Select(l => new ReturnLine(new Sku(l.Sku), new Quantity(l.Quantity), Parse<ReturnReason>(l.Reason, "reason"), l.Note))], cancellationToken: ct)));
        staff.MapPost("/orders/{id}/returns/{number:int}/authorize", async (string id, int number, ReturnService returns, CancellationToken ct) =>
            OrderView.Of(await returns.AuthorizeAsync(new OrderId(id), number, ct)));
        staff.MapPost("/orders/{id}/returns/{number:int}/receive", async (string id, int number, ReceiveBody body, ReturnService returns, OrderService orders, CancellationToken ct) =>
        {
            ReturnRequest request = (await orders.GetAsync(new OrderId(id), ct)).GetReturn(number);
            ReturnDisposition disposition = Parse<ReturnDisposition>(body.Disposition, "disposition");
            return OrderView.Of(await returns.ReceiveAsync(new OrderId(id), number, [.. request.Lines.Select(l => new ReturnReceipt(l.Sku, l.Quantity, disposition, new LocationId(body.Location)))], ct));
        });
        staff.MapPost("/orders/{id}/returns/{number:int}/inspect", async (string id, int number, FindingBody body, ReturnService returns, CancellationToken ct) =>
            OrderView.Of(await returns.InspectAsync(new OrderId(id), number, body.Finding, ct)));
        staff.MapPost("/orders/{id}/returns/{number:int}/replace", async (string id, int number, ReturnService returns, CancellationToken ct) =>
        {
            (Order original, Order replacement) = await returns.ReplaceAsync(new OrderId(id), number, cancellationToken: ct);
            return new { Original = OrderView.Of(original), Replacement = OrderView.Of(replacement) };
        });

        // Stock and insights.
        staff.MapPost("/stock/{sku}/receive", async (string sku, StockBody body, InventoryService inventory, CancellationToken ct) =>
        {
            await StorefrontApp.EnsureWarehouseAsync(inventory, ct);
            StockMovement movement = await inventory.ReceiveAsync(new Sku(sku), new LocationId(body.Location), new Quantity(body.Quantity), body.Reference, ct);
            return new { Kind = movement.Kind.ToString(), movement.Quantity, Location = movement.Location.Value };
        });
        app.MapGet("/stock/{sku}", async (string sku, InventoryService inventory, CancellationToken ct) =>
            (await inventory.GetLevelsAsync(new Sku(sku), ct)).Select(l => new { Location = l.Location.Value, l.OnHand, l.Reserved, l.Available, l.Damaged }));
        staff.MapGet("/insights", (OrderInsights insights) => InsightsView.Of(insights.Report())).WithSummary("The shop's figures, over this year's orders.");
    }

    private static T Parse<T>(string value, string name)
        where T : struct, Enum =>
        Enum.TryParse(value, ignoreCase: true, out T parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new ArgumentException($"{name} \"{value}\" is not one of {string.Join(", ", Enum.GetNames<T>())}.", name);
}

/// <summary>A checkout: what the customer bought, where it goes, and (when the payment was authorized first) how much.</summary>
internal sealed record CheckoutRequest(string CustomerId, string Channel, AddressBody ShippingAddress, string Currency, IReadOnlyList<LineBody> Lines, decimal? ShippingCharge, decimal? AuthorizedAmount, string? ShippingService)
{
    public PlaceOrderRequest ToRequest()
    {
        Currency currency = OrderKit.Currency.FromCode(Currency);
        return new PlaceOrderRequest
        {
            CustomerId = new CustomerId(CustomerId),
            Channel = new SalesChannel(Channel),
            ShippingAddress = new Address(ShippingAddress.Recipient, ShippingAddress.Line1, ShippingAddress.City, ShippingAddress.PostalCode, ShippingAddress.CountryCode),
            Currency = currency,
            Lines = [.. (Lines ?? []).Select(l => new PlaceOrderLine(new Sku(l.Sku), new Quantity(l.Quantity), new Money(l.UnitPrice, currency)))],
            ShippingCharge = ShippingCharge is { } charge ? new Money(charge, currency) : null,
            ShippingMethod = ShippingService is { } service ? new ShippingMethod("post", service, 2) : null,
        };
    }
}

internal sealed record AddressBody(string Recipient, string Line1, string City, string PostalCode, string CountryCode);

internal sealed record LineBody(string Sku, int Quantity, decimal UnitPrice);

internal sealed record AmountBody(decimal Amount);

internal sealed record HoldBody(string Reason, string By, string? Note);

internal sealed record ByBody(string By);

internal sealed record ReasonBody(string Reason);

internal sealed record PackBody(decimal WeightKg);

internal sealed record LabelBody(string Carrier, string Service);

/// <summary>What the webhook did with a tracking event.</summary>
internal sealed record TrackingView(string Outcome, int? Shipment, string? Status);

internal sealed record TrackingBody(string TrackingNumber, string Status, DateTimeOffset OccurredAt, string EventId, string? RawStatus, string? Place);

internal sealed record ReturnBody(IReadOnlyList<ReturnLineBody> Lines);

internal sealed record ReturnLineBody(string Sku, int Quantity, string Reason, string? Note);

internal sealed record ReceiveBody(string Location, string Disposition);

internal sealed record FindingBody(string Finding);

internal sealed record StockBody(string Location, int Quantity, string? Reference);

/// <summary>An order as the API shows it: plain strings and numbers.</summary>
internal sealed record OrderHistoryView(IReadOnlyList<OrderSummary> Orders, string? Next);

internal sealed record OrderSummary(string Id, string Status, string Total, string PlacedAt, int Lines)
{
    public static OrderSummary Of(Order order) => new(order.Id.Value, order.Status.ToString(), order.Total.ToString(), order.PlacedAt.ToString(), order.Lines.Count);
}

internal sealed record OrderView(
    string Id,
    string Status,
    string PaymentStatus,
    string Total,
    string? ReplacementFor,
    string? ShipBy,
    string? PromisedDeliveryDate,
    string AllowedActions,
    IReadOnlyList<object> Lines,
    IReadOnlyList<object> Shipments,
    IReadOnlyList<object> Returns,
    IReadOnlyList<object> Timeline)
{
    public static OrderView Of(Order order) => new(
        order.Id.Value,
        order.Status.ToString(),
        order.PaymentStatus.ToString(),
        order.Total.ToString(),
        order.ReplacementFor?.Value,
        order.ShipBy?.ToString(),
        order.PromisedDeliveryDate?.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture),
        order.AllowedActions.ToString(),
        [.. order.Lines.Select(l => (object)new { Sku = l.Sku.Value, l.Ordered, l.Allocated, l.Backordered, l.Shipped, l.Delivered, l.Returned, l.Cancelled })],
        [.. order.Shipments.Select(s => (object)new { s.Number, Location = s.Location.Value, Status = s.Status.ToString(), Tracking = s.Label?.TrackingNumber, TrackingUrl = s.Label?.TrackingUrl?.ToString() })],
        [.. order.Returns.Select(r => (object)new { r.Number, Status = r.Status.ToString(), Resolution = r.Resolution?.ToString() })],
        [.. order.Timeline.Select(e => (object)new { e.Sequence, OccurredAt = e.OccurredAt.ToString(), e.Name, Description = e.Describe() })]);
}

/// <summary>The insights report as the API shows it.</summary>
internal sealed record InsightsView(int Orders, int Delivered, string LeadTime, double? OnTimeRate, double? FirstTimeFillRate, double? BackorderRate, double? SplitShipmentRate, double? CancellationRate, double? ReturnRate, double? PerfectOrderRate)
{
    public static InsightsView Of(InsightsReport r) =>
        new(r.Orders, r.Delivered, r.LeadTime.ToString(), r.OnTimeRate, r.FirstTimeFillRate, r.BackorderRate, r.SplitShipmentRate, r.CancellationRate, r.ReturnRate, r.PerfectOrderRate);
}
