using NodaTime;
using OrderKit.Allocation;
using OrderKit.Internal;

namespace OrderKit.Inventory;

/// <summary>Stock locations, stock counts and their movement ledger, and allocation plans over them.</summary>
/// <remarks>
/// <para>Every operation is atomic: it checks everything first and then changes the counts and appends its
/// movements to the ledger, or throws and changes nothing. Bad input throws an <see cref="ArgumentException"/> naming
/// the argument and its value.</para>
/// <para>Reservations never oversell: a reservation succeeds only by moving a cell's available count from at least
/// the quantity to that much less, with a compare-and-swap, so concurrent requests for the last unit get it once.</para>
/// <para>Thread safety: thread-safe. Register it as a singleton (<see cref="OrderKitServiceCollectionExtensions.AddOrderKit"/> does).</para>
/// </remarks>
public sealed class InventoryService
{
    private const int MaxReasonLength = 500;

    private readonly StockIndex _index;
    private readonly IClock _clock;
    private readonly AllocationPlanner _planner;
    private readonly Lock _ledgerLock = new();
    private readonly List<StockMovement> _ledger = [];

    /// <summary>Creates the service over an empty inventory.</summary>
    /// <param name="clock">The clock that stamps movements and decides preorder releases.</param>
    /// <param name="timeZone">The shop's time zone, for dates such as preorder releases; UTC when null.</param>
    public InventoryService(IClock clock, DateTimeZone? timeZone = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
        TimeZone = timeZone ?? DateTimeZone.Utc;
        _index = new StockIndex();
        _planner = new AllocationPlanner(_index, clock);
    }

    /// <summary>Gets the shop's time zone.</summary>
    public DateTimeZone TimeZone { get; }

    /// <summary>Gets the locations, in the order they were added.</summary>
    public IReadOnlyList<StockLocation> Locations
    {
        get
        {
            StockIndex.LocationTable table = _index.Locations;
            var result = new StockLocation[table.Count];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = table[i];
            }

            return result;
        }
    }

    internal StockIndex Index => _index;

    /// <summary>Adds a stock location.</summary>
    /// <param name="location">The location.</param>
    /// <exception cref="ArgumentException">A location with the same id exists.</exception>
    public void AddLocation(StockLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        _index.PutLocation(location, mustExist: false);
    }

    /// <summary>Replaces a stock location (to deactivate it, change its rank, regions or channels); its stock stays.</summary>
    /// <param name="location">The location, with the id of an existing one.</param>
    /// <exception cref="ArgumentException">No location has that id.</exception>
    public void UpdateLocation(StockLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        _index.PutLocation(location, mustExist: true);
    }

    /// <summary>Sets how a SKU sells when short; a SKU without a policy is <see cref="InventoryPolicy.DenyWhenShort"/>.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="policy">The policy.</param>
    /// <exception cref="ArgumentException">The SKU is the default value, or a dropship policy names an unknown supplier.</exception>
    public void SetPolicy(Sku sku, InventoryPolicy policy)
    {
        CheckSku(sku, nameof(sku));
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.Supplier is { } supplier && !_index.Locations.TryGetIndex(supplier, out _))
        {
            throw new ArgumentException($"The dropship supplier \"{supplier}\" of {sku} is not a known stock location.", nameof(policy));
        }

        _index.Row(sku).Policy = policy;
    }

    /// <summary>Gets the policy of a SKU.</summary>
    /// <param name="sku">The SKU.</param>
    /// <returns>The policy; <see cref="InventoryPolicy.DenyWhenShort"/> for a SKU never configured.</returns>
    public InventoryPolicy GetPolicy(Sku sku) => _index.FindRow(sku)?.Policy ?? InventoryPolicy.DenyWhenShort;

    /// <summary>Records units arriving at a location (goods receipt).</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <param name="quantity">The units received.</param>
    /// <param name="reference">A delivery note or purchase order number; optional.</param>
    /// <returns>The ledger entry.</returns>
    /// <exception cref="ArgumentException">The SKU or the location is unknown, or the quantity is not positive.</exception>
    /// <remarks>Units expected at the location (<see cref="ExpectIncoming"/>) are counted off, earliest first.</remarks>
    public StockMovement Receive(Sku sku, LocationId location, Quantity quantity, string? reference = null)
    {
        (StockIndex.SkuRow row, int at) = Cell(sku, location);
        int units = Units(quantity, nameof(quantity));
        string? checkedReference = reference is null ? null : Text.Required(reference, nameof(reference), MaxReasonLength);
        lock (row.Gate)
        {
            StockIndex.Put(ref row.Cell(at), units);
            ConsumeIncoming(row, at, units);
            return Append(StockMovementKind.Received, sku, location, units, units, 0, null, null, checkedReference);
        }
    }

    /// <summary>Records units expected to arrive at a location, for backorder dates.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <param name="quantity">The units expected.</param>
    /// <param name="expectedOn">When.</param>
    /// <exception cref="ArgumentException">The SKU or the location is unknown, or the quantity is not positive.</exception>
    public void ExpectIncoming(Sku sku, LocationId location, Quantity quantity, LocalDate expectedOn)
    {
        (StockIndex.SkuRow row, int at) = Cell(sku, location);
        int units = Units(quantity, nameof(quantity));
        lock (row.Gate)
        {
            if (!row.Incoming.TryGetValue(at, out List<IncomingStock>? list))
            {
                row.Incoming[at] = list = [];
            }

            list.Add(new IncomingStock(units, expectedOn));
            list.Sort(static (a, b) => a.ExpectedOn.CompareTo(b.ExpectedOn));
        }
    }

    /// <summary>Sets the units on hand to what a count found, with the reason; the difference is recorded.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <param name="countedOnHand">The units on the shelf, reserved ones included; zero or more.</param>
    /// <param name="reason">Why, such as <c>cycle count</c>.</param>
    /// <returns>The ledger entry, or null when the count matched.</returns>
    /// <exception cref="ArgumentException">The SKU or location is unknown, the count is negative or below the units reserved, or the reason is blank.</exception>
    public StockMovement? Adjust(Sku sku, LocationId location, int countedOnHand, string reason)
    {
        (StockIndex.SkuRow row, int at) = Cell(sku, location);
        ArgumentOutOfRangeException.ThrowIfNegative(countedOnHand);
        string why = Text.Required(reason, nameof(reason), MaxReasonLength);
        lock (row.Gate)
        {
            ref StockIndex.StockCell cell = ref row.Cell(at);
            int delta = countedOnHand - Volatile.Read(ref cell.OnHand);
            if (delta == 0)
            {
                return null;
            }

            if (delta > 0)
            {
                StockIndex.Put(ref cell, delta);
            }
            else if (!StockIndex.TryTakeFree(ref cell, -delta))
            {
                throw new ArgumentException($"Cannot count {sku} at {location} down to {countedOnHand}: {Volatile.Read(ref cell.Reserved)} units are reserved; release or ship them first.", nameof(countedOnHand));
            }

            return Append(StockMovementKind.Adjusted, sku, location, Math.Abs(delta), delta, 0, why, null, null);
        }
    }

    /// <summary>Moves units from one location to another; only units neither reserved nor kept as safety stock can move.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="from">The location the units leave.</param>
    /// <param name="to">The location they arrive at.</param>
    /// <param name="quantity">The units.</param>
    /// <param name="reference">A transfer number; optional.</param>
    /// <returns>The two ledger entries: out, then in.</returns>
    /// <exception cref="ArgumentException">A location or the SKU is unknown, both locations are the same, or fewer units are available.</exception>
    public IReadOnlyList<StockMovement> Transfer(Sku sku, LocationId from, LocationId to, Quantity quantity, string? reference = null)
    {
        (StockIndex.SkuRow row, int source) = Cell(sku, from);
        (_, int target) = Cell(sku, to);
        if (source == target)
        {
            throw new ArgumentException($"Cannot transfer {sku} from {from} to itself.", nameof(to));
        }

        int units = Units(quantity, nameof(quantity));
        lock (row.Gate)
        {
            ref StockIndex.StockCell cell = ref row.Cell(source);
            int available = Volatile.Read(ref cell.Available);
            if (available < units || !StockIndex.TryTakeFree(ref cell, units))
            {
                throw new ArgumentException($"Cannot transfer {units} x {sku} from {from}: only {Math.Max(0, available)} are available.", nameof(quantity));
            }

            StockIndex.Put(ref row.Cell(target), units);
            return
            [
                Append(StockMovementKind.TransferredOut, sku, from, units, -units, 0, null, null, reference),
                Append(StockMovementKind.TransferredIn, sku, to, units, units, 0, null, null, reference),
            ];
        }
    }

    /// <summary>Takes units off sale as damaged or quarantined; only units neither reserved nor safety stock.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <param name="quantity">The units.</param>
    /// <param name="reason">What was found.</param>
    /// <returns>The ledger entry.</returns>
    /// <exception cref="ArgumentException">The SKU or location is unknown, fewer units are free, or the reason is blank.</exception>
    public StockMovement MarkDamaged(Sku sku, LocationId location, Quantity quantity, string reason)
    {
        (StockIndex.SkuRow row, int at) = Cell(sku, location);
        int units = Units(quantity, nameof(quantity));
        string why = Text.Required(reason, nameof(reason), MaxReasonLength);
        lock (row.Gate)
        {
            ref StockIndex.StockCell cell = ref row.Cell(at);
            if (!StockIndex.TryTakeFree(ref cell, units))
            {
                throw new ArgumentException($"Cannot mark {units} x {sku} at {location} damaged: only {Math.Max(0, Volatile.Read(ref cell.Available) + cell.SafetyStock)} units are free of reservations.", nameof(quantity));
            }

            cell.Damaged += units;
            return Append(StockMovementKind.MarkedDamaged, sku, location, units, -units, 0, why, null, null);
        }
    }

    /// <summary>Puts returned units back on the shelf.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <param name="quantity">The units.</param>
    /// <param name="orderId">The order they came back from, if known.</param>
    /// <returns>The ledger entry.</returns>
    /// <exception cref="ArgumentException">The SKU or location is unknown, or the quantity is not positive.</exception>
    public StockMovement Restock(Sku sku, LocationId location, Quantity quantity, OrderId? orderId = null)
    {
        (StockIndex.SkuRow row, int at) = Cell(sku, location);
        int units = Units(quantity, nameof(quantity));
        lock (row.Gate)
        {
            StockIndex.Put(ref row.Cell(at), units);
            return Append(StockMovementKind.Restocked, sku, location, units, units, 0, null, orderId, null);
        }
    }

    /// <summary>Sets the units a location keeps back from sale.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <param name="safetyStock">The units; zero or more.</param>
    /// <exception cref="ArgumentException">The SKU or location is unknown, or the value is negative.</exception>
    public void SetSafetyStock(Sku sku, LocationId location, int safetyStock)
    {
        (StockIndex.SkuRow row, int at) = Cell(sku, location);
        ArgumentOutOfRangeException.ThrowIfNegative(safetyStock);
        lock (row.Gate)
        {
            ref StockIndex.StockCell cell = ref row.Cell(at);
            Interlocked.Add(ref cell.Available, cell.SafetyStock - safetyStock);
            cell.SafetyStock = safetyStock;
        }
    }

    /// <summary>Reserves units at one location for an order or a cart, if that many are available.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <param name="quantity">The units.</param>
    /// <param name="orderId">The order, if any.</param>
    /// <param name="reference">A cart id or another reference, if any.</param>
    /// <returns>The ledger entry, or null when fewer units were available (nothing changed then).</returns>
    /// <exception cref="ArgumentException">The SKU or location is unknown, or the quantity is not positive.</exception>
    public StockMovement? TryReserve(Sku sku, LocationId location, Quantity quantity, OrderId? orderId = null, string? reference = null)
    {
        (StockIndex.SkuRow row, int at) = Cell(sku, location);
        int units = Units(quantity, nameof(quantity));
        return StockIndex.TryReserve(row, at, units)
            ? Append(StockMovementKind.Reserved, sku, location, units, 0, units, null, orderId, reference)
            : null;
    }

    /// <summary>Gives back reserved units.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <param name="quantity">The units; at most those reserved.</param>
    /// <param name="orderId">The order, if any.</param>
    /// <param name="reference">A cart id or another reference, if any.</param>
    /// <returns>The ledger entry.</returns>
    /// <exception cref="ArgumentException">The SKU or location is unknown, or more units than are reserved.</exception>
    public StockMovement Release(Sku sku, LocationId location, Quantity quantity, OrderId? orderId = null, string? reference = null)
    {
        (StockIndex.SkuRow row, int at) = Cell(sku, location);
        int units = Units(quantity, nameof(quantity));
        lock (row.Gate)
        {
            int reserved = Volatile.Read(ref row.Cell(at).Reserved);
            if (reserved < units)
            {
                throw new ArgumentException($"Cannot release {units} x {sku} at {location}: only {reserved} are reserved.", nameof(quantity));
            }

            StockIndex.Release(row, at, units);
            return Append(StockMovementKind.Released, sku, location, units, 0, -units, null, orderId, reference);
        }
    }

    /// <summary>Records reserved units as shipped: they leave the shelf and the reservation.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <param name="quantity">The units; at most those reserved.</param>
    /// <param name="orderId">The order.</param>
    /// <returns>The ledger entry.</returns>
    /// <exception cref="ArgumentException">The SKU or location is unknown, or more units than are reserved.</exception>
    public StockMovement Ship(Sku sku, LocationId location, Quantity quantity, OrderId orderId)
    {
        (StockIndex.SkuRow row, int at) = Cell(sku, location);
        int units = Units(quantity, nameof(quantity));
        lock (row.Gate)
        {
            ref StockIndex.StockCell cell = ref row.Cell(at);
            int reserved = Volatile.Read(ref cell.Reserved);
            if (reserved < units)
            {
                throw new ArgumentException($"Cannot ship {units} x {sku} from {location}: only {reserved} are reserved.", nameof(quantity));
            }

            Interlocked.Add(ref cell.Reserved, -units);
            Interlocked.Add(ref cell.OnHand, -units);
            return Append(StockMovementKind.Shipped, sku, location, units, -units, -units, null, orderId, null);
        }
    }

    /// <summary>Reads the stock of a SKU at a location.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <returns>The level; all zero for a SKU never stocked there.</returns>
    /// <exception cref="ArgumentException">The location is unknown or the SKU is the default value.</exception>
    public StockLevel GetLevel(Sku sku, LocationId location)
    {
        CheckSku(sku, nameof(sku));
        int at = LocationIndex(location, nameof(location));
        return _index.FindRow(sku) is { } row ? _index.Level(row, at) : new StockLevel(sku, location, 0, 0, 0, 0, []);
    }

    /// <summary>Reads the stock of a SKU at every location.</summary>
    /// <param name="sku">The SKU.</param>
    /// <returns>One level per location, in the order the locations were added.</returns>
    public IReadOnlyList<StockLevel> GetLevels(Sku sku)
    {
        CheckSku(sku, nameof(sku));
        StockIndex.LocationTable table = _index.Locations;
        StockIndex.SkuRow? row = _index.FindRow(sku);
        var levels = new StockLevel[table.Count];
        for (int k = 0; k < levels.Length; k++)
        {
            levels[k] = row is null ? new StockLevel(sku, table[k].Id, 0, 0, 0, 0, []) : _index.Level(row, k);
        }

        return levels;
    }

    /// <summary>Answers "how many of this SKU can I sell to this destination through this channel now?".</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="destination">Where the order would ship.</param>
    /// <param name="channel">The sales channel.</param>
    /// <returns>The units available at the active locations that ship there and serve the channel; <see cref="int.MaxValue"/> for an untracked SKU.</returns>
    public int GetAvailableToSell(Sku sku, Address destination, SalesChannel channel)
    {
        CheckSku(sku, nameof(sku));
        ArgumentNullException.ThrowIfNull(destination);
        StockIndex.SkuRow? row = _index.FindRow(sku);
        if (row is null)
        {
            return 0;
        }

        if (row.Policy.Kind == InventoryPolicyKind.Untracked)
        {
            return int.MaxValue;
        }

        StockIndex.LocationTable table = _index.Locations;
        long total = 0;
        for (int k = 0; k < table.Count; k++)
        {
            StockLocation location = table[k];
            if (location.IsActive && location.Kind != LocationKind.DropshipSupplier && location.ShipsTo(destination) && location.Serves(channel))
            {
                total += Math.Max(0, row.Available(k));
            }
        }

        return (int)Math.Min(total, int.MaxValue);
    }

    /// <summary>Plans an allocation over the stock as it stands, reserving nothing (a dry run).</summary>
    /// <param name="request">What to plan.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="ArgumentException">The request is incomplete, names a SKU the inventory does not know, repeats a SKU, or collects at a location that does not offer it.</exception>
    public AllocationPlan Plan(AllocationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _planner.Plan(request, TimeZone);
    }

    /// <summary>Reads the movement ledger.</summary>
    /// <param name="sku">Only this SKU's movements; null for all.</param>
    /// <returns>The movements, oldest first.</returns>
    public IReadOnlyList<StockMovement> GetLedger(Sku? sku = null)
    {
        lock (_ledgerLock)
        {
            return sku is { } only ? [.. _ledger.Where(m => m.Sku == only)] : [.. _ledger];
        }
    }

    private static void ConsumeIncoming(StockIndex.SkuRow row, int at, int units)
    {
        if (!row.Incoming.TryGetValue(at, out List<IncomingStock>? list))
        {
            return;
        }

        while (units > 0 && list.Count > 0)
        {
            IncomingStock first = list[0];
            int used = Math.Min(units, first.Quantity);
            units -= used;
            if (used == first.Quantity)
            {
                list.RemoveAt(0);
            }
            else
            {
                list[0] = first with { Quantity = first.Quantity - used };
            }
        }
    }

    private static void CheckSku(Sku sku, string paramName)
    {
        if (sku.IsDefault)
        {
            throw new ArgumentException($"{paramName} is required.", paramName);
        }
    }

    private static int Units(Quantity quantity, string paramName)
    {
        if (quantity.IsDefault)
        {
            throw new ArgumentException($"{paramName} must be positive; got 0.", paramName);
        }

        return quantity.Value;
    }

    private int LocationIndex(LocationId location, string paramName)
    {
        if (location.IsDefault)
        {
            throw new ArgumentException($"{paramName} is required.", paramName);
        }

        if (!_index.Locations.TryGetIndex(location, out int at))
        {
            throw new ArgumentException($"{paramName} \"{location}\" is not a known stock location.", paramName);
        }

        return at;
    }

    private (StockIndex.SkuRow Row, int Location) Cell(Sku sku, LocationId location)
    {
        CheckSku(sku, nameof(sku));
        int at = LocationIndex(location, nameof(location));
        return (_index.Row(sku), at);
    }

    private StockMovement Append(StockMovementKind kind, Sku sku, LocationId location, int quantity, int onHandChange, int reservedChange, string? reason, OrderId? orderId, string? reference)
    {
        lock (_ledgerLock)
        {
            var movement = new StockMovement(_ledger.Count + 1, kind, sku, location, quantity, onHandChange, reservedChange, reason, orderId, reference, _clock.GetCurrentInstant());
            _ledger.Add(movement);
            return movement;
        }
    }
}
