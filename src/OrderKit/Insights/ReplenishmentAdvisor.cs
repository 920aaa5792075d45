using System.Collections.Concurrent;
using NodaTime;
using OrderKit.Inventory;

namespace OrderKit.Insights;

/// <summary>Reads each SKU's demand from the stock ledger and says when and how much to reorder, before it runs out.</summary>
/// <remarks>
/// <para>Per SKU and location: the daily demand is the units shipped from the location over
/// <see cref="ReplenishmentPolicy.DemandWindow"/> divided by its days; the days of cover are the available units over
/// that demand; the reorder point is the demand during <see cref="ReplenishmentPolicy.LeadTimeDays"/> (rounded up) plus
/// the location's safety stock; and the suggested quantity brings available plus incoming units up to the reorder point
/// plus <see cref="ReplenishmentPolicy.CoverDays"/> of demand, once they have fallen to the reorder point.</para>
/// <para><see cref="CheckAsync"/> raises <see cref="StockRunningLow"/> once when a SKU at a location falls to its
/// reorder point, and again only after it has been above it. Run it now and then, or after receipts and shipments.</para>
/// <para>Thread safety: thread-safe; keep one per host, as it remembers which SKUs it has raised.</para>
/// </remarks>
public sealed class ReplenishmentAdvisor
{
    private readonly InventoryService _inventory;
    private readonly IClock _clock;
    private readonly ConcurrentDictionary<(Sku, LocationId), bool> _low = new();

    /// <summary>Creates the advisor.</summary>
    /// <param name="inventory">The inventory whose levels and ledger it reads.</param>
    /// <param name="clock">The clock that ends the demand window.</param>
    /// <param name="policy">How to read demand and plan supply; the defaults when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inventory"/> or <paramref name="clock"/> is null.</exception>
    public ReplenishmentAdvisor(InventoryService inventory, IClock clock, ReplenishmentPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(clock);
        _inventory = inventory;
        _clock = clock;
        Policy = policy ?? new ReplenishmentPolicy();
    }

    /// <summary>Gets the policy.</summary>
    public ReplenishmentPolicy Policy { get; }

    /// <summary>Advises on one SKU at every location that holds or shipped it.</summary>
    /// <param name="sku">The SKU.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>One advice per location, in the order of the locations.</returns>
    /// <exception cref="ArgumentException">The SKU is the default value.</exception>
    public async Task<IReadOnlyList<ReplenishmentAdvice>> AdviseAsync(Sku sku, CancellationToken cancellationToken = default)
    {
        if (sku.IsDefault)
        {
            throw new ArgumentException("sku is required.", nameof(sku));
        }

        Instant now = _clock.GetCurrentInstant();
        Instant since = now - Policy.DemandWindow;
        double days = Policy.DemandWindow.TotalDays;
        IReadOnlyList<StockLevel> levels = await _inventory.GetLevelsAsync(sku, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<StockMovement> ledger = await _inventory.GetLedgerSinceAsync(sku, since, cancellationToken).ConfigureAwait(false);
        var advice = new List<ReplenishmentAdvice>(levels.Count);
        foreach (StockLevel level in levels)
        {
            int shipped = 0;
            foreach (StockMovement movement in ledger)
            {
                if (movement.Kind == StockMovementKind.Shipped && movement.Location == level.Location && movement.OccurredAt >= since && movement.OccurredAt < now)
                {
                    shipped += movement.Quantity;
                }
            }

            double daily = shipped / days;
            int incoming = level.IncomingTotal;
            int reorderPoint = (int)Math.Ceiling(daily * Policy.LeadTimeDays) + level.SafetyStock;
            int target = reorderPoint + (int)Math.Ceiling(daily * Policy.CoverDays);
            int position = level.Available + incoming;
            int suggested = daily > 0 && position <= reorderPoint ? Math.Max(0, target - position) : 0;
            advice.Add(new ReplenishmentAdvice(sku, level.Location, daily, level.Available, incoming, daily > 0 ? level.Available / daily : null, reorderPoint, suggested));
        }

        return advice;
    }

    /// <summary>Advises on some SKUs and returns the alerts that are new: SKUs at a location that fell to their reorder point since the last check.</summary>
    /// <param name="skus">The SKUs to check.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The new alerts; a SKU raised before and still low is not raised again.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="skus"/> is null.</exception>
    public async Task<IReadOnlyList<StockRunningLow>> CheckAsync(IEnumerable<Sku> skus, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(skus);
        var raised = new List<StockRunningLow>();
        foreach (Sku sku in skus.Distinct())
        {
            foreach (ReplenishmentAdvice advice in await AdviseAsync(sku, cancellationToken).ConfigureAwait(false))
            {
                (Sku, LocationId) key = (advice.Sku, advice.Location);
                if (!advice.IsAtOrBelowReorderPoint)
                {
                    _low.TryRemove(key, out _);
                }
                else if (_low.TryAdd(key, true))
                {
                    raised.Add(new StockRunningLow(advice, _clock.GetCurrentInstant()));
                    Internal.Telemetry.RecordRunningLow();
                }
            }
        }

        return raised;
    }
}
