using OrderKit.Fulfillment;
using OrderKit.Shipping;

namespace OrderKit.Testing;

/// <summary>The checks every <see cref="ICarrierAdapter"/> must pass: its contract, stated as runnable code.</summary>
/// <remarks>
/// <para>An adapter author runs them from any test framework, against a sandbox of the carrier or a recorded one:
/// one test per name of <see cref="CheckNames"/> calling <see cref="RunAsync"/>, or one calling
/// <see cref="RunAllAsync"/>. A failed check throws <see cref="ConformanceException"/> naming the rule and what was
/// seen. Checks of a capability the adapter does not claim check instead that its member throws
/// <see cref="NotSupportedException"/>.</para>
/// <para>The checks: a code fit for the registry; rates in the request's currency under the adapter's code; a label
/// bought twice with one key is one label, and two keys make two; labels carry the adapter's code, the service asked
/// for and a cost in the request's currency; voiding twice succeeds; tracking a bought label answers; address
/// validation answers; return labels are idempotent by key; a cancelled token is honoured.</para>
/// <para>Thread safety: thread-safe if the adapter is.</para>
/// </remarks>
public sealed class CarrierConformance
{
    private static readonly (string Name, Func<CarrierConformance, CancellationToken, Task> Run)[] s_checks =
    [
        ("CodeIsFitForTheRegistry", static (c, _) => c.CodeAsync()),
        ("RatesAreInTheRequestCurrency", static (c, t) => c.RatesAsync(t)),
        ("LabelPurchaseIsIdempotent", static (c, t) => c.LabelsAsync(t)),
        ("VoidTwiceSucceeds", static (c, t) => c.VoidAsync(t)),
        ("TrackingAnswersForABoughtLabel", static (c, t) => c.TrackingAsync(t)),
        ("AddressValidationAnswers", static (c, t) => c.AddressAsync(t)),
        ("ReturnLabelsAreIdempotent", static (c, t) => c.ReturnLabelsAsync(t)),
        ("CancellationIsHonoured", static (c, t) => c.CancellationAsync(t)),
    ];

    private readonly ICarrierAdapter _carrier;
    private readonly CarrierConformanceOptions _options;
    private string _check = string.Empty;

    /// <summary>Creates the checks for an adapter.</summary>
    /// <param name="carrier">The adapter.</param>
    /// <param name="options">What to ask it; the defaults ship a 1.2 kg parcel from <c>WH-A</c> to Berlin in euros.</param>
    /// <exception cref="ArgumentNullException"><paramref name="carrier"/> is null.</exception>
    public CarrierConformance(ICarrierAdapter carrier, CarrierConformanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(carrier);
        _carrier = carrier;
        _options = options ?? new CarrierConformanceOptions();
    }

    /// <summary>Gets the names of the checks, in the order <see cref="RunAllAsync"/> runs them.</summary>
    public static IReadOnlyList<string> CheckNames { get; } = [.. s_checks.Select(c => c.Name)];

    /// <summary>Runs one check.</summary>
    /// <param name="checkName">One of <see cref="CheckNames"/>.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>A task that completes when the check passed.</returns>
    /// <exception cref="ArgumentException"><paramref name="checkName"/> is not a known check.</exception>
    /// <exception cref="ConformanceException">The adapter broke the contract.</exception>
    public async Task RunAsync(string checkName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkName);
        int index = Array.FindIndex(s_checks, c => c.Name == checkName);
        if (index < 0)
        {
            throw new ArgumentException($"There is no carrier conformance check named \"{checkName}\"; the checks are {string.Join(", ", CheckNames)}.", nameof(checkName));
        }

        var run = new CarrierConformance(_carrier, _options) { _check = checkName };
        try
        {
            await s_checks[index].Run(run, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not ConformanceException and not OperationCanceledException)
        {
            throw new ConformanceException(checkName, $"carrier {_carrier.Code} threw {e.GetType().Name}: {e.Message}", e);
        }
    }

    /// <summary>Runs every check and reports every failure.</summary>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>A task that completes when every check passed.</returns>
    /// <exception cref="AggregateException">One or more checks failed; each inner exception is a <see cref="ConformanceException"/>.</exception>
    public async Task RunAllAsync(CancellationToken cancellationToken = default)
    {
        var failures = new List<Exception>();
        foreach (string name in CheckNames)
        {
            try
            {
                await RunAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (ConformanceException e)
            {
                failures.Add(e);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException($"{failures.Count} of {CheckNames.Count} carrier conformance checks failed.", failures);
        }
    }

    private bool Has(CarrierCapabilities capability) => (_carrier.Capabilities & capability) == capability;

    private Task CodeAsync()
    {
        Expect(!string.IsNullOrWhiteSpace(_carrier.Code) && _carrier.Code.Length <= CarrierRegistry.MaxCodeLength && _carrier.Code.Trim() == _carrier.Code, $"Code \"{_carrier.Code}\" must be non-blank, trimmed, and at most {CarrierRegistry.MaxCodeLength} characters.");
        Expect(_carrier.Code == _carrier.Code, "Code must not change between reads.");
        _ = new CarrierRegistry([_carrier]);
        return Task.CompletedTask;
    }

    private async Task RatesAsync(CancellationToken token)
    {
        if (!Has(CarrierCapabilities.Rates))
        {
            await ExpectNotSupportedAsync(() => _carrier.GetRatesAsync(_options.Shipment, token).AsTask(), nameof(ICarrierAdapter.GetRatesAsync)).ConfigureAwait(false);
            return;
        }

        IReadOnlyList<ShippingRate> rates = await _carrier.GetRatesAsync(_options.Shipment, token).ConfigureAwait(false);
        Expect(rates is not null, "GetRatesAsync returned null; return an empty list when no service serves the destination.");
        Expect(rates!.Count > 0, $"GetRatesAsync quoted nothing for {_options.Shipment.Destination}; choose options the carrier serves.");
        foreach (ShippingRate rate in rates)
        {
            Expect(rate.Amount.Currency == _options.Shipment.Currency, $"rate {rate} is in {rate.Amount.Currency}, but the request is in {_options.Shipment.Currency}.");
            Expect(string.Equals(rate.CarrierCode, _carrier.Code, StringComparison.OrdinalIgnoreCase), $"rate {rate} carries code \"{rate.CarrierCode}\", not the adapter's \"{_carrier.Code}\".");
        }
    }

    private async Task LabelsAsync(CancellationToken token)
    {
        LabelRequest request = LabelRequest(1);
        if (!Has(CarrierCapabilities.Labels))
        {
            await ExpectNotSupportedAsync(() => _carrier.PurchaseLabelAsync(request, "conformance-label-1", token).AsTask(), nameof(ICarrierAdapter.PurchaseLabelAsync)).ConfigureAwait(false);
            return;
        }

        ShippingLabel first = await _carrier.PurchaseLabelAsync(request, "conformance-label-1", token).ConfigureAwait(false);
        ShippingLabel again = await _carrier.PurchaseLabelAsync(request, "conformance-label-1", token).ConfigureAwait(false);
        Expect(first.TrackingNumber == again.TrackingNumber && first.LabelId == again.LabelId, $"two purchases with one idempotency key bought two labels ({first} and {again}); a retry must return the first label.");
        Expect(string.Equals(first.CarrierCode, _carrier.Code, StringComparison.OrdinalIgnoreCase), $"label {first} carries code \"{first.CarrierCode}\", not the adapter's \"{_carrier.Code}\".");
        Expect(first.Service == request.Service, $"label {first} is for service \"{first.Service}\", but \"{request.Service}\" was asked for.");
        Expect(first.Cost.Currency == request.Shipment.Currency, $"label {first} costs {first.Cost}, not in the request's currency {request.Shipment.Currency}.");

        ShippingLabel other = await _carrier.PurchaseLabelAsync(LabelRequest(2), "conformance-label-2", token).ConfigureAwait(false);
        Expect(other.TrackingNumber != first.TrackingNumber, $"two different idempotency keys returned the same label {first}; each key buys its own label.");
    }

    private async Task VoidAsync(CancellationToken token)
    {
        ShippingLabel label = Has(CarrierCapabilities.Labels)
            ? await _carrier.PurchaseLabelAsync(LabelRequest(3), "conformance-void", token).ConfigureAwait(false)
            : new ShippingLabel(_carrier.Code, _options.Service, "CONFORMANCE-1", "conformance", Money.Zero(_options.Shipment.Currency));
        if (!Has(CarrierCapabilities.VoidLabels))
        {
            await ExpectNotSupportedAsync(() => _carrier.VoidLabelAsync(label, token).AsTask(), nameof(ICarrierAdapter.VoidLabelAsync)).ConfigureAwait(false);
            return;
        }

        await _carrier.VoidLabelAsync(label, token).ConfigureAwait(false);
        await _carrier.VoidLabelAsync(label, token).ConfigureAwait(false);
    }

    private async Task TrackingAsync(CancellationToken token)
    {
        if (!Has(CarrierCapabilities.Tracking))
        {
            await ExpectNotSupportedAsync(() => _carrier.TrackAsync("CONFORMANCE-1", token).AsTask(), nameof(ICarrierAdapter.TrackAsync)).ConfigureAwait(false);
            return;
        }

        string tracking = Has(CarrierCapabilities.Labels)
            ? (await _carrier.PurchaseLabelAsync(LabelRequest(4), "conformance-track", token).ConfigureAwait(false)).TrackingNumber
            : _options.TrackingNumber ?? throw new ConformanceException(_check, "the adapter tracks but sells no labels; set CarrierConformanceOptions.TrackingNumber to a number it knows.");
        IReadOnlyList<TrackingUpdate> updates = await _carrier.TrackAsync(tracking, token).ConfigureAwait(false);
        Expect(updates is not null, $"TrackAsync({tracking}) returned null; return an empty list when the carrier has nothing yet.");
        Expect(updates!.All(static u => u is not null), $"TrackAsync({tracking}) returned a null update.");
    }

    private async Task AddressAsync(CancellationToken token)
    {
        if (!Has(CarrierCapabilities.AddressValidation))
        {
            await ExpectNotSupportedAsync(() => _carrier.ValidateAddressAsync(_options.Shipment.Destination, token).AsTask(), nameof(ICarrierAdapter.ValidateAddressAsync)).ConfigureAwait(false);
            return;
        }

        AddressValidationResult result = await _carrier.ValidateAddressAsync(_options.Shipment.Destination, token).ConfigureAwait(false);
        Expect(result is not null && result.Problems is not null, "ValidateAddressAsync returned null or null problems.");
        Expect(result!.IsDeliverable, $"ValidateAddressAsync says the options' destination {_options.Shipment.Destination} is not deliverable ({result}); choose one the carrier serves.");
    }

    private async Task ReturnLabelsAsync(CancellationToken token)
    {
        var request = new ReturnLabelRequest
        {
            OrderId = new OrderId("ord_conformance_return"),
            From = _options.Shipment.Destination,
            To = _options.Shipment.Origin,
            ToAddress = _options.Shipment.OriginAddress,
            Parcels = _options.Shipment.Parcels,
            Currency = _options.Shipment.Currency,
        };
        if (!Has(CarrierCapabilities.ReturnLabels))
        {
            await ExpectNotSupportedAsync(() => _carrier.CreateReturnLabelAsync(request, "conformance-return", token).AsTask(), nameof(ICarrierAdapter.CreateReturnLabelAsync)).ConfigureAwait(false);
            return;
        }

        ShippingLabel first = await _carrier.CreateReturnLabelAsync(request, "conformance-return", token).ConfigureAwait(false);
        ShippingLabel again = await _carrier.CreateReturnLabelAsync(request, "conformance-return", token).ConfigureAwait(false);
        Expect(first.TrackingNumber == again.TrackingNumber, $"two return labels with one key differ ({first} and {again}).");
        Expect(first.Cost.Currency == request.Currency, $"return label {first} costs {first.Cost}, not in {request.Currency}.");
    }

    private async Task CancellationAsync(CancellationToken token)
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync().ConfigureAwait(false);
        token.ThrowIfCancellationRequested();
        Func<Task> call = Has(CarrierCapabilities.Rates) ? () => _carrier.GetRatesAsync(_options.Shipment, cancelled.Token).AsTask()
            : Has(CarrierCapabilities.Labels) ? () => _carrier.PurchaseLabelAsync(LabelRequest(5), "conformance-cancel", cancelled.Token).AsTask()
            : () => Task.FromCanceled(cancelled.Token);
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        throw new ConformanceException(_check, "a call with a cancelled token completed; it must throw OperationCanceledException.");
    }

    private LabelRequest LabelRequest(int shipment) => new()
    {
        OrderId = new OrderId("ord_conformance"),
        ShipmentNumber = shipment,
        Service = _options.Service,
        Shipment = _options.Shipment,
        TrackingNumber = _options.TrackingNumber is null ? null : _options.TrackingNumber + "-" + shipment,
    };

    private async Task ExpectNotSupportedAsync(Func<Task> call, string member)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (NotSupportedException)
        {
            return;
        }

        throw new ConformanceException(_check, $"{member} worked, but Capabilities ({_carrier.Capabilities}) does not claim it; claim it, or throw NotSupportedException.");
    }

    private void Expect(bool condition, string detail)
    {
        if (!condition)
        {
            throw new ConformanceException(_check, detail);
        }
    }
}
