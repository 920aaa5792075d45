using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using OrderKit.Fulfillment;
using OrderKit.Shipping;

namespace OrderKit.Testing;

/// <summary>A deterministic carrier for tests: every capability, scripted tracking, a webhook format, and failures on demand.</summary>
/// <remarks>
/// <para>Rates: <c>standard</c> at 4.90 in 3 days and <c>express</c> at 12.90 in 1 day, in the request's currency,
/// to every country. Labels: the tracking number is <c>FAKE</c> and a running number, one per idempotency key, so a
/// retry with the same key returns the same label; <see cref="LabelsPurchased"/> counts the labels really bought.
/// Tracking: what <see cref="AddTracking"/> scripted. Webhook payloads are JSON:
/// <c>{"events":[{"tracking":"FAKE1","status":"in_transit","at":"2026-11-20T08:00:00Z","id":"evt-1","detail":"…"}]}</c>,
/// with the statuses <c>label_created</c>, <c>in_transit</c>, <c>out_for_delivery</c>, <c>pickup_ready</c>,
/// <c>attempt_failed</c>, <c>delivered</c>, <c>returned</c>, <c>exception</c>, <c>cancelled</c> (others become
/// <see cref="TrackingStatus.Unknown"/>).</para>
/// <para>Thread safety: thread-safe.</para>
/// </remarks>
public sealed class FakeCarrier : ICarrierAdapter, ICarrierWebhook
{
    private readonly ConcurrentDictionary<string, ShippingLabel> _labels = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<TrackingUpdate>> _tracking = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _voided = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private int _failures;
    private bool _failuresTransient;
    private int _labelCount;

    /// <summary>Creates the carrier.</summary>
    /// <param name="code">Its code; <c>fake</c> unless given.</param>
    public FakeCarrier(string code = "fake")
    {
        Code = code;
    }

    /// <inheritdoc />
    public string Code { get; }

    /// <inheritdoc />
    public CarrierCapabilities Capabilities => CarrierCapabilities.Rates | CarrierCapabilities.Labels | CarrierCapabilities.VoidLabels
        | CarrierCapabilities.Tracking | CarrierCapabilities.AddressValidation | CarrierCapabilities.ReturnLabels;

    /// <summary>Gets the number of labels bought (retries with a known key not counted), return labels included.</summary>
    public int LabelsPurchased => _labels.Count;

    /// <summary>Gets the tracking numbers of the labels voided.</summary>
    public IReadOnlyCollection<string> Voided => [.. _voided.Keys];

    /// <summary>Makes the next calls fail with <see cref="CarrierException"/>.</summary>
    /// <param name="count">How many calls fail.</param>
    /// <param name="transient">Whether the failures are transient.</param>
    public void FailNext(int count, bool transient = true)
    {
        lock (_gate)
        {
            _failures = count;
            _failuresTransient = transient;
        }
    }

    /// <summary>Scripts what <see cref="TrackAsync"/> reports for a tracking number.</summary>
    /// <param name="trackingNumber">The tracking number.</param>
    /// <param name="update">The update to add.</param>
    public void AddTracking(string trackingNumber, TrackingUpdate update) =>
        _tracking.GetOrAdd(trackingNumber, static _ => new ConcurrentQueue<TrackingUpdate>()).Enqueue(update);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<ShippingRate>> GetRatesAsync(RateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Enter(cancellationToken);
        request.Validate();
        IReadOnlyList<ShippingRate> rates =
        [
            new ShippingRate(Code, "standard", Money.Round(4.90m, request.Currency, MidpointRounding.ToEven), 3),
            new ShippingRate(Code, "express", Money.Round(12.90m, request.Currency, MidpointRounding.ToEven), 1),
        ];
        return ValueTask.FromResult(rates);
    }

    /// <inheritdoc />
    public ValueTask<ShippingLabel> PurchaseLabelAsync(LabelRequest request, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        Enter(cancellationToken);
        request.Shipment.Validate();
        decimal price = request.Service switch
        {
            "standard" => 4.90m,
            "express" => 12.90m,
            _ => throw new ArgumentException($"Carrier {Code} has no service \"{request.Service}\"; it has standard, express.", nameof(request)),
        };
        return ValueTask.FromResult(Label("label\n" + idempotencyKey, request.Service, Money.Round(price, request.Shipment.Currency, MidpointRounding.ToEven)));
    }

    /// <inheritdoc />
    public ValueTask VoidLabelAsync(ShippingLabel label, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(label);
        Enter(cancellationToken);
        _voided[label.TrackingNumber] = true;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<TrackingUpdate>> TrackAsync(string trackingNumber, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trackingNumber);
        Enter(cancellationToken);
        if (!_labels.Values.Any(l => l.TrackingNumber == trackingNumber) && !_tracking.ContainsKey(trackingNumber))
        {
            throw new CarrierException(Code, $"tracking number {trackingNumber} is unknown.");
        }

        IReadOnlyList<TrackingUpdate> updates = _tracking.TryGetValue(trackingNumber, out ConcurrentQueue<TrackingUpdate>? queue) ? [.. queue] : [];
        return ValueTask.FromResult(updates);
    }

    /// <inheritdoc />
    public ValueTask<AddressValidationResult> ValidateAddressAsync(Address address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        Enter(cancellationToken);
        return ValueTask.FromResult(address.PostalCode is null
            ? new AddressValidationResult(false, null, ["the postal code is missing"])
            : new AddressValidationResult(true, null, []));
    }

    /// <inheritdoc />
    public ValueTask<ShippingLabel> CreateReturnLabelAsync(ReturnLabelRequest request, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        Enter(cancellationToken);
        return ValueTask.FromResult(Label("return\n" + idempotencyKey, request.Service ?? "return", Money.Round(4.90m, request.Currency, MidpointRounding.ToEven)));
    }

    /// <inheritdoc />
    public IReadOnlyList<CarrierTrackingEvent> ParseWebhook(string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        try
        {
            using JsonDocument document = JsonDocument.Parse(payload);
            if (!document.RootElement.TryGetProperty("events", out JsonElement events) || events.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("The payload has no \"events\" array.");
            }

            var result = new List<CarrierTrackingEvent>();
            int i = 0;
            foreach (JsonElement e in events.EnumerateArray())
            {
                string tracking = Required(e, "tracking", i);
                string status = Required(e, "status", i);
                ParseResult<Instant> at = InstantPattern.ExtendedIso.Parse(Required(e, "at", i));
                if (!at.Success)
                {
                    throw new FormatException($"events[{i}].at \"{e.GetProperty("at").GetString()}\" is not an ISO-8601 instant.");
                }

                result.Add(new CarrierTrackingEvent(tracking, new TrackingUpdate(StatusOf(status), at.Value, status)
                {
                    EventId = e.TryGetProperty("id", out JsonElement id) ? id.GetString() : null,
                    Detail = e.TryGetProperty("detail", out JsonElement detail) ? detail.GetString() : null,
                }));
                i++;
            }

            return result;
        }
        catch (JsonException e)
        {
            throw new FormatException($"The payload is not JSON: {e.Message}", e);
        }
    }

    private static string Required(JsonElement e, string name, int index) =>
        e.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!
            : throw new FormatException($"events[{index}].{name} is missing or not a string.");

    private static TrackingStatus StatusOf(string raw) => raw switch
    {
        "label_created" => TrackingStatus.LabelCreated,
        "in_transit" => TrackingStatus.InTransit,
        "out_for_delivery" => TrackingStatus.OutForDelivery,
        "pickup_ready" => TrackingStatus.AvailableForPickup,
        "attempt_failed" => TrackingStatus.DeliveryAttemptFailed,
        "delivered" => TrackingStatus.Delivered,
        "returned" => TrackingStatus.ReturnedToSender,
        "exception" => TrackingStatus.Exception,
        "cancelled" => TrackingStatus.Cancelled,
        _ => TrackingStatus.Unknown,
    };

    private ShippingLabel Label(string key, string service, Money cost) =>
        _labels.GetOrAdd(key, _ =>
        {
            string tracking = "FAKE" + Interlocked.Increment(ref _labelCount).ToString(CultureInfo.InvariantCulture);
            return new ShippingLabel(Code, service, tracking, "lbl-" + tracking, cost)
            {
                TrackingUrl = new Uri("https://fake-carrier.example/track/" + tracking),
                TransitDays = service == "express" ? 1 : 3,
            };
        });

    private void Enter(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_failures > 0)
            {
                _failures--;
                throw new CarrierException(Code, "failing on purpose (FailNext).", _failuresTransient);
            }
        }
    }
}
