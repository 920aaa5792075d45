using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NodaTime;

namespace OrderKit.Inventory;

/// <summary>
/// The in-memory stock: an availability slab that allocation reads and reserves against, per-SKU summary masks of the
/// locations with stock, the books of each stocked cell, and the locations themselves.
/// </summary>
/// <remarks>
/// <para>SKUs and locations are interned to dense integers at the boundary: a row is found once per SKU and numbered
/// from zero; a location is an index into the location table.</para>
/// <para><b>Availability slab.</b> The available count of every (row, location) is one <see cref="int"/> in pages that
/// never move: block <c>b</c> holds locations <c>[b·W, b·W + W)</c> (W = <see cref="BlockWidth"/>) for
/// <see cref="PageRows"/> rows per page, row-major, so a row's cells of one block are contiguous. Adding rows adds pages
/// and adding locations adds blocks; an existing cell never moves, so a compare-and-swap on it is never lost. At a
/// million SKUs over 50 locations this is 4 bytes per cell, 200 MB, and nothing else per cell.</para>
/// <para><b>Summary masks.</b> One bit per (row, location), set wherever the available count is above zero: a clear bit
/// means no units there, and a plan reads a few mask words per line instead of every cell. Every change of an available
/// count goes through <see cref="TryTake"/> or <see cref="Add"/>. A change that lifts a count above zero sets the bit
/// (when it is not set already) and repeats until the bit and the count agree, so when the index is quiet every cell
/// with units has its bit. A change that empties a cell leaves the bit alone: clearing it would cost a second atomic
/// operation on every take that empties a cell and on every return that refills it. A stale bit only makes a plan read
/// that cell's count, and the plan that finds the cell empty clears the bit (<see cref="RefreshMask"/>) by the same
/// repeat-until-agreed step.</para>
/// <para><b>Books.</b> On hand, reserved, safety stock and damaged exist only for the cells that ever held stock,
/// in a small array per row sorted by location, read and changed under the row's lock.</para>
/// <para>Concurrency: the in-memory store's transactions take units from an available count by compare-and-swap and
/// apply everything else at commit under the row's lock. The available count is the single authority against
/// overselling: units are taken only by moving it from at least q to q less.</para>
/// </remarks>
internal sealed class StockIndex
{
    /// <summary>Locations per slab block: a row's available counts for one block sit side by side.</summary>
    public const int BlockWidth = 10;

    /// <summary>Rows per slab page (a power of two).</summary>
    public const int PageRows = 1 << PageShift;

    private const int PageShift = 12;
    private const int PageMask = PageRows - 1;

    private readonly ConcurrentDictionary<Sku, SkuRow> _rows = new();
    private readonly Lock _growLock = new();
    private readonly Lock _locationsLock = new();
    private LocationTable _locations = LocationTable.Empty;
    private int _rowCount;
    private int _pageCount;

    // [block][page][row-in-page * BlockWidth + location-in-block]; the outer arrays are replaced when they grow, the
    // pages never.
    private int[][][] _available = [];

    // [word (64 locations)][page][row-in-page]
    private ulong[][][] _masks = [];

    public LocationTable Locations => Volatile.Read(ref _locations);

    public int SkuCount => _rows.Count;

    /// <summary>The number of 64-bit mask words per row: one per 64 locations.</summary>
    public int MaskWords => Volatile.Read(ref _masks).Length;

    public IEnumerable<SkuRow> Rows => _rows.Values;

    public SkuRow? FindRow(Sku sku) => _rows.GetValueOrDefault(sku);

    public SkuRow Row(Sku sku) => _rows.TryGetValue(sku, out SkuRow? row) ? row : AddRow(sku);

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

            // The cells come first, so a location in the table always has them.
            EnsureLocations(table.Count + 1);
            Volatile.Write(ref _locations, table.Add(location));
            return table.Count;
        }
    }

    /// <summary>The available count of a row at a location (which must be in the table).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Available(int row, int location) =>
        Volatile.Read(ref Volatile.Read(ref _available)[location / BlockWidth][row >> PageShift][((row & PageMask) * BlockWidth) + (location % BlockWidth)]);

    /// <summary>The cell holding a row's available count at a location (which must be in the table). Private: every change goes through <see cref="TryTake"/> or <see cref="Add"/>, which keep the summary mask exact.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref int AvailableCell(int row, int location) =>
        ref Volatile.Read(ref _available)[location / BlockWidth][row >> PageShift][((row & PageMask) * BlockWidth) + (location % BlockWidth)];

    /// <summary>The availability slab as it stands: [block][page][row-in-page · <see cref="BlockWidth"/> + location-in-block]; read with <see cref="Volatile"/>.</summary>
    public int[][][] AvailableBlocks => Volatile.Read(ref _available);

    /// <summary>The summary masks as they stand: [word][page][row-in-page].</summary>
    public ulong[][][] MaskBlocks => Volatile.Read(ref _masks);

    /// <summary>The page of the slab that holds a row.</summary>
    public static int PageOf(int row) => row >> PageShift;

    /// <summary>A row's place within its page.</summary>
    public static int SlotOf(int row) => row & PageMask;

    /// <summary>Word <paramref name="word"/> of a row's summary mask: bit j set when location 64·word + j has units available.</summary>
    /// <remarks>A clear bit means no units; a set bit may be stale over an empty cell until <see cref="RefreshMask"/>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Mask(int row, int word) => Volatile.Read(ref Volatile.Read(ref _masks)[word][row >> PageShift][row & PageMask]);

    /// <summary>
    /// Takes units from an available count by compare-and-swap, only while the count stays at or above
    /// <paramref name="lowest"/>. Emptying a cell leaves its mask bit set (see the remarks on the class).
    /// </summary>
    /// <returns>True when the units were taken; false, with nothing changed, when fewer are available.</returns>
    public bool TryTake(int row, int location, int units, int lowest = 0)
    {
        ref int cell = ref AvailableCell(row, location);
        int seen = Volatile.Read(ref cell);
        while (true)
        {
            if (seen - units < lowest)
            {
                return false;
            }

            int before = Interlocked.CompareExchange(ref cell, seen - units, seen);
            if (before == seen)
            {
                return true;
            }

            seen = before;
        }
    }

    /// <summary>Adds to (or, with a negative amount, takes from) an available count unconditionally; keeps the summary mask exact.</summary>
    public void Add(int row, int location, int units)
    {
        if (units == 0)
        {
            return;
        }

        ref int cell = ref AvailableCell(row, location);
        int after = Interlocked.Add(ref cell, units);
        if (after > 0 && after - units <= 0 && (Volatile.Read(ref MaskWord(row, location)) & (1UL << (location & 63))) == 0)
        {
            // Units where the bit says none: set it. (A bit left set over an emptied cell needs nothing.)
            SyncMask(row, location, ref cell);
        }
    }

    /// <summary>
    /// Brings a location's mask bit in line with its count: a plan calls it when it finds a cell empty under a set bit,
    /// so the bits that takes left standing are cleared by the first plan that pays for them.
    /// </summary>
    public void RefreshMask(int row, int location) => SyncMask(row, location, ref AvailableCell(row, location));

    private ref ulong MaskWord(int row, int location) => ref Volatile.Read(ref _masks)[location >> 6][row >> PageShift][row & PageMask];

    /// <summary>Sets or clears a location's mask bit to match its count, until the two agree when read again.</summary>
    /// <remarks>
    /// Called after a change that lifted the count above zero under a clear bit, and by <see cref="RefreshMask"/>. Every
    /// call ends having read, after its last write, a count on the side of zero it wrote, and a call that finds the bit
    /// already right writes nothing. So the last write to a bit matches the count as it then stood, and any later lift
    /// above zero sets the bit again: a cell with units never keeps a clear bit once the index is quiet.
    /// </remarks>
    private void SyncMask(int row, int location, ref int cell)
    {
        ref ulong word = ref MaskWord(row, location);
        ulong bit = 1UL << (location & 63);
        bool positive;
        do
        {
            positive = Volatile.Read(ref cell) > 0;
            if (((Volatile.Read(ref word) & bit) != 0) == positive)
            {
                // Already right; a writer racing the other way reads the count again after its write and undoes it.
                continue;
            }

            if (positive)
            {
                Interlocked.Or(ref word, bit);
            }
            else
            {
                Interlocked.And(ref word, ~bit);
            }
        }
        while ((Volatile.Read(ref cell) > 0) != positive);
    }

    private SkuRow AddRow(Sku sku)
    {
        lock (_growLock)
        {
            if (_rows.TryGetValue(sku, out SkuRow? existing))
            {
                return existing;
            }

            int id = _rowCount;
            if ((id >> PageShift) >= _pageCount)
            {
                AddPage();
            }

            var row = new SkuRow(this, sku, id);
            _rowCount = id + 1;
            _rows[sku] = row;
            return row;
        }
    }

    /// <summary>Adds a page of rows to every block and mask word; under the grow lock.</summary>
    private void AddPage()
    {
        int[][][] blocks = _available;
        var grownBlocks = new int[blocks.Length][][];
        for (int b = 0; b < blocks.Length; b++)
        {
            grownBlocks[b] = [.. blocks[b], new int[PageRows * BlockWidth]];
        }

        ulong[][][] words = _masks;
        var grownWords = new ulong[words.Length][][];
        for (int w = 0; w < words.Length; w++)
        {
            grownWords[w] = [.. words[w], new ulong[PageRows]];
        }

        Volatile.Write(ref _available, grownBlocks);
        Volatile.Write(ref _masks, grownWords);
        _pageCount++;
    }

    /// <summary>Makes sure every page has cells and mask bits for <paramref name="count"/> locations.</summary>
    private void EnsureLocations(int count)
    {
        lock (_growLock)
        {
            int blocks = (count + BlockWidth - 1) / BlockWidth;
            if (blocks > _available.Length)
            {
                int[][][] grown = [.. _available, .. Enumerable.Range(0, blocks - _available.Length).Select(_ => NewPages<int>(PageRows * BlockWidth))];
                Volatile.Write(ref _available, grown);
            }

            int words = (count + 63) >> 6;
            if (words > _masks.Length)
            {
                ulong[][][] grown = [.. _masks, .. Enumerable.Range(0, words - _masks.Length).Select(_ => NewPages<ulong>(PageRows))];
                Volatile.Write(ref _masks, grown);
            }
        }
    }

    private T[][] NewPages<T>(int length)
    {
        var pages = new T[_pageCount][];
        for (int p = 0; p < pages.Length; p++)
        {
            pages[p] = new T[length];
        }

        return pages;
    }

    /// <summary>Locations side by side in one slab block: <see cref="Length"/> of them from <see cref="Within"/> on.</summary>
    /// <param name="Block">The block.</param>
    /// <param name="Within">The first location's place in the block.</param>
    /// <param name="Length">How many locations, in location order.</param>
    internal readonly record struct CellRun(int Block, int Within, int Length);

    /// <summary>
    /// Splits <paramref name="locations"/> into runs of consecutive locations within one block, so that every row of an
    /// order copies its counts a run at a time; returns how many runs it wrote.
    /// </summary>
    public static int RunsOf(ReadOnlySpan<int> locations, Span<CellRun> runs)
    {
        int count = 0;
        int j = 0;
        while (j < locations.Length)
        {
            int location = locations[j];
            (int block, int within) = Math.DivRem(location, BlockWidth);
            int length = 1;
            int most = Math.Min(BlockWidth - within, locations.Length - j);
            while (length < most && locations[j + length] == location + length)
            {
                length++;
            }

            runs[count++] = new CellRun(block, within, length);
            j += length;
        }

        return count;
    }

    /// <summary>Copies counts, negative ones as 0, eight at a time where the hardware allows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ClampedCopy(ReadOnlySpan<int> cells, Span<int> into)
    {
        int length = cells.Length;
        if (Vector256.IsHardwareAccelerated && length >= Vector256<int>.Count)
        {
            // The first eight and the last eight (overlapping when fewer than sixteen): a run is at most a block long.
            int k = 0;
            for (; k <= length - Vector256<int>.Count; k += Vector256<int>.Count)
            {
                Vector256.Max(Vector256.Create(cells.Slice(k, Vector256<int>.Count)), Vector256<int>.Zero).CopyTo(into[k..]);
            }

            if (k < length)
            {
                int last = length - Vector256<int>.Count;
                Vector256.Max(Vector256.Create(cells.Slice(last, Vector256<int>.Count)), Vector256<int>.Zero).CopyTo(into[last..]);
            }

            return;
        }

        for (int k = 0; k < length; k++)
        {
            // max(0, count) without a branch: whether a cell is empty is a coin toss to the branch predictor.
            int units = cells[k];
            into[k] = units & ~(units >> 31);
        }
    }

    /// <summary>One SKU: its policy, its books per stocked location, and its number in the slab.</summary>
    internal sealed class SkuRow : Allocation.ISkuStockView
    {
        private readonly StockIndex _index;

        // Sorted by location; replaced (never changed in place when it grows) under Gate.
        private StockCell[] _cells = [];
        private Dictionary<int, List<IncomingStock>>? _incoming;

        public SkuRow(StockIndex index, Sku sku, int id)
        {
            _index = index;
            Sku = sku;
            Id = id;
        }

        public Sku Sku { get; }

        /// <summary>The index the row belongs to.</summary>
        public StockIndex Index => _index;

        /// <summary>The row's number in its index, from zero; reservations take cells in order of it, then of location.</summary>
        public int Id { get; }

        /// <summary>The lock for the row's books and expected arrivals.</summary>
        public object Gate => this;

        public InventoryPolicy Policy { get; set; } = InventoryPolicy.DenyWhenShort;

        /// <summary>Units of this SKU waiting for stock on orders (backordered or preordered), for the policy's limit.</summary>
        public int WaitingUnits;

        /// <summary>Units of the row taken by transactions not yet committed or rolled back: a plan that finds too little may find more once they end.</summary>
        public int PendingTakes;

        int Allocation.ISkuStockView.Waiting => Volatile.Read(ref WaitingUnits);

        LocalDate? Allocation.ISkuStockView.EarliestIncoming() => StockIndex.EarliestIncoming(this);

        /// <summary>Expected arrivals per location index; read and changed under <see cref="Gate"/>.</summary>
        public Dictionary<int, List<IncomingStock>> Incoming => _incoming ??= [];

        /// <summary>Whether any arrivals were ever recorded; read under <see cref="Gate"/>.</summary>
        public bool HasIncoming => _incoming is { Count: > 0 };

        /// <summary>Returns the available count of a location (which must be in the table).</summary>
        public int Available(int location) => _index.Available(Id, location);

        /// <summary>Word <paramref name="word"/> of the summary mask: bit j set when location 64·word + j has units available.</summary>
        public ulong Mask(int word) => _index.Mask(Id, word);

        /// <summary>Takes units from a location's available count by compare-and-swap while it stays at or above <paramref name="lowest"/>.</summary>
        public bool TryTake(int location, int units, int lowest = 0) => _index.TryTake(Id, location, units, lowest);

        /// <summary>Adds to (or takes from, when negative) a location's available count unconditionally.</summary>
        public void AddAvailable(int location, int units) => _index.Add(Id, location, units);

        /// <summary>Clears the mask bit of a location found empty (or sets it, should units have come back meanwhile).</summary>
        public void RefreshMask(int location) => _index.RefreshMask(Id, location);

        /// <summary>Copies what can be taken at each location in <paramref name="locations"/> (the available count, or 0 when it is negative) into <paramref name="destination"/>.</summary>
        public void CopyAvailable(ReadOnlySpan<int> locations, Span<int> destination)
        {
            int count = locations.Length;
            CellRun[]? rented = null;
            Span<CellRun> runs = count <= 128 ? stackalloc CellRun[count] : (rented = ArrayPool<CellRun>.Shared.Rent(count));
            try
            {
                CopyAvailable(runs[..RunsOf(locations, runs)], destination);
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<CellRun>.Shared.Return(rented);
                }
            }
        }

        /// <summary>
        /// Copies what can be taken at each location of <paramref name="runs"/> (from <see cref="RunsOf"/>) into
        /// <paramref name="destination"/>, in the order of the locations the runs were made from.
        /// </summary>
        /// <remarks>Plain reads: a plan is advice, and the reservation's compare-and-swap decides.</remarks>
        public void CopyAvailable(ReadOnlySpan<CellRun> runs, Span<int> destination)
        {
            int[][][] blocks = Volatile.Read(ref _index._available);
            int page = Id >> PageShift;
            int offset = (Id & PageMask) * BlockWidth;
            int at = 0;
            foreach (CellRun run in runs)
            {
                ReadOnlySpan<int> cells = blocks[run.Block][page].AsSpan(offset + run.Within, run.Length);
                ClampedCopy(cells, destination.Slice(at, run.Length));
                at += run.Length;
            }
        }

        /// <summary>Returns the books of a location, creating them when the location never held stock; call under <see cref="Gate"/>.</summary>
        public ref StockCell Cell(int location)
        {
            StockCell[] cells = _cells;
            int at = Find(cells, location);
            if (at < 0)
            {
                at = ~at;
                var grown = new StockCell[cells.Length + 1];
                Array.Copy(cells, grown, at);
                Array.Copy(cells, at, grown, at + 1, cells.Length - at);
                grown[at] = new StockCell { Location = location };
                Volatile.Write(ref _cells, grown);
                cells = grown;
            }

            return ref cells[at];
        }

        /// <summary>Returns a copy of the books of a location, or empty books when it never held stock; call under <see cref="Gate"/>.</summary>
        public StockCell Books(int location)
        {
            StockCell[] cells = _cells;
            int at = Find(cells, location);
            return at >= 0 ? cells[at] : new StockCell { Location = location };
        }

        /// <summary>Returns whether the location has books (stock was ever recorded there).</summary>
        public bool HasCell(int location) => Find(Volatile.Read(ref _cells), location) >= 0;

        private static int Find(StockCell[] cells, int location)
        {
            int lo = 0;
            int hi = cells.Length - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >>> 1;
                int at = cells[mid].Location;
                if (at == location)
                {
                    return mid;
                }

                if (at < location)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return ~lo;
        }
    }

    /// <summary>The books of one SKU at one location; the available count lives in the slab.</summary>
    internal struct StockCell
    {
        public int Location;

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
            StockCell books = row.Books(location);
            return new StockLevel(row.Sku, id, books.OnHand, books.Reserved, books.SafetyStock, books.Damaged, Incoming(row, location));
        }
    }

    private static IncomingStock[] Incoming(SkuRow row, int location) =>
        row.HasIncoming && row.Incoming.TryGetValue(location, out List<IncomingStock>? list) ? [.. list] : [];

    /// <summary>The earliest date stock is expected for a SKU at any location, if any is.</summary>
    public static LocalDate? EarliestIncoming(SkuRow row)
    {
        lock (row.Gate)
        {
            if (!row.HasIncoming)
            {
                return null;
            }

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
