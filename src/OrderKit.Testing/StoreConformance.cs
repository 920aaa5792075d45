using NodaTime;
using NodaTime.Testing;
using OrderKit.Persistence;

namespace OrderKit.Testing;

/// <summary>The checks every <see cref="IOrderKitStore"/> must pass: what OrderKit relies on, stated as runnable code.</summary>
/// <remarks>
/// <para>A store author gives a factory that creates a new, empty store over the clock the checks control, then runs
/// the checks from any test framework: one test per name of <see cref="CheckNames"/> calling
/// <see cref="RunAsync"/>, or one test calling <see cref="RunAllAsync"/>. A failed check throws
/// <see cref="ConformanceException"/> naming the rule and what was seen.</para>
/// <para>The checks cover: round trips of orders (with their whole timeline), the orders placed in a window read a page at a time, stock, a SKU's movements since a moment, cart holds, the ledger and
/// idempotency records; version conflicts; all-or-nothing commits; no oversell under parallel writers; stock
/// conserved under random commands; a cart hold taken over or released by one of several parallel writers only; parallel cycle counts of one cell; arrivals announced in parallel for one cell; outbox order per order and at-least-once delivery; idempotent replay and a key
/// reused for another request; expiry of cart holds and idempotency records; inbox deduplication; shipments with
/// their parcels, labels and tracking, the stock they ship or move, and orders found by tracking number; locations'
/// delivery settings, and the orders found past their ship-by moment or delivered; return requests, claims, and the
/// stock their receipts move.</para>
/// <para>The checks never keep two transactions open at once on one thread (a single-writer store such as SQLite
/// would wait on itself); they run parallel writers on parallel tasks. Stores that implement
/// <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/> are disposed after each check.</para>
/// <para>Thread safety: thread-safe; checks may run in parallel when the factory's stores are independent.</para>
/// </remarks>
public sealed partial class StoreConformance
{
    private static readonly (string Name, Func<Shop, Task> Run)[] s_checks =
    [
        ("OrdersRoundTrip", OrdersRoundTripAsync),
        ("OrdersVersionConflict", OrdersVersionConflictAsync),
        ("OrdersWaitingQueue", OrdersWaitingQueueAsync),
        ("OrdersFoundByPlacement", OrdersFoundByPlacementAsync),
        ("OrdersFoundByCustomer", OrdersFoundByCustomerAsync),
        ("InventoryRoundTrip", InventoryRoundTripAsync),
        ("InventoryRefusesWhatDoesNotFit", InventoryRefusesWhatDoesNotFitAsync),
        ("LedgerSinceAMoment", LedgerSinceAMomentAsync),
        ("CommitIsAllOrNothing", CommitIsAllOrNothingAsync),
        ("NoOversellUnderParallelWriters", NoOversellUnderParallelWritersAsync),
        ("StockConservedUnderRandomCommands", StockConservedUnderRandomCommandsAsync),
        ("CartHoldTakenOnceUnderParallelWriters", CartHoldTakenOnceUnderParallelWritersAsync),
        ("CycleCountsUnderParallelWriters", CycleCountsUnderParallelWritersAsync),
        ("IncomingUnderParallelWriters", IncomingUnderParallelWritersAsync),
        ("OutboxOrderAndAtLeastOnce", OutboxOrderAndAtLeastOnceAsync),
        ("IdempotencyReplayAndMismatch", IdempotencyReplayAndMismatchAsync),
        ("IdempotencyRecordsExpire", IdempotencyRecordsExpireAsync),
        ("CartHoldsExpire", CartHoldsExpireAsync),
        ("CheckoutInOneUnitOfWork", CheckoutInOneUnitOfWorkAsync),
        ("InboxDeduplicates", InboxDeduplicatesAsync),
        ("ShipmentsRoundTripAndTracking", ShipmentsRoundTripAndTrackingAsync),
        ("DeliveryPromiseAndSweeps", DeliveryPromiseAndSweepsAsync),
        ("ReturnsRoundTripAndStock", ReturnsRoundTripAndStockAsync),
    ];

    // Checks that interleave two units of work on one thread, run when the store allows it.
    private static readonly (string Name, Func<Shop, Task> Run)[] s_interleaved =
    [
        ("CartHoldChangedOnlyAsRead", CartHoldChangedOnlyAsReadAsync),
        ("ArrivalsReplacedOnlyAsRead", ArrivalsReplacedOnlyAsReadAsync),
    ];

    private readonly Func<IClock, CancellationToken, ValueTask<IOrderKitStore>> _createStore;
    private readonly StoreConformanceOptions _options;

    /// <summary>Creates the checks for a kind of store.</summary>
    /// <param name="createStore">Creates a new, empty store that reads time from the given clock (for the expiry of idempotency records). Each check calls it once.</param>
    /// <param name="options">What the store allows beyond the common contract; the defaults when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="createStore"/> is null.</exception>
    public StoreConformance(Func<IClock, CancellationToken, ValueTask<IOrderKitStore>> createStore, StoreConformanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(createStore);
        _createStore = createStore;
        _options = options ?? new StoreConformanceOptions();
    }

    /// <summary>Gets the names of the checks every store runs, in the order <see cref="RunAllAsync"/> runs them.</summary>
    public static IReadOnlyList<string> CheckNames { get; } = [.. s_checks.Select(c => c.Name)];

    /// <summary>
    /// Gets the names of the checks that interleave two units of work on one thread, step by step: a store that
    /// allows it (<see cref="StoreConformanceOptions.OverlappingUnitsOfWork"/>) runs them after <see cref="CheckNames"/>.
    /// They state deterministically what the parallel checks can only provoke: a write that depends on what a unit
    /// of work read (a cart hold, a cell's expected arrivals) is refused once another unit of work changed it.
    /// </summary>
    public static IReadOnlyList<string> InterleavedCheckNames { get; } = [.. s_interleaved.Select(c => c.Name)];

    /// <summary>Runs one check against a new store.</summary>
    /// <param name="checkName">One of <see cref="CheckNames"/>, or of <see cref="InterleavedCheckNames"/> when the options allow them.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>A task that completes when the check passed.</returns>
    /// <exception cref="ArgumentException"><paramref name="checkName"/> is not a known check.</exception>
    /// <exception cref="InvalidOperationException">The check interleaves two units of work and <see cref="StoreConformanceOptions.OverlappingUnitsOfWork"/> is off.</exception>
    /// <exception cref="ConformanceException">The store broke the contract.</exception>
    public async Task RunAsync(string checkName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkName);
        Func<Shop, Task>? run = Array.Find(s_checks, c => c.Name == checkName).Run;
        if (run is null && Array.Find(s_interleaved, c => c.Name == checkName).Run is { } interleaved)
        {
            if (!_options.OverlappingUnitsOfWork)
            {
                throw new InvalidOperationException($"The conformance check \"{checkName}\" keeps two units of work open on one thread; set {nameof(StoreConformanceOptions)}.{nameof(StoreConformanceOptions.OverlappingUnitsOfWork)} if the store allows that.");
            }

            run = interleaved;
        }

        if (run is null)
        {
            throw new ArgumentException($"There is no conformance check named \"{checkName}\"; the checks are {string.Join(", ", CheckNames.Concat(InterleavedCheckNames))}.", nameof(checkName));
        }

        var clock = new FakeClock(Instant.FromUtc(2026, 11, 2, 9, 0), Duration.Zero);
        IOrderKitStore store = await _createStore(clock, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("The store factory returned null.");
        try
        {
            var shop = new Shop(checkName, store, clock, cancellationToken);
            await Task.Run(
                async () =>
                {
                    await shop.SetUpAsync();
                    await run(shop);
                },
                cancellationToken);
        }
        catch (Exception e) when (e is not ConformanceException and not OperationCanceledException)
        {
            throw new ConformanceException(checkName, $"the store threw {e.GetType().Name}: {e.Message}", e);
        }
        finally
        {
            switch (store)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync().ConfigureAwait(false);
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    /// <summary>Runs every check (with <see cref="InterleavedCheckNames"/> when the options allow them), each against a new store, and reports every failure.</summary>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <returns>A task that completes when every check passed.</returns>
    /// <exception cref="AggregateException">One or more checks failed; each inner exception is a <see cref="ConformanceException"/>.</exception>
    public async Task RunAllAsync(CancellationToken cancellationToken = default)
    {
        var failures = new List<Exception>();
        IReadOnlyList<string> names = _options.OverlappingUnitsOfWork ? [.. CheckNames, .. InterleavedCheckNames] : CheckNames;
        foreach (string name in names)
        {
            try
            {
                await RunAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (ConformanceException e)
            {
                failures.Add(e);
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException($"{failures.Count} of {names.Count} conformance checks failed.", failures);
        }
    }
}
