using System.Collections.ObjectModel;
using NodaTime;
using OrderKit.Events;
using OrderKit.Internal;

namespace OrderKit.Orders;

/// <summary>An order: what a customer bought, and everything that has happened to it since.</summary>
/// <remarks>
/// <para>The order is the aggregate OrderKit keeps consistent. Its actions (<see cref="Confirm"/>, <see cref="Hold"/>,
/// <see cref="Cancel"/>, <see cref="Ship"/>, …) either succeed completely or throw and change nothing: an action the
/// order's state does not permit throws <see cref="InvalidOrderTransitionException"/>, naming the action, the status
/// and the actions permitted now; an action with bad arguments throws an <see cref="ArgumentException"/> naming the
/// argument and its value. <see cref="AllowedActions"/> and the <c>Can…</c> testers say beforehand what would succeed.</para>
/// <para>Three axes describe an order. The <see cref="Status"/> follows the lifecycle in <c>docs/lifecycle.md</c>:
/// once confirmed, it follows from the quantities of the <see cref="Lines"/>. The <see cref="PaymentStatus"/> follows
/// the money. <see cref="ActiveHolds"/> block fulfillment (allocation and shipping) without changing the status
/// underneath.</para>
/// <para>Every accepted change records events, stamped by the injected <see cref="IClock"/>; the
/// <see cref="Timeline"/> is the order's full history. The actions change this object only: to change an order that
/// is stored, use <see cref="OrderService"/>, which loads the order, applies the action, and saves it with its new
/// events in one unit of work.</para>
/// <para>Thread safety: not thread-safe. An order is one unit of work's private copy: load one per command.</para>
/// </remarks>
public sealed partial class Order
{
    /// <summary>The largest number of lines an order can have.</summary>
    public const int MaxLines = 1000;

    private const int MaxReasonLength = 500;
    private const int MaxActorLength = 200;

    private readonly IClock _clock;
    private readonly OrderLine[] _lines;
    private readonly ReadOnlyCollection<OrderLine> _linesView;
    private const int LinesScannedWithoutIndex = 8;

    // Orders of up to eight lines find a line by a scan, which is faster than hashing the SKU; larger ones index them.
    private readonly Dictionary<Sku, OrderLine>? _lineIndex;
    private readonly List<OrderHold> _holds;
    private readonly ReadOnlyCollection<OrderHold> _holdsView;
    private readonly List<OrderEvent> _timeline;
    private readonly ReadOnlyCollection<OrderEvent> _timelineView;
    private OrderStatus _status;
    private PaymentStatus _paymentStatus;
    private OrderTotals _totals;
    private OrderCondition _stockConditions;
    private Money _authorized;
    private Money _captured;
    private Money _refunded;
    private int _nextHoldNumber;
    private int _committedEventCount;
    private List<StockEffect>? _stockEffects;

    private Order(
        IClock clock,
        OrderId id,
        CustomerId customerId,
        SalesChannel channel,
        Address shippingAddress,
        Address? billingAddress,
        Currency currency,
        OrderLine[] lines,
        Money shippingCharge,
        Money discount,
        LocalDate? promisedDeliveryDate,
        Instant placedAt)
    {
        _clock = clock;
        Id = id;
        CustomerId = customerId;
        Channel = channel;
        ShippingAddress = shippingAddress;
        BillingAddress = billingAddress ?? shippingAddress;
        Currency = currency;
        _lines = lines;
        _linesView = new ReadOnlyCollection<OrderLine>(lines);
        if (lines.Length > LinesScannedWithoutIndex)
        {
            _lineIndex = new Dictionary<Sku, OrderLine>(lines.Length);
            foreach (OrderLine line in lines)
            {
                _lineIndex.TryAdd(line.Sku, line);
            }
        }

        ShippingCharge = shippingCharge;
        Discount = discount;
        PromisedDeliveryDate = promisedDeliveryDate;
        PlacedAt = placedAt;
        _holds = [];
        _holdsView = _holds.AsReadOnly();
        _timeline = [];
        _timelineView = _timeline.AsReadOnly();
        _authorized = _captured = _refunded = Money.Zero(currency);
        _nextHoldNumber = 1;

        Subtotal = Money.Zero(currency);
        foreach (OrderLine line in lines)
        {
            Subtotal += line.Total;
        }

        Total = Subtotal + ShippingCharge - Discount;
    }

    /// <summary>Gets the order's identifier.</summary>
    public OrderId Id { get; }

    /// <summary>Gets the customer who placed the order.</summary>
    public CustomerId CustomerId { get; }

    /// <summary>Gets the sales channel the order came through.</summary>
    public SalesChannel Channel { get; }

    /// <summary>Gets the address to ship to.</summary>
    public Address ShippingAddress { get; }

    /// <summary>Gets the billing address; the shipping address when none was given.</summary>
    public Address BillingAddress { get; }

    /// <summary>Gets the currency of every amount in the order.</summary>
    public Currency Currency { get; }

    /// <summary>Gets the lines, in the order they were placed.</summary>
    public IReadOnlyList<OrderLine> Lines => _linesView;

    /// <summary>Gets the sum of the line totals.</summary>
    public Money Subtotal { get; }

    /// <summary>Gets the shipping charge paid by the customer; zero when there is none.</summary>
    public Money ShippingCharge { get; }

    /// <summary>Gets the order-level discount; zero when there is none.</summary>
    public Money Discount { get; }

    /// <summary>Gets what the customer pays: subtotal plus shipping charge minus discount.</summary>
    public Money Total { get; }

    /// <summary>Gets the date by which delivery was promised: the one placed with the order, or else the one computed at its first allocation from its locations and <see cref="ShippingMethod"/>; null while neither is known.</summary>
    /// <remarks>See <see cref="ShipBy"/> and <c>docs/delivery-promise.md</c>.</remarks>
    public LocalDate? PromisedDeliveryDate { get; private set; }

    /// <summary>Gets when the order was placed.</summary>
    public Instant PlacedAt { get; }

    /// <summary>Gets where the order stands in its lifecycle.</summary>
    public OrderStatus Status => _status;

    /// <summary>Gets where the order's payment stands.</summary>
    public PaymentStatus PaymentStatus => _paymentStatus;

    /// <summary>Gets the amount currently authorized, captured money included; voiding lowers it to what was captured.</summary>
    public Money AuthorizedAmount => _authorized;

    /// <summary>Gets the amount captured so far.</summary>
    public Money CapturedAmount => _captured;

    /// <summary>Gets the amount refunded so far.</summary>
    public Money RefundedAmount => _refunded;

    /// <summary>Gets the holds in force, oldest first; empty when the order is not held.</summary>
    public IReadOnlyList<OrderHold> ActiveHolds => _holdsView;

    /// <summary>Gets whether any hold is in force.</summary>
    public bool IsOnHold => _holds.Count > 0;

    /// <summary>Gets the version of the order as stored: 0 for an order not stored yet; each save adds one.</summary>
    public long Version { get; private set; }

    /// <summary>Gets everything that has happened to the order, oldest first.</summary>
    public IReadOnlyList<OrderEvent> Timeline => _timelineView;

    /// <summary>Gets whether the order has events not yet saved.</summary>
    public bool HasUnsavedChanges => _timeline.Count > _committedEventCount;

    /// <summary>Returns the line for a SKU.</summary>
    /// <param name="sku">The SKU.</param>
    /// <returns>The line.</returns>
    /// <exception cref="ArgumentException">The order has no line for <paramref name="sku"/>.</exception>
    public OrderLine GetLine(Sku sku) => FindLine(sku, nameof(sku));

    /// <summary>Places a new order: checks the request as a whole and records <see cref="OrderPlaced"/>.</summary>
    /// <param name="request">What the customer bought.</param>
    /// <param name="clock">The clock that stamps the order's events.</param>
    /// <returns>The order, in status <see cref="OrderStatus.Pending"/>, not yet stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> or <paramref name="clock"/> is null.</exception>
    /// <exception cref="ArgumentException">The request breaks a rule of <see cref="PlaceOrderRequest"/>; the message names the field and its value.</exception>
    public static Order Place(PlaceOrderRequest request, IClock clock) => Place(request, clock, null);

    /// <summary>Places a new order under a given identifier (a retry of a placement that committed nothing), or the request's.</summary>
    internal static Order Place(PlaceOrderRequest request, IClock clock, OrderId? orderId)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(clock);
        Currency currency = request.Currency;
        if (currency.IsDefault)
        {
            throw new ArgumentException("request.Currency is required.", nameof(request));
        }

        if (request.CustomerId.IsDefault)
        {
            throw new ArgumentException("request.CustomerId is required.", nameof(request));
        }

        if (request.Channel.IsDefault)
        {
            throw new ArgumentException("request.Channel is required.", nameof(request));
        }

        if (request.ShippingAddress is null)
        {
            throw new ArgumentException("request.ShippingAddress is required.", nameof(request));
        }

        if (request.ReplacementFor is { IsDefault: true })
        {
            throw new ArgumentException("request.ReplacementFor must not be the default value; leave it null for an order of its own.", nameof(request));
        }

        if (request.OrderId is { IsDefault: true })
        {
            throw new ArgumentException("request.OrderId must not be the default value; leave it null to have one made.", nameof(request));
        }

        OrderLine[] lines = CheckLines(request.Lines, currency, nameof(request));
        Money shipping = CheckCharge(request.ShippingCharge, currency, "request.ShippingCharge", nameof(request));
        Money discount = CheckCharge(request.Discount, currency, "request.Discount", nameof(request));
        Instant now = clock.GetCurrentInstant();
        var order = new Order(
            clock,
            orderId ?? request.OrderId ?? OrderKit.OrderId.New(now),
            request.CustomerId,
            request.Channel,
            request.ShippingAddress,
            request.BillingAddress,
            currency,
            lines,
            shipping,
            discount,
            request.PromisedDeliveryDate,
            now)
        {
            ShippingMethod = request.ShippingMethod,
            ReplacementFor = request.ReplacementFor,
        };
        if (order.Total.IsNegative)
        {
            throw new ArgumentException($"request.Discount {discount} is larger than the subtotal {order.Subtotal} plus the shipping charge {shipping}.", nameof(request));
        }

        order.SetTotals(OrderTotals.Of(lines));
        order.Record(new OrderPlaced(order.Id, order.NextSequence, now, order.CustomerId, order.Channel, lines.Length, order._totals.Ordered, order.Total));
        return order;
    }

    /// <summary>Returns the order's identifier, status, payment status and version, such as <c>ord_1 Allocated/Authorized v3</c>.</summary>
    /// <returns>The order as text; no personal data.</returns>
    public override string ToString() =>
        $"{Id} {_status}/{_paymentStatus} v{Version}" + (IsOnHold ? $" held({_holds.Count})" : string.Empty);

    internal IReadOnlyList<OrderEvent> UnsavedEvents => _timeline.GetRange(_committedEventCount, _timeline.Count - _committedEventCount);

    /// <summary>Marks the order as stored at the next version, after its unit of work committed.</summary>
    /// <summary>What the unsaved actions mean for counted stock: reservations to take, release or ship.</summary>
    internal IReadOnlyList<StockEffect> UnsavedStockEffects => _stockEffects is null ? [] : _stockEffects;

    internal void AcceptSave()
    {
        Version++;
        _committedEventCount = _timeline.Count;
        _stockEffects?.Clear();
    }

    private List<StockEffect> StockEffects => _stockEffects ??= [];

    private int NextSequence => _timeline.Count + 1;

    private Instant Now => _clock.GetCurrentInstant();

    private void Record(OrderEvent orderEvent) => _timeline.Add(orderEvent);

    /// <summary>Returns the line for a SKU, or throws naming the argument (<c>paramName[index].Sku</c> when an index is given).</summary>
    private OrderLine FindLine(Sku sku, string paramName, int index = -1)
    {
        if (!sku.IsDefault && LineOrNull(sku) is { } line)
        {
            return line;
        }

        // The argument's name is formatted only here, on the way out: the happy path allocates nothing.
        string name = index < 0 ? paramName : $"{paramName}[{index}].Sku";
        throw new ArgumentException(
            sku.IsDefault ? $"{name} is required." : $"{name} \"{sku}\" is not a line of order {Id}.",
            paramName);
    }

    private OrderLine? LineOrNull(Sku sku)
    {
        if (_lineIndex is not null)
        {
            return _lineIndex.GetValueOrDefault(sku);
        }

        foreach (OrderLine line in _lines)
        {
            if (line.Sku == sku)
            {
                return line;
            }
        }

        return null;
    }

    /// <summary>Returns the line of a SKU the caller has already checked.</summary>
    private OrderLine Line(Sku sku) => LineOrNull(sku) ?? throw new InvalidOperationException($"Order {Id} lost its line {sku}.");

    private bool HasDistinctSkus()
    {
        if (_lineIndex is not null)
        {
            return _lineIndex.Count == _lines.Length;
        }

        for (int i = 1; i < _lines.Length; i++)
        {
            for (int j = 0; j < i; j++)
            {
                if (_lines[i].Sku == _lines[j].Sku)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static OrderLine[] CheckLines(IReadOnlyList<PlaceOrderLine>? lines, Currency currency, string paramName)
    {
        if (lines is null || lines.Count == 0)
        {
            throw new ArgumentException("request.Lines must have at least one line.", paramName);
        }

        if (lines.Count > MaxLines)
        {
            throw new ArgumentException($"request.Lines has {lines.Count} lines; an order has at most {MaxLines}.", paramName);
        }

        var result = new OrderLine[lines.Count];
        var firstIndexOfSku = new Dictionary<Sku, int>(lines.Count);
        for (int i = 0; i < lines.Count; i++)
        {
            PlaceOrderLine? line = lines[i];
            if (line is null)
            {
                throw new ArgumentException($"request.Lines[{i}] is null.", paramName);
            }

            if (line.Sku.IsDefault)
            {
                throw new ArgumentException($"request.Lines[{i}].Sku is required.", paramName);
            }

            if (line.Quantity.IsDefault)
            {
                throw new ArgumentException($"request.Lines[{i}].Quantity must be positive; got 0 for SKU \"{line.Sku}\".", paramName);
            }

            if (line.UnitPrice.IsDefault)
            {
                throw new ArgumentException($"request.Lines[{i}].UnitPrice is required for SKU \"{line.Sku}\".", paramName);
            }

            if (line.UnitPrice.Currency != currency)
            {
                throw new ArgumentException($"request.Lines[{i}].UnitPrice is {line.UnitPrice}, but the order's currency is {currency}; one order takes one currency.", paramName);
            }

            if (line.UnitPrice.IsNegative)
            {
                throw new ArgumentException($"request.Lines[{i}].UnitPrice is {line.UnitPrice}; a price must not be negative.", paramName);
            }

            if (!firstIndexOfSku.TryAdd(line.Sku, i))
            {
                throw new ArgumentException($"request.Lines[{i}].Sku \"{line.Sku}\" repeats request.Lines[{firstIndexOfSku[line.Sku]}]; put all units of one SKU on one line.", paramName);
            }

            result[i] = new OrderLine(line.Sku, line.UnitPrice, line.Quantity.Value);
        }

        return result;
    }

    private static Money CheckCharge(Money? charge, Currency currency, string field, string paramName)
    {
        if (charge is not { } value)
        {
            return Money.Zero(currency);
        }

        if (value.IsDefault)
        {
            throw new ArgumentException($"{field} must not be the default value; leave it null for none.", paramName);
        }

        if (value.Currency != currency)
        {
            throw new ArgumentException($"{field} is {value}, but the order's currency is {currency}; one order takes one currency.", paramName);
        }

        if (value.IsNegative)
        {
            throw new ArgumentException($"{field} is {value}; it must not be negative.", paramName);
        }

        return value;
    }

    private static string Required(string? value, string paramName, int maxLength) => Text.Required(value, paramName, maxLength);
}
