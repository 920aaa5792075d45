using NodaTime;
using OrderKit.Events;

namespace OrderKit.Orders;

public sealed partial class Order
{
    /// <summary>Confirms the order: its payment is verified and the amount authorized.</summary>
    /// <param name="authorizedAmount">The amount the payment provider authorized; at least the order's <see cref="Total"/>.</param>
    /// <exception cref="InvalidOrderTransitionException">The order is not pending, or its payment is neither pending nor failed.</exception>
    /// <exception cref="ArgumentException"><paramref name="authorizedAmount"/> is in another currency or does not cover the total.</exception>
    public void Confirm(Money authorizedAmount)
    {
        EnsureAllowed(OrderActions.Confirm);
        CheckAmount(authorizedAmount, nameof(authorizedAmount), allowZero: true);
        if (authorizedAmount < Total)
        {
            throw new ArgumentException($"{nameof(authorizedAmount)} {authorizedAmount} does not cover the order total {Total}.", nameof(authorizedAmount));
        }

        OrderStatus previous = Fire(OrderTrigger.Confirm, _totals.DeriveStatus(OrderStatus.Confirmed));
        _paymentStatus = PaymentStatus.Authorized;
        _authorized = authorizedAmount;
        Instant now = Now;
        Record(new OrderConfirmed(Id, NextSequence, now, authorizedAmount));
        RecordStatusChange(previous, now);
    }

    /// <summary>Records what an allocation decided: units that get stock now, where from, and units put on backorder.</summary>
    /// <remarks>
    /// The status follows: <see cref="OrderStatus.Allocated"/> once every open unit has stock,
    /// <see cref="OrderStatus.Backordered"/> while some wait for it. Not permitted while the order is held. Entries
    /// that name a location record it on the line (<see cref="OrderLine.AllocatedAt"/>); through
    /// <see cref="OrderService"/>, entries that reserve stock reserve it in the same unit of work, all or none.
    /// </remarks>
    /// <param name="allocations">The entries; see <see cref="LineAllocation"/> for where the units come from. A SKU may
    /// appear once per location.</param>
    /// <exception cref="InvalidOrderTransitionException">No unit awaits stock, the order is held, or its status does not permit allocation.</exception>
    /// <exception cref="ArgumentException">An entry names an unknown SKU, repeats a SKU and location, or the entries of a line ask for more units than it has awaiting.</exception>
    public void Allocate(IReadOnlyList<LineAllocation> allocations)
    {
        EnsureAllowed(OrderActions.Allocate);
        ArgumentNullException.ThrowIfNull(allocations);
        if (allocations.Count == 0)
        {
            throw new ArgumentException("At least one line allocation is required.", nameof(allocations));
        }

        // The event keeps this copy; checking the copy means a caller changing its list meanwhile cannot slip past.
        LineAllocation[] recorded = [.. allocations];
        int allocated = 0, backordered = 0;
        for (int i = 0; i < recorded.Length; i++)
        {
            LineAllocation allocation = recorded[i];
            OrderLine line = FindLine(allocation.Sku, nameof(allocations), i);
            if (!IsFirstOfLine(recorded, i, out bool repeatsLocation))
            {
                if (repeatsLocation)
                {
                    throw new ArgumentException($"{nameof(allocations)}[{i}] repeats SKU \"{allocation.Sku}\" at {allocation.Location?.ToString() ?? "no location"}; give each SKU once per location.", nameof(allocations));
                }

                continue;
            }

            // The line's entries together.
            int lineAllocated = 0, lineBackordered = 0;
            for (int j = i; j < recorded.Length; j++)
            {
                if (recorded[j].Sku == allocation.Sku)
                {
                    lineAllocated += recorded[j].Allocated;
                    lineBackordered += recorded[j].Backordered;
                }
            }

            int fromAwaiting = Math.Min(lineAllocated, line.AwaitingAllocation);
            int fromBackorder = lineAllocated - fromAwaiting;
            if (fromBackorder > line.Backordered)
            {
                throw new ArgumentException($"{nameof(allocations)}[{i}] allocates {lineAllocated} units of \"{line.Sku}\", but only {line.AwaitingAllocation + line.Backordered} await stock ({line.AwaitingAllocation} awaiting allocation, {line.Backordered} backordered).", nameof(allocations));
            }

            if (lineBackordered > line.AwaitingAllocation - fromAwaiting)
            {
                throw new ArgumentException($"{nameof(allocations)}[{i}] backorders {lineBackordered} units of \"{line.Sku}\", but only {line.AwaitingAllocation - fromAwaiting} await allocation once {lineAllocated} are allocated.", nameof(allocations));
            }

            allocated += lineAllocated;
            backordered += lineBackordered - fromBackorder;
        }

        OrderTotals after = _totals with { Allocated = _totals.Allocated + allocated, Backordered = _totals.Backordered + backordered };
        OrderStatus previous = Fire(OrderTrigger.Allocate, after.DeriveStatus(_status));
        foreach (LineAllocation allocation in recorded)
        {
            OrderLine line = Line(allocation.Sku);
            int fromBackorder = allocation.Allocated - Math.Min(allocation.Allocated, line.AwaitingAllocation);
            line.Allocated += allocation.Allocated;
            line.Backordered += allocation.Backordered - fromBackorder;
            if (allocation.Location is { } location)
            {
                line.AddAllocatedAt(location, allocation.Allocated, allocation.ReservesStock);
                if (allocation.ReservesStock)
                {
                    StockEffects.Add(new StockEffect(StockEffectKind.Reserve, allocation.Sku, location, allocation.Allocated));
                }
            }
        }

        SetTotals(after);
        Instant now = Now;
        Record(new LinesAllocated(Id, NextSequence, now, recorded));
        RecordStatusChange(previous, now);
    }

    /// <summary>Takes stock away from allocated units of a line, which then await allocation again.</summary>
    /// <remarks>
    /// For a short pick (the shelf was empty), a damaged unit found at packing, or a move to another location.
    /// Without <paramref name="from"/>, units that named no location go first, then the latest location's.
    /// Through <see cref="OrderService"/>, reserved units are released in the same unit of work.
    /// </remarks>
    /// <param name="sku">The line's SKU.</param>
    /// <param name="quantity">The number of units; at most the line's <see cref="OrderLine.Allocated"/>.</param>
    /// <param name="from">Only units allocated at this location; null for any.</param>
    /// <exception cref="InvalidOrderTransitionException">No unit of the order is allocated.</exception>
    /// <exception cref="ArgumentException">The SKU is not a line of the order, or the line (at that location) has fewer units allocated.</exception>
    public void Deallocate(Sku sku, Quantity quantity, LocationId? from = null)
    {
        EnsureAllowed(OrderActions.Deallocate);
        OrderLine line = FindLine(sku, nameof(sku));
        int units = CheckQuantity(quantity, nameof(quantity));
        int limit = (from is { } at ? line.UnitsAt(at) : line.Allocated) - InShipments(sku, from);
        if (units > limit)
        {
            throw new ArgumentException($"Cannot deallocate {units} units of \"{sku}\"{(from is { } f ? $" at {f}" : string.Empty)}: only {limit} are allocated{(from is null ? string.Empty : " there")} outside open shipments (cancel or split a shipment to free its units).", nameof(quantity));
        }

        OrderTotals after = _totals with { Allocated = _totals.Allocated - units };
        OrderStatus previous = Fire(OrderTrigger.Deallocate, after.DeriveStatus(_status));
        line.TakeAllocated(units, from, StockEffectKind.Release, StockEffects, ShipmentUnits(sku));
        line.Allocated -= units;
        SetTotals(after);
        Instant now = Now;
        Record(new LineDeallocated(Id, NextSequence, now, sku, units));
        RecordStatusChange(previous, now);
    }

    /// <summary>Records allocated units as shipped.</summary>
    /// <remarks>
    /// Without <paramref name="from"/>, units that named no location ship first, then the earliest location's.
    /// Through <see cref="OrderService"/>, reserved units leave the location's stock in the same unit of work.
    /// </remarks>
    /// <param name="lines">The units shipped, one entry per line; each at most the line's <see cref="OrderLine.Allocated"/> (at <paramref name="from"/>, when given).</param>
    /// <param name="from">The location the units ship from; null for any.</param>
    /// <exception cref="InvalidOrderTransitionException">No unit is allocated, the order is held, or its status does not permit shipping.</exception>
    /// <exception cref="ArgumentException">An entry names an unknown SKU, repeats a SKU, or ships more units than are allocated (there).</exception>
    public void Ship(IReadOnlyList<LineQuantity> lines, LocationId? from = null)
    {
        EnsureAllowed(OrderActions.Ship);
        if (from is { IsDefault: true })
        {
            throw new ArgumentException("from must not be the default location; pass null for any.", nameof(from));
        }

        LineQuantity[] shipped = CopyLines(lines, nameof(lines));
        int units = from is { } at
            ? CheckLineQuantities(shipped, nameof(lines), line => line.UnitsAt(at) - InShipments(line.Sku, at), $"allocated at {at} outside open shipments")
            : CheckLineQuantities(shipped, nameof(lines), line => line.Allocated - InShipments(line.Sku, null), "allocated outside open shipments");
        OrderTotals after = _totals with { Allocated = _totals.Allocated - units, Shipped = _totals.Shipped + units };
        OrderStatus previous = Fire(OrderTrigger.Ship, after.DeriveStatus(_status));
        foreach (LineQuantity entry in shipped)
        {
            OrderLine line = Line(entry.Sku);
            line.TakeAllocated(entry.Quantity.Value, from, StockEffectKind.Ship, StockEffects, ShipmentUnits(entry.Sku));
            line.Allocated -= entry.Quantity.Value;
            line.Shipped += entry.Quantity.Value;
        }

        SetTotals(after);
        Instant now = Now;
        Record(new LinesShipped(Id, NextSequence, now, shipped));
        RecordStatusChange(previous, now);
    }

    /// <summary>Records shipped units as delivered to the customer.</summary>
    /// <param name="lines">The units delivered, one entry per line; each at most the line's <see cref="OrderLine.InTransit"/>.</param>
    /// <exception cref="InvalidOrderTransitionException">No shipped unit awaits delivery.</exception>
    /// <exception cref="ArgumentException">An entry names an unknown SKU, repeats a SKU, or delivers more units than are in transit.</exception>
    public void Deliver(IReadOnlyList<LineQuantity> lines)
    {
        EnsureAllowed(OrderActions.Deliver);
        LineQuantity[] delivered = CopyLines(lines, nameof(lines));
        CheckLineQuantities(delivered, nameof(lines), line => line.InTransit - InShippedShipments(line.Sku), "in transit outside shipments (a shipment's delivery comes from its tracking)");
        DeliverUnits(delivered, Now);
    }

    /// <summary>Delivers checked units: the lines, the totals, the status and <see cref="LinesDelivered"/>.</summary>
    private void DeliverUnits(LineQuantity[] delivered, Instant now)
    {
        int units = 0;
        foreach (LineQuantity entry in delivered)
        {
            units += entry.Quantity.Value;
        }

        OrderTotals after = _totals with { Delivered = _totals.Delivered + units };
        OrderStatus previous = Fire(OrderTrigger.Deliver, after.DeriveStatus(_status));
        foreach (LineQuantity entry in delivered)
        {
            Line(entry.Sku).Delivered += entry.Quantity.Value;
        }

        SetTotals(after);
        Record(new LinesDelivered(Id, NextSequence, now, delivered));
        RecordStatusChange(previous, now);
    }

    /// <summary>Closes a delivered order.</summary>
    /// <exception cref="InvalidOrderTransitionException">The order is not delivered.</exception>
    public void Complete()
    {
        EnsureAllowed(OrderActions.Complete);
        OrderStatus previous = Fire(OrderTrigger.Complete, OrderStatus.Completed);
        Instant now = Now;
        Record(new OrderCompleted(Id, NextSequence, now));
        RecordStatusChange(previous, now);
    }

    /// <summary>Cancels the whole order; possible only before anything has shipped.</summary>
    /// <remarks>
    /// Every open unit is cancelled, allocated and backordered ones included. The payment is left as it is: void the
    /// authorization (<see cref="VoidPayment"/>) or refund what was captured (<see cref="RefundPayment"/>).
    /// </remarks>
    /// <param name="reason">Why, in a few words; kept in the timeline.</param>
    /// <exception cref="InvalidOrderTransitionException">Something has shipped, or the order is already cancelled or completed.</exception>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is blank or longer than 500 characters.</exception>
    public void Cancel(string reason)
    {
        EnsureAllowed(OrderActions.Cancel);
        Required(reason, nameof(reason), MaxReasonLength);
        EnsureNoLabelledShipment();
        int units = _totals.Open;
        OrderTotals after = _totals with { Cancelled = _totals.Cancelled + units, Allocated = 0, Backordered = 0 };
        Instant now = Now;
        OrderStatus previous = Fire(OrderTrigger.Cancel, after.DeriveStatus(_status));
        CancelOpenShipments(reason, now);
        foreach (OrderLine line in _lines)
        {
            line.TakeAllocated(line.Allocated, null, StockEffectKind.Release, StockEffects, null);
            line.Cancelled += line.Open;
            line.Allocated = 0;
            line.Backordered = 0;
        }

        SetTotals(after);
        Record(new OrderCancelled(Id, NextSequence, now, reason, units));
        RecordStatusChange(previous, now);
    }

    /// <summary>Cancels part of a line's open quantity; what has shipped can never be cancelled.</summary>
    /// <remarks>
    /// Units awaiting allocation are cancelled first, then backordered units, then allocated ones. When no unit of the
    /// order remains open and nothing has shipped, the order becomes <see cref="OrderStatus.Cancelled"/>; when some
    /// have shipped, it becomes <see cref="OrderStatus.Shipped"/> or <see cref="OrderStatus.Delivered"/>.
    /// </remarks>
    /// <param name="sku">The line's SKU.</param>
    /// <param name="quantity">The number of units; at most the line's <see cref="OrderLine.Open"/>.</param>
    /// <param name="reason">Why, in a few words; kept in the timeline.</param>
    /// <exception cref="InvalidOrderTransitionException">The order's status permits no cancellation (everything shipped, cancelled or completed).</exception>
    /// <exception cref="ArgumentException">The SKU is not a line of the order, fewer units are open, or the reason is blank or too long.</exception>
    public void CancelLine(Sku sku, Quantity quantity, string reason)
    {
        EnsureAllowed(OrderActions.CancelLine);
        OrderLine line = FindLine(sku, nameof(sku));
        int units = CheckQuantity(quantity, nameof(quantity));
        Required(reason, nameof(reason), MaxReasonLength);
        if (units > line.Open)
        {
            throw new ArgumentException($"Cannot cancel {units} units of \"{sku}\": only {line.Open} are open ({line.Ordered} ordered, {line.Cancelled} cancelled, {line.Shipped} shipped); shipped units cannot be cancelled.", nameof(quantity));
        }

        int fromAwaiting = Math.Min(units, line.AwaitingAllocation);
        int fromBackordered = Math.Min(units - fromAwaiting, line.Backordered);
        int fromAllocated = units - fromAwaiting - fromBackordered;
        int inShipments = InShipments(sku, null);
        if (fromAllocated > line.Allocated - inShipments)
        {
            throw new ArgumentException($"Cannot cancel {units} units of \"{sku}\": {inShipments} of its {line.Allocated} allocated units are in open shipments; cancel or split the shipment first.", nameof(quantity));
        }
        OrderTotals after = _totals with
        {
            Cancelled = _totals.Cancelled + units,
            Backordered = _totals.Backordered - fromBackordered,
            Allocated = _totals.Allocated - fromAllocated,
        };
        OrderStatus previous = Fire(OrderTrigger.CancelLine, after.DeriveStatus(_status));
        line.TakeAllocated(fromAllocated, null, StockEffectKind.Release, StockEffects, ShipmentUnits(sku));
        line.Cancelled += units;
        line.Backordered -= fromBackordered;
        line.Allocated -= fromAllocated;
        SetTotals(after);
        Instant now = Now;
        Record(new OrderLineCancelled(Id, NextSequence, now, sku, units, reason));
        RecordStatusChange(previous, now);
    }

    /// <summary>Throws <see cref="InvalidOrderTransitionException"/> unless confirming is permitted now.</summary>
    internal void EnsureCanConfirm() => EnsureAllowed(OrderActions.Confirm);

    /// <summary>Throws <see cref="InvalidOrderTransitionException"/> unless allocation is permitted now.</summary>
    internal void EnsureCanAllocate() => EnsureAllowed(OrderActions.Allocate);

    /// <summary>Records that units of a line wait for stock; the allocation that put them on backorder has been recorded.</summary>
    internal void RecordBackordered(Sku sku, int units, LocalDate? expectedOn, bool isPreorder) =>
        Record(new LineBackordered(Id, NextSequence, Now, sku, units, expectedOn, isPreorder));

    /// <summary>Records that allocation found too little stock for a line and its policy refused the rest.</summary>
    internal void RecordShortfall(Sku sku, int requested, int allocated, int refused, Inventory.InventoryPolicyKind policy) =>
        Record(new StockShortfall(Id, NextSequence, Now, sku, requested, allocated, refused, policy));

    private static int CheckQuantity(Quantity quantity, string paramName, int index = -1)
    {
        if (quantity.IsDefault)
        {
            string name = index < 0 ? paramName : $"{paramName}[{index}].Quantity";
            throw new ArgumentException($"{name} must be positive; got 0.", paramName);
        }

        return quantity.Value;
    }

    /// <summary>Copies the caller's entries: the checks and the event work on the copy, which nobody else can change.</summary>
    private static LineQuantity[] CopyLines(IReadOnlyList<LineQuantity> lines, string paramName)
    {
        ArgumentNullException.ThrowIfNull(lines, paramName);
        if (lines.Count == 0)
        {
            throw new ArgumentException("At least one line is required.", paramName);
        }

        return [.. lines];
    }

    /// <summary>Checks per-line quantities against what each line has available, and returns the units in all.</summary>
    private int CheckLineQuantities(LineQuantity[] lines, string paramName, Func<OrderLine, int> available, string availableName)
    {
        int units = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            OrderLine line = FindLine(lines[i].Sku, paramName, i);
            EnsureDistinct(lines, i, static l => l.Sku, paramName);
            int quantity = CheckQuantity(lines[i].Quantity, paramName, i);
            int limit = available(line);
            if (quantity > limit)
            {
                throw new ArgumentException($"{paramName}[{i}] asks for {quantity} units of \"{line.Sku}\", but only {limit} are {availableName}.", paramName);
            }

            units += quantity;
        }

        return units;
    }

    /// <summary>Returns whether entry <paramref name="index"/> is the first for its SKU; if not, whether an earlier one has its location too.</summary>
    private static bool IsFirstOfLine(LineAllocation[] items, int index, out bool repeatsLocation)
    {
        repeatsLocation = false;
        bool first = true;
        for (int j = 0; j < index; j++)
        {
            if (items[j].Sku == items[index].Sku)
            {
                first = false;
                repeatsLocation |= items[j].Location == items[index].Location;
            }
        }

        return first;
    }

    private static void EnsureDistinct<T>(T[] items, int index, Func<T, Sku> sku, string paramName)
    {
        if (index == 0)
        {
            return;
        }

        Sku current = sku(items[index]);
        for (int j = 0; j < index; j++)
        {
            if (sku(items[j]) == current)
            {
                throw new ArgumentException($"{paramName}[{index}] repeats SKU \"{current}\" of {paramName}[{j}]; give each line once.", paramName);
            }
        }
    }
}
