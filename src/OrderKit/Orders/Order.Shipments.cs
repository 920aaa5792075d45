using System.Collections.ObjectModel;
using NodaTime;
using OrderKit.Events;
using OrderKit.Fulfillment;

namespace OrderKit.Orders;

public sealed partial class Order
{
    // Most orders a command touches have no shipment: the list is made with the first one, so placing and allocating
    // allocate nothing for it. Reads go through ShipmentList, never null and never written while empty.
    private static readonly List<Shipment> s_noShipments = [];
    private List<Shipment>? _shipmentList;
    private ReadOnlyCollection<Shipment>? _shipmentsView;

    /// <summary>Gets the shipments, in the order they were made; empty until <see cref="CreateShipments"/>.</summary>
    public IReadOnlyList<Shipment> Shipments => _shipmentList is null ? [] : _shipmentsView ??= _shipmentList.AsReadOnly();

    /// <summary>Gets how far the order's units have got towards the customer, from its lines and shipments.</summary>
    public FulfillmentStatus FulfillmentStatus
    {
        get
        {
            if (_totals.Shipped == 0)
            {
                if (_totals.Open == 0)
                {
                    return FulfillmentStatus.Cancelled;
                }

                foreach (Shipment shipment in ShipmentList)
                {
                    if (shipment.Status is ShipmentStatus.Picking or ShipmentStatus.Packed or ShipmentStatus.LabelPurchased)
                    {
                        return FulfillmentStatus.InProgress;
                    }
                }

                return FulfillmentStatus.Unfulfilled;
            }

            return _totals.Open > 0 ? FulfillmentStatus.PartiallyShipped
                : _totals.Delivered == _totals.Shipped ? FulfillmentStatus.Delivered
                : _totals.Delivered > 0 ? FulfillmentStatus.PartiallyDelivered
                : FulfillmentStatus.Shipped;
        }
    }

    private List<Shipment> ShipmentList => _shipmentList ?? s_noShipments;

    /// <summary>Returns a shipment by its number.</summary>
    /// <param name="number">The shipment's number within the order.</param>
    /// <returns>The shipment as it stands.</returns>
    /// <exception cref="ArgumentException">The order has no shipment with that number.</exception>
    public Shipment GetShipment(int number) => ShipmentList[ShipmentIndex(number, nameof(number))];

    /// <summary>Makes one shipment per location for the allocated units that are in no shipment yet.</summary>
    /// <remarks>
    /// Units allocated without a location cannot be shipped this way: allocate them to a location first. Each new
    /// shipment records <see cref="ShipmentCreated"/>.
    /// </remarks>
    /// <returns>The shipments made, in the order of the lines; empty when every allocated unit with a location is in a shipment already.</returns>
    /// <exception cref="InvalidOrderTransitionException">The order does not permit shipping: nothing is allocated, it is held, or its status is past it.</exception>
    public IReadOnlyList<Shipment> CreateShipments()
    {
        EnsureAllowed(OrderActions.Ship);
        var byLocation = new List<(LocationId Location, List<ShipmentLine> Lines)>();
        foreach (OrderLine line in _lines)
        {
            foreach (AllocatedStock stock in line.AllocatedAt)
            {
                int free = line.UnitsAt(stock.Location) - InShipments(line.Sku, stock.Location);
                if (free <= 0)
                {
                    continue;
                }

                int i = byLocation.FindIndex(l => l.Location == stock.Location);
                if (i < 0)
                {
                    byLocation.Add((stock.Location, []));
                    i = byLocation.Count - 1;
                }

                List<ShipmentLine> lines = byLocation[i].Lines;
                if (!lines.Exists(l => l.Sku == line.Sku))
                {
                    lines.Add(new ShipmentLine(line.Sku, free, 0, 0));
                }
            }
        }

        Instant now = Now;
        var created = new List<Shipment>(byLocation.Count);
        foreach ((LocationId location, List<ShipmentLine> lines) in byLocation)
        {
            Shipment shipment = NewShipment(location, lines, now, splitFrom: null);
            created.Add(shipment);
            Record(new ShipmentCreated(Id, NextSequence, now, shipment.Number, location, Quantities(lines, static l => l.Quantity)));
        }

        return created;
    }

    /// <summary>Records what was picked for a shipment from the shelves.</summary>
    /// <remarks>
    /// Each entry sets the units picked of its SKU; SKUs not named keep what was recorded before. A short pick (the
    /// shelf held fewer) is fine: <see cref="Pack"/> ships what was packed and splits the rest into a new shipment.
    /// </remarks>
    /// <param name="number">The shipment.</param>
    /// <param name="picked">The units picked per SKU; null when everything the shipment carries was picked.</param>
    /// <exception cref="InvalidShipmentTransitionException">The shipment is past picking.</exception>
    /// <exception cref="ArgumentException">No such shipment, or an entry names a SKU the shipment does not carry, repeats one, or picks more than it carries.</exception>
    public void Pick(int number, IReadOnlyList<LineQuantity>? picked = null)
    {
        int index = ShipmentIndex(number, nameof(number));
        Shipment shipment = ShipmentList[index];
        EnsureShipmentAllowed(shipment, ShipmentActions.Pick);
        ShipmentLine[] lines = [.. shipment.Lines];
        if (picked is null)
        {
            for (int i = 0; i < lines.Length; i++)
            {
                lines[i] = lines[i] with { Picked = lines[i].Quantity };
            }
        }
        else
        {
            LineQuantity[] entries = CopyLines(picked, nameof(picked));
            for (int e = 0; e < entries.Length; e++)
            {
                EnsureDistinct(entries, e, static l => l.Sku, nameof(picked));
                int i = ShipmentLineIndex(shipment, entries[e].Sku, nameof(picked), e);
                int units = CheckQuantity(entries[e].Quantity, nameof(picked), e);
                if (units > lines[i].Quantity)
                {
                    throw new ArgumentException($"picked[{e}] picks {units} units of \"{entries[e].Sku}\", but shipment #{number} carries {lines[i].Quantity}.", nameof(picked));
                }

                lines[i] = lines[i] with { Picked = units };
            }
        }

        FireShipment(index, ShipmentActions.Pick, ShipmentStatus.Picking);
        ShipmentList[index] = ShipmentList[index] with { Lines = lines };
        Record(new ShipmentPicked(Id, NextSequence, Now, number, Quantities(lines, static l => l.Picked)));
    }

    /// <summary>Packs a picked shipment into parcels; units picked but not packed, and units not picked, go to a new shipment.</summary>
    /// <remarks>
    /// After packing, the shipment carries exactly what its parcels hold. The rest of what it carried stays allocated
    /// at the same location in a new pending shipment (<see cref="ShipmentSplit"/>), to ship later or to cancel.
    /// </remarks>
    /// <param name="number">The shipment.</param>
    /// <param name="parcels">The parcels; a single parcel may leave its contents empty, and then holds everything picked.</param>
    /// <returns>The shipment made from the units left behind, or null when everything was packed.</returns>
    /// <exception cref="InvalidShipmentTransitionException">The shipment is not being picked.</exception>
    /// <exception cref="ArgumentException">No such shipment; no parcel; several parcels and one without contents; a SKU the shipment does not carry; more packed than picked; nothing packed at all.</exception>
    public Shipment? Pack(int number, IReadOnlyList<Parcel> parcels)
    {
        int index = ShipmentIndex(number, nameof(number));
        Shipment shipment = ShipmentList[index];
        EnsureShipmentAllowed(shipment, ShipmentActions.Pack);
        ArgumentNullException.ThrowIfNull(parcels);
        if (parcels.Count == 0)
        {
            throw new ArgumentException("At least one parcel is required.", nameof(parcels));
        }

        Parcel[] packed = [.. parcels];
        var units = new int[shipment.Lines.Count];
        for (int p = 0; p < packed.Length; p++)
        {
            Parcel parcel = packed[p] ?? throw new ArgumentException($"parcels[{p}] is null.", nameof(parcels));
            if (parcel.Contents.Count == 0)
            {
                if (packed.Length > 1)
                {
                    throw new ArgumentException($"parcels[{p}] has no contents; when a shipment has several parcels, say what each holds.", nameof(parcels));
                }

                packed[p] = new Parcel(parcel.WeightKg, Quantities(shipment.Lines, static l => l.Picked), parcel.Dimensions);
                for (int i = 0; i < units.Length; i++)
                {
                    units[i] = shipment.Lines[i].Picked;
                }

                continue;
            }

            for (int c = 0; c < parcel.Contents.Count; c++)
            {
                LineQuantity content = parcel.Contents[c];
                int i = ShipmentLineIndex(shipment, content.Sku, $"parcels[{p}].Contents", c);
                units[i] += CheckQuantity(content.Quantity, $"parcels[{p}].Contents", c);
            }
        }

        int total = 0;
        for (int i = 0; i < units.Length; i++)
        {
            ShipmentLine line = shipment.Lines[i];
            if (units[i] > line.Picked)
            {
                throw new ArgumentException($"Packing {units[i]} units of \"{line.Sku}\" in shipment #{number}, but only {line.Picked} were picked.", nameof(parcels));
            }

            total += units[i];
        }

        if (total == 0)
        {
            throw new ArgumentException($"Nothing of shipment #{number} was picked, so nothing can be packed; record the pick first.", nameof(parcels));
        }

        var kept = new List<ShipmentLine>(units.Length);
        var left = new List<ShipmentLine>();
        for (int i = 0; i < units.Length; i++)
        {
            ShipmentLine line = shipment.Lines[i];
            if (units[i] > 0)
            {
                kept.Add(new ShipmentLine(line.Sku, units[i], units[i], units[i]));
            }

            if (line.Quantity > units[i])
            {
                left.Add(new ShipmentLine(line.Sku, line.Quantity - units[i], 0, 0));
            }
        }

        Instant now = Now;
        FireShipment(index, ShipmentActions.Pack, ShipmentStatus.Packed);
        ShipmentList[index] = ShipmentList[index] with { Lines = kept, Parcels = packed };
        Record(new ShipmentPacked(Id, NextSequence, now, number, packed));
        if (left.Count == 0)
        {
            return null;
        }

        Shipment rest = NewShipment(shipment.Location, left, now, number);
        Record(new ShipmentSplit(Id, NextSequence, now, number, rest.Number, Quantities(left, static l => l.Quantity)));
        return rest;
    }

    /// <summary>Splits units off a shipment that has not been packed into a new pending shipment from the same location.</summary>
    /// <param name="number">The shipment.</param>
    /// <param name="lines">The units to move to the new shipment, per SKU; at least one unit must stay behind.</param>
    /// <returns>The new shipment.</returns>
    /// <exception cref="InvalidShipmentTransitionException">The shipment is packed or past it.</exception>
    /// <exception cref="ArgumentException">No such shipment; an entry names a SKU it does not carry, repeats one, or takes more than it carries; nothing would stay behind.</exception>
    public Shipment SplitShipment(int number, IReadOnlyList<LineQuantity> lines)
    {
        int index = ShipmentIndex(number, nameof(number));
        Shipment shipment = ShipmentList[index];
        EnsureShipmentAllowed(shipment, ShipmentActions.Split);
        LineQuantity[] entries = CopyLines(lines, nameof(lines));
        ShipmentLine[] remaining = [.. shipment.Lines];
        var moved = new List<ShipmentLine>(entries.Length);
        for (int e = 0; e < entries.Length; e++)
        {
            EnsureDistinct(entries, e, static l => l.Sku, nameof(lines));
            int i = ShipmentLineIndex(shipment, entries[e].Sku, nameof(lines), e);
            int units = CheckQuantity(entries[e].Quantity, nameof(lines), e);
            if (units > remaining[i].Quantity)
            {
                throw new ArgumentException($"lines[{e}] moves {units} units of \"{entries[e].Sku}\", but shipment #{number} carries {remaining[i].Quantity}.", nameof(lines));
            }

            int quantity = remaining[i].Quantity - units;
            remaining[i] = remaining[i] with { Quantity = quantity, Picked = Math.Min(remaining[i].Picked, quantity) };
            moved.Add(new ShipmentLine(entries[e].Sku, units, 0, 0));
        }

        List<ShipmentLine> kept = [.. remaining.Where(static l => l.Quantity > 0)];
        if (kept.Count == 0)
        {
            throw new ArgumentException($"lines would move every unit of shipment #{number}; move the shipment instead, or leave at least one unit.", nameof(lines));
        }

        Instant now = Now;
        FireShipment(index, ShipmentActions.Split, shipment.Status);
        ShipmentList[index] = ShipmentList[index] with { Lines = kept };
        Shipment created = NewShipment(shipment.Location, moved, now, number);
        Record(new ShipmentSplit(Id, NextSequence, now, number, created.Number, entries));
        return created;
    }

    /// <summary>Moves a shipment that has not been packed to another location: its units are reserved there and released here.</summary>
    /// <remarks>
    /// Through <see cref="FulfillmentService"/>, the reservation at the new location and the release at the old one
    /// are made in the same unit of work as the order's save, all or none: when the new location has too little
    /// stock, nothing changes. What was picked is forgotten; the shipment is pending again.
    /// </remarks>
    /// <param name="number">The shipment.</param>
    /// <param name="to">The location to ship from.</param>
    /// <exception cref="InvalidShipmentTransitionException">The shipment is packed or past it.</exception>
    /// <exception cref="ArgumentException">No such shipment, or <paramref name="to"/> is missing or the shipment's location already.</exception>
    public void MoveShipment(int number, LocationId to)
    {
        int index = ShipmentIndex(number, nameof(number));
        Shipment shipment = ShipmentList[index];
        EnsureShipmentAllowed(shipment, ShipmentActions.Move);
        if (to.IsDefault)
        {
            throw new ArgumentException("to is required.", nameof(to));
        }

        if (to == shipment.Location)
        {
            throw new ArgumentException($"Shipment #{number} already ships from {to}.", nameof(to));
        }

        FireShipment(index, ShipmentActions.Move, ShipmentStatus.Pending);
        List<StockEffect> effects = StockEffects;
        foreach (ShipmentLine item in shipment.Lines)
        {
            OrderLine line = Line(item.Sku);
            int before = effects.Count;
            line.TakeAllocated(item.Quantity, shipment.Location, StockEffectKind.Release, effects, null);
            int reserved = 0;
            for (int e = before; e < effects.Count; e++)
            {
                reserved += effects[e].Quantity;
            }

            if (reserved > 0)
            {
                line.AddAllocatedAt(to, reserved, reserved: true);
                effects.Add(new StockEffect(StockEffectKind.Reserve, item.Sku, to, reserved));
            }

            if (item.Quantity > reserved)
            {
                line.AddAllocatedAt(to, item.Quantity - reserved, reserved: false);
            }
        }

        ShipmentList[index] = ShipmentList[index] with
        {
            Location = to,
            Lines = [.. shipment.Lines.Select(static l => l with { Picked = 0, Packed = 0 })],
        };
        Record(new ShipmentMoved(Id, NextSequence, Now, number, shipment.Location, to));
    }

    /// <summary>Records a carrier label bought for a packed shipment.</summary>
    /// <param name="number">The shipment.</param>
    /// <param name="label">The label; its cost must be in the order's currency.</param>
    /// <exception cref="InvalidShipmentTransitionException">The shipment is not packed, or has a label already.</exception>
    /// <exception cref="ArgumentException">No such shipment, or the label's cost is in another currency.</exception>
    public void RecordLabel(int number, ShippingLabel label)
    {
        int index = ShipmentIndex(number, nameof(number));
        EnsureShipmentAllowed(ShipmentList[index], ShipmentActions.PurchaseLabel);
        ArgumentNullException.ThrowIfNull(label);
        if (label.Cost.Currency != Currency)
        {
            throw new ArgumentException($"label.Cost is {label.Cost}, but the order's currency is {Currency}.", nameof(label));
        }

        Instant now = Now;
        ShippingLabel recorded = label.PurchasedAt == default ? label with { PurchasedAt = now } : label;
        FireShipment(index, ShipmentActions.PurchaseLabel, ShipmentStatus.LabelPurchased);
        ShipmentList[index] = ShipmentList[index] with { Label = recorded };
        Record(new ShipmentLabelPurchased(Id, NextSequence, now, number, recorded));
    }

    /// <summary>Records that a shipment's label was voided with the carrier; the shipment is packed again and may get a new label.</summary>
    /// <param name="number">The shipment.</param>
    /// <exception cref="InvalidShipmentTransitionException">The shipment has no label, or has shipped.</exception>
    /// <exception cref="ArgumentException">No such shipment.</exception>
    public void VoidLabel(int number)
    {
        int index = ShipmentIndex(number, nameof(number));
        Shipment shipment = ShipmentList[index];
        EnsureShipmentAllowed(shipment, ShipmentActions.VoidLabel);
        FireShipment(index, ShipmentActions.VoidLabel, ShipmentStatus.Packed);
        ShipmentList[index] = ShipmentList[index] with { Label = null };
        Record(new ShipmentLabelVoided(Id, NextSequence, Now, number, shipment.Label!));
    }

    /// <summary>Hands a packed shipment to the carrier: its units ship from its location, and the customer is told how to follow it.</summary>
    /// <remarks>
    /// The units move from allocated to shipped on their lines (<see cref="LinesShipped"/>), the order's status
    /// follows, and <see cref="ShipmentShipped"/> carries the carrier, tracking number and tracking page. Through
    /// <see cref="FulfillmentService"/>, the reserved stock leaves the location in the same unit of work.
    /// </remarks>
    /// <param name="number">The shipment.</param>
    /// <exception cref="InvalidShipmentTransitionException">The shipment is not packed (it may be cancelled, or shipped already).</exception>
    /// <exception cref="InvalidOrderTransitionException">The order does not permit shipping: it is held.</exception>
    /// <exception cref="ArgumentException">No such shipment.</exception>
    public void ShipShipment(int number) => ShipAt(ShipmentIndex(number, nameof(number)), Now);

    /// <summary>Applies what a carrier said about a shipment, monotonically: by when it happened, not when it arrived.</summary>
    /// <remarks>
    /// <para>A repeat of an update already applied (the same <see cref="TrackingUpdate.EventId"/>, or the same status,
    /// time and raw status) changes nothing and returns false. Otherwise the update joins the shipment's history and
    /// the status is worked out from the whole history, so the order in which updates arrive never matters:
    /// <see cref="TrackingStatus.ReturnedToSender"/> wins over everything, then <see cref="TrackingStatus.Delivered"/>;
    /// otherwise the latest update that says where the parcel is decides (in transit, out for delivery or at a pickup
    /// point, an exception or a failed attempt). A late "in transit" never undoes "delivered".</para>
    /// <para>An update that the parcel is moving, for a shipment with a label that has not been marked shipped,
    /// ships it first: the carrier has it. Entering <see cref="ShipmentStatus.Delivered"/> delivers its units on the
    /// order (<see cref="LinesDelivered"/>). Customer events follow the status: <see cref="ShipmentOutForDelivery"/>,
    /// <see cref="ShipmentDelivered"/>, <see cref="DeliveryException"/>, <see cref="ShipmentReturnedToSender"/>.
    /// Units count as delivered once any update says delivered, even when "returned to sender" wins the status:
    /// take them back through a return.</para>
    /// </remarks>
    /// <param name="number">The shipment.</param>
    /// <param name="update">The update.</param>
    /// <returns>True when the update was new and recorded; false for a repeat.</returns>
    /// <exception cref="InvalidShipmentTransitionException">The shipment has no label and has not shipped, or was cancelled.</exception>
    /// <exception cref="InvalidOrderTransitionException">The update would ship the shipment, and the order is held.</exception>
    /// <exception cref="ArgumentException">No such shipment.</exception>
    public bool ApplyTracking(int number, TrackingUpdate update)
    {
        int index = ShipmentIndex(number, nameof(number));
        ArgumentNullException.ThrowIfNull(update);
        Shipment shipment = ShipmentList[index];
        foreach (TrackingUpdate known in shipment.Tracking)
        {
            if (update.IsRepeatOf(known))
            {
                return false;
            }
        }

        bool moving = TrackingUpdate.Rank(update.Status) >= TrackingUpdate.Rank(TrackingStatus.InTransit);
        if (shipment.Status == ShipmentStatus.LabelPurchased)
        {
            if (moving)
            {
                ShipAt(index, update.OccurredAt);
                shipment = ShipmentList[index];
            }
            else
            {
                ShipmentList[index] = shipment with { Tracking = WithUpdate(shipment.Tracking, update) };
                Record(new ShipmentTracked(Id, NextSequence, Now, number, update, shipment.Status));
                return true;
            }
        }

        EnsureShipmentAllowed(shipment, ShipmentActions.Track);
        List<TrackingUpdate> history = WithUpdate(shipment.Tracking, update);
        ShipmentStatus next = StatusFromTracking(history);
        Instant now = Now;
        ShipmentStatus previous = shipment.Status;
        if (next != previous)
        {
            FireShipment(index, ShipmentActions.Track, next);
        }

        // Units count as delivered once any update says so, whatever came after: so the order in which updates
        // arrive never changes what the order ends with.
        Instant? deliveredAt = shipment.DeliveredAt;
        bool deliveredNow = false;
        if (deliveredAt is null && history.Find(static u => u.Status == TrackingStatus.Delivered) is { } delivered)
        {
            deliveredAt = delivered.OccurredAt;
            deliveredNow = true;
            DeliverUnits(Quantities(shipment.Lines, static l => l.Quantity), now);
        }

        ShipmentList[index] = ShipmentList[index] with { Tracking = history, DeliveredAt = deliveredAt };
        Record(new ShipmentTracked(Id, NextSequence, now, number, update, next));
        if (deliveredNow)
        {
            Record(new ShipmentDelivered(Id, NextSequence, now, number, deliveredAt!.Value));
        }

        if (next != previous)
        {
            ShippingLabel? label = shipment.Label;
            TrackingUpdate latest = history.FindLast(u => StatusOf(u.Status) == next) ?? update;
            OrderEvent? told = next switch
            {
                ShipmentStatus.OutForDelivery => new ShipmentOutForDelivery(Id, NextSequence, now, number, label?.TrackingNumber, label?.TrackingUrl),
                ShipmentStatus.DeliveryException => new DeliveryException(Id, NextSequence, now, number, latest.Status, latest.Detail),
                ShipmentStatus.ReturnedToSender => new ShipmentReturnedToSender(Id, NextSequence, now, number, latest.Detail),
                _ => null,
            };
            if (told is not null)
            {
                Record(told);
            }
        }

        return true;
    }

    /// <summary>Cancels a shipment before it ships: its units are released at its location and await allocation again.</summary>
    /// <param name="number">The shipment.</param>
    /// <param name="reason">Why, in a few words; kept in the timeline.</param>
    /// <exception cref="InvalidShipmentTransitionException">The shipment has shipped or is cancelled already, or still has a label (void it first).</exception>
    /// <exception cref="ArgumentException">No such shipment, or the reason is blank or too long.</exception>
    public void CancelShipment(int number, string reason)
    {
        int index = ShipmentIndex(number, nameof(number));
        Shipment shipment = ShipmentList[index];
        EnsureShipmentAllowed(shipment, ShipmentActions.Cancel);
        Required(reason, nameof(reason), MaxReasonLength);
        if (shipment.Label is not null)
        {
            throw new InvalidShipmentTransitionException(Id, number, shipment.Status, ShipmentActions.Cancel, shipment.AllowedActions, $"its label {shipment.Label} must be voided first");
        }

        int units = shipment.Units;
        OrderTotals after = _totals with { Allocated = _totals.Allocated - units };
        OrderStatus previous = Fire(OrderTrigger.Deallocate, after.DeriveStatus(_status));
        FireShipment(index, ShipmentActions.Cancel, ShipmentStatus.Cancelled);
        foreach (ShipmentLine item in shipment.Lines)
        {
            OrderLine line = Line(item.Sku);
            line.TakeAllocated(item.Quantity, shipment.Location, StockEffectKind.Release, StockEffects, null);
            line.Allocated -= item.Quantity;
        }

        SetTotals(after);
        Instant now = Now;
        Record(new ShipmentCancelled(Id, NextSequence, now, number, reason, Quantities(shipment.Lines, static l => l.Quantity)));
        RecordStatusChange(previous, now);
    }

    /// <summary>Returns the shipment's status that a tracking history leads to; see <see cref="ApplyTracking"/>.</summary>
    internal static ShipmentStatus StatusFromTracking(IReadOnlyList<TrackingUpdate> history)
    {
        ShipmentStatus status = ShipmentStatus.Shipped;
        bool delivered = false;
        foreach (TrackingUpdate update in history)
        {
            if (update.Status == TrackingStatus.ReturnedToSender)
            {
                return ShipmentStatus.ReturnedToSender;
            }

            delivered |= update.Status == TrackingStatus.Delivered;
            status = StatusOf(update.Status) ?? status;
        }

        return delivered ? ShipmentStatus.Delivered : status;
    }

    /// <summary>The units in open shipments of a SKU, at one location or anywhere.</summary>
    internal int InShipments(Sku sku, LocationId? at)
    {
        int units = 0;
        foreach (Shipment shipment in ShipmentList)
        {
            if (shipment.IsOpen && (at is null || shipment.Location == at))
            {
                units += shipment.QuantityOf(sku);
            }
        }

        return units;
    }

    /// <summary>The units of a SKU in shipments that shipped and are not delivered: their delivery comes from tracking.</summary>
    private int InShippedShipments(Sku sku)
    {
        int units = 0;
        foreach (Shipment shipment in ShipmentList)
        {
            if (shipment.HasShipped && shipment.Status != ShipmentStatus.Delivered)
            {
                units += shipment.QuantityOf(sku);
            }
        }

        return units;
    }

    /// <summary>The units of a SKU in open shipments, per location; null when there are none, which is the common case.</summary>
    private Dictionary<LocationId, int>? ShipmentUnits(Sku sku)
    {
        Dictionary<LocationId, int>? units = null;
        foreach (Shipment shipment in ShipmentList)
        {
            int quantity = shipment.IsOpen ? shipment.QuantityOf(sku) : 0;
            if (quantity > 0)
            {
                units ??= [];
                units[shipment.Location] = units.GetValueOrDefault(shipment.Location) + quantity;
            }
        }

        return units;
    }

    /// <summary>Cancels every open shipment, as part of cancelling the whole order; their units are released by the caller.</summary>
    private void CancelOpenShipments(string reason, Instant now)
    {
        for (int i = 0; i < ShipmentList.Count; i++)
        {
            Shipment shipment = ShipmentList[i];
            if (shipment.IsOpen)
            {
                FireShipment(i, ShipmentActions.Cancel, ShipmentStatus.Cancelled);
                Record(new ShipmentCancelled(Id, NextSequence, now, shipment.Number, reason, Quantities(shipment.Lines, static l => l.Quantity)));
            }
        }
    }

    /// <summary>Throws, changing nothing, when an open shipment has a label: cancelling the order needs it voided first.</summary>
    private void EnsureNoLabelledShipment()
    {
        foreach (Shipment shipment in ShipmentList)
        {
            if (shipment.IsOpen && shipment.Label is not null)
            {
                throw new InvalidOrderTransitionException(Id, _status, OrderActions.Cancel, AllowedActions, $"shipment #{shipment.Number} has label {shipment.Label}; void it first");
            }
        }
    }

    private void ShipAt(int index, Instant shippedAt)
    {
        Shipment shipment = ShipmentList[index];
        EnsureShipmentAllowed(shipment, ShipmentActions.Ship);
        EnsureAllowed(OrderActions.Ship);
        LineQuantity[] lines = Quantities(shipment.Lines, static l => l.Quantity);
        int units = shipment.Units;
        OrderTotals after = _totals with { Allocated = _totals.Allocated - units, Shipped = _totals.Shipped + units };
        OrderStatus previous = Fire(OrderTrigger.Ship, after.DeriveStatus(_status));
        FireShipment(index, ShipmentActions.Ship, ShipmentStatus.Shipped);
        foreach (LineQuantity entry in lines)
        {
            OrderLine line = Line(entry.Sku);
            line.TakeAllocated(entry.Quantity.Value, shipment.Location, StockEffectKind.Ship, StockEffects, null);
            line.Allocated -= entry.Quantity.Value;
            line.Shipped += entry.Quantity.Value;
        }

        SetTotals(after);
        ShipmentList[index] = ShipmentList[index] with { ShippedAt = shippedAt };
        Instant now = Now;
        Record(new LinesShipped(Id, NextSequence, now, lines));
        ShippingLabel? label = shipment.Label;
        Record(new ShipmentShipped(Id, NextSequence, now, shipment.Number, shipment.Location, lines, label?.CarrierCode, label?.TrackingNumber, label?.TrackingUrl));
        RecordStatusChange(previous, now);
    }

    private Shipment NewShipment(LocationId location, IReadOnlyList<ShipmentLine> lines, Instant now, int? splitFrom)
    {
        var shipment = new Shipment
        {
            Number = ShipmentList.Count + 1,
            Location = location,
            Status = ShipmentStatus.Pending,
            Lines = [.. lines],
            CreatedAt = now,
            SplitFrom = splitFrom,
        };
        (_shipmentList ??= []).Add(shipment);
        return shipment;
    }

    private int ShipmentIndex(int number, string paramName)
    {
        if (number < 1 || number > ShipmentList.Count)
        {
            throw new ArgumentException(
                ShipmentList.Count == 0
                    ? $"{paramName} {number}: order {Id} has no shipments; create them first."
                    : $"{paramName} {number}: order {Id} has shipments 1 to {ShipmentList.Count}.",
                paramName);
        }

        return number - 1;
    }

    private static int ShipmentLineIndex(Shipment shipment, Sku sku, string paramName, int index)
    {
        for (int i = 0; i < shipment.Lines.Count; i++)
        {
            if (shipment.Lines[i].Sku == sku)
            {
                return i;
            }
        }

        throw new ArgumentException(
            sku.IsDefault ? $"{paramName}[{index}].Sku is required." : $"{paramName}[{index}].Sku \"{sku}\" is not in shipment #{shipment.Number}.",
            paramName);
    }

    private void EnsureShipmentAllowed(Shipment shipment, ShipmentActions action)
    {
        ShipmentActions allowed = shipment.AllowedActions;
        if ((allowed & action) == 0)
        {
            throw new InvalidShipmentTransitionException(Id, shipment.Number, shipment.Status, action, allowed);
        }
    }

    /// <summary>Moves a shipment along its lifecycle, checked on the tables compiled from its Stateless definition.</summary>
    private void FireShipment(int index, ShipmentActions trigger, ShipmentStatus next)
    {
        ShipmentStatus previous = ShipmentList[index].Status;
        if (!ShipmentLifecycle.Leads(previous, trigger, next))
        {
            // The checks before the transition and the definition disagree: a defect in OrderKit, never the caller's fault.
            throw new InvalidOperationException($"The shipment lifecycle does not move shipment #{index + 1} of order {Id} from {previous} to {next} on {trigger}.");
        }

        ShipmentList[index] = ShipmentList[index] with { Status = next };
    }

    private static ShipmentStatus? StatusOf(TrackingStatus status) => status switch
    {
        TrackingStatus.InTransit => ShipmentStatus.InTransit,
        TrackingStatus.OutForDelivery or TrackingStatus.AvailableForPickup => ShipmentStatus.OutForDelivery,
        TrackingStatus.DeliveryAttemptFailed or TrackingStatus.Exception => ShipmentStatus.DeliveryException,
        TrackingStatus.Delivered => ShipmentStatus.Delivered,
        TrackingStatus.ReturnedToSender => ShipmentStatus.ReturnedToSender,
        _ => null,
    };

    private static List<TrackingUpdate> WithUpdate(IReadOnlyList<TrackingUpdate> history, TrackingUpdate update)
    {
        var list = new List<TrackingUpdate>(history.Count + 1);
        list.AddRange(history);
        int at = list.Count;
        while (at > 0 && TrackingUpdate.Compare(list[at - 1], update) > 0)
        {
            at--;
        }

        list.Insert(at, update);
        return list;
    }

    private static LineQuantity[] Quantities(IReadOnlyList<ShipmentLine> lines, Func<ShipmentLine, int> units)
    {
        var result = new List<LineQuantity>(lines.Count);
        foreach (ShipmentLine line in lines)
        {
            int n = units(line);
            if (n > 0)
            {
                result.Add(new LineQuantity(line.Sku, new Quantity(n)));
            }
        }

        return [.. result];
    }
}
