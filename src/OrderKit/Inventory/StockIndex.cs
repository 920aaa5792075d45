using System.Collections.Concurrent;
using NodaTime;

namespace OrderKit.Inventory;

/// <summary>
/// The in-memory stock: one row per SKU, one cell per location, and the locations themselves.
/// </summary>
/// <remarks>
/// <para>SKUs and locations are interned to dense integers at the boundary: a row is found once per SKU, and a
/// location is an index into the row's cells. Cells live in chunks of <see cref="ChunkSize"/> locations; adding
/// locations adds chunks and never copies a cell, so a compare-and-swap on a cell is never lost.</para>
/// <para>Concurrency: the in-memory store's transactions take units from a cell's available count by
/// <see cref="Interlocked.CompareExchange(ref int, int, int)"/> and apply everything else at commit under the row's
/// lock, with interlocked operations too. The available count is the single authority against overselling: units are
/// taken only by moving it from at least q to q less.</para>
/// </remarks>
internal sealed class StockIndex
{
    public const int ChunkSize = 8;

    private readonly ConcurrentDictionary<Sku, SkuRow> _rows = new();
    private readonly Lock _locationsLock = new();
    private LocationTable _locations = LocationTable.Empty;

    public LocationTable Locations => Volatile.Read(ref _locations);

    public int SkuCount => _rows.Count;

    public IEnumerable<SkuRow> Rows => _rows.Values;

    public SkuRow? FindRow(Sku sku) => _rows.GetValueOrDefault(sku);

    public SkuRow Row(Sku sku) => _rows.GetOrAdd(sku, static s => new SkuRow(s));

    /// <summary>Adds a location, or replaces the one with the same id; returns its index.</summary>
    public int PutLocation(StockLocation location, bool mustExist)
    {
        lock (_locationsLock)
        {
            LocationTable table = _locations;
            if (table.TryGetIndex(location.Id, out int index))
            {
                if (!mustExist)
                {
                    throw new ArgumentException($"Stock location {location.Id} already exists; update it instead.", nameof(location));
                }

                Volatile.Write(ref _locations, table.With(index, location));
                return index;
            }

            if (mustExist)
            {
                throw new ArgumentException($"Stock location {location.Id} does not exist.", nameof(location));
            }

            Volatile.Write(ref _locations, table.Add(location));
            return table.Count;
        }
    }

    /// <summary>One SKU: its policy and a cell per location.</summary>
    internal sealed class SkuRow : Allocation.ISkuStockView
    {
        private static int s_ids;

        private StockCell[][] _chunks = [];

        public SkuRow(Sku sku)
        {
            Sku = sku;
            Id = Interlocked.Increment(ref s_ids);
        }

        public Sku Sku { get; }

        /// <summary>A number no other row has; reservations take cells in order of it, then of location.</summary>
        public int Id { get; }

        public Lock Gate { get; } = new();

        public InventoryPolicy Policy { get; set; } = InventoryPolicy.DenyWhenShort;

        /// <summary>Units of this SKU waiting for stock on orders (backordered or preordered), for the policy's limit.</summary>
        public int WaitingUnits;

        int Allocation.ISkuStockView.Waiting => Volatile.Read(ref WaitingUnits);

        LocalDate? Allocation.ISkuStockView.EarliestIncoming() => StockIndex.EarliestIncoming(this);

        /// <summary>Expected arrivals per location index; changed under <see cref="Gate"/>.</summary>
        public Dictionary<int, List<IncomingStock>> Incoming { get; } = [];

        /// <summary>Returns the available count of a location; zero for a location with no cell yet.</summary>
        public int Available(int location)
        {
            StockCell[][] chunks = Volatile.Read(ref _chunks);
            int chunk = location / ChunkSize;
            return chunk < chunks.Length ? Volatile.Read(ref chunks[chunk][location % ChunkSize].Available) : 0;
        }

        /// <summary>Copies what can be taken at each location in <paramref name="locations"/> (the available count, or 0 when it is negative) into <paramref name="destination"/>.</summary>
        public void CopyAvailable(ReadOnlySpan<int> locations, Span<int> destination)
        {
            StockCell[][] chunks = Volatile.Read(ref _chunks);
            destination = destination[..locations.Length];
            for (int j = 0; j < locations.Length; j++)
            {
                uint location = (uint)locations[j];
                uint chunk = location / ChunkSize;
                destination[j] = chunk < (uint)chunks.Length ? Math.Max(0, Volatile.Read(ref chunks[chunk][location % ChunkSize].Available)) : 0;
            }
        }

        /// <summary>Returns the cell of a location, creating its chunk when needed.</summary>
        public ref StockCell Cell(int location)
        {
            StockCell[][] chunks = Volatile.Read(ref _chunks);
            int chunk = location / ChunkSize;
            if (chunk >= chunks.Length)
            {
                chunks = Grow(chunk + 1);
            }

            return ref chunks[chunk][location % ChunkSize];
        }

        /// <summary>Returns whether the location has a cell (stock was ever recorded there).</summary>
        public bool HasCell(int location) => location / ChunkSize < Volatile.Read(ref _chunks).Length;

        private StockCell[][] Grow(int chunkCount)
        {
            lock (Gate)
            {
                StockCell[][] chunks = _chunks;
                if (chunks.Length < chunkCount)
                {
                    var bigger = new StockCell[chunkCount][];
                    Array.Copy(chunks, bigger, chunks.Length);
                    for (int i = chunks.Length; i < chunkCount; i++)
                    {
                        bigger[i] = new StockCell[ChunkSize];
                    }

                    Volatile.Write(ref _chunks, bigger);
                    chunks = bigger;
                }

                return chunks;
            }
        }
    }

    /// <summary>Takes units from an available count by compare-and-swap, only while the count stays at or above <paramref name="lowest"/>.</summary>
    /// <returns>True when the units were taken; false, with nothing changed, when fewer are available.</returns>
    public static bool TryTake(ref int available, int units, int lowest = 0)
    {
        int seen = Volatile.Read(ref available);
        while (true)
        {
            if (seen - units < lowest)
            {
                return false;
            }

            int before = Interlocked.CompareExchange(ref available, seen - units, seen);
            if (before == seen)
            {
                return true;
            }

            seen = before;
        }
    }

    /// <summary>The counts of one SKU at one location.</summary>
    internal struct StockCell
    {
        /// <summary>OnHand − Reserved − SafetyStock; may be negative when safety stock exceeds what is free.</summary>
        public int Available;

        public int OnHand;

        public int Reserved;

        public int SafetyStock;

        public int Damaged;
    }

    /// <summary>An immutable table of the locations, replaced as a whole when one changes.</summary>
    internal sealed class LocationTable
    {
        public static readonly LocationTable Empty = new([], new Dictionary<LocationId, int>(), 0);

        private static long s_versions;

        /// <summary>Builds a table from a store's list of locations, with a version no other table has.</summary>
        public static LocationTable From(IReadOnlyList<StockLocation> locations)
        {
            var index = new Dictionary<LocationId, int>(locations.Count);
            for (int k = 0; k < locations.Count; k++)
            {
                index[locations[k].Id] = k;
            }

            return new([.. locations], index, -Interlocked.Increment(ref s_versions));
        }

        private readonly StockLocation[] _locations;
        private readonly Dictionary<LocationId, int> _index;

        private LocationTable(StockLocation[] locations, Dictionary<LocationId, int> index, long version)
        {
            _locations = locations;
            _index = index;
            Version = version;
        }

        public int Count => _locations.Length;

        /// <summary>Changes whenever a location is added or changed; caches keyed by it stay correct.</summary>
        public long Version { get; }

        public StockLocation this[int index] => _locations[index];

        public bool TryGetIndex(LocationId id, out int index) => _index.TryGetValue(id, out index);

        public LocationTable Add(StockLocation location)
        {
            var index = new Dictionary<LocationId, int>(_index) { [location.Id] = _locations.Length };
            return new([.. _locations, location], index, Version + 1);
        }

        public LocationTable With(int index, StockLocation location)
        {
            StockLocation[] copy = [.. _locations];
            copy[index] = location;
            return new(copy, _index, Version + 1);
        }
    }

    public StockLevel Level(SkuRow row, int location)
    {
        lock (row.Gate)
        {
            LocationId id = Locations[location].Id;
            if (!row.HasCell(location))
            {
                return new StockLevel(row.Sku, id, 0, 0, 0, 0, Incoming(row, location));
            }

            ref StockCell cell = ref row.Cell(location);
            return new StockLevel(row.Sku, id, Volatile.Read(ref cell.OnHand), Volatile.Read(ref cell.Reserved), cell.SafetyStock, cell.Damaged, Incoming(row, location));
        }
    }

    private static IncomingStock[] Incoming(SkuRow row, int location) =>
        row.Incoming.TryGetValue(location, out List<IncomingStock>? list) ? [.. list] : [];

    /// <summary>The earliest date stock is expected for a SKU at any location, if any is.</summary>
    public static LocalDate? EarliestIncoming(SkuRow row)
    {
        lock (row.Gate)
        {
            LocalDate? earliest = null;
            foreach (List<IncomingStock> list in row.Incoming.Values)
            {
                foreach (IncomingStock incoming in list)
                {
                    if (earliest is null || incoming.ExpectedOn < earliest)
                    {
                        earliest = incoming.ExpectedOn;
                    }
                }
            }

            return earliest;
        }
    }
}
