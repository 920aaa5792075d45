using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NodaTime;
using OrderKit.Inventory;

namespace OrderKit.Allocation;

/// <summary>Units of one line taken from one location by a plan.</summary>
/// <param name="Line">The line's index in the request.</param>
/// <param name="Location">The location's index in the location table.</param>
/// <param name="Units">The units.</param>
internal readonly record struct PlannedTake(int Line, int Location, int Units);

/// <summary>Why the engine chose a location, for explanations.</summary>
internal enum ChoiceKind : byte
{
    None,
    FillsAlone,
    BestSet,
    GreedyCover,
    BestWithStock,
}

/// <summary>Why one candidate was chosen: the kind and a number (set size, units added, or line index).</summary>
internal struct ChoiceReason
{
    public ChoiceKind Kind;
    public int Value;
}

/// <summary>
/// The allocation search on spans: which ranked candidates fill which lines, with no allocation for orders that fit on
/// the stack. <see cref="AllocationPlanner"/> wraps it for the public API (filters, ranking, shortfall policies,
/// explanations); <see cref="Plan"/> runs it directly over the in-memory stock index.
/// </summary>
/// <remarks>
/// The inputs are a row-major matrix <c>available[line * c + slot]</c> over the candidates in ranked order and the units
/// each line needs from counted stock. Lines have distinct SKUs, so they never compete for units; the search only decides
/// which locations to use. The exact search for the fewest shipments tests sets on bitmasks of the lines each location
/// can fill alone, and sums availability only for the lines a set does not cover that way.
/// </remarks>
[SkipLocalsInit]
internal static partial class AllocationEngine
{
    /// <summary>The most location sets the one-by-one exact search (four or more locations, or large targets) tries before it falls back to greedy cover.</summary>
    public const long ExactSearchBudget = 2_048;

    /// <summary>Scratch up to this many ints lives on the stack; more is rented from the shared pool.</summary>
    private const int StackInts = 1024;

    /// <summary>
    /// Plans an order over the in-memory stock index: <paramref name="rows"/>[i] is line i's SKU row,
    /// <paramref name="candidates"/> the location indexes that may serve it, best first. Writes the units taken to
    /// <paramref name="output"/> (by candidate, then line) and returns how many entries it wrote.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is too small for what the plan takes.</exception>
    public static int Plan(ReadOnlySpan<StockIndex.SkuRow> rows, ReadOnlySpan<int> quantities, ReadOnlySpan<int> candidates, SplitPolicy split, bool fewestShipments, LocalDate today, Span<PlannedTake> output)
    {
        int lines = rows.Length;
        if (lines == 0 || candidates.IsEmpty)
        {
            return 0;
        }

        // With at most 64 locations (one mask word per row), the locations where every line has stock are worked out in
        // the same pass as the needs. Plans that will not use them pay a mask read per line, less than deciding first
        // costs the plans that do (measured).
        StockIndex index = rows[0].Index;
        ulong[][][] masks = index.MaskBlocks;
        ulong[][]? word = masks.Length == 1 ? masks[0] : null;
        ulong common = ulong.MaxValue;
        Span<int> needs = lines <= 256 ? stackalloc int[lines] : new int[lines];
        bool any = false;
        for (int i = 0; i < lines; i++)
        {
            int need = NeedFromStock(rows[i].Policy, quantities[i], today);
            needs[i] = need;
            if (need > 0)
            {
                any = true;
                if (word is not null)
                {
                    int id = rows[i].Id;
                    common &= word[StockIndex.PageOf(id)][StockIndex.SlotOf(id)];
                }
            }
        }

        if (!any)
        {
            return 0;
        }

        bool minimise = fewestShipments || split.IsShipComplete || split.MaxShipments < int.MaxValue;
        if (!minimise)
        {
            return PlanOverMatrix(rows, needs, candidates, split, fewestShipments, output);
        }

        // One location, then a pair, looked for on the summary masks before copying every cell; what they do not settle
        // is planned over the matrix.
        bool pairs = split.MaxShipments >= 2;
        int single;
        if (word is not null)
        {
            single = SingleLocationInOneWord(rows, needs, candidates, index.AvailableBlocks, common);
            if (single < 0)
            {
                int written = pairs ? PlanOnSummaryMasks(rows, needs, candidates, single: false, pairs: true, split.SplitLines, output) : -1;
                return written >= 0 ? written : PlanOverMatrix(rows, needs, candidates, split, fewestShipments, output);
            }
        }
        else if (FitsSummaryMasks(lines, masks.Length))
        {
            int written = PlanOnSummaryMasks(rows, needs, candidates, single: true, pairs, split.SplitLines, output);
            return written >= 0 ? written : PlanOverMatrix(rows, needs, candidates, split, fewestShipments, output);
        }
        else
        {
            single = SingleLocation(rows, needs, candidates);
            if (single < 0)
            {
                return PlanOverMatrix(rows, needs, candidates, split, fewestShipments, output);
            }
        }

        // One location fills every line: what the search below would choose, without reading every cell.
        return WriteSingle(needs, candidates[single], output);
    }

    /// <summary>
    /// The best-ranked candidate slot that has every line's need, or -1. The summary masks name the locations where
    /// every line has some stock; only those have their counts read.
    /// </summary>
    private static int SingleLocation(ReadOnlySpan<StockIndex.SkuRow> rows, ReadOnlySpan<int> needs, ReadOnlySpan<int> candidates)
    {
        // Read the slab and the masks as they stand once, and each row's place in them.
        StockIndex index = rows[0].Index;
        int[][][] blocks = index.AvailableBlocks;
        ulong[][][] masks = index.MaskBlocks;
        int lines = rows.Length;
        Span<int> pages = lines <= 128 ? stackalloc int[lines] : new int[lines];
        Span<int> slots = lines <= 128 ? stackalloc int[lines] : new int[lines];
        for (int i = 0; i < lines; i++)
        {
            pages[i] = StockIndex.PageOf(rows[i].Id);
            slots[i] = StockIndex.SlotOf(rows[i].Id);
        }

        int words = masks.Length;
        Span<ulong> common = words <= 16 ? stackalloc ulong[words] : new ulong[words];
        ulong anywhere = 0;
        for (int w = 0; w < words; w++)
        {
            ulong[][] word = masks[w];
            ulong both = ulong.MaxValue;
            for (int i = 0; i < lines && both != 0; i++)
            {
                if (needs[i] > 0)
                {
                    both &= Volatile.Read(ref word[pages[i]][slots[i]]);
                }
            }

            common[w] = both;
            anywhere |= both;
        }

        if (anywhere == 0)
        {
            return -1;
        }

        for (int k = 0; k < candidates.Length; k++)
        {
            int location = candidates[k];
            if ((common[location >> 6] & (1UL << (location & 63))) == 0)
            {
                continue;
            }

            if (Fills(rows, needs, blocks, location))
            {
                return k;
            }
        }

        return -1;
    }

    /// <summary>
    /// <see cref="SingleLocation"/> for an index of at most 64 locations, the common case: <paramref name="common"/> is
    /// the AND of the lines' mask words, worked out by <see cref="Plan"/> with the needs, and each row's place in the
    /// slab is worked out where it is read. The reads are plain: a plan is advice, and the reservation's
    /// compare-and-swap decides.
    /// </summary>
    private static int SingleLocationInOneWord(ReadOnlySpan<StockIndex.SkuRow> rows, ReadOnlySpan<int> needs, ReadOnlySpan<int> candidates, int[][][] blocks, ulong common)
    {
        if (common == 0)
        {
            return -1;
        }

        if (BitOperations.PopCount(common) <= FewCommonLocations)
        {
            // Usually only a location or two has stock for every line: find each one's rank instead of walking every
            // candidate, and keep the best-ranked that fills.
            int best = int.MaxValue;
            for (; common != 0; common &= common - 1)
            {
                int location = BitOperations.TrailingZeroCount(common);

                // Candidates ranked in location order hold each location at its own index: check that before searching.
                int k = location < candidates.Length && candidates[location] == location ? location : candidates.IndexOf(location);
                if (k >= 0 && k < best && Fills(rows, needs, blocks, location))
                {
                    best = k;
                }
            }

            return best == int.MaxValue ? -1 : best;
        }

        for (int k = 0; k < candidates.Length; k++)
        {
            int location = candidates[k];
            if ((common & (1UL << location)) != 0 && Fills(rows, needs, blocks, location))
            {
                return k;
            }
        }

        return -1;
    }

    /// <summary>Up to this many locations with stock for every line, <see cref="SingleLocationInOneWord"/> looks up their ranks rather than walking the candidates.</summary>
    private const int FewCommonLocations = 3;

    /// <summary>
    /// Whether one location has every line's need. Every line has its mask bit set there, so an empty cell is a bit left
    /// standing when the cell emptied: it is cleared. Plain reads: a plan is advice, and the reservation's
    /// compare-and-swap decides.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Fills(ReadOnlySpan<StockIndex.SkuRow> rows, ReadOnlySpan<int> needs, int[][][] blocks, int location)
    {
        int[][] block = blocks[location / StockIndex.BlockWidth];
        int within = location % StockIndex.BlockWidth;
        for (int i = 0; i < rows.Length; i++)
        {
            int id = rows[i].Id;
            int units = block[StockIndex.PageOf(id)][(StockIndex.SlotOf(id) * StockIndex.BlockWidth) + within];
            if (needs[i] > 0 && units < needs[i])
            {
                if (units <= 0)
                {
                    // Every line's bit is set here, so this one was left standing when the cell emptied: clear it.
                    rows[i].RefreshMask(location);
                }

                return false;
            }
        }

        return true;
    }

    /// <summary>Plans by copying what every line can take from every candidate and running <see cref="Choose"/> over it.</summary>
    private static int PlanOverMatrix(ReadOnlySpan<StockIndex.SkuRow> rows, ReadOnlySpan<int> needs, ReadOnlySpan<int> candidates, SplitPolicy split, bool fewestShipments, Span<PlannedTake> output)
    {
        int lines = rows.Length;
        int c = candidates.Length;
        int cells = lines * c;
        int size = 2 * cells;
        int[]? rented = null;
        Span<int> scratch = size <= StackInts ? stackalloc int[size] : (rented = ArrayPool<int>.Shared.Rent(size)).AsSpan(0, size);
        Span<bool> used = c <= 256 ? stackalloc bool[c] : new bool[c];
        StockIndex.CellRun[]? rentedRuns = null;
        Span<StockIndex.CellRun> runs = c <= 128 ? stackalloc StockIndex.CellRun[c] : (rentedRuns = ArrayPool<StockIndex.CellRun>.Shared.Rent(c));
        try
        {
            Span<int> available = scratch[..cells];
            Span<int> taken = scratch.Slice(cells, cells);
            taken.Clear();
            used.Clear();
            runs = runs[..StockIndex.RunsOf(candidates, runs)];
            for (int i = 0; i < lines; i++)
            {
                if (needs[i] > 0)
                {
                    rows[i].CopyAvailable(runs, available.Slice(i * c, c));
                }
                else
                {
                    available.Slice(i * c, c).Clear();
                }
            }

            Choose(needs, available, taken, used, c, split, fewestShipments, []);
            int count = 0;
            for (int k = 0; k < c; k++)
            {
                if (!used[k])
                {
                    continue;
                }

                for (int i = 0; i < lines; i++)
                {
                    int units = taken[(i * c) + k];
                    if (units > 0)
                    {
                        if (count == output.Length)
                        {
                            throw OutputTooSmall(output);
                        }

                        output[count++] = new PlannedTake(i, candidates[k], units);
                    }
                }
            }

            return count;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }

            if (rentedRuns is not null)
            {
                ArrayPool<StockIndex.CellRun>.Shared.Return(rentedRuns);
            }
        }
    }

    private static ArgumentException OutputTooSmall(Span<PlannedTake> output) =>
        new($"The plan takes from more than {output.Length} cells; give a larger output span.", nameof(output));

    /// <summary>
    /// Reserves a plan's takes on the in-memory index: one compare-and-swap per cell on its available count, in a fixed
    /// order (SKU row, then location) so competing orders meet in the same order; on the first cell that no longer has
    /// the units, gives back what it took and returns false.
    /// </summary>
    /// <remarks>Sorts <paramref name="takes"/> in place.</remarks>
    public static bool TryReserve(ReadOnlySpan<StockIndex.SkuRow> rows, Span<PlannedTake> takes)
    {
        SortForReservation(rows, takes);
        for (int t = 0; t < takes.Length; t++)
        {
            PlannedTake take = takes[t];
            if (!rows[take.Line].TryTake(take.Location, take.Units))
            {
                Release(rows, takes[..t]);
                return false;
            }
        }

        return true;
    }

    /// <summary>Gives back the units of takes reserved by <see cref="TryReserve"/>.</summary>
    public static void Release(ReadOnlySpan<StockIndex.SkuRow> rows, ReadOnlySpan<PlannedTake> takes)
    {
        for (int t = takes.Length - 1; t >= 0; t--)
        {
            PlannedTake take = takes[t];
            rows[take.Line].AddAvailable(take.Location, take.Units);
        }
    }

    /// <summary>The units a line takes from counted stock now: none for untracked SKUs and preorders before their release.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int NeedFromStock(InventoryPolicy policy, int quantity, LocalDate today)
    {
        // Counted stock is the common case and costs a field read; the date comparison stays out of line.
        InventoryPolicyKind kind = policy.Kind;
        return kind == InventoryPolicyKind.Untracked ? 0 : kind == InventoryPolicyKind.Preorder ? PreorderNeed(policy, quantity, today) : quantity;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int PreorderNeed(InventoryPolicy policy, int quantity, LocalDate today) => today < policy.ReleaseDate ? 0 : quantity;

    private static void SortForReservation(ReadOnlySpan<StockIndex.SkuRow> rows, Span<PlannedTake> takes)
    {
        for (int a = 1; a < takes.Length; a++)
        {
            PlannedTake take = takes[a];
            long key = Key(rows, take);
            int b = a - 1;
            while (b >= 0 && Key(rows, takes[b]) > key)
            {
                takes[b + 1] = takes[b];
                b--;
            }

            takes[b + 1] = take;
        }

        static long Key(ReadOnlySpan<StockIndex.SkuRow> rows, PlannedTake take) => ((long)rows[take.Line].Id << 32) | (uint)take.Location;
    }

    /// <summary>Decides how many units each line takes from each candidate (slots in ranked order) and marks the candidates used.</summary>
    /// <param name="needs">Units per line to take from counted stock.</param>
    /// <param name="available">What line i can take from slot k, at [i * c + k]; never negative.</param>
    /// <param name="taken">Zeroed on entry; the units taken, same layout.</param>
    /// <param name="used">False on entry; true for the slots the plan ships from.</param>
    /// <param name="c">The number of candidate slots.</param>
    /// <param name="split">The split policy.</param>
    /// <param name="fewestShipments">Whether to search for the fewest locations first.</param>
    /// <param name="reasons">Empty, or one entry per slot to record why it was chosen.</param>
    public static void Choose(ReadOnlySpan<int> needs, ReadOnlySpan<int> available, Span<int> taken, Span<bool> used, int c, SplitPolicy split, bool fewestShipments, Span<ChoiceReason> reasons)
    {
        int lines = needs.Length;
        int open = 0;
        bool minimise = fewestShipments || split.IsShipComplete || split.MaxShipments < int.MaxValue;

        // The units each line has taken so far, kept beside the matrix so no pass sums a line's row.
        Span<int> got = lines <= 256 ? stackalloc int[lines] : new int[lines];
        got.Clear();
        if (minimise)
        {
            ChooseFewest(needs, available, used, c, split.MaxShipments, reasons);

            // The chosen slots in rank order: few, so each line looks only at them.
            int chosenCount = 0;
            Span<int> chosen = c <= 256 ? stackalloc int[c] : new int[c];
            for (int k = 0; k < c; k++)
            {
                if (used[k])
                {
                    chosen[chosenCount++] = k;
                }
            }

            chosen = chosen[..chosenCount];

            // Lines that a chosen location fills completely take from the best such location.
            for (int i = 0; i < lines; i++)
            {
                int need = needs[i];
                if (need == 0)
                {
                    continue;
                }

                open++;
                int at = i * c;
                foreach (int k in chosen)
                {
                    if (available[at + k] >= need)
                    {
                        taken[at + k] = need;
                        got[i] = need;
                        open--;
                        break;
                    }
                }
            }

            if (open == 0)
            {
                // Every line is filled by one chosen location: the usual case.
                return;
            }
        }

        // Lines still without (enough) stock fill in rank order. After a fewest-shipments choice, the first pass uses
        // only the chosen locations and the second adds new ones while the policy allows; under a plain ranking there
        // is one pass, so a line never skips a better-ranked location that has stock.
        int usedCount = 0;
        foreach (bool u in used)
        {
            usedCount += u ? 1 : 0;
        }

        for (int pass = minimise ? 0 : 1; pass < 2; pass++)
        {
            for (int i = 0; i < lines; i++)
            {
                ReadOnlySpan<int> row = available.Slice(i * c, c);
                Span<int> took = taken.Slice(i * c, c);
                int have = got[i];
                int remaining = needs[i] - have;
                if (remaining == 0 || (!split.SplitLines && have > 0))
                {
                    continue;
                }

                if (!split.SplitLines)
                {
                    // One location per line: the best that fills it, else (second pass) the one with the most.
                    int best = -1;
                    for (int k = 0; k < c; k++)
                    {
                        bool allowed = used[k] || (pass == 1 && usedCount < split.MaxShipments);
                        int a = row[k];
                        if (!allowed || a <= 0)
                        {
                            continue;
                        }

                        if (a >= needs[i])
                        {
                            best = k;
                            break;
                        }

                        if (pass == 1 && (best < 0 || a > row[best]))
                        {
                            best = k;
                        }
                    }

                    if (best >= 0)
                    {
                        took[best] = Math.Min(needs[i], row[best]);
                        got[i] = took[best];
                        if (!used[best])
                        {
                            usedCount++;
                            Use(used, reasons, best, ChoiceKind.BestWithStock, i);
                        }
                    }

                    continue;
                }

                for (int k = 0; k < c && remaining > 0; k++)
                {
                    bool allowed = used[k] || (pass == 1 && usedCount < split.MaxShipments);
                    int free = row[k] - took[k];
                    if (!allowed || free <= 0)
                    {
                        continue;
                    }

                    int take = Math.Min(free, remaining);
                    took[k] += take;
                    got[i] += take;
                    remaining -= take;
                    if (!used[k])
                    {
                        usedCount++;
                        Use(used, reasons, k, ChoiceKind.BestWithStock, i);
                    }
                }
            }
        }
    }

    private static void Use(Span<bool> used, Span<ChoiceReason> reasons, int k, ChoiceKind kind, int value)
    {
        used[k] = true;
        if (!reasons.IsEmpty)
        {
            reasons[k] = new ChoiceReason { Kind = kind, Value = value };
        }
    }

    /// <summary>
    /// Picks the fewest candidates that together give every line all the stock it can get, best-ranked first among
    /// equally few: one location, then pairs, then triples, each found exactly; larger sets are tried one by one while
    /// their number stays within <see cref="ExactSearchBudget"/>; beyond that, greedy cover by the units each location adds.
    /// </summary>
    /// <remarks>
    /// The search for one to three locations runs on bitmasks over the candidates: <c>ge(i, r)</c> holds the
    /// candidates where line i has at least r units. A single location fills everything where every line's
    /// <c>ge(i, target)</c> meets; for a fixed first location a, the best partner b is the lowest candidate in every
    /// <c>ge(i, target − units at a)</c>; for a fixed pair, the same with the units of both. So each first location (or
    /// pair) costs one AND per line and word of 64 candidates, not one test per set.
    /// </remarks>
    private static void ChooseFewest(ReadOnlySpan<int> needs, ReadOnlySpan<int> available, Span<bool> used, int c, int maxShipments, Span<ChoiceReason> reasons)
    {
        int lines = needs.Length;
        Span<int> target = lines <= 256 ? stackalloc int[lines] : new int[lines];
        bool any = false;
        int maxTarget = 0;
        for (int i = 0; i < lines; i++)
        {
            // Only whether the line can get all it needs matters: stop summing once it can.
            long total = 0;
            if (needs[i] > 0)
            {
                foreach (int a in available.Slice(i * c, c))
                {
                    total += a;
                    if (total >= needs[i])
                    {
                        break;
                    }
                }
            }

            target[i] = (int)Math.Min(needs[i], total);
            any |= target[i] > 0;
            maxTarget = Math.Max(maxTarget, target[i]);
        }

        if (!any)
        {
            return;
        }

        int limit = Math.Min(maxShipments, c);
        int smallest = 1;
        if (maxTarget <= MaxMaskedTarget)
        {
            int found = ChooseByMasks(target, available, used, c, limit, maxTarget, reasons);
            if (found > 0)
            {
                return;
            }

            smallest = Math.Min(limit, c <= MaxTripleCandidates ? 3 : 2) + 1;
        }

        if (ChooseByEnumeration(target, available, used, c, smallest, limit, reasons))
        {
            return;
        }

        ChooseGreedy(target, available, used, c, maxShipments, reasons);
    }

    /// <summary>The largest per-line target for which the bitmask search keeps one mask per unit count.</summary>
    private const int MaxMaskedTarget = 16;

    /// <summary>Triples are searched exactly up to this many candidates (a pair loop per first location).</summary>
    private const int MaxTripleCandidates = 32;

    /// <summary>Finds the best-ranked single location, pair or triple that fills every line; returns its size, or 0.</summary>
    private static int ChooseByMasks(ReadOnlySpan<int> target, ReadOnlySpan<int> available, Span<bool> used, int c, int limit, int maxTarget, Span<ChoiceReason> reasons)
    {
        int lines = target.Length;
        int words = (c + 63) >> 6;
        int size = lines * maxTarget * words;
        ulong[]? rented = null;
        Span<ulong> ge = size <= 512 ? stackalloc ulong[size] : (rented = ArrayPool<ulong>.Shared.Rent(size)).AsSpan(0, size);
        Span<ulong> mask = words <= 16 ? stackalloc ulong[words] : new ulong[words];
        try
        {
            ge.Clear();
            for (int i = 0; i < lines; i++)
            {
                int t = target[i];
                ReadOnlySpan<int> row = available.Slice(i * c, c);
                if (t > 0)
                {
                    MarkAtLeast(row, t, ge.Slice(i * maxTarget * words, t * words), words);
                }
            }

            if (words == 1)
            {
                int size1 = SingleOrPairInOneWord(target, available, ge, used, c, limit, maxTarget, reasons);
                if (size1 > 0)
                {
                    return size1;
                }
            }
            else
            {
                // One location.
                SetFrom(mask, -1, c);
                if (Narrow(mask, target, available, ge, c, maxTarget, -1, -1))
                {
                    int k = Lowest(mask);
                    Use(used, reasons, k, ChoiceKind.FillsAlone, 1);
                    return 1;
                }
            }

            // Two: for each first location in rank order, the best partner after it.
            for (int a = 0; words > 1 && limit >= 2 && a < c - 1; a++)
            {
                SetFrom(mask, a, c);
                if (Narrow(mask, target, available, ge, c, maxTarget, a, -1))
                {
                    Use(used, reasons, a, ChoiceKind.BestSet, 2);
                    Use(used, reasons, Lowest(mask), ChoiceKind.BestSet, 2);
                    return 2;
                }
            }

            if (limit < 3 || c > MaxTripleCandidates)
            {
                return 0;
            }

            // Candidates a better-ranked one makes redundant are left out of triples (see Undominated): the pair loop
            // per first location is where pruning pays.
            Span<ulong> keep = words <= 16 ? stackalloc ulong[words] : new ulong[words];
            Undominated(keep, target, available, ge, c, maxTarget);

            // Three, while the candidates are few enough for a pair loop.
            for (int a = 0; a < c - 2; a++)
            {
                if (!Has(keep, a))
                {
                    continue;
                }

                for (int b = a + 1; b < c - 1; b++)
                {
                    if (!Has(keep, b))
                    {
                        continue;
                    }

                    SetFrom(mask, b, c);
                    And(mask, keep);
                    if (Narrow(mask, target, available, ge, c, maxTarget, a, b))
                    {
                        Use(used, reasons, a, ChoiceKind.BestSet, 3);
                        Use(used, reasons, b, ChoiceKind.BestSet, 3);
                        Use(used, reasons, Lowest(mask), ChoiceKind.BestSet, 3);
                        return 3;
                    }
                }
            }

            return 0;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<ulong>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// The one-location and pair search of <see cref="ChooseByMasks"/> for at most 64 candidates, on mask words held in
    /// registers: for each first location a in rank order, the partners after it are ANDed down line by line, and the
    /// first a that keeps any partner gives the best-ranked pair. Returns the size found, or 0.
    /// </summary>
    private static int SingleOrPairInOneWord(ReadOnlySpan<int> target, ReadOnlySpan<int> available, ReadOnlySpan<ulong> ge, Span<bool> used, int c, int limit, int maxTarget, Span<ChoiceReason> reasons)
    {
        int lines = target.Length;
        ulong all = c == 64 ? ulong.MaxValue : (1UL << c) - 1;

        // One location: every line's "fills alone" mask meets.
        ulong alone = all;
        for (int i = 0; i < lines; i++)
        {
            int t = target[i];
            if (t > 0)
            {
                alone &= ge[(i * maxTarget) + t - 1];
            }
        }

        if (alone != 0)
        {
            Use(used, reasons, BitOperations.TrailingZeroCount(alone), ChoiceKind.FillsAlone, 1);
            return 1;
        }

        if (limit < 2)
        {
            return 0;
        }

        for (int a = 0; a < c - 1; a++)
        {
            // The partners ranked after a.
            ulong partners = all & ~((2UL << a) - 1);
            for (int i = 0; i < lines && partners != 0; i++)
            {
                int r = target[i] - available[(i * c) + a];
                if (r > 0)
                {
                    partners &= ge[(i * maxTarget) + r - 1];
                }
            }

            if (partners != 0)
            {
                Use(used, reasons, a, ChoiceKind.BestSet, 2);
                Use(used, reasons, BitOperations.TrailingZeroCount(partners), ChoiceKind.BestSet, 2);
                return 2;
            }
        }

        return 0;
    }

    /// <summary>
    /// Sets bit k of mask r − 1 of <paramref name="masks"/> (zeroed on entry; <paramref name="units"/> masks of
    /// <paramref name="words"/> words each) where <paramref name="row"/>[k] ≥ r, for every r up to
    /// <paramref name="units"/>: eight candidates a compare, the last compare overlapping the one before it rather than
    /// finishing the row one candidate at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MarkAtLeast(ReadOnlySpan<int> row, int units, Span<ulong> masks, int words)
    {
        int k = 0;
        if (Vector256.IsHardwareAccelerated && row.Length >= Vector256<int>.Count)
        {
            ref int start = ref MemoryMarshal.GetReference(row);
            int last = row.Length - Vector256<int>.Count;
            for (int r = 1; r <= units; r++)
            {
                Vector256<int> least = Vector256.Create(r);
                Span<ulong> mask = masks.Slice((r - 1) * words, words);
                for (int at = 0; ; at += Vector256<int>.Count)
                {
                    // The last load may overlap the one before it: setting a bit twice changes nothing.
                    at = Math.Min(at, last);
                    ulong bits = Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref start, (nuint)at), least).ExtractMostSignificantBits();
                    int word = at >> 6, shift = at & 63;
                    mask[word] |= bits << shift;
                    if (shift > 64 - Vector256<int>.Count)
                    {
                        mask[word + 1] |= bits >> (64 - shift);
                    }

                    if (at == last)
                    {
                        break;
                    }
                }
            }

            return;
        }

        for (; k < row.Length; k++)
        {
            int a = row[k];
            for (int r = 1; r <= units && r <= a; r++)
            {
                masks[((r - 1) * words) + (k >> 6)] |= 1UL << (k & 63);
            }
        }
    }

    /// <summary>
    /// Marks in <paramref name="keep"/> the candidates worth trying in a set: those that have units for some line and
    /// are not dominated. Candidate b is dominated when a better-ranked candidate a alone fills every line that b has
    /// units for: a set with both does not need b, and a set with b but not a is no better than the same set with a in
    /// b's place, which ranks higher. So the best-ranked smallest set never holds a dominated candidate.
    /// </summary>
    private static void Undominated(Span<ulong> keep, ReadOnlySpan<int> target, ReadOnlySpan<int> available, ReadOnlySpan<ulong> ge, int c, int maxTarget)
    {
        int words = keep.Length;
        Span<ulong> better = words <= 16 ? stackalloc ulong[words] : new ulong[words];
        keep.Clear();
        for (int b = 0; b < c; b++)
        {
            // The candidates ranked before b.
            for (int w = 0; w < words; w++)
            {
                int below = b - (w << 6);
                better[w] = below >= 64 ? ulong.MaxValue : below <= 0 ? 0 : (1UL << below) - 1;
            }

            // Dominated until a line b has units for is not filled by any of them; a candidate with no units for any
            // line stays "dominated" and is left out too.
            bool dominated = true;
            for (int i = 0; i < target.Length && dominated; i++)
            {
                int t = target[i];
                if (t == 0 || available[(i * c) + b] == 0)
                {
                    continue;
                }

                ReadOnlySpan<ulong> fills = ge.Slice(((i * maxTarget) + t - 1) * words, words);
                ulong left = 0;
                for (int w = 0; w < words; w++)
                {
                    left |= better[w] &= fills[w];
                }

                dominated = left != 0;
            }

            if (!dominated)
            {
                keep[b >> 6] |= 1UL << (b & 63);
            }
        }
    }

    private static bool Has(ReadOnlySpan<ulong> mask, int k) => (mask[k >> 6] & (1UL << (k & 63))) != 0;

    private static void And(Span<ulong> mask, ReadOnlySpan<ulong> other)
    {
        for (int w = 0; w < mask.Length; w++)
        {
            mask[w] &= other[w];
        }
    }

    /// <summary>Sets <paramref name="mask"/> to the candidates after <paramref name="after"/> (all for -1).</summary>
    private static void SetFrom(Span<ulong> mask, int after, int c)
    {
        int from = after + 1;
        for (int w = 0; w < mask.Length; w++)
        {
            int lo = w << 6;
            ulong word = ulong.MaxValue;
            if (from > lo)
            {
                word = from - lo >= 64 ? 0 : word << (from - lo);
            }

            if (c - lo < 64)
            {
                word &= (1UL << (c - lo)) - 1;
            }

            mask[w] = word;
        }
    }

    /// <summary>
    /// Keeps in <paramref name="mask"/> the candidates that, with <paramref name="a"/> and <paramref name="b"/> (when not
    /// -1), reach every line's target; returns whether any is left.
    /// </summary>
    private static bool Narrow(Span<ulong> mask, ReadOnlySpan<int> target, ReadOnlySpan<int> available, ReadOnlySpan<ulong> ge, int c, int maxTarget, int a, int b)
    {
        int words = mask.Length;
        for (int i = 0; i < target.Length; i++)
        {
            int r = target[i];
            if (a >= 0)
            {
                r -= available[(i * c) + a];
            }

            if (b >= 0)
            {
                r -= available[(i * c) + b];
            }

            if (r <= 0)
            {
                continue;
            }

            ReadOnlySpan<ulong> need = ge.Slice(((i * maxTarget) + r - 1) * words, words);
            ulong left = 0;
            for (int w = 0; w < words; w++)
            {
                left |= mask[w] &= need[w];
            }

            if (left == 0)
            {
                return false;
            }
        }

        foreach (ulong word in mask)
        {
            if (word != 0)
            {
                return true;
            }
        }

        return false;
    }

    private static int Lowest(ReadOnlySpan<ulong> mask)
    {
        for (int w = 0; w < mask.Length; w++)
        {
            if (mask[w] != 0)
            {
                return (w << 6) + BitOperations.TrailingZeroCount(mask[w]);
            }
        }

        return -1;
    }

    /// <summary>Tries every set of each size from <paramref name="smallest"/> up, in rank order, within the budget.</summary>
    private static bool ChooseByEnumeration(ReadOnlySpan<int> target, ReadOnlySpan<int> available, Span<bool> used, int c, int smallest, int limit, Span<ChoiceReason> reasons)
    {
        Span<int> set = limit <= 256 ? stackalloc int[Math.Max(limit, 1)] : new int[limit];
        long budget = ExactSearchBudget;
        for (int setSize = smallest; setSize <= limit; setSize++)
        {
            long combinations = Combinations(c, setSize);
            if (combinations > budget)
            {
                return false;
            }

            budget -= combinations;
            Span<int> current = set[..setSize];
            for (int j = 0; j < setSize; j++)
            {
                current[j] = j;
            }

            while (true)
            {
                if (Feasible(current, target, available, c))
                {
                    foreach (int k in current)
                    {
                        Use(used, reasons, k, setSize == 1 ? ChoiceKind.FillsAlone : ChoiceKind.BestSet, setSize);
                    }

                    return true;
                }

                if (!NextCombination(current, c))
                {
                    break;
                }
            }
        }

        return false;
    }

    /// <summary>Greedy cover: the location that adds the most units still missing, best rank on ties, until none is missing.</summary>
    private static void ChooseGreedy(ReadOnlySpan<int> target, ReadOnlySpan<int> available, Span<bool> used, int c, int maxShipments, Span<ChoiceReason> reasons)
    {
        int lines = target.Length;
        Span<int> missing = lines <= 256 ? stackalloc int[lines] : new int[lines];
        Span<int> gain = c <= 256 ? stackalloc int[c] : new int[c];
        target.CopyTo(missing);
        int count = 0;
        while (count < maxShipments && missing.ContainsAnyExcept(0))
        {
            gain.Clear();
            for (int i = 0; i < lines; i++)
            {
                if (missing[i] > 0)
                {
                    AddCapped(gain, available.Slice(i * c, c), missing[i]);
                }
            }

            int best = -1;
            int bestGain = 0;
            for (int k = 0; k < c; k++)
            {
                if (!used[k] && gain[k] > bestGain)
                {
                    best = k;
                    bestGain = gain[k];
                }
            }

            if (best < 0)
            {
                break;
            }

            Use(used, reasons, best, ChoiceKind.GreedyCover, bestGain);
            for (int i = 0; i < lines; i++)
            {
                missing[i] -= Math.Min(missing[i], available[(i * c) + best]);
            }

            count++;
        }
    }

    /// <summary>Adds min(cap, row[k]) to gain[k] for every k, a vector at a time.</summary>
    private static void AddCapped(Span<int> gain, ReadOnlySpan<int> row, int cap)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated && row.Length >= Vector<int>.Count)
        {
            var caps = new Vector<int>(cap);
            for (; k <= row.Length - Vector<int>.Count; k += Vector<int>.Count)
            {
                var sum = new Vector<int>(gain[k..]) + Vector.Min(caps, new Vector<int>(row[k..]));
                sum.CopyTo(gain[k..]);
            }
        }

        for (; k < row.Length; k++)
        {
            gain[k] += Math.Min(cap, row[k]);
        }
    }

    private static bool Feasible(ReadOnlySpan<int> set, ReadOnlySpan<int> target, ReadOnlySpan<int> available, int c)
    {
        for (int i = 0; i < target.Length; i++)
        {
            if (target[i] > 0 && !SumReaches(set, available.Slice(i * c, c), target[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SumReaches(ReadOnlySpan<int> set, ReadOnlySpan<int> row, int target)
    {
        int sum = 0;
        foreach (int k in set)
        {
            sum += row[k];
            if (sum >= target)
            {
                return true;
            }
        }

        return false;
    }

    private static bool NextCombination(Span<int> set, int n)
    {
        int k = set.Length;
        int j = k - 1;
        while (j >= 0 && set[j] == n - k + j)
        {
            j--;
        }

        if (j < 0)
        {
            return false;
        }

        set[j]++;
        for (int m = j + 1; m < k; m++)
        {
            set[m] = set[m - 1] + 1;
        }

        return true;
    }

    private static long Combinations(int n, int k)
    {
        long result = 1;
        for (int j = 1; j <= k; j++)
        {
            result = result * (n - k + j) / j;
            if (result > ExactSearchBudget * 10)
            {
                return long.MaxValue;
            }
        }

        return result;
    }
}
