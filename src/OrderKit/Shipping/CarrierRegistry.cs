using NodaTime;
using OrderKit.Internal;

namespace OrderKit.Shipping;

/// <summary>The carriers a shop uses, by code, and the choice of a rate among them.</summary>
/// <remarks>
/// <para><c>AddOrderKit</c> registers one over every <see cref="ICarrierAdapter"/> in DI.</para>
/// <para>Thread safety: immutable after construction and thread-safe.</para>
/// </remarks>
public sealed class CarrierRegistry
{
    /// <summary>The longest carrier code accepted, in characters.</summary>
    public const int MaxCodeLength = 50;

    private readonly Dictionary<string, ICarrierAdapter> _carriers;
    private readonly ICarrierAdapter[] _all;

    /// <summary>Creates a registry.</summary>
    /// <param name="carriers">The carriers; codes must be unique (compared without regard to case).</param>
    /// <exception cref="ArgumentException">A carrier is null, has a blank or too long code, or two share a code.</exception>
    public CarrierRegistry(IEnumerable<ICarrierAdapter> carriers)
        : this(carriers, BusinessCalendar.MondayToFriday)
    {
    }

    /// <summary>Creates a registry that counts transit days on a calendar.</summary>
    /// <param name="carriers">The carriers; codes must be unique (compared without regard to case).</param>
    /// <param name="transitCalendar">The days carriers deliver on, for the estimates of rates that give none; <c>AddOrderKit</c> passes <see cref="OrderKitOptions.TransitCalendar"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">A carrier is null, has a blank or too long code, or two share a code.</exception>
    public CarrierRegistry(IEnumerable<ICarrierAdapter> carriers, BusinessCalendar transitCalendar)
    {
        ArgumentNullException.ThrowIfNull(carriers);
        ArgumentNullException.ThrowIfNull(transitCalendar);
        TransitCalendar = transitCalendar;
        _all = [.. carriers];
        _carriers = new Dictionary<string, ICarrierAdapter>(_all.Length, StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < _all.Length; i++)
        {
            ICarrierAdapter carrier = _all[i] ?? throw new ArgumentException($"carriers[{i}] is null.", nameof(carriers));
            Text.Identifier(carrier.Code, $"carriers[{i}].Code", MaxCodeLength);
            if (!_carriers.TryAdd(carrier.Code, carrier))
            {
                throw new ArgumentException($"carriers[{i}] has code \"{carrier.Code}\", which another carrier has already.", nameof(carriers));
            }
        }
    }

    /// <summary>Gets the days carriers deliver on, over which the estimates of rates that give none are counted.</summary>
    public BusinessCalendar TransitCalendar { get; }

    /// <summary>Gets the carriers, in the order they were registered.</summary>
    public IReadOnlyList<ICarrierAdapter> All => _all;

    /// <summary>Returns the carrier with a code.</summary>
    /// <param name="code">The code.</param>
    /// <returns>The carrier.</returns>
    /// <exception cref="ArgumentException">No carrier has that code; the message lists those that exist.</exception>
    public ICarrierAdapter Get(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return _carriers.TryGetValue(code, out ICarrierAdapter? carrier)
            ? carrier
            : throw new ArgumentException($"No carrier has code \"{code}\"; registered: {(_all.Length == 0 ? "none" : string.Join(", ", _all.Select(static c => c.Code)))}.", nameof(code));
    }

    /// <summary>Returns the carrier with a code, if there is one.</summary>
    /// <param name="code">The code.</param>
    /// <param name="carrier">The carrier, or null.</param>
    /// <returns>Whether there is one.</returns>
    public bool TryGet(string code, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ICarrierAdapter? carrier)
    {
        ArgumentNullException.ThrowIfNull(code);
        return _carriers.TryGetValue(code, out carrier);
    }

    /// <summary>Asks every carrier that quotes rates (or those named) for its rates, cheapest first.</summary>
    /// <param name="request">The shipment to price.</param>
    /// <param name="carrierCodes">The carriers to ask; null for every one that quotes rates.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The rates, cheapest first, then fastest; each with an estimated delivery date when the request has a ship date.</returns>
    /// <exception cref="ArgumentException">The request is incomplete, or a code names no carrier.</exception>
    /// <exception cref="CarrierException">A carrier failed, or quoted in another currency than the request.</exception>
    public async Task<IReadOnlyList<ShippingRate>> GetRatesAsync(RateRequest request, IEnumerable<string>? carrierCodes = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        IEnumerable<ICarrierAdapter> carriers = carrierCodes is null
            ? _all.Where(static c => (c.Capabilities & CarrierCapabilities.Rates) != 0)
            : carrierCodes.Select(Get);
        var rates = new List<ShippingRate>();
        foreach (ICarrierAdapter carrier in carriers)
        {
            IReadOnlyList<ShippingRate> quoted = await carrier.GetRatesAsync(request, cancellationToken).ConfigureAwait(false);
            foreach (ShippingRate rate in quoted)
            {
                if (rate.Amount.Currency != request.Currency)
                {
                    throw new CarrierException(carrier.Code, $"quoted {rate} in {rate.Amount.Currency}, but the request is in {request.Currency}.");
                }

                if (!string.Equals(rate.CarrierCode, carrier.Code, StringComparison.OrdinalIgnoreCase))
                {
                    throw new CarrierException(carrier.Code, $"quoted {rate} under another carrier's code.");
                }

                rates.Add(rate.EstimatedDelivery is null && request.ShipDate is { } shipDate
                    ? rate with { EstimatedDelivery = TransitCalendar.AddWorkingDays(shipDate, Math.Min(rate.TransitDays, BusinessCalendar.MaxDays)) }
                    : rate);
            }
        }

        rates.Sort(static (a, b) => Cheaper(a, b));
        return rates;
    }

    /// <summary>Chooses a rate for a shipment by a policy.</summary>
    /// <param name="request">The shipment to price.</param>
    /// <param name="policy">How to choose.</param>
    /// <param name="deliverBy">The promised delivery date, for <see cref="CarrierSelectionPolicy.CheapestOnTime"/>; requires <see cref="RateRequest.ShipDate"/> unless the carriers estimate dates themselves.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The choice, or null when no carrier serves the destination.</returns>
    /// <exception cref="ArgumentException">The request is incomplete or the policy unknown.</exception>
    /// <exception cref="CarrierException">A carrier failed, or quoted in another currency.</exception>
    public async Task<RateSelection?> SelectRateAsync(RateRequest request, CarrierSelectionPolicy policy, LocalDate? deliverBy = null, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(policy))
        {
            throw new ArgumentException($"policy {(int)policy} is not a CarrierSelectionPolicy.", nameof(policy));
        }

        IReadOnlyList<ShippingRate> rates = await GetRatesAsync(request, null, cancellationToken).ConfigureAwait(false);
        if (rates.Count == 0)
        {
            return null;
        }

        ShippingRate fastest = rates.MinBy(static r => r, Comparer<ShippingRate>.Create(static (a, b) => Faster(a, b)))!;
        switch (policy)
        {
            case CarrierSelectionPolicy.Cheapest:
                return new RateSelection(rates[0], KeepsPromise(rates[0], deliverBy), rates);
            case CarrierSelectionPolicy.Fastest:
                return new RateSelection(fastest, KeepsPromise(fastest, deliverBy), rates);
            default:
                if (deliverBy is null)
                {
                    return new RateSelection(rates[0], true, rates);
                }

                ShippingRate? onTime = rates.FirstOrDefault(r => r.EstimatedDelivery is { } d && d <= deliverBy.Value);
                return onTime is not null ? new RateSelection(onTime, true, rates) : new RateSelection(fastest, KeepsPromise(fastest, deliverBy), rates);
        }
    }

    private static bool KeepsPromise(ShippingRate rate, LocalDate? deliverBy) =>
        deliverBy is null || (rate.EstimatedDelivery is { } d && d <= deliverBy.Value);

    private static int Cheaper(ShippingRate a, ShippingRate b)
    {
        int c = a.Amount.CompareTo(b.Amount);
        return c != 0 ? c : Faster(a, b) is var f && f != 0 ? f : Names(a, b);
    }

    private static int Faster(ShippingRate a, ShippingRate b)
    {
        int c = a.TransitDays.CompareTo(b.TransitDays);
        if (c == 0 && a.EstimatedDelivery is { } x && b.EstimatedDelivery is { } y)
        {
            c = x.CompareTo(y);
        }

        return c != 0 ? c : a.Amount.CompareTo(b.Amount) is var p && p != 0 ? p : Names(a, b);
    }

    private static int Names(ShippingRate a, ShippingRate b)
    {
        int c = string.CompareOrdinal(a.CarrierCode, b.CarrierCode);
        return c != 0 ? c : string.CompareOrdinal(a.Service, b.Service);
    }
}
