using System.Globalization;
using OrderKit.Fulfillment;
using OrderKit.Internal;

namespace OrderKit.Shipping;

/// <summary>A carrier priced from tables: destinations fall into zones, and each parcel is priced by its zone and weight bracket.</summary>
/// <remarks>
/// <para>The destination's zone is the row of the zone table for its country with the longest postal prefix that
/// starts its postal code (a row without a prefix covers the whole country). Each parcel takes the lightest bracket
/// of the service and zone it fits; a service is quoted when every parcel fits one of its brackets, at the sum of the
/// parcels' prices and the longest of their transit days. The tables load from CSV with <see cref="Load"/>.</para>
/// <para>Labels derive from the idempotency key as with <see cref="FlatRateCarrier"/>; parcels are not tracked.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed class TableRateCarrier : ICarrierAdapter
{
    private readonly ShippingZone[] _zones;
    private readonly WeightBracketRate[] _rates;
    private readonly TrackingUrlTemplate? _trackingUrl;

    /// <summary>Creates the carrier from its tables.</summary>
    /// <param name="code">Its code in the registry.</param>
    /// <param name="zones">The zone table.</param>
    /// <param name="rates">The rate table; every zone it names must be in the zone table, and prices of one service share a currency.</param>
    /// <param name="trackingUrl">Where customers follow parcels; null for nowhere.</param>
    /// <exception cref="ArgumentException">A table is empty, a row incomplete, a zone unknown, a weight not positive, or a row repeated.</exception>
    public TableRateCarrier(string code, IEnumerable<ShippingZone> zones, IEnumerable<WeightBracketRate> rates, TrackingUrlTemplate? trackingUrl = null)
    {
        Code = Text.Identifier(code, nameof(code), CarrierRegistry.MaxCodeLength);
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(rates);
        _zones = [.. zones];
        _rates = [.. rates];
        if (_zones.Length == 0 || _rates.Length == 0)
        {
            throw new ArgumentException("The zone table and the rate table need at least one row each.", _zones.Length == 0 ? nameof(zones) : nameof(rates));
        }

        for (int i = 0; i < _zones.Length; i++)
        {
            ShippingZone z = _zones[i] ?? throw new ArgumentException($"zones[{i}] is null.", nameof(zones));
            Text.Identifier(z.Zone, $"zones[{i}].Zone", 100);
            _ = new Address("x", "x", "x", z.PostalPrefix, z.CountryCode);
            if (Array.FindIndex(_zones, 0, i, o => o.CountryCode == z.CountryCode && (o.PostalPrefix ?? string.Empty) == (z.PostalPrefix ?? string.Empty)) >= 0)
            {
                throw new ArgumentException($"zones[{i}] repeats country {z.CountryCode} with postal prefix \"{z.PostalPrefix}\".", nameof(zones));
            }
        }

        for (int i = 0; i < _rates.Length; i++)
        {
            WeightBracketRate r = _rates[i] ?? throw new ArgumentException($"rates[{i}] is null.", nameof(rates));
            _ = new ShippingRate(Code, r.Service, r.Price, r.TransitDays);
            if (r.MaxWeightKg <= 0m)
            {
                throw new ArgumentException($"rates[{i}].MaxWeightKg must be positive; got {r.MaxWeightKg}.", nameof(rates));
            }

            if (!Array.Exists(_zones, z => z.Zone == r.Zone))
            {
                throw new ArgumentException($"rates[{i}] names zone \"{r.Zone}\", which the zone table does not have.", nameof(rates));
            }

            if (Array.FindIndex(_rates, 0, i, o => o.Service == r.Service && o.Zone == r.Zone && o.MaxWeightKg == r.MaxWeightKg) >= 0)
            {
                throw new ArgumentException($"rates[{i}] repeats service \"{r.Service}\", zone \"{r.Zone}\", bracket {r.MaxWeightKg} kg.", nameof(rates));
            }
        }

        _trackingUrl = trackingUrl;
    }

    /// <inheritdoc />
    public string Code { get; }

    /// <inheritdoc />
    public CarrierCapabilities Capabilities => CarrierCapabilities.Rates | CarrierCapabilities.Labels | CarrierCapabilities.VoidLabels | CarrierCapabilities.ReturnLabels;

    /// <summary>Loads the tables from CSV text.</summary>
    /// <remarks>
    /// The zone table has the header <c>zone,country,postal_prefix</c>; the rate table
    /// <c>service,zone,max_weight_kg,price,transit_days</c>, with prices in <paramref name="currency"/> and numbers
    /// written with a dot. Blank lines and lines starting with <c>#</c> are skipped.
    /// </remarks>
    /// <param name="code">The carrier's code.</param>
    /// <param name="currency">The currency of the prices.</param>
    /// <param name="zones">The zone table.</param>
    /// <param name="rates">The rate table.</param>
    /// <param name="trackingUrl">Where customers follow parcels; null for nowhere.</param>
    /// <returns>The carrier.</returns>
    /// <exception cref="FormatException">A line does not parse; the message names the table, the line and the field.</exception>
    /// <exception cref="ArgumentException">The tables parse but are inconsistent (see the constructor).</exception>
    public static TableRateCarrier Load(string code, Currency currency, TextReader zones, TextReader rates, TrackingUrlTemplate? trackingUrl = null)
    {
        ArgumentNullException.ThrowIfNull(zones);
        ArgumentNullException.ThrowIfNull(rates);
        var zoneRows = new List<ShippingZone>();
        foreach ((int line, string[] f) in Rows(zones, "zones", "zone,country,postal_prefix", 3))
        {
            zoneRows.Add(Parse(() => new ShippingZone(f[0], f[1], f[2].Length == 0 ? null : f[2]), "zones", line));
        }

        var rateRows = new List<WeightBracketRate>();
        foreach ((int line, string[] f) in Rows(rates, "rates", "service,zone,max_weight_kg,price,transit_days", 5))
        {
            rateRows.Add(Parse(
                () => new WeightBracketRate(
                    f[0],
                    f[1],
                    Number(f[2], "max_weight_kg", line),
                    new Money(Number(f[3], "price", line), currency),
                    (int)Number(f[4], "transit_days", line)),
                "rates",
                line));
        }

        return new TableRateCarrier(code, zoneRows, rateRows, trackingUrl);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ShippingRate>> GetRatesAsync(RateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        request.Validate();
        return ValueTask.FromResult<IReadOnlyList<ShippingRate>>(Quote(request, service: null));
    }

    /// <inheritdoc />
    public ValueTask<ShippingLabel> PurchaseLabelAsync(LabelRequest request, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        request.Shipment.Validate();
        ShippingRate rate = QuoteOne(request.Shipment, request.Service);
        return ValueTask.FromResult(BuiltInLabels.Make(Code, rate.Service, BuiltInLabels.TrackingNumber(Code, idempotencyKey), rate.Amount, _trackingUrl, rate.TransitDays));
    }

    /// <inheritdoc />
    public ValueTask VoidLabelAsync(ShippingLabel label, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(label);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TrackingUpdate>> TrackAsync(string trackingNumber, CancellationToken cancellationToken = default) =>
        throw BuiltInLabels.NotSupported(Code, "track parcels");

    /// <inheritdoc />
    public ValueTask<AddressValidationResult> ValidateAddressAsync(Address address, CancellationToken cancellationToken = default) =>
        throw BuiltInLabels.NotSupported(Code, "validate addresses");

    /// <inheritdoc />
    public ValueTask<ShippingLabel> CreateReturnLabelAsync(ReturnLabelRequest request, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var shipment = new RateRequest { Origin = request.To, Destination = request.From, Parcels = request.Parcels, Currency = request.Currency };
        shipment.Validate();
        ShippingRate rate = request.Service is null
            ? Quote(shipment, null).FirstOrDefault() ?? throw new CarrierException(Code, $"no service serves {request.From} for these parcels.")
            : QuoteOne(shipment, request.Service);
        return ValueTask.FromResult(BuiltInLabels.Make(Code, rate.Service, BuiltInLabels.TrackingNumber(Code, "return\n" + idempotencyKey), rate.Amount, _trackingUrl, rate.TransitDays));
    }

    private ShippingRate QuoteOne(RateRequest shipment, string service)
    {
        if (!Array.Exists(_rates, r => r.Service == service))
        {
            throw new ArgumentException($"Carrier {Code} has no service \"{service}\".", nameof(service));
        }

        return Quote(shipment, service).FirstOrDefault()
            ?? throw new CarrierException(Code, $"service \"{service}\" does not serve {shipment.Destination} for parcels of {string.Join(", ", shipment.Parcels.Select(static p => p.WeightKg.ToString(CultureInfo.InvariantCulture) + " kg"))} in {shipment.Currency}.");
    }

    private List<ShippingRate> Quote(RateRequest request, string? service)
    {
        var result = new List<ShippingRate>();
        string? zone = ZoneOf(request.Destination);
        if (zone is null)
        {
            return result;
        }

        foreach (string name in _rates.Select(static r => r.Service).Distinct())
        {
            if (service is not null && name != service)
            {
                continue;
            }

            Money? total = null;
            int days = 0;
            foreach (Parcel parcel in request.Parcels)
            {
                WeightBracketRate? bracket = _rates
                    .Where(r => r.Service == name && r.Zone == zone && r.MaxWeightKg >= parcel.WeightKg && r.Price.Currency == request.Currency)
                    .MinBy(static r => r.MaxWeightKg);
                if (bracket is null)
                {
                    total = null;
                    break;
                }

                total = total is { } t ? t + bracket.Price : bracket.Price;
                days = Math.Max(days, bracket.TransitDays);
            }

            if (total is { } amount)
            {
                result.Add(new ShippingRate(Code, name, amount, days));
            }
        }

        return result;
    }

    private string? ZoneOf(Address destination)
    {
        string postal = (destination.PostalCode ?? string.Empty).Replace(" ", string.Empty, StringComparison.Ordinal);
        ShippingZone? best = null;
        foreach (ShippingZone zone in _zones)
        {
            string prefix = zone.PostalPrefix ?? string.Empty;
            if (string.Equals(zone.CountryCode, destination.CountryCode, StringComparison.OrdinalIgnoreCase)
                && postal.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && (best is null || prefix.Length > (best.PostalPrefix ?? string.Empty).Length))
            {
                best = zone;
            }
        }

        return best?.Zone;
    }

    private static IEnumerable<(int Line, string[] Fields)> Rows(TextReader reader, string table, string header, int fields)
    {
        int line = 0;
        bool sawHeader = false;
        while (reader.ReadLine() is { } text)
        {
            line++;
            string trimmed = text.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            string[] parts = trimmed.Split(',');
            for (int i = 0; i < parts.Length; i++)
            {
                parts[i] = parts[i].Trim();
            }

            if (!sawHeader)
            {
                if (!string.Equals(string.Join(",", parts), header, StringComparison.OrdinalIgnoreCase))
                {
                    throw new FormatException($"The {table} table must start with the header \"{header}\"; line {line} is \"{trimmed}\".");
                }

                sawHeader = true;
                continue;
            }

            if (parts.Length != fields)
            {
                throw new FormatException($"The {table} table, line {line}: expected {fields} fields ({header}), got {parts.Length}.");
            }

            yield return (line, parts);
        }

        if (!sawHeader)
        {
            throw new FormatException($"The {table} table is empty; it must start with the header \"{header}\".");
        }
    }

    private static decimal Number(string text, string field, int line) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out decimal value)
            ? value
            : throw new FormatException($"The rates table, line {line}: {field} \"{text}\" is not a number.");

    private static T Parse<T>(Func<T> make, string table, int line)
    {
        try
        {
            return make();
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"The {table} table, line {line}: {e.Message}", e);
        }
    }
}
