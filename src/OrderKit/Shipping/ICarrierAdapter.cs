using OrderKit.Fulfillment;

namespace OrderKit.Shipping;

/// <summary>The port to a carrier: rates, labels, voids, tracking, address checks and return labels.</summary>
/// <remarks>
/// <para><b>Registration.</b> Register adapters in DI (<c>builder.AddCarrier(…)</c>); the
/// <see cref="CarrierRegistry"/> finds them by <see cref="Code"/>, which must be unique, stable (it is stored on
/// every label) and at most <see cref="CarrierRegistry.MaxCodeLength"/> characters.</para>
/// <para><b>Thread safety.</b> An adapter is a singleton: every member may be called from many threads at once.</para>
/// <para><b>Capabilities.</b> <see cref="Capabilities"/> says which members work. A member outside them throws
/// <see cref="NotSupportedException"/>, and OrderKit does not call it.</para>
/// <para><b>Idempotency.</b> <see cref="PurchaseLabelAsync"/> and <see cref="CreateReturnLabelAsync"/> take an
/// idempotency key: a second call with the same key returns the label the first one bought, and never buys
/// another, even when the first call's answer was lost (pass the key on to the carrier's own idempotency header,
/// or remember it). <see cref="VoidLabelAsync"/> of a label already voided succeeds. The other members only read.</para>
/// <para><b>Failures.</b> Throw <see cref="CarrierException"/>: with <see cref="CarrierException.IsTransient"/>
/// true for outages, timeouts and rate limits, false for refusals (an address the carrier cannot serve, a label
/// that can no longer be voided). Throw <see cref="ArgumentException"/> for a request the adapter cannot express.
/// Honour the <see cref="CancellationToken"/> with <see cref="OperationCanceledException"/>. OrderKit retries
/// transient failures of every member a bounded number of times (a purchase always with the same key) and nothing
/// else; it never records a label it did not receive.</para>
/// <para><b>Money and time.</b> Rates and label costs are in the request's currency; an adapter that cannot quote in
/// it returns no rate rather than another currency. Tracking updates carry the carrier's time as an
/// <see cref="NodaTime.Instant"/> and its raw status beside OrderKit's <see cref="TrackingStatus"/>.</para>
/// <para><c>OrderKit.Testing</c> has a conformance suite that checks this contract against any adapter, and a
/// deterministic fake; <c>docs/carriers.md</c> shows how to write an adapter.</para>
/// </remarks>
public interface ICarrierAdapter
{
    /// <summary>Gets the carrier's code, such as <c>dhl</c>: unique in the registry and stable.</summary>
    string Code { get; }

    /// <summary>Gets what the adapter can do.</summary>
    CarrierCapabilities Capabilities { get; }

    /// <summary>Quotes the carrier's services for a shipment.</summary>
    /// <param name="request">The shipment to price.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One rate per service that serves the destination, in the request's currency; empty when none does.</returns>
    /// <exception cref="NotSupportedException">The adapter does not quote rates.</exception>
    /// <exception cref="CarrierException">The carrier failed or refused.</exception>
    ValueTask<IReadOnlyList<ShippingRate>> GetRatesAsync(RateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Buys a label; a second call with the same key returns the first label and buys nothing.</summary>
    /// <param name="request">The shipment and the service to buy.</param>
    /// <param name="idempotencyKey">The key that makes a retry safe; OrderKit passes one per order, shipment and label.</param>
    /// <param name="cancellationToken">Cancels the call; a label may still have been bought, and a retry with the same key returns it.</param>
    /// <returns>The label, with the carrier's tracking number, in the request's currency.</returns>
    /// <exception cref="NotSupportedException">The adapter does not sell labels.</exception>
    /// <exception cref="CarrierException">The carrier failed or refused.</exception>
    ValueTask<ShippingLabel> PurchaseLabelAsync(LabelRequest request, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>Voids a label not yet used, so that it is not charged; voiding one already voided succeeds.</summary>
    /// <param name="label">The label, as <see cref="PurchaseLabelAsync"/> returned it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the carrier has accepted the void.</returns>
    /// <exception cref="NotSupportedException">The adapter cannot void labels.</exception>
    /// <exception cref="CarrierException">The carrier failed, or refused because the label has been used.</exception>
    ValueTask VoidLabelAsync(ShippingLabel label, CancellationToken cancellationToken = default);

    /// <summary>Reads what the carrier knows about a parcel.</summary>
    /// <param name="trackingNumber">The tracking number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Every update the carrier has, in any order; empty when it knows the number but has nothing yet.</returns>
    /// <exception cref="NotSupportedException">The adapter does not track.</exception>
    /// <exception cref="CarrierException">The carrier failed, or does not know the number.</exception>
    ValueTask<IReadOnlyList<TrackingUpdate>> TrackAsync(string trackingNumber, CancellationToken cancellationToken = default);

    /// <summary>Asks the carrier whether it can deliver to an address.</summary>
    /// <param name="address">The address.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>Whether it is deliverable, with corrections and problems.</returns>
    /// <exception cref="NotSupportedException">The adapter does not check addresses.</exception>
    /// <exception cref="CarrierException">The carrier failed.</exception>
    ValueTask<AddressValidationResult> ValidateAddressAsync(Address address, CancellationToken cancellationToken = default);

    /// <summary>Makes a label for the customer to send parcels back; a second call with the same key returns the first label.</summary>
    /// <param name="request">Where from, where to, and what.</param>
    /// <param name="idempotencyKey">The key that makes a retry safe.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The return label.</returns>
    /// <exception cref="NotSupportedException">The adapter does not make return labels.</exception>
    /// <exception cref="CarrierException">The carrier failed or refused.</exception>
    ValueTask<ShippingLabel> CreateReturnLabelAsync(ReturnLabelRequest request, string idempotencyKey, CancellationToken cancellationToken = default);
}
