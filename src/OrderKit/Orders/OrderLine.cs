namespace OrderKit.Orders;

/// <summary>One line of an order: a SKU, its unit price, and where each of its units stands.</summary>
/// <remarks>
/// <para>Every unit ordered is in exactly one place at a time, so the quantities always add up:</para>
/// <list type="bullet">
/// <item><description><see cref="Ordered"/> = <see cref="Open"/> + <see cref="Cancelled"/> + <see cref="Shipped"/>: a unit is still to be
/// fulfilled, was cancelled, or has shipped.</description></item>
/// <item><description><see cref="Open"/> = <see cref="AwaitingAllocation"/> + <see cref="Allocated"/> + <see cref="Backordered"/>: an open
/// unit awaits an allocation decision, has stock allocated, or waits for stock.</description></item>
/// <item><description><see cref="Delivered"/> ≤ <see cref="Shipped"/> and <see cref="Returned"/> ≤ <see cref="Delivered"/>: only shipped
/// units are delivered, only delivered units come back.</description></item>
/// <item><description>Every quantity is zero or more, and <see cref="Ordered"/> is at least one.</description></item>
/// </list>
/// <para>The order changes these quantities only through its actions, which check them before changing anything.</para>
/// <para>Thread safety: not thread-safe; it belongs to its <see cref="Order"/>, which is not thread-safe either.</para>
/// </remarks>
public sealed class OrderLine
{
    private List<AllocatedStock>? _allocatedAt;

    internal OrderLine(Sku sku, Money unitPrice, int ordered)
    {
        Sku = sku;
        UnitPrice = unitPrice;
        Ordered = ordered;
    }

    /// <summary>Gets the SKU; unique within the order.</summary>
    public Sku Sku { get; }

    /// <summary>Gets the price of one unit, in the order's currency.</summary>
    public Money UnitPrice { get; }

    /// <summary>Gets the number of units ordered; at least one, never changes.</summary>
    public int Ordered { get; }

    /// <summary>Gets the number of units cancelled.</summary>
    public int Cancelled { get; internal set; }

    /// <summary>Gets the number of open units with stock allocated to them.</summary>
    public int Allocated { get; internal set; }

    /// <summary>Gets the number of open units waiting for stock.</summary>
    public int Backordered { get; internal set; }

    /// <summary>Gets the number of units shipped, delivered ones included.</summary>
    public int Shipped { get; internal set; }

    /// <summary>Gets the number of shipped units delivered to the customer.</summary>
    public int Delivered { get; internal set; }

    /// <summary>Gets the number of delivered units returned by the customer.</summary>
    public int Returned { get; internal set; }

    /// <summary>Gets where allocated units come from, one entry per location (and per reserved or not); empty when no allocation named a location.</summary>
    /// <remarks>The quantities sum to at most <see cref="Allocated"/>; the difference is allocated units that named no location.</remarks>
    public IReadOnlyList<AllocatedStock> AllocatedAt => _allocatedAt is null ? [] : _allocatedAt.AsReadOnly();

    /// <summary>Gets the number of allocated units whose allocation named no location.</summary>
    public int AllocatedWithoutLocation => Allocated - LocatedUnits();

    /// <summary>Gets the number of units still to be fulfilled: ordered, minus cancelled, minus shipped.</summary>
    public int Open => Ordered - Cancelled - Shipped;

    /// <summary>Gets the number of open units that neither have stock allocated nor are backordered.</summary>
    public int AwaitingAllocation => Open - Allocated - Backordered;

    /// <summary>Gets the number of shipped units not yet delivered.</summary>
    public int InTransit => Shipped - Delivered;

    /// <summary>Gets the line's total: the unit price times the units ordered.</summary>
    public Money Total => UnitPrice * Ordered;

    /// <summary>Returns the SKU and its quantities, such as <c>MUG-RED x3 (open 1: allocated 1; shipped 2)</c>.</summary>
    /// <returns>The line as text.</returns>
    public override string ToString() =>
        $"{Sku} x{Ordered} (open {Open}: awaiting {AwaitingAllocation}, allocated {Allocated}, backordered {Backordered}; cancelled {Cancelled}; shipped {Shipped}, delivered {Delivered}, returned {Returned})";

    /// <summary>Returns the allocated units at a location.</summary>
    internal int UnitsAt(LocationId location)
    {
        int units = 0;
        if (_allocatedAt is not null)
        {
            foreach (AllocatedStock stock in _allocatedAt)
            {
                units += stock.Location == location ? stock.Quantity : 0;
            }
        }

        return units;
    }

    internal void AddAllocatedAt(LocationId location, int quantity, bool reserved)
    {
        _allocatedAt ??= [];
        for (int i = 0; i < _allocatedAt.Count; i++)
        {
            if (_allocatedAt[i].Location == location && _allocatedAt[i].IsReserved == reserved)
            {
                _allocatedAt[i] = _allocatedAt[i] with { Quantity = _allocatedAt[i].Quantity + quantity };
                return;
            }
        }

        _allocatedAt.Add(new AllocatedStock(location, quantity, reserved));
    }

    /// <summary>
    /// Removes allocated units from their locations (the caller lowers <see cref="Allocated"/>): from units without a
    /// location first, then from the named location, or else from the earliest (shipping) or latest (giving up) entry.
    /// Reserved units removed become stock effects of <paramref name="kind"/>. Units counted in
    /// <paramref name="committed"/> (per location: units in open shipments) are left where they are.
    /// </summary>
    internal void TakeAllocated(int units, LocationId? from, StockEffectKind kind, List<StockEffect> effects, Dictionary<LocationId, int>? committed)
    {
        if (from is null)
        {
            units -= Math.Min(units, AllocatedWithoutLocation);
        }

        if (_allocatedAt is null)
        {
            return;
        }

        bool earliestFirst = kind == StockEffectKind.Ship;
        for (int n = 0; n < _allocatedAt.Count && units > 0; n++)
        {
            int i = earliestFirst ? n : _allocatedAt.Count - 1 - n;
            AllocatedStock stock = _allocatedAt[i];
            if (from is { } only && stock.Location != only)
            {
                continue;
            }

            int takeable = stock.Quantity;
            if (committed is not null && committed.TryGetValue(stock.Location, out int kept) && kept > 0)
            {
                int keep = Math.Min(kept, takeable);
                committed[stock.Location] = kept - keep;
                takeable -= keep;
            }

            int take = Math.Min(units, takeable);
            if (take == 0)
            {
                continue;
            }

            units -= take;
            _allocatedAt[i] = stock with { Quantity = stock.Quantity - take };
            if (stock.IsReserved)
            {
                effects.Add(new StockEffect(kind, Sku, stock.Location, take));
            }
        }

        _allocatedAt.RemoveAll(static s => s.Quantity == 0);
    }

    internal void RestoreAllocatedAt(IReadOnlyList<AllocatedStock> allocatedAt) => _allocatedAt = allocatedAt.Count == 0 ? null : [.. allocatedAt];

    private int LocatedUnits()
    {
        int units = 0;
        if (_allocatedAt is not null)
        {
            foreach (AllocatedStock stock in _allocatedAt)
            {
                units += stock.Quantity;
            }
        }

        return units;
    }
}
