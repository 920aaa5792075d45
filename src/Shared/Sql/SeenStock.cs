using System.Collections.Concurrent;
using NodaTime;
using OrderKit.Inventory;

namespace OrderKit.Persistence.Sql;

/// <summary>
/// The stock a store's units of work last read or committed, SKU by SKU, with the locations: what a checkout may plan
/// from on its first try without reading (<see cref="IInventoryRepository.FindLastSeenAsync"/>).
/// </summary>
/// <remarks>
/// <para>Every entry carries the version of the stock catalog (the policies, expected arrivals and locations) it was
/// read under; the unit of work that plans from it checks at its commit that the version still stands. The counts are
/// refreshed from the rows each checkout's reservations return and forgotten when the store moves a SKU's stock any
/// other way; what other nodes do to them shows at the next read, which comes at the latest once an entry is older
/// than the largest age, and at once when a reservation planned from it is refused or a plan from it falls short.</para>
/// <para>Thread safety: thread-safe; entries are immutable and replaced whole.</para>
/// </remarks>
/// <param name="maxAge">How long after its read an entry may be planned from.</param>
/// <param name="maxEntries">The most SKUs kept; past it, SKUs not yet kept are read at every checkout.</param>
internal sealed class SeenStock(Duration maxAge, int maxEntries = 100_000)
{
    private readonly ConcurrentDictionary<string, Entry> _skus = new(StringComparer.Ordinal);
    private volatile Locations? _locations;
    private int _count;

    /// <summary>What is kept of one SKU: its stock (null for a SKU the store did not know), the catalog version and when it was read.</summary>
    private sealed record Entry(SkuStock? Stock, long Version, Instant ReadAt);

    /// <summary>Every location in order, as read under a catalog version.</summary>
    private sealed record Locations(List<StockLocation> All, long Version);

    /// <summary>Keeps what a read found under a catalog version, for the SKUs <paramref name="keep"/> allows.</summary>
    public void Saw(long version, Instant readAt, IReadOnlyList<Sku> skus, IReadOnlyList<SkuStock?> stock, List<StockLocation> locations, Func<string, bool> keep)
    {
        if (_locations is not { } known || known.Version <= version)
        {
            _locations = new Locations(locations, version);
        }

        for (int i = 0; i < skus.Count; i++)
        {
            string sku = skus[i].Value;
            if (!keep(sku))
            {
                continue;
            }

            var entry = new Entry(stock[i], version, readAt);
            if (_skus.TryGetValue(sku, out _))
            {
                _skus[sku] = entry;
            }
            else if (Volatile.Read(ref _count) < maxEntries && _skus.TryAdd(sku, entry))
            {
                Interlocked.Increment(ref _count);
            }
        }
    }

    /// <summary>Gives the SKUs' stock and the locations when every SKU is kept, young enough, under one catalog version.</summary>
    public bool TryGive(IReadOnlyList<Sku> skus, Instant now, out SkuStock?[] stock, out List<StockLocation> locations, out long version)
    {
        stock = [];
        locations = [];
        version = 0;
        if (_locations is not { } known)
        {
            return false;
        }

        Instant readSince = now - maxAge;
        var found = new SkuStock?[skus.Count];
        for (int i = 0; i < found.Length; i++)
        {
            if (!_skus.TryGetValue(skus[i].Value, out Entry? entry) || entry.Version != known.Version || entry.ReadAt <= readSince || entry.ReadAt > now)
            {
                return false;
            }

            found[i] = entry.Stock;
        }

        (stock, locations, version) = (found, known.All, known.Version);
        return true;
    }

    /// <summary>Takes a cell's counts as a commit left them, where the SKU is kept with a count at that location.</summary>
    public void Moved(string sku, string location, int onHand, int reserved, int safety, int damaged)
    {
        while (_skus.TryGetValue(sku, out Entry? entry))
        {
            if (entry.Stock is not { } stock)
            {
                return;
            }

            var levels = new StockLevel[stock.Levels.Count];
            bool found = false;
            for (int i = 0; i < levels.Length; i++)
            {
                StockLevel level = stock.Levels[i];
                if (level.Location.Value == location)
                {
                    level = level with { OnHand = onHand, Reserved = reserved, SafetyStock = safety, Damaged = damaged };
                    found = true;
                }

                levels[i] = level;
            }

            if (!found)
            {
                // A cell the entry did not have: read the SKU again.
                Forget(sku);
                return;
            }

            if (_skus.TryUpdate(sku, entry with { Stock = stock with { Levels = levels } }, entry))
            {
                return;
            }
        }
    }

    /// <summary>Forgets a SKU, so that the next checkout reads it.</summary>
    public void Forget(string sku)
    {
        if (_skus.TryRemove(sku, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Forgets everything: the stock catalog changed.</summary>
    public void Clear()
    {
        _locations = null;
        foreach (string sku in _skus.Keys)
        {
            Forget(sku);
        }
    }
}
