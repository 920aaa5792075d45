using System.Collections.ObjectModel;
using NodaTime;
using OrderKit.Events;
using OrderKit.Fulfillment;
using OrderKit.Returns;

namespace OrderKit.Orders;

public sealed partial class Order
{
    private List<ReturnRequest>? _returnList;
    private ReadOnlyCollection<ReturnRequest>? _returnsView;
    private List<Claim>? _claimList;
    private ReadOnlyCollection<Claim>? _claimsView;

    /// <summary>Gets the claims (goodwill, shipments lost or damaged in transit), in the order they were recorded.</summary>
    public IReadOnlyList<Claim> Claims => _claimList is null ? [] : _claimsView ??= _claimList.AsReadOnly();

    /// <summary>Gets the return requests, in the order they were made; empty until <see cref="RequestReturn"/>.</summary>
    public IReadOnlyList<ReturnRequest> Returns => _returnList is null ? [] : _returnsView ??= _returnList.AsReadOnly();

    /// <summary>Returns a return request by its number.</summary>
    /// <param name="number">The request's number within the order.</param>
    /// <returns>The request as it stands.</returns>
    /// <exception cref="ArgumentException">The order has no return request with that number.</exception>
    public ReturnRequest GetReturn(int number) => _returnList![ReturnIndex(number, nameof(number))];

    /// <summary>Returns the units of a SKU the customer may still ask to return: delivered, less returned, less those in requests still awaiting their units.</summary>
    /// <param name="sku">The SKU.</param>
    /// <returns>The units.</returns>
    /// <exception cref="ArgumentException">The order has no line for <paramref name="sku"/>.</exception>
    public int ReturnableUnits(Sku sku)
    {
        OrderLine line = FindLine(sku, nameof(sku));
        return line.Delivered - line.Returned - AwaitingReturn(sku);
    }

    /// <summary>Opens a return request for delivered units.</summary>
    /// <remarks>
    /// Each SKU's units must have been delivered and not returned or asked back already
    /// (<see cref="ReturnableUnits"/>), and asked within the return window the policy gives the SKU, counted from the
    /// day its units were last delivered in <paramref name="timeZone"/>. Staff may accept a late request by giving
    /// <paramref name="windowOverride"/>, a reason that stays on the request. Records <see cref="ReturnRequested"/>.
    /// </remarks>
    /// <param name="lines">The units, one entry per SKU.</param>
    /// <param name="policy">The return policy, usually <see cref="OrderKitOptions.Returns"/>.</param>
    /// <param name="timeZone">The zone the window's days are counted in, usually <see cref="OrderKitOptions.TimeZone"/>.</param>
    /// <param name="windowOverride">Staff's reason to accept a request after the window; null otherwise.</param>
    /// <returns>The new request, in status <see cref="ReturnStatus.Requested"/>.</returns>
    /// <exception cref="ArgumentException">A line is missing or repeats a SKU, names a SKU the order does not have, asks for more than is returnable, or is late without an override.</exception>
    public ReturnRequest RequestReturn(IReadOnlyList<ReturnLine> lines, ReturnPolicy policy, DateTimeZone timeZone, string? windowOverride = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(timeZone);
        string? overrideReason = windowOverride is null ? null : Required(windowOverride, nameof(windowOverride), MaxReasonLength);
        if (lines.Count == 0)
        {
            throw new ArgumentException("lines must have at least one line.", nameof(lines));
        }

        Instant now = Now;
        LocalDate today = now.InZone(timeZone).Date;
        for (int i = 0; i < lines.Count; i++)
        {
            ReturnLine line = lines[i] ?? throw new ArgumentException($"lines[{i}] is null.", nameof(lines));
            for (int j = 0; j < i; j++)
            {
                if (lines[j].Sku == line.Sku)
                {
                    throw new ArgumentException($"lines[{i}].Sku \"{line.Sku}\" repeats lines[{j}]; put all units of one SKU on one line.", nameof(lines));
                }
            }

            int returnable = ReturnableUnits(FindLine(line.Sku, nameof(lines), i).Sku);
            if (line.Quantity.Value > returnable)
            {
                throw new ArgumentException($"lines[{i}] asks to return {line.Quantity} x {line.Sku}, but only {returnable} can be returned (delivered, less returned and already asked back).", nameof(lines));
            }

            if (overrideReason is null && LastDelivered(line.Sku) is { } delivered)
            {
                LocalDate lastDay = policy.LastDayToReturn(Channel, line.Sku, delivered.InZone(timeZone).Date);
                if (today > lastDay)
                {
                    throw new ArgumentException($"lines[{i}] ({line.Sku}) is past its return window: the last day was {lastDay:uuuu-MM-dd}. Staff can accept it with a window override.", nameof(lines));
                }
            }
        }

        var request = new ReturnRequest
        {
            Number = (_returnList?.Count ?? 0) + 1,
            Status = ReturnStatus.Requested,
            Lines = [.. lines],
            RequestedAt = now,
            WindowOverride = overrideReason,
        };
        (_returnList ??= []).Add(request);
        Record(new ReturnRequested(Id, NextSequence, now, request.Number, request.Lines, overrideReason));
        return request;
    }

    /// <summary>Accepts a return request: the customer may send the units. Records <see cref="ReturnAuthorized"/>.</summary>
    /// <param name="number">The request's number.</param>
    /// <exception cref="ArgumentException">There is no such request.</exception>
    /// <exception cref="InvalidReturnTransitionException">It is not awaiting a decision.</exception>
    public void AuthorizeReturn(int number)
    {
        int index = ReturnIndex(number, nameof(number));
        FireReturn(index, ReturnActions.Authorize);
        Record(new ReturnAuthorized(Id, NextSequence, Now, number));
    }

    /// <summary>Refuses a return request. Records <see cref="ReturnRejected"/>.</summary>
    /// <param name="number">The request's number.</param>
    /// <param name="reason">Why, for the customer; at most 500 characters.</param>
    /// <exception cref="ArgumentException">There is no such request, or the reason is blank or too long.</exception>
    /// <exception cref="InvalidReturnTransitionException">It is not awaiting a decision.</exception>
    public void RejectReturn(int number, string reason)
    {
        int index = ReturnIndex(number, nameof(number));
        string why = Required(reason, nameof(reason), MaxReasonLength);
        FireReturn(index, ReturnActions.Reject);
        _returnList![index] = _returnList[index] with { EndReason = why };
        Record(new ReturnRejected(Id, NextSequence, Now, number, why));
    }

    /// <summary>Records the label the units travel back under; the request is then in transit. Records <see cref="ReturnInTransit"/>.</summary>
    /// <param name="number">The request's number.</param>
    /// <param name="label">The return label (from <see cref="Shipping.ICarrierAdapter.CreateReturnLabelAsync"/> or made elsewhere).</param>
    /// <exception cref="ArgumentException">There is no such request, or the label's cost is in another currency.</exception>
    /// <exception cref="InvalidReturnTransitionException">It is not authorized or in transit.</exception>
    public void RecordReturnLabel(int number, ShippingLabel label)
    {
        ArgumentNullException.ThrowIfNull(label);
        int index = ReturnIndex(number, nameof(number));
        if (label.Cost.Currency != Currency)
        {
            throw new ArgumentException($"label.Cost is {label.Cost}, but the order's currency is {Currency}.", nameof(label));
        }

        FireReturn(index, ReturnActions.Ship);
        _returnList![index] = _returnList[index] with { Label = label };
        Record(new ReturnInTransit(Id, NextSequence, Now, number, label.CarrierCode, label.TrackingNumber, label.TrackingUrl?.ToString()));
    }

    /// <summary>Receives returned units, each part with its disposition, and counts them returned on their lines.</summary>
    /// <remarks>
    /// Per SKU, at most the units requested may arrive (fewer is fine: the rest count as not returned, and may be asked
    /// back again). Restocked units go on the shelf at their location, quarantined ones into its damaged count, and
    /// disposed ones are recorded in the ledger: <see cref="ReturnService"/> applies the movements with the order in
    /// one unit of work. Records <see cref="ReturnReceived"/>.
    /// </remarks>
    /// <param name="number">The request's number.</param>
    /// <param name="receipts">What arrived: one or more parts, several per SKU when their dispositions differ.</param>
    /// <exception cref="ArgumentException">There is no such request; a receipt is missing, names a SKU not in the request, or more units of a SKU arrive than were requested.</exception>
    /// <exception cref="InvalidReturnTransitionException">The request is not authorized or in transit.</exception>
    public void ReceiveReturn(int number, IReadOnlyList<ReturnReceipt> receipts)
    {
        ArgumentNullException.ThrowIfNull(receipts);
        int index = ReturnIndex(number, nameof(number));
        ReturnRequest request = _returnList![index];
        EnsureReturnAllowed(request, ReturnActions.Receive);
        if (receipts.Count == 0)
        {
            throw new ArgumentException("receipts must have at least one part.", nameof(receipts));
        }

        var received = new Dictionary<Sku, int>();
        for (int i = 0; i < receipts.Count; i++)
        {
            ReturnReceipt receipt = receipts[i] ?? throw new ArgumentException($"receipts[{i}] is null.", nameof(receipts));
            int requested = request.UnitsRequested(receipt.Sku);
            int total = received.GetValueOrDefault(receipt.Sku) + receipt.Quantity.Value;
            if (requested == 0)
            {
                throw new ArgumentException($"receipts[{i}] names {receipt.Sku}, which return #{number} does not ask for.", nameof(receipts));
            }

            if (total > requested)
            {
                throw new ArgumentException($"receipts receive {total} x {receipt.Sku}, but return #{number} asks for {requested}.", nameof(receipts));
            }

            received[receipt.Sku] = total;
        }

        Instant now = Now;
        FireReturn(index, ReturnActions.Receive);
        _returnList[index] = _returnList[index] with { Receipts = [.. receipts], ReceivedAt = now };
        foreach ((Sku sku, int units) in received)
        {
            Line(sku).Returned += units;
        }

        foreach (ReturnReceipt receipt in receipts)
        {
            StockEffectKind kind = receipt.Disposition switch
            {
                ReturnDisposition.Restock => StockEffectKind.Restock,
                ReturnDisposition.Quarantine => StockEffectKind.Quarantine,
                _ => StockEffectKind.Dispose,
            };
            StockEffects.Add(new StockEffect(kind, receipt.Sku, receipt.Location, receipt.Quantity.Value));
        }

        Record(new ReturnReceived(Id, NextSequence, now, number, [.. receipts]));
    }

    /// <summary>Records what the inspection of the returned units found. Records <see cref="ReturnInspected"/>.</summary>
    /// <param name="number">The request's number.</param>
    /// <param name="finding">What was found, such as <c>screen does not light; fault confirmed</c>; at most 500 characters.</param>
    /// <exception cref="ArgumentException">There is no such request, or the finding is blank or too long.</exception>
    /// <exception cref="InvalidReturnTransitionException">The units have not been received, or were inspected already.</exception>
    public void InspectReturn(int number, string finding)
    {
        int index = ReturnIndex(number, nameof(number));
        string found = Required(finding, nameof(finding), MaxReasonLength);
        FireReturn(index, ReturnActions.Inspect);
        _returnList![index] = _returnList[index] with { Inspection = found };
        Record(new ReturnInspected(Id, NextSequence, Now, number, found));
    }

    /// <summary>Works out what the units a return received are worth, line by line, from what was actually paid.</summary>
    /// <remarks>
    /// <para>Each unit is worth its price less its share of the order's discount. The discount is shared over the
    /// lines by their value and each line's share over its units, both with <see cref="Money.Allocate(ReadOnlySpan{decimal})"/>;
    /// the units of a SKU are taken in the order they arrived, after those of earlier returns. So the parts always add up to
    /// the cent, and the units of one order never together refund more than its lines less its discount.</para>
    /// <para>When any line's reason is the shop's fault and the policy says so, the received units' share of the
    /// shipping charge is added, shared the same way. For lines that are not the shop's fault, the policy's
    /// restocking fee is kept back. The total is capped at what remains refundable (captured less refunded).</para>
    /// </remarks>
    /// <param name="number">The request's number; its units must have been received.</param>
    /// <param name="policy">The return policy, usually <see cref="OrderKitOptions.Returns"/>.</param>
    /// <returns>The quote.</returns>
    /// <exception cref="ArgumentException">There is no such request.</exception>
    /// <exception cref="InvalidOperationException">Its units have not been received.</exception>
    public RefundQuote QuoteRefund(int number, ReturnPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ReturnRequest request = _returnList![ReturnIndex(number, nameof(number))];
        if (request.ReceivedAt is null)
        {
            throw new InvalidOperationException($"Return #{number} of order {Id} has received nothing yet; a refund is quoted on what arrived.");
        }

        Money zero = Money.Zero(Currency);
        Money[] discountShares = ShareByLineValue(Discount);
        Money[] shippingShares = ShareByLineValue(ShippingCharge);
        var lines = new List<RefundQuoteLine>();
        Money shipping = zero;
        Money fee = zero;
        Money sum = zero;
        foreach (ReturnLine asked in request.Lines)
        {
            int units = request.UnitsReceived(asked.Sku);
            if (units == 0)
            {
                continue;
            }

            int i = LineIndex(asked.Sku);
            int before = UnitsReceivedBefore(asked.Sku, request);
            Money amount = UnitShares(_lines[i].Total - discountShares[i], _lines[i].Ordered, before, units);
            lines.Add(new RefundQuoteLine(asked.Sku, units, amount, asked.Reason));
            sum += amount;
            if (asked.Reason.IsShopFault())
            {
                if (policy.RefundShippingOnShopFault)
                {
                    shipping += UnitShares(shippingShares[i], _lines[i].Ordered, before, units);
                }
            }
            else if (policy.RestockingFeeRate > 0m)
            {
                fee += amount.Multiply(policy.RestockingFeeRate, MidpointRounding.AwayFromZero);
            }
        }

        Money refundable = _captured - _refunded;
        Money total = sum + shipping - fee;
        if (total > refundable)
        {
            total = refundable;
        }

        return new RefundQuote(lines, shipping, fee, total, refundable);
    }

    /// <summary>Records how a return was made good. Records <see cref="ReturnResolved"/>.</summary>
    /// <remarks>
    /// This records the resolution only: a refund's money is moved by <see cref="RefundPayment"/> (which
    /// <see cref="ReturnService.RefundAsync"/> calls through the payment provider first); store credit is for the host
    /// to honour.
    /// </remarks>
    /// <param name="number">The request's number.</param>
    /// <param name="resolution">How, and for how much.</param>
    /// <exception cref="ArgumentException">There is no such request, or the amount is in another currency.</exception>
    /// <exception cref="InvalidReturnTransitionException">The return has not been inspected, or was resolved already.</exception>
    public void ResolveReturn(int number, ReturnResolution resolution)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        int index = ReturnIndex(number, nameof(number));
        if (resolution.Amount.Currency != Currency)
        {
            throw new ArgumentException($"resolution.Amount is {resolution.Amount}, but the order's currency is {Currency}.", nameof(resolution));
        }

        if ((resolution.Kind is ReturnResolutionKind.Replacement or ReturnResolutionKind.Exchange) != (resolution.NewOrderId is not null))
        {
            throw new ArgumentException($"resolution.NewOrderId is required for a replacement or an exchange, and only for them; got {resolution.Kind} with {(resolution.NewOrderId is null ? "none" : resolution.NewOrderId.ToString())}.", nameof(resolution));
        }

        FireReturn(index, ReturnActions.Resolve);
        _returnList![index] = _returnList[index] with { Resolution = resolution };
        Record(new ReturnResolved(Id, NextSequence, Now, number, resolution.Kind, resolution.Amount, resolution.NewOrderId));
    }

    /// <summary>Records a claim: the customer made good without sending anything back. Records <see cref="ClaimRecorded"/>.</summary>
    /// <remarks>
    /// This records the claim only: a refund's money is moved by <see cref="RefundPayment"/> (which
    /// <see cref="ReturnService.SettleClaimAsync"/> calls through the payment provider first), a replacement is its own
    /// order (<see cref="ReturnService.ReplaceShipmentAsync"/>).
    /// </remarks>
    /// <param name="kind">Why.</param>
    /// <param name="shipmentNumber">The shipment it is about: required for one lost or damaged in transit, which must have shipped; null for goodwill on the whole order.</param>
    /// <param name="reason">The reason in words; at most 500 characters.</param>
    /// <param name="resolution">How the customer was made good: a refund, store credit, or a replacement.</param>
    /// <returns>The claim.</returns>
    /// <exception cref="ArgumentException">The kind is unknown, the shipment missing, unknown or not shipped, the reason blank, or the resolution an exchange, in another currency, or without its new order.</exception>
    public Claim RecordClaim(ClaimKind kind, int? shipmentNumber, string reason, ReturnResolution resolution) => RecordKeyedClaim(kind, shipmentNumber, reason, resolution, null);

    /// <summary>Records a claim settled under a caller's key.</summary>
    internal Claim RecordKeyedClaim(ClaimKind kind, int? shipmentNumber, string reason, ReturnResolution resolution, string? reference)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentException($"kind {(int)kind} is not a ClaimKind.", nameof(kind));
        }

        string why = Required(reason, nameof(reason), MaxReasonLength);
        if (shipmentNumber is { } number)
        {
            Shipment shipment = GetShipment(number);
            if (!shipment.HasShipped)
            {
                throw new ArgumentException($"shipmentNumber {number} has not shipped (it is {shipment.Status}); only a shipment in the carrier's hands can be lost or damaged in transit.", nameof(shipmentNumber));
            }
        }
        else if (kind != ClaimKind.Goodwill)
        {
            throw new ArgumentException($"A {kind} claim names the shipment it is about.", nameof(shipmentNumber));
        }

        if (resolution.Kind == ReturnResolutionKind.Exchange || resolution.Amount.Currency != Currency || ((resolution.Kind == ReturnResolutionKind.Replacement) != (resolution.NewOrderId is not null)))
        {
            throw new ArgumentException($"resolution {resolution} does not settle a claim: use a refund or store credit in {Currency}, or a replacement with its new order.", nameof(resolution));
        }

        Instant now = Now;
        var claim = new Claim
        {
            Number = (_claimList?.Count ?? 0) + 1,
            Kind = kind,
            ShipmentNumber = shipmentNumber,
            Reason = why,
            Resolution = resolution,
            Reference = reference,
            RecordedAt = now,
        };
        (_claimList ??= []).Add(claim);
        Record(new ClaimRecorded(Id, NextSequence, now, claim.Number, kind, shipmentNumber, resolution.Kind, resolution.Amount, resolution.NewOrderId));
        return claim;
    }

    /// <summary>Closes a resolved return. Records <see cref="ReturnClosed"/>.</summary>
    /// <param name="number">The request's number.</param>
    /// <exception cref="ArgumentException">There is no such request.</exception>
    /// <exception cref="InvalidReturnTransitionException">It is not resolved.</exception>
    public void CloseReturn(int number)
    {
        int index = ReturnIndex(number, nameof(number));
        FireReturn(index, ReturnActions.Close);
        Record(new ReturnClosed(Id, NextSequence, Now, number));
    }

    /// <summary>Withdraws a return before anything arrived; its units may be asked back again. Records <see cref="ReturnCancelled"/>.</summary>
    /// <param name="number">The request's number.</param>
    /// <param name="reason">Why; at most 500 characters.</param>
    /// <exception cref="ArgumentException">There is no such request, or the reason is blank or too long.</exception>
    /// <exception cref="InvalidReturnTransitionException">Its units arrived already, or it ended.</exception>
    public void CancelReturn(int number, string reason)
    {
        int index = ReturnIndex(number, nameof(number));
        string why = Required(reason, nameof(reason), MaxReasonLength);
        FireReturn(index, ReturnActions.Cancel);
        _returnList![index] = _returnList[index] with { EndReason = why };
        Record(new ReturnCancelled(Id, NextSequence, Now, number, why));
    }

    /// <summary>Whether any return still awaits its units or its resolution: the order is not finished with.</summary>
    internal bool HasOpenReturn
    {
        get
        {
            foreach (ReturnRequest request in _returnList ?? [])
            {
                if (request.Status is not (ReturnStatus.Closed or ReturnStatus.Resolved or ReturnStatus.Rejected or ReturnStatus.Cancelled))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Whether every delivered line's return window has passed by a day, and no return is open.</summary>
    internal bool ReturnWindowsPassed(LocalDate today, ReturnPolicy policy, DateTimeZone zone)
    {
        if (HasOpenReturn)
        {
            return false;
        }

        foreach (OrderLine line in _lines)
        {
            if (line.Delivered > 0 && LastDelivered(line.Sku) is { } delivered && today <= policy.LastDayToReturn(Channel, line.Sku, delivered.InZone(zone).Date))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>When the units of a SKU were last delivered, from the timeline; null when none were.</summary>
    internal Instant? LastDelivered(Sku sku)
    {
        for (int i = _timeline.Count - 1; i >= 0; i--)
        {
            if (_timeline[i] is LinesDelivered delivered)
            {
                foreach (LineQuantity line in delivered.Lines)
                {
                    if (line.Sku == sku)
                    {
                        return delivered.OccurredAt;
                    }
                }
            }
        }

        return null;
    }

    private int AwaitingReturn(Sku sku)
    {
        int units = 0;
        foreach (ReturnRequest request in _returnList ?? [])
        {
            if (request.IsAwaitingUnits)
            {
                units += request.UnitsRequested(sku);
            }
        }

        return units;
    }

    /// <summary>
    /// The units of a SKU received before this return's: the unit shares they take come first. Receipts never change
    /// and later ones come after, so each return's units keep the same shares and no two returns share one.
    /// </summary>
    private int UnitsReceivedBefore(Sku sku, ReturnRequest request)
    {
        int units = 0;
        foreach (ReturnRequest other in _returnList ?? [])
        {
            if (other.Number != request.Number && other.ReceivedAt is { } at
                && (at < request.ReceivedAt || (at == request.ReceivedAt && other.Number < request.Number)))
            {
                units += other.UnitsReceived(sku);
            }
        }

        return units;
    }

    private int LineIndex(Sku sku)
    {
        for (int i = 0; i < _lines.Length; i++)
        {
            if (_lines[i].Sku == sku)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"Order {Id} lost its line {sku}.");
    }

    /// <summary>An amount shared over the lines by their value, to the cent.</summary>
    private Money[] ShareByLineValue(Money amount)
    {
        var weights = new decimal[_lines.Length];
        decimal total = 0m;
        for (int i = 0; i < _lines.Length; i++)
        {
            weights[i] = _lines[i].Total.Amount;
            total += weights[i];
        }

        if (amount.IsZero || total == 0m)
        {
            if (total == 0m && !amount.IsZero)
            {
                Array.Fill(weights, 1m);
                return amount.Allocate(weights);
            }

            Money zero = Money.Zero(Currency);
            return [.. Enumerable.Repeat(zero, _lines.Length)];
        }

        return amount.Allocate(weights);
    }

    /// <summary>The shares of units <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> − 1 of an amount shared over <paramref name="units"/> units.</summary>
    private static Money UnitShares(Money amount, int units, int first, int count)
    {
        Money[] shares = amount.Allocate(units);
        Money sum = Money.Zero(amount.Currency);
        for (int k = first; k < first + count && k < shares.Length; k++)
        {
            sum += shares[k];
        }

        return sum;
    }

    private int ReturnIndex(int number, string paramName)
    {
        if (_returnList is null || number < 1 || number > _returnList.Count)
        {
            throw new ArgumentException($"{paramName} {number} is not a return request of order {Id}; it has {_returnList?.Count ?? 0}.", paramName);
        }

        return number - 1;
    }

    private void EnsureReturnAllowed(ReturnRequest request, ReturnActions action)
    {
        ReturnActions allowed = request.AllowedActions;
        if ((allowed & action) == 0)
        {
            throw new InvalidReturnTransitionException(Id, request.Number, request.Status, action, allowed);
        }
    }

    /// <summary>Moves a return request along its lifecycle, on the tables compiled from its Stateless definition.</summary>
    private void FireReturn(int index, ReturnActions trigger)
    {
        ReturnRequest request = _returnList![index];
        EnsureReturnAllowed(request, trigger);
        ReturnStatus next = ReturnLifecycle.Next(request.Status, trigger)
            ?? throw new InvalidOperationException($"The return lifecycle permits {trigger} in {request.Status} but names no single destination for it.");
        _returnList[index] = request with { Status = next };
    }

    private void RestoreReturns(IReadOnlyList<ReturnRequest> returns)
    {
        var returned = new Dictionary<Sku, int>();
        for (int i = 0; i < returns.Count; i++)
        {
            ReturnRequest? request = returns[i];
            Check(request is not null && request.Number == i + 1, $"Returns[{i}] is not return {i + 1}");
            Check(Enum.IsDefined(request!.Status) && request.Lines is { Count: > 0 } && request.Receipts is not null, $"Returns[{i}] has an unknown status, no lines, or no receipts");
            ReturnRequest known = request!;
            foreach (ReturnLine? line in known.Lines ?? [])
            {
                Check(line is not null && LineOrNull(line.Sku) is not null, $"Returns[{i}] has a missing line, or names a SKU that is not a line of the order");
            }

            foreach (ReturnReceipt? receipt in known.Receipts ?? [])
            {
                Check(receipt is not null && receipt.Quantity.Value <= known.UnitsRequested(receipt.Sku), $"Returns[{i}] has a missing receipt, or receives more than it asks for");
                returned[receipt!.Sku] = returned.GetValueOrDefault(receipt.Sku) + receipt.Quantity.Value;
            }

            (_returnList ??= []).Add(request!);
        }

        foreach (OrderLine line in _lines)
        {
            Check(returned.GetValueOrDefault(line.Sku) == line.Returned, $"the returns of {line.Sku} receive {returned.GetValueOrDefault(line.Sku)} units, but its line has {line.Returned} returned");
            Check(line.Returned + AwaitingReturn(line.Sku) <= line.Delivered, $"the returns of {line.Sku} ask back more than was delivered");
        }
    }
}
