using NodaTime;
using OrderKit.Fulfillment;
using OrderKit.Shipping;
using OrderKit.Testing;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Shipping;

/// <summary>The built-in carriers, the registry and the selection policies; every built-in carrier passes the carrier conformance suite.</summary>
public sealed class CarrierRegistryTests
{
    internal const string Zones = "zone,country,postal_prefix\n# Germany\ndomestic,DE,\nberlin,DE,10\neu,FR,\n";
    internal const string Rates = "service,zone,max_weight_kg,price,transit_days\nstandard,domestic,2,5.00,2\nstandard,domestic,10,8.50,2\nstandard,berlin,2,3.90,1\nexpress,domestic,5,14.00,1\nstandard,eu,5,11.00,4\n";

    internal static FlatRateCarrier Flat() => new("flat", [new FlatRateService("standard", Eur(4.90m), 3), new FlatRateService("express", Eur(9.90m), 1, ["DE"])], new TrackingUrlTemplate("https://flat.example/t/{trackingNumber}"));

    internal static TableRateCarrier Table() => TableRateCarrier.Load("table", Currency.EUR, new StringReader(Zones), new StringReader(Rates));

    public static TheoryData<string, string> Checks()
    {
        var data = new TheoryData<string, string>();
        foreach (string carrier in new[] { "flat", "table", "manual", "fake" })
        {
            foreach (string check in CarrierConformance.CheckNames)
            {
                data.Add(carrier, check);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Checks))]
    public async Task BuiltInCarriers_PassTheConformanceSuite(string carrier, string check)
    {
        ICarrierAdapter adapter = carrier switch
        {
            "flat" => Flat(),
            "table" => Table(),
            "manual" => new ManualCarrier("own-van", new TrackingUrlTemplate("https://van.example/{trackingNumber}")),
            _ => new FakeCarrier(),
        };
        var options = new CarrierConformanceOptions { TrackingNumber = carrier == "manual" ? "VAN-7" : null };
        await new CarrierConformance(adapter, options).RunAsync(check);
    }

    [Fact]
    public async Task Conformance_FailsWithTheRule_ForABrokenAdapter()
    {
        ConformanceException e = await Assert.ThrowsAsync<ConformanceException>(() => new CarrierConformance(new ForgetfulCarrier()).RunAsync("LabelPurchaseIsIdempotent"));
        Assert.Contains("bought two labels", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => new CarrierConformance(new FakeCarrier()).RunAsync("NoSuchCheck"));
    }

    [Fact]
    public async Task TableRates_TakeTheLongestPostalPrefix_AndTheLightestBracket()
    {
        TableRateCarrier table = Table();
        RateRequest berlin = Request(Berlin, 1.5m);
        RateRequest munich = Request(Berlin with { PostalCode = "80331", City = "München" }, 1.5m, 6m);

        IReadOnlyList<ShippingRate> inBerlin = await table.GetRatesAsync(berlin);
        IReadOnlyList<ShippingRate> inMunich = await table.GetRatesAsync(munich);

        Assert.Equal([("standard", Eur(3.90m), 1)], inBerlin.Select(r => (r.Service, r.Amount, r.TransitDays)));
        Assert.Equal([("standard", Eur(13.50m), 2)], inMunich.Select(r => (r.Service, r.Amount, r.TransitDays)));
        Assert.Empty(await table.GetRatesAsync(Request(Berlin with { CountryCode = "US" }, 1m)));
        Assert.Empty(await table.GetRatesAsync(Request(Berlin, 11m)));
    }

    [Fact]
    public void TableRates_BadTables_AreRefusedByLine()
    {
        FormatException header = Assert.Throws<FormatException>(() => TableRateCarrier.Load("t", Currency.EUR, new StringReader("zone,country\n"), new StringReader(Rates)));
        Assert.Contains("header", header.Message, StringComparison.Ordinal);
        FormatException number = Assert.Throws<FormatException>(() => TableRateCarrier.Load("t", Currency.EUR, new StringReader(Zones), new StringReader("service,zone,max_weight_kg,price,transit_days\nstandard,domestic,two,5,1\n")));
        Assert.Contains("line 2", number.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => TableRateCarrier.Load("t", Currency.EUR, new StringReader(Zones), new StringReader("service,zone,max_weight_kg,price,transit_days\nstandard,mars,2,5,1\n")));
        Assert.Throws<ArgumentException>(() => new TableRateCarrier("t", [new ShippingZone("z", "DE")], [new WeightBracketRate("s", "z", 0m, Eur(1m), 1)]));
    }

    [Fact]
    public async Task FlatRate_ServesItsCountries_InItsCurrency_WithDeterministicLabels()
    {
        FlatRateCarrier flat = Flat();
        Assert.Equal(["standard", "express"], (await flat.GetRatesAsync(Request(Berlin, 1m))).Select(r => r.Service));
        Assert.Equal(["standard"], (await flat.GetRatesAsync(Request(Berlin with { CountryCode = "FR" }, 1m))).Select(r => r.Service));
        Assert.Empty(await flat.GetRatesAsync(Request(Berlin, 1m) with { Currency = Currency.USD }));

        LabelRequest label = new() { OrderId = new OrderId("ord_1"), ShipmentNumber = 1, Service = "standard", Shipment = Request(Berlin, 1m) };
        ShippingLabel a = await new FlatRateCarrier("flat", [new FlatRateService("standard", Eur(4.90m), 3)]).PurchaseLabelAsync(label, "k1");
        ShippingLabel b = await Flat().PurchaseLabelAsync(label, "k1");
        Assert.Equal(a.TrackingNumber, b.TrackingNumber);
        Assert.Equal(new Uri("https://flat.example/t/" + b.TrackingNumber), b.TrackingUrl);
        await Assert.ThrowsAsync<CarrierException>(async () => await flat.PurchaseLabelAsync(label with { Service = "express", Shipment = Request(Berlin with { CountryCode = "FR" }, 1m) }, "k2"));
        await Assert.ThrowsAsync<NotSupportedException>(async () => await flat.TrackAsync("x"));
    }

    [Fact]
    public async Task Registry_SelectsByPolicy_AndRefusesARateInAnotherCurrency()
    {
        var registry = new CarrierRegistry([Flat(), Table()]);
        RateRequest request = Request(Berlin with { PostalCode = "80331" }, 1m) with { ShipDate = new LocalDate(2026, 11, 20) };

        RateSelection cheapest = (await registry.SelectRateAsync(request, CarrierSelectionPolicy.Cheapest))!;
        RateSelection fastest = (await registry.SelectRateAsync(request, CarrierSelectionPolicy.Fastest))!;
        RateSelection onTime = (await registry.SelectRateAsync(request, CarrierSelectionPolicy.CheapestOnTime, new LocalDate(2026, 11, 24)))!;
        RateSelection late = (await registry.SelectRateAsync(request, CarrierSelectionPolicy.CheapestOnTime, new LocalDate(2026, 11, 20)))!;

        Assert.Equal("flat/standard EUR 4.90 (3 days)", cheapest.Rate.ToString());
        Assert.Equal("flat/express", fastest.Rate.CarrierCode + "/" + fastest.Rate.Service);
        Assert.Equal(("table", "standard", new LocalDate(2026, 11, 24)), (onTime.Rate.CarrierCode, onTime.Rate.Service, onTime.Rate.EstimatedDelivery!.Value));
        Assert.True(onTime.KeepsPromise);
        Assert.False(late.KeepsPromise);
        Assert.Equal(1, late.Rate.TransitDays);

        var wrong = new CarrierRegistry([new FlatRateCarrier("usd", [new FlatRateService("standard", new Money(1m, Currency.USD), 1)]), new ForgetfulCarrier()]);
        CarrierException e = await Assert.ThrowsAsync<CarrierException>(() => wrong.GetRatesAsync(Request(Berlin, 1m), ["forgetful"]));
        Assert.Contains("USD", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new CarrierRegistry([Flat(), Flat()]));
        Assert.Contains("flat, table", Assert.Throws<ArgumentException>(() => registry.Get("ups")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Values_CheckTheirInput_AndReadWell()
    {
        Assert.Throws<ArgumentException>(() => new TrackingUrlTemplate("https://x.example/"));
        Assert.Throws<ArgumentException>(() => new TrackingUrlTemplate("ftp://x.example/{trackingNumber}"));
        Assert.Equal("https://x.example/A%20B", new TrackingUrlTemplate("https://x.example/{trackingNumber}").For("A B").AbsoluteUri);
        Assert.Throws<ArgumentException>(() => new ShippingRate("c", "s", new Money(-1m, Currency.EUR), 1));
        Assert.Equal("not deliverable: no such street", new AddressValidationResult(false, null, ["no such street"]).ToString());
        Assert.Equal("Carrier ups: down", new CarrierException("ups", "down", isTransient: true).Message);
        Assert.Equal("flat/standard EUR 1.00 (1 day) (late)", new RateSelection(new ShippingRate("flat", "standard", Eur(1m), 1), false, []).ToString());
        var returnRequest = new ReturnLabelRequest { OrderId = new OrderId("o"), From = Berlin, To = new LocationId("WH-A"), Parcels = [new Parcel(1m)], Currency = Currency.EUR };
        Assert.Equal("WH-A", returnRequest.To.Value);
        Assert.Throws<ArgumentException>(() => (Request(Berlin, 1m) with { Parcels = [] }).Validate());
    }

    internal static RateRequest Request(Address to, params decimal[] weights) => new()
    {
        Origin = new LocationId("WH-A"),
        Destination = to,
        Parcels = [.. weights.Select(w => new Parcel(w))],
        Currency = Currency.EUR,
    };

    /// <summary>An adapter that forgets its idempotency keys and quotes in dollars: what the checks must catch.</summary>
    private sealed class ForgetfulCarrier : ICarrierAdapter
    {
        private int _labels;

        public string Code => "forgetful";

        public CarrierCapabilities Capabilities => CarrierCapabilities.Rates | CarrierCapabilities.Labels;

        public ValueTask<IReadOnlyList<ShippingRate>> GetRatesAsync(RateRequest request, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<ShippingRate>>([new ShippingRate(Code, "standard", new Money(1m, Currency.USD), 1)]);

        public ValueTask<ShippingLabel> PurchaseLabelAsync(LabelRequest request, string idempotencyKey, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new ShippingLabel(Code, request.Service, "F" + Interlocked.Increment(ref _labels), "L", Eur(1m)));

        public ValueTask VoidLabelAsync(ShippingLabel label, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<TrackingUpdate>> TrackAsync(string trackingNumber, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<AddressValidationResult> ValidateAddressAsync(Address address, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<ShippingLabel> CreateReturnLabelAsync(ReturnLabelRequest request, string idempotencyKey, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
