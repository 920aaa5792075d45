using OrderKit.Fulfillment;
using OrderKit.Internal;

namespace OrderKit.Shipping;

/// <summary>A carrier with one price per service for any shipment: the simplest way to start shipping.</summary>
/// <remarks>
/// <para>It quotes its services, sells labels whose tracking numbers derive from the idempotency key (a retry, even
/// after a restart, returns the same label), voids them, and makes return labels. It does not track parcels:
/// apply tracking typed in by staff or sent by a webhook through <see cref="FulfillmentService"/>.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed class FlatRateCarrier : ICarrierAdapter
{
    private readonly FlatRateService[] _services;
    private readonly TrackingUrlTemplate? _trackingUrl;

    /// <summary>Creates the carrier.</summary>
    /// <param name="code">Its code in the registry.</param>
    /// <param name="services">Its services; at least one, names unique.</param>
    /// <param name="trackingUrl">Where customers follow parcels; null for nowhere.</param>
    /// <exception cref="ArgumentException">The code is blank or too long, there is no service, a service is incomplete, or two share a name.</exception>
    public FlatRateCarrier(string code, IEnumerable<FlatRateService> services, TrackingUrlTemplate? trackingUrl = null)
    {
        Code = Text.Identifier(code, nameof(code), CarrierRegistry.MaxCodeLength);
        ArgumentNullException.ThrowIfNull(services);
        _services = [.. services];
        if (_services.Length == 0)
        {
            throw new ArgumentException("At least one service is required.", nameof(services));
        }

        for (int i = 0; i < _services.Length; i++)
        {
            FlatRateService s = _services[i] ?? throw new ArgumentException($"services[{i}] is null.", nameof(services));
            _ = new ShippingRate(Code, s.Service, s.Price, s.TransitDays);
            if (Array.FindIndex(_services, 0, i, o => o.Service == s.Service) >= 0)
            {
                throw new ArgumentException($"services[{i}] repeats service \"{s.Service}\".", nameof(services));
            }
        }

        _trackingUrl = trackingUrl;
    }

    /// <inheritdoc />
    public string Code { get; }

    /// <inheritdoc />
    public CarrierCapabilities Capabilities => CarrierCapabilities.Rates | CarrierCapabilities.Labels | CarrierCapabilities.VoidLabels | CarrierCapabilities.ReturnLabels;

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ShippingRate>> GetRatesAsync(RateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        request.Validate();
        var rates = new List<ShippingRate>();
        foreach (FlatRateService s in _services)
        {
            if (Serves(s, request.Destination.CountryCode) && s.Price.Currency == request.Currency)
            {
                rates.Add(new ShippingRate(Code, s.Service, s.Price, s.TransitDays));
            }
        }

        return ValueTask.FromResult<IReadOnlyList<ShippingRate>>(rates);
    }

    /// <inheritdoc />
    public ValueTask<ShippingLabel> PurchaseLabelAsync(LabelRequest request, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        request.Shipment.Validate();
        FlatRateService service = Find(request.Service, request.Shipment);
        string tracking = BuiltInLabels.TrackingNumber(Code, idempotencyKey);
        return ValueTask.FromResult(BuiltInLabels.Make(Code, service.Service, tracking, service.Price, _trackingUrl, service.TransitDays));
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
        FlatRateService service = request.Service is null
            ? _services.FirstOrDefault(s => s.Price.Currency == request.Currency && Serves(s, request.From.CountryCode))
                ?? throw new CarrierException(Code, $"no service in {request.Currency} serves {request.From.CountryCode}.")
            : Find(request.Service, new RateRequest { Origin = request.To, Destination = request.From, Parcels = request.Parcels, Currency = request.Currency });
        string tracking = BuiltInLabels.TrackingNumber(Code, "return\n" + idempotencyKey);
        return ValueTask.FromResult(BuiltInLabels.Make(Code, service.Service, tracking, service.Price, _trackingUrl, service.TransitDays));
    }

    private static bool Serves(FlatRateService service, string country) =>
        service.Countries.Count == 0 || service.Countries.Contains(country, StringComparer.OrdinalIgnoreCase);

    private FlatRateService Find(string serviceName, RateRequest shipment)
    {
        FlatRateService service = Array.Find(_services, s => s.Service == serviceName)
            ?? throw new ArgumentException($"Carrier {Code} has no service \"{serviceName}\"; it has {string.Join(", ", _services.Select(static s => s.Service))}.", nameof(serviceName));
        if (service.Price.Currency != shipment.Currency)
        {
            throw new CarrierException(Code, $"service \"{serviceName}\" is priced in {service.Price.Currency}, not in {shipment.Currency}.");
        }

        if (!Serves(service, shipment.Destination.CountryCode))
        {
            throw new CarrierException(Code, $"service \"{serviceName}\" does not serve {shipment.Destination.CountryCode}.");
        }

        return service;
    }
}
