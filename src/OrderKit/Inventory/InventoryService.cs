using NodaTime;
using OrderKit.Allocation;
using OrderKit.Internal;
using OrderKit.Orders;
using OrderKit.Persistence;

namespace OrderKit.Inventory;

/// <summary>Stock locations, stock counts and their movement ledger, cart holds, the backorder queue, and allocation plans.</summary>
/// <remarks>
/// <para>Every operation is one unit of work of the <see cref="IOrderKitStore"/>: it checks everything first, then
/// changes the counts, appends its movements to the ledger and saves the orders it moved on, all committed together,
/// or it throws and changes nothing. Bad input throws an <see cref="ArgumentException"/> naming the argument and its
/// value. When another unit of work changed the same stock first, the operation is retried from the start.</para>
/// <para>Reservations never oversell: the store takes reserved units from a cell's available count with a conditional
/// update (a compare-and-swap in memory), so concurrent requests for the last unit get it once.</para>
/// <para>Stock that arrives (received, restocked, transferred in) goes first to orders waiting for it, when
/// <see cref="OrderKitOptions.FillBackordersOnArrival"/> is on: see <see cref="FillBackordersAsync"/>.</para>
/// <para>Thread safety: thread-safe. Register it as a singleton (<see cref="OrderKitServiceCollectionExtensions.AddOrderKit"/> does).</para>
/// </remarks>
public sealed class InventoryService
{
    /// <summary>The longest cart identifier accepted, in characters.</summary>
    public const int MaxCartIdLength = 200;

    private const int MaxReasonLength = 500;
    private const int BackorderBatch = 1000;

    private readonly IOrderKitStore _store;
    private readonly IClock _clock;
    private readonly OrderKitOptions _options;
    private readonly AllocationPlanner _planner = new();
    private CachedTable? _lastTable;

    /// <summary>Creates the service.</summary>
    /// <param name="store">Where stock and orders are kept.</param>
    /// <param name="clock">The clock that stamps movements, expires cart holds and decides preorder releases.</param>
    /// <param name="options">The options; checked here.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public InventoryService(IOrderKitStore store, IClock clock, OrderKitOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _store = store;
        _clock = clock;
        _options = options;
    }

    /// <summary>Reads the locations, in the order they were added.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The locations.</returns>
    public Task<IReadOnlyList<StockLocation>> GetLocationsAsync(CancellationToken cancellationToken = default) =>
        RunAsync(tx => tx.Inventory.GetLocationsAsync(cancellationToken).AsTask(), cancellationToken);

    /// <summary>Adds a stock location.</summary>
    /// <param name="location">The location.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>A task that completes when the location is stored.</returns>
    /// <exception cref="ArgumentException">A location with the same id exists.</exception>
    public Task AddLocationAsync(StockLocation location, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        return RunAsync(async tx =>
        {
            if ((await tx.Inventory.GetLocationsAsync(cancellationToken).ConfigureAwait(false)).Any(l => l.Id == location.Id))
            {
                throw new ArgumentException($"Stock location {location.Id} already exists; update it instead.", nameof(location));
            }

            await tx.Inventory.SaveLocationAsync(location, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>Replaces a stock location (to deactivate it, change its rank, regions or channels); its stock stays.</summary>
    /// <param name="location">The location, with the id of an existing one.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>A task that completes when the location is stored.</returns>
    /// <exception cref="ArgumentException">No location has that id.</exception>
    public Task UpdateLocationAsync(StockLocation location, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        return RunAsync(async tx =>
        {
            if (!(await tx.Inventory.GetLocationsAsync(cancellationToken).ConfigureAwait(false)).Any(l => l.Id == location.Id))
            {
                throw new ArgumentException($"Stock location {location.Id} does not exist.", nameof(location));
            }

            await tx.Inventory.SaveLocationAsync(location, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>Sets how a SKU sells when short; a SKU without a policy is <see cref="InventoryPolicy.DenyWhenShort"/>.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="policy">The policy.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>A task that completes when the policy is stored.</returns>
    /// <exception cref="ArgumentException">The SKU is the default value, or a dropship policy names an unknown supplier.</exception>
    public Task SetPolicyAsync(Sku sku, InventoryPolicy policy, CancellationToken cancellationToken = default)
    {
        CheckSku(sku, nameof(sku));
        ArgumentNullException.ThrowIfNull(policy);
        return RunAsync(async tx =>
        {
            if (policy.Supplier is { } supplier && !(await tx.Inventory.GetLocationsAsync(cancellationToken).ConfigureAwait(false)).Any(l => l.Id == supplier))
            {
                throw new ArgumentException($"The dropship supplier \"{supplier}\" of {sku} is not a known stock location.", nameof(policy));
            }

            await tx.Inventory.SavePolicyAsync(sku, policy, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>Reads the policy of a SKU.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The policy; <see cref="InventoryPolicy.DenyWhenShort"/> for a SKU never configured.</returns>
    public async Task<InventoryPolicy> GetPolicyAsync(Sku sku, CancellationToken cancellationToken = default)
    {
        CheckSku(sku, nameof(sku));
        SkuStock? stock = await RunAsync(tx => tx.Inventory.FindAsync(sku, cancellationToken).AsTask(), cancellationToken).ConfigureAwait(false);
        return stock?.Policy ?? InventoryPolicy.DenyWhenShort;
    }

    /// <summary>Records units arriving at a location (goods receipt); orders waiting for them are filled first.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <param name="quantity">The units received.</param>
    /// <param name="reference">A delivery note or purchase order number; optional.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The ledger entry as recorded; its <see cref="StockMovement.Sequence"/> is 0, because the store numbers entries as it commits them (<see cref="GetLedgerAsync"/> returns them numbered).</returns>
    /// <exception cref="ArgumentException">The SKU or the location is unknown, or the quantity is not positive.</exception>
    /// <remarks>Units expected at the location (<see cref="ExpectIncomingAsync"/>) are counted off, earliest first.</remarks>
    public Task<StockMovement> ReceiveAsync(Sku sku, LocationId location, Quantity quantity, string? reference = null, CancellationToken cancellationToken = default)
    {
        CheckSku(sku, nameof(sku));
        int units = Units(quantity, nameof(quantity));
        string? checkedReference = Text.Optional(reference, nameof(reference), MaxReasonLength);
        return RunFillingAsync(async tx =>
        {
            StockLocation at = await LocationAsync(tx, location, nameof(location), cancellationToken).ConfigureAwait(false);
            StockMovement movement = Movement(StockMovementKind.Received, sku, location, units, units, 0, null, null, checkedReference);
            await ApplyAsync(tx, movement, cancellationToken).ConfigureAwait(false);
            SkuStock? stock = await tx.Inventory.FindAsync(sku, cancellationToken).ConfigureAwait(false);
            if (stock?.LevelAt(location).Incoming is { Count: > 0 } incoming)
            {
                await tx.Inventory.SaveIncomingAsync(sku, location, CountOff(incoming, units), cancellationToken).ConfigureAwait(false);
            }

            await FillOnArrivalAsync(tx, sku, at, cancellationToken).ConfigureAwait(false);
            return movement;
        }, cancellationToken);
    }

    /// <summary>Records units expected to arrive at a location, for backorder dates.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <param name="quantity">The units expected.</param>
    /// <param name="expectedOn">When.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>A task that completes when the expectation is stored.</returns>
    /// <exception cref="ArgumentException">The SKU or the location is unknown, or the quantity is not positive.</exception>
    public Task ExpectIncomingAsync(Sku sku, LocationId location, Quantity quantity, LocalDate expectedOn, CancellationToken cancellationToken = default)
    {
        CheckSku(sku, nameof(sku));
        int units = Units(quantity, nameof(quantity));
        return RunAsync(async tx =>
        {
            await LocationAsync(tx, location, nameof(location), cancellationToken).ConfigureAwait(false);
            // A SKU seen for the first time is known from its arrivals, with the default policy: no policy is written,
            // so that one set meanwhile by another command is not overwritten.
            SkuStock? stock = await tx.Inventory.FindAsync(sku, cancellationToken).ConfigureAwait(false);
            List<IncomingStock> incoming = [.. stock?.LevelAt(location).Incoming ?? [], new IncomingStock(units, expectedOn)];
            incoming.Sort(static (a, b) => a.ExpectedOn.CompareTo(b.ExpectedOn));
            await tx.Inventory.SaveIncomingAsync(sku, location, incoming, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>Sets the units on hand to what a count found, with the reason; the difference is recorded.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <param name="countedOnHand">The units on the shelf, reserved ones included; zero or more.</param>
    /// <param name="reason">Why, such as <c>cycle count</c>.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The ledger entry as recorded (its <see cref="StockMovement.Sequence"/> is 0: the store numbers entries as it commits them), or null when the count matched.</returns>
    /// <exception cref="ArgumentException">The SKU or location is unknown, the count is negative or below the units reserved, or the reason is blank.</exception>
    /// <exception cref="ConcurrencyConflictException">Other commands kept changing the cell's on-hand count while the change was worked out, through every retry; nothing was changed.</exception>
    public Task<StockMovement?> AdjustAsync(Sku sku, LocationId location, int countedOnHand, string reason, CancellationToken cancellationToken = default)
    {
        CheckSku(sku, nameof(sku));
        ArgumentOutOfRangeException.ThrowIfNegative(countedOnHand);
        string why = Text.Required(reason, nameof(reason), MaxReasonLength);
        return RunFillingAsync(async tx =>
        {
            StockLocation at = await LocationAsync(tx, location, nameof(location), cancellationToken).ConfigureAwait(false);
            StockLevel level = await LevelAsync(tx, sku, location, cancellationToken).ConfigureAwait(false);
            int delta = countedOnHand - level.OnHand;
            if (delta == 0)
            {
                return (StockMovement?)null;
            }

            if (countedOnHand < level.Reserved)
            {
                throw new ArgumentException($"Cannot count {sku} at {location} down to {countedOnHand}: {level.Reserved} units are reserved; release or ship them first.", nameof(countedOnHand));
            }

            StockMovement movement = Movement(StockMovementKind.Adjusted, sku, location, Math.Abs(delta), delta, 0, why, null, null);
            await ApplyAsync(tx, movement, cancellationToken).ConfigureAwait(false);

            // The change was worked out from the count read above. A store that reads committed data (PostgreSQL, or
            // SQLite reading beside the writer) may have let another command move the cell in between; after the
            // write the cell is this unit of work's until the commit, so reading it again tells.
            if ((await LevelAsync(tx, sku, location, cancellationToken).ConfigureAwait(false)).OnHand != countedOnHand)
            {
                throw new ConcurrencyConflictException($"stock of {sku} at {location}", "its on-hand count changed while the adjustment was worked out.");
            }
            if (delta > 0)
            {
                await FillOnArrivalAsync(tx, sku, at, cancellationToken).ConfigureAwait(false);
            }

            return movement;
        }, cancellationToken);
    }

    /// <summary>Moves units from one location to another; only units neither reserved nor kept as safety stock can move.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="from">The location the units leave.</param>
    /// <param name="to">The location they arrive at; orders waiting for them there are filled first.</param>
    /// <param name="quantity">The units.</param>
    /// <param name="reference">A transfer number; optional.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The two ledger entries as recorded, out then in (their <see cref="StockMovement.Sequence"/> is 0: the store numbers entries as it commits them).</returns>
    /// <exception cref="ArgumentException">A location or the SKU is unknown, both locations are the same, or fewer units are available.</exception>
    public Task<IReadOnlyList<StockMovement>> TransferAsync(Sku sku, LocationId from, LocationId to, Quantity quantity, string? reference = null, CancellationToken cancellationToken = default)
    {
        CheckSku(sku, nameof(sku));
        int units = Units(quantity, nameof(quantity));
        string? checkedReference = Text.Optional(reference, nameof(reference), MaxReasonLength);
        return RunFillingAsync<IReadOnlyList<StockMovement>>(async tx =>
        {
            await LocationAsync(tx, from, nameof(from), cancellationToken).ConfigureAwait(false);
            StockLocation target = await LocationAsync(tx, to, nameof(to), cancellationToken).ConfigureAwait(false);
            if (from == to)
            {
                throw new ArgumentException($"Cannot transfer {sku} from {from} to itself.", nameof(to));
            }

            StockLevel level = await LevelAsync(tx, sku, from, cancellationToken).ConfigureAwait(false);
            StockMovement moveOut = Movement(StockMovementKind.TransferredOut, sku, from, units, -units, 0, null, null, checkedReference);
            if (level.Available < units || !await tx.Inventory.TryApplyAsync(moveOut, cancellationToken).ConfigureAwait(false))
            {
                throw new ArgumentException($"Cannot transfer {units} x {sku} from {from}: only {level.Available} are available.", nameof(quantity));
            }

            // The store's guard keeps reserved units on the shelf, not safety stock: that was checked on the count read
            // above, which another command may have lowered since. The cell is this unit of work's after the write.
            StockLevel after = await LevelAsync(tx, sku, from, cancellationToken).ConfigureAwait(false);
            if (after.OnHand - after.Reserved - after.SafetyStock < 0)
            {
                throw new ArgumentException($"Cannot transfer {units} x {sku} from {from}: only {Math.Max(0, after.OnHand + units - after.Reserved - after.SafetyStock)} are available.", nameof(quantity));
            }

            StockMovement moveIn = Movement(StockMovementKind.TransferredIn, sku, to, units, units, 0, null, null, checkedReference);
            await ApplyAsync(tx, moveIn, cancellationToken).ConfigureAwait(false);
            await FillOnArrivalAsync(tx, sku, target, cancellationToken).ConfigureAwait(false);
            return [moveOut, moveIn];
        }, cancellationToken);
    }

    /// <summary>Takes units off sale as damaged or quarantined; only units free of reservations.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <param name="quantity">The units.</param>
    /// <param name="reason">What was found.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The ledger entry as recorded; its <see cref="StockMovement.Sequence"/> is 0, because the store numbers entries as it commits them (<see cref="GetLedgerAsync"/> returns them numbered).</returns>
    /// <exception cref="ArgumentException">The SKU or location is unknown, fewer units are free, or the reason is blank.</exception>
    public Task<StockMovement> MarkDamagedAsync(Sku sku, LocationId location, Quantity quantity, string reason, CancellationToken cancellationToken = default)
    {
        CheckSku(sku, nameof(sku));
        int units = Units(quantity, nameof(quantity));
        string why = Text.Required(reason, nameof(reason), MaxReasonLength);
        return RunAsync(async tx =>
        {
            await LocationAsync(tx, location, nameof(location), cancellationToken).ConfigureAwait(false);
            StockMovement movement = Movement(StockMovementKind.MarkedDamaged, sku, location, units, -units, 0, why, null, null);
            if (!await tx.Inventory.TryApplyAsync(movement, cancellationToken).ConfigureAwait(false))
            {
                StockLevel level = await LevelAsync(tx, sku, location, cancellationToken).ConfigureAwait(false);
                throw new ArgumentException($"Cannot mark {units} x {sku} at {location} damaged: only {Math.Max(0, level.OnHand - level.Reserved)} units are free of reservations.", nameof(quantity));
            }

            return movement;
        }, cancellationToken);
    }

    /// <summary>Puts returned units back on the shelf; orders waiting for them are filled first.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <param name="quantity">The units.</param>
    /// <param name="orderId">The order they came back from, if known.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The ledger entry as recorded; its <see cref="StockMovement.Sequence"/> is 0, because the store numbers entries as it commits them (<see cref="GetLedgerAsync"/> returns them numbered).</returns>
    /// <exception cref="ArgumentException">The SKU or location is unknown, or the quantity is not positive.</exception>
    public Task<StockMovement> RestockAsync(Sku sku, LocationId location, Quantity quantity, OrderId? orderId = null, CancellationToken cancellationToken = default)
    {
        CheckSku(sku, nameof(sku));
        int units = Units(quantity, nameof(quantity));
        return RunFillingAsync(async tx =>
        {
            StockLocation at = await LocationAsync(tx, location, nameof(location), cancellationToken).ConfigureAwait(false);
            StockMovement movement = Movement(StockMovementKind.Restocked, sku, location, units, units, 0, null, orderId, null);
            await ApplyAsync(tx, movement, cancellationToken).ConfigureAwait(false);
            await FillOnArrivalAsync(tx, sku, at, cancellationToken).ConfigureAwait(false);
            return movement;
        }, cancellationToken);
    }

    /// <summary>Sets the units a location keeps back from sale.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <param name="safetyStock">The units; zero or more.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>A task that completes when the value is stored.</returns>
    /// <exception cref="ArgumentException">The SKU or location is unknown, or the value is negative.</exception>
    public Task SetSafetyStockAsync(Sku sku, LocationId location, int safetyStock, CancellationToken cancellationToken = default)
    {
        CheckSku(sku, nameof(sku));
        ArgumentOutOfRangeException.ThrowIfNegative(safetyStock);
        return RunAsync(async tx =>
        {
            await LocationAsync(tx, location, nameof(location), cancellationToken).ConfigureAwait(false);
            await tx.Inventory.SaveSafetyStockAsync(sku, location, safetyStock, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>Reads the stock of a SKU at a location.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The level; all zero for a SKU never stocked there.</returns>
    /// <exception cref="ArgumentException">The location is unknown or the SKU is the default value.</exception>
    public Task<StockLevel> GetLevelAsync(Sku sku, LocationId location, CancellationToken cancellationToken = default)
    {
        CheckSku(sku, nameof(sku));
        return RunAsync(async tx =>
        {
            await LocationAsync(tx, location, nameof(location), cancellationToken).ConfigureAwait(false);
            return await LevelAsync(tx, sku, location, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>Reads the stock of a SKU at every location.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>One level per location, in the order the locations were added.</returns>
    public Task<IReadOnlyList<StockLevel>> GetLevelsAsync(Sku sku, CancellationToken cancellationToken = default)
    {
        CheckSku(sku, nameof(sku));
        return RunAsync<IReadOnlyList<StockLevel>>(async tx =>
        {
            IReadOnlyList<StockLocation> locations = await tx.Inventory.GetLocationsAsync(cancellationToken).ConfigureAwait(false);
            SkuStock? stock = await tx.Inventory.FindAsync(sku, cancellationToken).ConfigureAwait(false);
            return [.. locations.Select(l => stock?.LevelAt(l.Id) ?? new StockLevel(sku, l.Id, 0, 0, 0, 0, []))];
        }, cancellationToken);
    }

    /// <summary>Answers "how many of this SKU can I sell to this destination through this channel now?".</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="destination">Where the order would ship.</param>
    /// <param name="channel">The sales channel.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The units available at the active locations that ship there and serve the channel; <see cref="int.MaxValue"/> for an untracked SKU.</returns>
    public Task<int> GetAvailableToSellAsync(Sku sku, Address destination, SalesChannel channel, CancellationToken cancellationToken = default)
    {
        CheckSku(sku, nameof(sku));
        ArgumentNullException.ThrowIfNull(destination);
        return RunAsync(async tx =>
        {
            SkuStock? stock = await tx.Inventory.FindAsync(sku, cancellationToken).ConfigureAwait(false);
            if (stock is null)
            {
                return 0;
            }

            if (stock.Policy.Kind == InventoryPolicyKind.Untracked)
            {
                return int.MaxValue;
            }

            long total = 0;
            foreach (StockLocation location in await tx.Inventory.GetLocationsAsync(cancellationToken).ConfigureAwait(false))
            {
                if (location.IsActive && location.Kind != LocationKind.DropshipSupplier && location.ShipsTo(destination) && location.Serves(channel))
                {
                    total += stock.LevelAt(location.Id).Available;
                }
            }

            return (int)Math.Min(total, int.MaxValue);
        }, cancellationToken);
    }

    /// <summary>Plans an allocation over the stock as it stands, reserving nothing (a dry run).</summary>
    /// <param name="request">What to plan.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="ArgumentException">The request is incomplete, names a SKU the inventory does not know, repeats a SKU, or collects at a location that does not offer it.</exception>
    public Task<AllocationPlan> PlanAsync(AllocationRequest request, CancellationToken cancellationToken = default)
    {
        AllocationPlanner.Check(request);
        return RunAsync(tx => PlanInAsync(tx, request, unknownSkuIsError: true, cancellationToken), cancellationToken);
    }

    /// <summary>Reads the movement ledger.</summary>
    /// <param name="sku">Only this SKU's movements; null for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The movements, oldest first.</returns>
    public Task<IReadOnlyList<StockMovement>> GetLedgerAsync(Sku? sku = null, CancellationToken cancellationToken = default) =>
        RunAsync(tx => tx.Inventory.ReadLedgerAsync(sku, cancellationToken).AsTask(), cancellationToken);

    /// <summary>Reads a SKU's movements that occurred at or after a moment, at every location: a recent window without the SKU's whole history.</summary>
    /// <remarks>See <see cref="IInventoryRepository.ReadLedgerSinceAsync"/> for what a store may leave out.</remarks>
    /// <param name="sku">The SKU.</param>
    /// <param name="since">The earliest moment to include.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The movements, oldest first.</returns>
    /// <exception cref="ArgumentException"><paramref name="sku"/> is the default value.</exception>
    public Task<IReadOnlyList<StockMovement>> GetLedgerSinceAsync(Sku sku, Instant since, CancellationToken cancellationToken = default)
    {
        if (sku.IsDefault)
        {
            throw new ArgumentException("sku is required.", nameof(sku));
        }

        return RunAsync(tx => tx.Inventory.ReadLedgerSinceAsync(sku, since, cancellationToken).AsTask(), cancellationToken);
    }

    /// <summary>Reserves stock for a shopping cart until a time limit; a new hold for the same cart replaces the old one.</summary>
    /// <remarks>
    /// The request is planned like an order, and every unit the plan finds in counted stock is reserved; units it does
    /// not find are not held (compare <see cref="CartHold.Lines"/> with the request). When another command takes units
    /// the plan found before they are reserved, the hold is planned again over what is left. Lines of untracked or dropshipped
    /// SKUs need no hold. When the order is placed with <see cref="PlaceOrderRequest.CartId"/>, it takes the hold over.
    /// </remarks>
    /// <param name="cartId">The cart; at most <see cref="MaxCartIdLength"/> characters.</param>
    /// <param name="request">What the cart holds, where it ships, and how to choose locations.</param>
    /// <param name="duration">How long the hold lasts; positive.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The hold, with the units reserved.</returns>
    /// <exception cref="ArgumentException">The cart id is blank or too long, the duration is not positive, or the request is invalid.</exception>
    public Task<CartHold> HoldForCartAsync(string cartId, AllocationRequest request, Duration duration, CancellationToken cancellationToken = default)
    {
        string cart = Text.Identifier(cartId, nameof(cartId), MaxCartIdLength);
        if (duration <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A cart hold needs a positive duration.");
        }

        AllocationPlanner.Check(request);
        return RunAsync(async tx =>
        {
            await ReleaseHoldAsync(tx, cart, cancellationToken).ConfigureAwait(false);
            AllocationPlan plan = await PlanInAsync(tx, request, unknownSkuIsError: false, cancellationToken).ConfigureAwait(false);
            Instant now = _clock.GetCurrentInstant();
            var held = new List<HeldStock>();
            foreach (PlannedLine line in plan.Lines)
            {
                foreach (PlannedSource source in line.Sources)
                {
                    if (!source.IsReserved)
                    {
                        continue;
                    }

                    // The plan found these units available; a refusal means another command took them after the
                    // plan read the stock, and the hold is planned again over what is left.
                    StockMovement movement = Movement(StockMovementKind.Reserved, line.Sku, source.Location, source.Quantity, 0, source.Quantity, null, null, cart);
                    if (!await tx.Inventory.TryApplyAsync(movement, cancellationToken).ConfigureAwait(false))
                    {
                        throw new ConcurrencyConflictException($"stock of {line.Sku} at {source.Location}", $"the {source.Quantity} units planned for cart {cart} were taken before they could be held.");
                    }

                    held.Add(new HeldStock(line.Sku, source.Location, source.Quantity));
                }
            }

            var hold = new CartHold(cart, held, now, now + duration);
            await tx.Inventory.SaveHoldAsync(hold, cancellationToken).ConfigureAwait(false);
            return hold;
        }, cancellationToken);
    }

    /// <summary>Reads a cart's hold.</summary>
    /// <param name="cartId">The cart.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The hold, or null when the cart has none (never held, released, swept, or taken over by an order).</returns>
    public Task<CartHold?> GetCartHoldAsync(string cartId, CancellationToken cancellationToken = default)
    {
        string cart = Text.Identifier(cartId, nameof(cartId), MaxCartIdLength);
        return RunAsync(tx => tx.Inventory.FindHoldAsync(cart, cancellationToken).AsTask(), cancellationToken);
    }

    /// <summary>Gives up a cart's hold: its units are available again.</summary>
    /// <param name="cartId">The cart.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>True when a hold was released; false when the cart had none.</returns>
    public Task<bool> ReleaseCartHoldAsync(string cartId, CancellationToken cancellationToken = default)
    {
        string cart = Text.Identifier(cartId, nameof(cartId), MaxCartIdLength);
        return RunAsync(tx => ReleaseHoldAsync(tx, cart, cancellationToken), cancellationToken);
    }

    /// <summary>Releases cart holds that have expired by the injected clock; run it on a timer.</summary>
    /// <param name="maxCount">The largest number of holds to release in this call; at least one.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The number of holds released; fewer than <paramref name="maxCount"/> means none is left expired.</returns>
    public Task<int> SweepExpiredCartHoldsAsync(int maxCount = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        return RunAsync(async tx =>
        {
            IReadOnlyList<CartHold> expired = await tx.Inventory.FindExpiredHoldsAsync(_clock.GetCurrentInstant(), maxCount, cancellationToken).ConfigureAwait(false);
            foreach (CartHold hold in expired)
            {
                await ReleaseHoldAsync(tx, hold.CartId, cancellationToken).ConfigureAwait(false);
            }

            return expired.Count;
        }, cancellationToken);
    }

    /// <summary>Fills orders waiting for a SKU from the stock available at a location, first come, first served.</summary>
    /// <remarks>
    /// <para>Orders come in the order they were placed; <paramref name="first"/> puts chosen orders ahead of the queue
    /// (a priority override). A line takes what is there, so a fill may be partial; the order moves to
    /// <see cref="OrderStatus.Allocated"/> once nothing of it waits. Orders that are held, or that the location cannot
    /// serve (inactive, does not ship to the order's address, does not serve its channel), are passed over and keep
    /// their place.</para>
    /// <para>Receiving, restocking, counting up and transferring in call this on their own, in the same unit of work,
    /// while <see cref="OrderKitOptions.FillBackordersOnArrival"/> is on.</para>
    /// </remarks>
    /// <param name="sku">The SKU.</param>
    /// <param name="location">The location whose available stock fills the orders.</param>
    /// <param name="first">Orders to fill before the rest of the queue, in this order; null for none.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>The fills made, in the order made.</returns>
    /// <exception cref="ArgumentException">The SKU or the location is unknown.</exception>
    public Task<IReadOnlyList<BackorderFill>> FillBackordersAsync(Sku sku, LocationId location, IReadOnlyList<OrderId>? first = null, CancellationToken cancellationToken = default)
    {
        CheckSku(sku, nameof(sku));
        OrderId[] preferred = first is null ? [] : [.. first];
        return RunFillingAsync(async tx =>
        {
            StockLocation at = await LocationAsync(tx, location, nameof(location), cancellationToken).ConfigureAwait(false);
            return await FillAsync(tx, sku, at, preferred, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>Plans over the stock as the transaction reads it.</summary>
    internal Task<AllocationPlan> PlanInAsync(IOrderKitTransaction transaction, AllocationRequest request, bool unknownSkuIsError, CancellationToken cancellationToken) =>
        PlanInAsync(transaction, request, unknownSkuIsError, lastSeen: false, cancellationToken);

    /// <summary>Plans over the stock as the transaction sees it.</summary>
    /// <param name="transaction">The unit of work.</param>
    /// <param name="request">What to plan.</param>
    /// <param name="unknownSkuIsError">Whether a SKU the store does not know throws, rather than planning as out of stock.</param>
    /// <param name="lastSeen">
    /// Whether the plan may start from the stock the store last saw (<see cref="IInventoryRepository.FindLastSeenAsync"/>).
    /// A plan from it stands only when it reserves every tracked unit; otherwise the stock is read and planned again,
    /// so that no shortfall (a backorder, a dropship, a refusal) is ever decided on counts that may be old.
    /// </param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    internal async Task<AllocationPlan> PlanInAsync(IOrderKitTransaction transaction, AllocationRequest request, bool unknownSkuIsError, bool lastSeen, CancellationToken cancellationToken)
    {
        IReadOnlyList<LineQuantity> lines = request.Lines;
        var rows = new ISkuStockView[lines.Count];
        IStockIndexSource? source = transaction.Inventory as IStockIndexSource;

        // Rows the in-memory store can lend in place; the rest are read from the store in one call, before the
        // locations, so that a store may answer both in one round trip.
        List<int>? toRead = null;
        for (int i = 0; i < rows.Length; i++)
        {
            Sku sku = lines[i].Sku;
            if (source is not null && !source.HasChanges(sku))
            {
                // The in-memory store: read its live cells in place.
                rows[i] = source.Index.FindRow(sku) ?? (unknownSkuIsError ? throw UnknownSku(sku, i) : source.Index.Row(sku));
                continue;
            }

            (toRead ??= []).Add(i);
        }

        IReadOnlyList<SkuStock?> found = [];
        Sku[] skus = toRead is null ? [] : [.. toRead.Select(i => lines[i].Sku)];
        bool fromLastSeen = false;
        if (toRead is not null)
        {
            IReadOnlyList<SkuStock?>? seen = lastSeen ? await transaction.Inventory.FindLastSeenAsync(skus, cancellationToken).ConfigureAwait(false) : null;
            if (seen is not null && seen.Count != skus.Length)
            {
                throw new InvalidOperationException($"The store gave the stock of {seen.Count} SKUs as last seen, for {skus.Length} asked.");
            }

            fromLastSeen = seen is not null;
            found = seen ?? await transaction.Inventory.FindManyAsync(skus, cancellationToken).ConfigureAwait(false);
        }

        StockIndex.LocationTable table = source is not null ? source.Index.Locations : await TableAsync(transaction, cancellationToken).ConfigureAwait(false);
        if (toRead is not null)
        {
            for (int k = 0; k < toRead.Count; k++)
            {
                int i = toRead[k];
                Sku sku = skus[k];
                SkuStock stock = found[k] ?? (unknownSkuIsError ? throw UnknownSku(sku, i) : new SkuStock(sku, InventoryPolicy.DenyWhenShort, []));
                int waiting = 0;
                if (stock.Policy.Limit is not null)
                {
                    foreach (WaitingLine line in await transaction.Orders.FindWaitingAsync(sku, int.MaxValue, cancellationToken).ConfigureAwait(false))
                    {
                        waiting += line.Units;
                    }
                }

                rows[i] = new SkuStockView(stock, table, waiting);
            }
        }

        AllocationPlan plan = _planner.Plan(request, table, rows, Today);
        return fromLastSeen && !ReservesEveryTrackedUnit(plan)
            ? await PlanInAsync(transaction, request, unknownSkuIsError, lastSeen: false, cancellationToken).ConfigureAwait(false)
            : plan;
    }

    /// <summary>Whether a plan takes every unit of every tracked line from stock it reserves: nothing short, nothing dropshipped.</summary>
    private static bool ReservesEveryTrackedUnit(AllocationPlan plan)
    {
        foreach (PlannedLine line in plan.Lines)
        {
            if (line.Policy.Kind == InventoryPolicyKind.Untracked)
            {
                continue;
            }

            int reserved = 0;
            foreach (PlannedSource source in line.Sources)
            {
                reserved += source.IsReserved ? source.Quantity : 0;
            }

            if (reserved != line.Requested)
            {
                return false;
            }
        }

        return true;
    }

    private LocalDate Today => _clock.GetCurrentInstant().InZone(_options.TimeZone).Date;

    /// <summary>Fills orders waiting for a SKU at a location that just received units, inside the caller's unit of work.</summary>
    internal Task FillArrivalsAsync(IOrderKitTransaction tx, Sku sku, StockLocation location, CancellationToken cancellationToken) =>
        FillOnArrivalAsync(tx, sku, location, cancellationToken);

    private async Task FillOnArrivalAsync(IOrderKitTransaction tx, Sku sku, StockLocation location, CancellationToken cancellationToken)
    {
        if (_options.FillBackordersOnArrival)
        {
            await FillAsync(tx, sku, location, [], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<BackorderFill>> FillAsync(IOrderKitTransaction tx, Sku sku, StockLocation location, OrderId[] first, CancellationToken cancellationToken)
    {
        var fills = new List<BackorderFill>();
        if (!location.IsActive || location.Kind == LocationKind.DropshipSupplier)
        {
            return fills;
        }

        IReadOnlyList<WaitingLine> queue = await tx.Orders.FindWaitingAsync(sku, BackorderBatch, cancellationToken).ConfigureAwait(false);
        IEnumerable<OrderId> candidates = first.Concat(queue.Select(w => w.OrderId)).Distinct();
        foreach (OrderId orderId in candidates)
        {
            int available = (await LevelAsync(tx, sku, location.Id, cancellationToken).ConfigureAwait(false)).Available;
            if (available == 0)
            {
                break;
            }

            OrderSnapshot? snapshot = await tx.Orders.FindAsync(orderId, cancellationToken).ConfigureAwait(false);
            if (snapshot is null)
            {
                continue;
            }

            Order order = Order.FromSnapshot(snapshot, _clock);
            OrderLine? line = order.Lines.FirstOrDefault(l => l.Sku == sku);
            if (line is not { Backordered: > 0 } || !order.CanAllocate || !location.ShipsTo(order.ShippingAddress) || !location.Serves(order.Channel))
            {
                continue;
            }

            int units = Math.Min(line.Backordered, available);
            order.Allocate([new LineAllocation(sku, units, 0, location.Id)]);
            order.TryPromise(await LocationTableInAsync(tx, cancellationToken).ConfigureAwait(false), _clock.GetCurrentInstant(), _options);
            await UnitOfWork.SaveOrderAsync(tx, order, _clock, null, cancellationToken).ConfigureAwait(false);
            fills.Add(new BackorderFill(orderId, sku, location.Id, units));
        }

        return fills;
    }

    private async Task<bool> ReleaseHoldAsync(IOrderKitTransaction tx, string cartId, CancellationToken cancellationToken)
    {
        CartHold? hold = await tx.Inventory.FindHoldAsync(cartId, cancellationToken).ConfigureAwait(false);
        if (hold is null)
        {
            return false;
        }

        await ReleaseHeldAsync(tx, hold, hold.Lines, _clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
        await tx.Inventory.DeleteHoldAsync(cartId, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Releases held units; the hold itself is deleted or replaced by the caller.</summary>
    internal static async Task ReleaseHeldAsync(IOrderKitTransaction tx, CartHold hold, IEnumerable<HeldStock> units, Instant now, CancellationToken cancellationToken)
    {
        foreach (HeldStock held in units)
        {
            var movement = new StockMovement(0, StockMovementKind.Released, held.Sku, held.Location, held.Quantity, 0, -held.Quantity, null, hold.OrderId, hold.CartId, now);
            if (!await tx.Inventory.TryApplyAsync(movement, cancellationToken).ConfigureAwait(false))
            {
                throw new ConcurrencyConflictException($"cart hold {hold.CartId}", $"fewer than the {held.Quantity} units of {held.Sku} it holds at {held.Location} are reserved there.");
            }
        }
    }

    /// <summary>The locations as the transaction sees them: the in-memory store's live table, or the store's list.</summary>
    internal async ValueTask<StockIndex.LocationTable> LocationTableInAsync(IOrderKitTransaction tx, CancellationToken cancellationToken) =>
        tx.Inventory is IStockIndexSource source ? source.Index.Locations : await TableAsync(tx, cancellationToken).ConfigureAwait(false);

    private async Task<StockIndex.LocationTable> TableAsync(IOrderKitTransaction tx, CancellationToken cancellationToken)
    {
        IReadOnlyList<StockLocation> locations = await tx.Inventory.GetLocationsAsync(cancellationToken).ConfigureAwait(false);
        // One reference, published whole: a reader sees a list and the table built from it, never a mix of two.
        CachedTable? last = Volatile.Read(ref _lastTable);
        if (last is not null && last.Source.SequenceEqual(locations))
        {
            return last.Table;
        }

        StockIndex.LocationTable table = StockIndex.LocationTable.From(locations);
        Volatile.Write(ref _lastTable, new CachedTable(locations, table));
        return table;
    }

    private Task<T> RunAsync<T>(Func<IOrderKitTransaction, Task<T>> command, CancellationToken cancellationToken, [System.Runtime.CompilerServices.CallerMemberName] string member = "", [System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        UnitOfWork.RunAsync(_store, _options.MaxConcurrencyRetries, command, cancellationToken, member, file);

    /// <summary>Runs a command that may fill backorders from what it reads: a fill refused because another command took the units first runs the command again.</summary>
    private Task<T> RunFillingAsync<T>(Func<IOrderKitTransaction, Task<T>> command, CancellationToken cancellationToken, [System.Runtime.CompilerServices.CallerMemberName] string member = "", [System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        UnitOfWork.RunSizedOnReadsAsync(_store, _options.MaxConcurrencyRetries, command, cancellationToken, member, file);

    private static async Task ApplyAsync(IOrderKitTransaction tx, StockMovement movement, CancellationToken cancellationToken)
    {
        if (!await tx.Inventory.TryApplyAsync(movement, cancellationToken).ConfigureAwait(false))
        {
            throw new ConcurrencyConflictException($"stock of {movement.Sku} at {movement.Location}", $"the counts no longer allow {movement}.");
        }
    }

    private static async Task<StockLocation> LocationAsync(IOrderKitTransaction tx, LocationId location, string paramName, CancellationToken cancellationToken)
    {
        if (location.IsDefault)
        {
            throw new ArgumentException($"{paramName} is required.", paramName);
        }

        return (await tx.Inventory.GetLocationsAsync(cancellationToken).ConfigureAwait(false)).FirstOrDefault(l => l.Id == location)
            ?? throw new ArgumentException($"{paramName} \"{location}\" is not a known stock location.", paramName);
    }

    private static async Task<StockLevel> LevelAsync(IOrderKitTransaction tx, Sku sku, LocationId location, CancellationToken cancellationToken)
    {
        SkuStock? stock = await tx.Inventory.FindAsync(sku, cancellationToken).ConfigureAwait(false);
        return stock?.LevelAt(location) ?? new StockLevel(sku, location, 0, 0, 0, 0, []);
    }

    private static List<IncomingStock> CountOff(IReadOnlyList<IncomingStock> incoming, int units)
    {
        var remaining = new List<IncomingStock>(incoming.Count);
        foreach (IncomingStock expected in incoming)
        {
            int used = Math.Min(units, expected.Quantity);
            units -= used;
            if (used < expected.Quantity)
            {
                remaining.Add(expected with { Quantity = expected.Quantity - used });
            }
        }

        return remaining;
    }

    private StockMovement Movement(StockMovementKind kind, Sku sku, LocationId location, int quantity, int onHandChange, int reservedChange, string? reason, OrderId? orderId, string? reference) =>
        new(0, kind, sku, location, quantity, onHandChange, reservedChange, reason, orderId, reference, _clock.GetCurrentInstant());

    private static ArgumentException UnknownSku(Sku sku, int index, string paramName = "request") =>
        new($"request.Lines[{index}].Sku \"{sku}\" is not known to the inventory; receive stock for it or set its policy first.", paramName);

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

    private sealed record CachedTable(IReadOnlyList<StockLocation> Source, StockIndex.LocationTable Table);
}
