using OrderKit.Fulfillment;
using OrderKit.Internal;

namespace OrderKit.Shipping;

/// <summary>A carrier for an own fleet, a courier booked by phone, or any label bought outside OrderKit: staff type the tracking number in.</summary>
/// <remarks>
/// <para><see cref="PurchaseLabelAsync"/> records the tracking number of <see cref="LabelRequest.TrackingNumber"/>
/// at no cost, with the tracking page from the template; the same request gives the same label. It quotes no
/// rates, makes no return labels and does not track: staff apply tracking through
/// <see cref="FulfillmentService.ApplyTrackingAsync"/>.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed class ManualCarrier : ICarrierAdapter
{
    private readonly TrackingUrlTemplate? _trackingUrl;

    /// <summary>Creates the carrier.</summary>
    /// <param name="code">Its code in the registry, such as <c>own-van</c>.</param>
    /// <param name="trackingUrl">Where customers follow parcels; null for nowhere.</param>
    /// <exception cref="ArgumentException">The code is blank or too long.</exception>
    public ManualCarrier(string code, TrackingUrlTemplate? trackingUrl = null)
    {
        Code = Text.Identifier(code, nameof(code), CarrierRegistry.MaxCodeLength);
        _trackingUrl = trackingUrl;
    }

    /// <inheritdoc />
    public string Code { get; }

    /// <inheritdoc />
    public CarrierCapabilities Capabilities => CarrierCapabilities.Labels | CarrierCapabilities.VoidLabels;

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ShippingRate>> GetRatesAsync(RateRequest request, CancellationToken cancellationToken = default) =>
        throw BuiltInLabels.NotSupported(Code, "quote rates");

    /// <inheritdoc />
    /// <exception cref="ArgumentException"><see cref="LabelRequest.TrackingNumber"/> is missing.</exception>
    public ValueTask<ShippingLabel> PurchaseLabelAsync(LabelRequest request, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        cancellationToken.ThrowIfCancellationRequested();
        if (request.TrackingNumber is null)
        {
            throw new ArgumentException($"Carrier {Code} records tracking numbers typed in by staff; request.TrackingNumber is required.", nameof(request));
        }

        request.Shipment.Validate();
        return ValueTask.FromResult(BuiltInLabels.Make(Code, request.Service, request.TrackingNumber, Money.Zero(request.Shipment.Currency), _trackingUrl, null));
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
    public ValueTask<ShippingLabel> CreateReturnLabelAsync(ReturnLabelRequest request, string idempotencyKey, CancellationToken cancellationToken = default) =>
        throw BuiltInLabels.NotSupported(Code, "make return labels");
}
