using System.Runtime.CompilerServices;
using NodaTime;
using OrderKit.Events;
using OrderKit.Fulfillment;
using OrderKit.Internal;
using OrderKit.Returns;

namespace OrderKit.Orders;

public sealed partial class Order
{
    /// <summary>Returns the order as plain data, for a store to persist.</summary>
    /// <returns>A snapshot at the order's current <see cref="Version"/>.</returns>
    public OrderSnapshot ToSnapshot() => ToSnapshotAtVersion(Version);

    /// <summary>Turns a stored snapshot back into an order, after checking that it is consistent.</summary>
    /// <param name="snapshot">The snapshot, as a store read it.</param>
    /// <param name="clock">The clock that stamps the order's future events.</param>
    /// <returns>The order, at the snapshot's version, with no unsaved changes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> or <paramref name="clock"/> is null.</exception>
    /// <exception cref="ArgumentException">The snapshot is not a consistent order (quantities that do not add up, a status its quantities do not lead to, a broken timeline, …); the message names the field.</exception>
    public static Order FromSnapshot(OrderSnapshot snapshot, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(clock);
        try
        {
            return Restore(snapshot, clock);
        }
        catch (ArgumentException exception) when (exception.ParamName != nameof(snapshot))
        {
            throw Corrupt(snapshot, exception.Message, exception);
        }
        catch (OverflowException exception)
        {
            throw Corrupt(snapshot, exception.Message, exception);
        }
    }

    /// <summary>Returns a snapshot to save as the given version.</summary>
    internal OrderSnapshot ToSnapshotAtVersion(long version)
    {
        var lines = new OrderLineSnapshot[_lines.Length];
        for (int i = 0; i < lines.Length; i++)
        {
            OrderLine line = _lines[i];
            lines[i] = new OrderLineSnapshot
            {
                Sku = line.Sku,
                UnitPrice = line.UnitPrice,
                Ordered = line.Ordered,
                Cancelled = line.Cancelled,
                Allocated = line.Allocated,
                Backordered = line.Backordered,
                Shipped = line.Shipped,
                Delivered = line.Delivered,
                Returned = line.Returned,
                AllocatedAt = line.AllocatedAt.Count == 0 ? [] : [.. line.AllocatedAt],
            };
        }

        return new OrderSnapshot
        {
            Id = Id,
            Version = version,
            CustomerId = CustomerId,
            Channel = Channel,
            ShippingAddress = ShippingAddress,
            BillingAddress = BillingAddress,
            Currency = Currency,
            Lines = lines,
            ShippingCharge = ShippingCharge,
            Discount = Discount,
            PromisedDeliveryDate = PromisedDeliveryDate,
            PlacedAt = PlacedAt,
            ShippingMethod = ShippingMethod,
            ReplacementFor = ReplacementFor,
            ShipBy = _shipBy,
            AtRiskSince = _atRiskSince,
            DeliveredAt = _deliveredAt,
            Status = _status,
            PaymentStatus = _paymentStatus,
            AuthorizedAmount = _authorized,
            CapturedAmount = _captured,
            RefundedAmount = _refunded,
            Holds = [.. _holds],
            NextHoldNumber = _nextHoldNumber,
            Shipments = _shipmentList is null ? [] : [.. _shipmentList],
            Returns = _returnList is null ? [] : [.. _returnList],
            Claims = _claimList is null ? [] : [.. _claimList],
            Timeline = [.. _timeline],
        };
    }

    private static Order Restore(OrderSnapshot s, IClock clock)
    {
        Check(!s.Id.IsDefault, "Id is missing");
        Check(s.Version >= 1, $"Version is {s.Version}; a stored order has version 1 or more");
        Check(!s.CustomerId.IsDefault, "CustomerId is missing");
        Check(!s.Channel.IsDefault, "Channel is missing");
        Check(s.ShippingAddress is not null && s.BillingAddress is not null, "an address is missing");
        Check(!s.Currency.IsDefault, "Currency is missing");
        Check(s.Lines is { Count: > 0 and <= MaxLines }, $"Lines must hold 1 to {MaxLines} lines");
        Check(Enum.IsDefined(s.Status), $"Status {(int)s.Status} is unknown");
        Check(Enum.IsDefined(s.PaymentStatus), $"PaymentStatus {(int)s.PaymentStatus} is unknown");
        Check(s.Holds is not null && s.Timeline is not null, "Holds or Timeline is missing");

        var lines = new OrderLine[s.Lines!.Count];
        for (int i = 0; i < lines.Length; i++)
        {
            OrderLineSnapshot? l = s.Lines[i];
            Check(l is not null && !l.Sku.IsDefault && !l.UnitPrice.IsDefault, $"Lines[{i}] is incomplete");
            Check(l!.UnitPrice.Currency == s.Currency && !l.UnitPrice.IsNegative, $"Lines[{i}].UnitPrice {l.UnitPrice} is not a price in {s.Currency}");
            Check(l.Ordered >= 1 && l.Cancelled >= 0 && l.Allocated >= 0 && l.Backordered >= 0 && l.Shipped >= 0 && l.Delivered >= 0 && l.Returned >= 0, $"Lines[{i}] has a negative quantity or nothing ordered");
            var line = new OrderLine(l.Sku, l.UnitPrice, l.Ordered)
            {
                Cancelled = l.Cancelled,
                Allocated = l.Allocated,
                Backordered = l.Backordered,
                Shipped = l.Shipped,
                Delivered = l.Delivered,
                Returned = l.Returned,
            };
            Check(line.Open >= 0 && line.AwaitingAllocation >= 0, $"Lines[{i}] ({l.Sku}) quantities do not add up: {line}");
            Check(line.Delivered <= line.Shipped && line.Returned <= line.Delivered, $"Lines[{i}] ({l.Sku}) delivers or returns more than shipped: {line}");
            if (l.AllocatedAt is { Count: > 0 } allocatedAt)
            {
                long located = 0;
                foreach (AllocatedStock stock in allocatedAt)
                {
                    Check(!stock.Location.IsDefault && stock.Quantity > 0, $"Lines[{i}] ({l.Sku}).AllocatedAt has an entry without a location or units");
                    located += stock.Quantity;
                }

                Check(located <= l.Allocated, $"Lines[{i}] ({l.Sku}).AllocatedAt holds {located} units, more than the {l.Allocated} allocated");
                line.RestoreAllocatedAt(allocatedAt);
            }
            else
            {
                Check(l.AllocatedAt is not null, $"Lines[{i}] ({l.Sku}).AllocatedAt is missing");
            }

            lines[i] = line;
        }

        var order = new Order(clock, s.Id, s.CustomerId, s.Channel, s.ShippingAddress!, s.BillingAddress, s.Currency, lines, s.ShippingCharge, s.Discount, s.PromisedDeliveryDate, s.PlacedAt)
        {
            ShippingMethod = s.ShippingMethod,
            ReplacementFor = s.ReplacementFor,
        };
        Check(order.HasDistinctSkus(), "a SKU appears on two lines");
        order.SetTotals(OrderTotals.Of(lines));
        OrderStatus expected = s.Status == OrderStatus.Completed ? OrderStatus.Delivered : s.Status;
        OrderStatus derived = order._totals.DeriveStatus(s.Status == OrderStatus.Completed ? OrderStatus.Confirmed : s.Status);
        Check(derived == expected, $"Status is {s.Status}, but the line quantities lead to {derived}");

        CheckAmount(s.AuthorizedAmount, s.Currency, nameof(s.AuthorizedAmount));
        CheckAmount(s.CapturedAmount, s.Currency, nameof(s.CapturedAmount));
        CheckAmount(s.RefundedAmount, s.Currency, nameof(s.RefundedAmount));

        Check(s.CapturedAmount <= s.AuthorizedAmount && s.RefundedAmount <= s.CapturedAmount, "the payment amounts do not nest (refunded <= captured <= authorized)");
        order._status = s.Status;
        order._paymentStatus = s.PaymentStatus;
        order._authorized = s.AuthorizedAmount;
        order._captured = s.CapturedAmount;
        order._refunded = s.RefundedAmount;

        foreach (OrderHold? hold in s.Holds!)
        {
            Check(hold is not null && hold.Number >= 1 && hold.Number < s.NextHoldNumber, "Holds has an entry with a number not below NextHoldNumber");
            order._holds.Add(hold!);
        }

        order._nextHoldNumber = s.NextHoldNumber;
        Check(s.Shipments is not null, "Shipments is missing");
        order.RestoreShipments(s.Shipments!);
        Check(s.Returns is not null, "Returns is missing");
        order.RestoreReturns(s.Returns!);
        Check(s.Claims is not null, "Claims is missing");
        for (int i = 0; i < s.Claims!.Count; i++)
        {
            Claim? claim = s.Claims[i];
            Check(claim is not null && claim.Number == i + 1 && claim.Resolution is not null, $"Claims[{i}] is not claim {i + 1}, or has no resolution");
            (order._claimList ??= []).Add(claim!);
        }
        for (int i = 0; i < s.Timeline!.Count; i++)
        {
            OrderEvent? e = s.Timeline[i];
            Check(e is not null && e.OrderId == s.Id && e.Sequence == i + 1, $"Timeline[{i}] is not event {i + 1} of order {s.Id}");
            order._timeline.Add(e!);
        }

        Check(order._timeline.Count > 0 && order._timeline[0] is OrderPlaced, "Timeline does not start with OrderPlaced");
        Check(s.AtRiskSince is null || s.ShipBy is not null, "AtRiskSince is set, but ShipBy is not");
        order._shipBy = s.ShipBy;
        order._atRiskSince = s.AtRiskSince;
        order._deliveredAt = s.DeliveredAt ?? (s.Status is OrderStatus.Delivered or OrderStatus.Completed ? order.LastDeliveredFromTimeline() : null);
        order.Version = s.Version;
        order._committedEventCount = order._timeline.Count;
        return order;
    }

    private void RestoreShipments(IReadOnlyList<Shipment> shipments)
    {
        if (shipments.Count == 0)
        {
            return;
        }

        var shipped = new Dictionary<Sku, int>();
        var delivered = new Dictionary<Sku, int>();
        for (int i = 0; i < shipments.Count; i++)
        {
            Shipment? shipment = shipments[i];
            Check(shipment is not null && shipment.Number == i + 1, $"Shipments[{i}] is not shipment {i + 1}");
            Check(Enum.IsDefined(shipment!.Status) && !shipment.Location.IsDefault, $"Shipments[{i}] has an unknown status or no location");
            Check(shipment.Lines is { Count: > 0 } && shipment.Parcels is not null && shipment.Tracking is not null, $"Shipments[{i}] has no lines, or its parcels or tracking are missing");
            for (int j = 0; j < shipment.Lines.Count; j++)
            {
                ShipmentLine line = shipment.Lines[j];
                Check(!line.Sku.IsDefault && LineOrNull(line.Sku) is not null, $"Shipments[{i}].Lines[{j}] names a SKU that is not a line of the order");
                Check(line.Quantity >= 1 && line.Picked >= 0 && line.Packed >= 0 && line.Packed <= line.Picked && line.Picked <= line.Quantity, $"Shipments[{i}].Lines[{j}] ({line}) quantities do not nest (packed <= picked <= quantity)");
                for (int k = 0; k < j; k++)
                {
                    Check(shipment.Lines[k].Sku != line.Sku, $"Shipments[{i}] repeats SKU {line.Sku}");
                }

                if (shipment.HasShipped)
                {
                    shipped[line.Sku] = shipped.GetValueOrDefault(line.Sku) + line.Quantity;
                }

                if (shipment.DeliveredAt is not null)
                {
                    delivered[line.Sku] = delivered.GetValueOrDefault(line.Sku) + line.Quantity;
                }
            }

            (_shipmentList ??= []).Add(shipment);
        }

        foreach (OrderLine line in _lines)
        {
            Check(shipped.GetValueOrDefault(line.Sku) <= line.Shipped, $"the shipments of {line.Sku} ship more than its line has shipped ({line.Shipped})");
            Check(delivered.GetValueOrDefault(line.Sku) <= line.Delivered, $"the shipments of {line.Sku} deliver more than its line has delivered ({line.Delivered})");
            foreach (AllocatedStock stock in line.AllocatedAt)
            {
                Check(InShipments(line.Sku, stock.Location) <= line.UnitsAt(stock.Location), $"the open shipments of {line.Sku} at {stock.Location} carry more than is allocated there ({line.UnitsAt(stock.Location)})");
            }

            Check(InShipments(line.Sku, null) <= line.Allocated - line.AllocatedWithoutLocation, $"the open shipments of {line.Sku} carry more than is allocated at locations");
        }
    }

    private static void Check(bool condition, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException(problem + ".");
        }
    }

    // A restore checks every field of every line and event; the message of a check that passes is never formatted.
    private static void Check(bool condition, [InterpolatedStringHandlerArgument(nameof(condition))] ref FailureMessageHandler problem)
    {
        if (!condition)
        {
            throw new ArgumentException(problem.ToStringAndClear() + ".");
        }
    }

    private static void CheckAmount(Money amount, Currency currency, string name) =>
        Check(!amount.IsDefault && amount.Currency == currency && !amount.IsNegative, $"{name} {amount} is not an amount in {currency}");

    private static ArgumentException Corrupt(OrderSnapshot snapshot, string problem, Exception inner) =>
        new($"The stored order {snapshot.Id} (version {snapshot.Version}) is not consistent: {problem}", nameof(snapshot), inner);
}
