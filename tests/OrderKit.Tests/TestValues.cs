using NodaTime;
using NodaTime.Testing;
using OrderKit.Orders;
using OrderKit.Shipping;

namespace OrderKit.Tests;

/// <summary>Ready-made values for examples.</summary>
internal static class TestValues
{
    public static readonly Instant Start = Instant.FromUtc(2026, 11, 2, 9, 0);

    public static readonly Sku Mug = new("MUG-RED");
    public static readonly Sku Tee = new("TEE-M-BLUE");
    public static readonly Sku Cap = new("CAP-ONE");

    public static FakeClock NewClock() => new(Start, Duration.FromSeconds(1));

    public static Address Berlin => new("Ada Lovelace", "Unter den Linden 1", "Berlin", "10117", "DE");

    public static Money Eur(decimal amount) => new(amount, Currency.EUR);

    public static PlaceOrderRequest Request(params (Sku Sku, int Quantity, decimal Price)[] lines) => Request(null, null, lines);

    public static PlaceOrderRequest Request(ShippingMethod? method, LocalDate? promised, params (Sku Sku, int Quantity, decimal Price)[] lines) => new()
    {
        CustomerId = new CustomerId("CUST-1"),
        Channel = new SalesChannel("web"),
        ShippingAddress = Berlin,
        Currency = Currency.EUR,
        Lines = [.. lines.Select(l => new PlaceOrderLine(l.Sku, new Quantity(l.Quantity), Eur(l.Price)))],
        ShippingMethod = method,
        PromisedDeliveryDate = promised,
    };

    public static PlaceOrderRequest TwoLineRequest() => Request((Mug, 2, 12.50m), (Tee, 3, 20m));

    public static Order PlaceTwoLineOrder(IClock? clock = null) => Order.Place(TwoLineRequest(), clock ?? NewClock());
}
