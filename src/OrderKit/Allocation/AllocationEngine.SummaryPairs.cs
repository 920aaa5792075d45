using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OrderKit.Inventory;

namespace OrderKit.Allocation;

/// <summary>The search for one location or a pair on the summary masks, before any cell is copied.</summary>
internal static partial class AllocationEngine
{
    /// <summary>The most lines <see cref="PlanOnSummaryMasks"/> handles: one bit per line in a word.</summary>
    private const int MaxSummaryLines = 64;

    /// <summary>The most mask words (64 locations each) <see cref="PlanOnSummaryMasks"/> handles.</summary>
    private const int MaxSummaryWords = 2;

    /// <summary>Whether <see cref="PlanOnSummaryMasks"/> can take an order of this shape.</summary>
    private static bool FitsSummaryMasks(int lines, int words) => lines <= MaxSummaryLines && words <= MaxSummaryWords;

    /// <summary>
    /// Plans an order that one location or a pair of locations fills completely, reading the summary masks first and
    /// cells only where they leave a chance: the best-ranked single location (when <paramref name="single"/>), else
    /// the best-ranked pair (when <paramref name="pairs"/>), with the takes written as <see cref="Choose"/> would hand
    /// them out. Returns the entries written, or -1 when neither fills every line; the caller then plans over the matrix.
    /// </summary>
    /// <remarks>
    /// <para>A location can fill line i only if it is in the line's summary mask S(i) (locations with stock), and a
    /// pair (a, b) only if a or b is. So one location is looked for among the locations in every S(i); and for each
    /// first location a in rank order, the partners after it are narrowed by ANDing S(i) over just the lines a has no
    /// stock of (which lines those are comes from the masks transposed eight locations at a time). A clear bit means no
    /// units, but a set bit may stand over a cell that emptied or hold fewer units than a line needs, so every location
    /// or pair the masks leave has its cells read before it is taken. Both are tried in the order of the exact search
    /// (one location by rank; then the first location by rank and its best-ranked partner), so the result is the one
    /// the matrix would give whenever a pair has every line's whole need.</para>
    /// <para>Reads are plain: a plan is advice, and the reservation's compare-and-swap decides.</para>
    /// </remarks>
    private static int PlanOnSummaryMasks(ReadOnlySpan<StockIndex.SkuRow> rows, ReadOnlySpan<int> needs, ReadOnlySpan<int> candidates, bool single, bool pairs, bool splitLines, Span<PlannedTake> output)
    {
        int lines = rows.Length;
        int c = candidates.Length;
        StockIndex index = rows[0].Index;
        ulong[][][] masks = index.MaskBlocks;
        int words = masks.Length;
        pairs &= c >= 2;
        if (!FitsSummaryMasks(lines, words) || c > MaxSummaryWords * 64 || !(single || pairs))
        {
            return -1;
        }

        // The summary masks of the lines that take stock, the locations in all of them, and each line's place in the slab.
        // Room for whole groups of eight lines, so that the transposition reads eight rows without a bound.
        Span<ulong> summary = stackalloc ulong[2 * ((lines + 7) & ~7)];
        Span<int> pages = stackalloc int[lines];
        Span<int> offsets = stackalloc int[lines];
        ulong[][] word0 = masks[0];
        ulong[][]? word1 = words > 1 ? masks[1] : null;
        ulong several = 0;
        ulong taking = 0;
        ulong common0 = ulong.MaxValue;
        ulong common1 = ulong.MaxValue;
        int counted = 0;
        for (int i = 0; i < lines; i++)
        {
            int id = rows[i].Id;
            int page = StockIndex.PageOf(id);
            int slot = StockIndex.SlotOf(id);
            pages[i] = page;
            offsets[i] = slot * StockIndex.BlockWidth;
            if (needs[i] <= 0)
            {
                continue;
            }

            ulong s0 = Volatile.Read(ref word0[page][slot]);
            ulong s1 = word1 is null ? 0 : Volatile.Read(ref word1[page][slot]);
            if ((s0 | s1) == 0)
            {
                // No location has any of this line's SKU: neither one location nor a pair fills it.
                return -1;
            }

            summary[2 * counted] = s0;
            summary[(2 * counted) + 1] = s1;
            common0 &= s0;
            common1 &= s1;
            counted++;
            several |= needs[i] > 1 ? 1UL << i : 0;
            taking |= 1UL << i;
        }

        int[][][] blocks = index.AvailableBlocks;
        if (single && (common0 | common1) != 0)
        {
            // The best-ranked candidate with stock of every line that has every line's need. While the candidates up to
            // a location are ranked in location order (the usual case), the lowest location left is the best-ranked;
            // past the first that is not, the candidates are walked in rank order.
            int inOrder = -1;
            while ((common0 | common1) != 0)
            {
                int location = common0 != 0 ? BitOperations.TrailingZeroCount(common0) : 64 + BitOperations.TrailingZeroCount(common1);
                if (inOrder <= location)
                {
                    // Few candidates are checked one by one, the rest eight at a time.
                    inOrder = location < 8 ? ScalarInLocationOrderFor(candidates, location + 1) : InLocationOrderFor(candidates);
                }

                if (inOrder <= location)
                {
                    break;
                }

                if (Fills(rows, needs, blocks, location))
                {
                    return WriteSingle(needs, location, output);
                }

                Remove(ref common0, ref common1, location);
            }

            // Left: locations past the candidates ranked in location order (none when all of them are).
            if ((common0 | common1) != 0 && inOrder < c)
            {
                foreach (int location in candidates[inOrder..])
                {
                    ulong bit = location < 64 ? common0 >> location : common1 >> (location - 64);
                    if ((bit & 1) != 0 && Fills(rows, needs, blocks, location))
                    {
                        return WriteSingle(needs, location, output);
                    }
                }
            }
        }

        summary[(2 * counted)..(2 * ((counted + 7) & ~7))].Clear();
        return pairs ? PairOnSummaryMasks(summary[..(2 * ((counted + 7) & ~7))], counted, needs, candidates, blocks, pages, offsets, taking, several, splitLines, output) : -1;
    }

    /// <summary>
    /// The pair search of <see cref="PlanOnSummaryMasks"/> over <paramref name="padded"/>: two summary mask words for
    /// each of the <paramref name="counted"/> lines that take stock, then zeros to a whole group of eight lines.
    /// </summary>
    private static int PairOnSummaryMasks(Span<ulong> padded, int counted, ReadOnlySpan<int> needs, ReadOnlySpan<int> candidates, int[][][] blocks, ReadOnlySpan<int> pages, ReadOnlySpan<int> offsets, ulong taking, ulong several, bool splitLines, Span<PlannedTake> output)
    {
        int c = candidates.Length;
        Span<ulong> summary = padded[..(2 * counted)];

        // The candidates as a location mask, and each location's rank among them: candidates ranked in location order
        // (the usual case) are a run of low bits and need no table.
        Span<byte> rank = stackalloc byte[MaxSummaryWords * 64];
        ulong candidates0;
        ulong candidates1;
        bool inLocationOrder = InLocationOrderFor(candidates) == c;
        if (inLocationOrder)
        {
            candidates0 = ulong.MaxValue;
            candidates1 = ulong.MaxValue;
            Limit(ref candidates0, ref candidates1, c);
        }
        else
        {
            candidates0 = 0;
            candidates1 = 0;
            for (int k = 0; k < c; k++)
            {
                int location = candidates[k];
                if (location < 64)
                {
                    candidates0 |= 1UL << location;
                }
                else
                {
                    candidates1 |= 1UL << (location - 64);
                }

                rank[location] = (byte)k;
            }
        }

        // Each line's mask over the candidates, and the line with stock at the fewest of them (the pivot).
        int pivot = 0;
        int fewest = int.MaxValue;
        for (int j = 0; j < counted; j++)
        {
            ulong s0 = summary[2 * j] &= candidates0;
            ulong s1 = summary[(2 * j) + 1] &= candidates1;
            int weight = BitOperations.PopCount(s0) + BitOperations.PopCount(s1);
            if (weight == 0)
            {
                return -1;
            }

            pivot = weight < fewest ? j : pivot;
            fewest = Math.Min(fewest, weight);
        }

        // For each location, the lines it has some stock of: filled a block of eight locations at a time, when first needed.
        Span<ulong> stocked = stackalloc ulong[MaxSummaryWords * 64];
        Span<bool> transposed = stackalloc bool[MaxSummaryWords * 8];
        transposed.Clear();
        ulong allLines = counted == 64 ? ulong.MaxValue : (1UL << counted) - 1;

        // Every pair that fills the pivot line has a location in its mask: when none of those has a partner on the
        // masks, no pair fills the order, and the ranked search below is skipped.
        if (!AnyPartner(summary, summary[2 * pivot], summary[(2 * pivot) + 1], candidates0, candidates1))
        {
            return -1;
        }

        Span<int> fromA = stackalloc int[needs.Length];

        // The candidates ranked after the current first location.
        ulong after0 = candidates0;
        ulong after1 = candidates1;
        for (int k = 0; k < c - 1; k++)
        {
            int a = candidates[k];
            Remove(ref after0, ref after1, a);
            // The pivot line first and without a branch: it has the fewest locations, so it narrows the most.
            ulong missing = Stocked(padded, counted, stocked, transposed, a) ^ allLines;
            ulong keep = unchecked(((missing >> pivot) & 1) - 1);
            ulong p0 = after0 & (summary[2 * pivot] | keep);
            ulong p1 = after1 & (summary[(2 * pivot) + 1] | keep);
            Narrow(summary, missing & ~(1UL << pivot), ref p0, ref p1);

            // The partners the masks leave, best-ranked first, until one has the stock.
            while ((p0 | p1) != 0)
            {
                int b = BestRanked(p0, p1, inLocationOrder, rank);
                if (PairFills(needs, blocks, pages, offsets, taking, several, a, b, fromA))
                {
                    return HandOutPair(needs, fromA, taking, a, b, splitLines, output);
                }

                Remove(ref p0, ref p1, b);
            }
        }

        return -1;
    }

    /// <summary>The lines (by their place in <paramref name="padded"/>) with stock at a location, transposing its block of eight on first use.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Stocked(ReadOnlySpan<ulong> padded, int counted, Span<ulong> stocked, Span<bool> transposed, int location)
    {
        int block = location >> 3;
        if (!transposed[block])
        {
            TransposeBlock(padded, counted, block, stocked);
            transposed[block] = true;
        }

        return stocked[location];
    }

    /// <summary>
    /// Whether some location x of <paramref name="x0"/>/<paramref name="x1"/> has, on the masks, a partner among the
    /// other candidates with stock of every line that x has none of. Each line's mask, or all ones where x is in it, is
    /// ANDed in without a branch per line, four locations x at a time where vectors are accelerated.
    /// </summary>
    private static bool AnyPartner(ReadOnlySpan<ulong> summary, ulong x0, ulong x1, ulong candidates0, ulong candidates1)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            Span<ulong> lanes = stackalloc ulong[4 * Vector256<ulong>.Count];
            while ((x0 | x1) != 0)
            {
                // Per lane: x's bit in word 0 or word 1, and the candidates other than x (none for a lane left unused).
                for (int lane = 0; lane < Vector256<ulong>.Count; lane++)
                {
                    ulong bit0 = x0 & unchecked(0 - x0);
                    ulong bit1 = bit0 == 0 ? x1 & unchecked(0 - x1) : 0;
                    x0 ^= bit0;
                    x1 ^= bit1;
                    bool used = (bit0 | bit1) != 0;
                    lanes[lane] = bit0;
                    lanes[4 + lane] = bit1;
                    lanes[8 + lane] = used ? candidates0 & ~bit0 : 0;
                    lanes[12 + lane] = used ? candidates1 & ~bit1 : 0;
                }

                Vector256<ulong> at0 = Vector256.Create<ulong>(lanes[..4]);
                Vector256<ulong> at1 = Vector256.Create<ulong>(lanes.Slice(4, 4));
                Vector256<ulong> p0 = Vector256.Create<ulong>(lanes.Slice(8, 4));
                Vector256<ulong> p1 = Vector256.Create<ulong>(lanes.Slice(12, 4));
                for (int j = 0; j < summary.Length; j += 2)
                {
                    Vector256<ulong> s0 = Vector256.Create(summary[j]);
                    Vector256<ulong> s1 = Vector256.Create(summary[j + 1]);
                    Vector256<ulong> there = ~Vector256.Equals((s0 & at0) | (s1 & at1), Vector256<ulong>.Zero);
                    p0 &= s0 | there;
                    p1 &= s1 | there;
                }

                if ((p0 | p1) != Vector256<ulong>.Zero)
                {
                    return true;
                }
            }

            return false;
        }

        for (; (x0 | x1) != 0;)
        {
            int x = x0 != 0 ? BitOperations.TrailingZeroCount(x0) : 64 + BitOperations.TrailingZeroCount(x1);
            Remove(ref x0, ref x1, x);
            ulong p0 = candidates0;
            ulong p1 = candidates1;
            Remove(ref p0, ref p1, x);
            int word = x >> 6;
            int bit = x & 63;
            for (int j = 0; j < summary.Length; j += 2)
            {
                ulong s0 = summary[j];
                ulong s1 = summary[j + 1];
                ulong there = unchecked(0 - (((word == 0 ? s0 : s1) >> bit) & 1));
                p0 &= s0 | there;
                p1 &= s1 | there;
            }

            if ((p0 | p1) != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>ANDs into the partner mask the summary of each line in <paramref name="missing"/>, stopping once no partner is left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Narrow(ReadOnlySpan<ulong> summary, ulong missing, ref ulong p0, ref ulong p1)
    {
        unchecked
        {
            for (; missing != 0 && (p0 | p1) != 0; missing &= missing - 1)
            {
                int j = BitOperations.TrailingZeroCount(missing) << 1;
                p0 &= summary[j];
                p1 &= summary[j + 1];
            }
        }
    }

    /// <summary>How many of the first candidates, up to <paramref name="most"/>, are ranked in location order.</summary>
    private static int ScalarInLocationOrderFor(ReadOnlySpan<int> candidates, int most)
    {
        int k = 0;
        int end = Math.Min(most, candidates.Length);
        while (k < end && candidates[k] == k)
        {
            k++;
        }

        return k;
    }

    /// <summary>How many of the first candidates are ranked in location order: the first k with candidates[k] ≠ k, or the count.</summary>
    private static int InLocationOrderFor(ReadOnlySpan<int> candidates)
    {
        int k = 0;
        if (Vector256.IsHardwareAccelerated && candidates.Length >= Vector256<int>.Count)
        {
            ref int first = ref MemoryMarshal.GetReference(candidates);
            Vector256<int> expected = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
            Vector256<int> step = Vector256.Create(Vector256<int>.Count);
            for (; k <= candidates.Length - Vector256<int>.Count; k += Vector256<int>.Count)
            {
                uint differ = ~Vector256.Equals(Vector256.LoadUnsafe(ref first, (nuint)k), expected).ExtractMostSignificantBits() & 0xFF;
                if (differ != 0)
                {
                    return k + BitOperations.TrailingZeroCount(differ);
                }

                expected += step;
            }
        }

        while (k < candidates.Length && candidates[k] == k)
        {
            k++;
        }

        return k;
    }

    /// <summary>The best-ranked location of a non-empty two-word location mask.</summary>
    private static int BestRanked(ulong mask0, ulong mask1, bool inLocationOrder, ReadOnlySpan<byte> rank)
    {
        unchecked
        {
            if (inLocationOrder)
            {
                return mask0 != 0 ? BitOperations.TrailingZeroCount(mask0) : 64 + BitOperations.TrailingZeroCount(mask1);
            }

            int best = -1;
            int bestRank = int.MaxValue;
            for (; mask0 != 0; mask0 &= mask0 - 1)
            {
                int location = BitOperations.TrailingZeroCount(mask0);
                if (rank[location] < bestRank)
                {
                    bestRank = rank[location];
                    best = location;
                }
            }

            for (; mask1 != 0; mask1 &= mask1 - 1)
            {
                int location = 64 + BitOperations.TrailingZeroCount(mask1);
                if (rank[location] < bestRank)
                {
                    bestRank = rank[location];
                    best = location;
                }
            }

            return best;
        }
    }

    /// <summary>Keeps the locations below <paramref name="count"/> in a two-word location mask.</summary>
    private static void Limit(ref ulong mask0, ref ulong mask1, int count)
    {
        if (count < 64)
        {
            mask0 &= (1UL << count) - 1;
            mask1 = 0;
        }
        else if (count < 128)
        {
            mask1 &= (1UL << (count - 64)) - 1;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Remove(ref ulong mask0, ref ulong mask1, int location)
    {
        unchecked
        {
            if (location < 64)
            {
                mask0 &= ~(1UL << location);
            }
            else
            {
                mask1 &= ~(1UL << (location - 64));
            }
        }
    }

    /// <summary>Writes every line's need from one location.</summary>
    private static int WriteSingle(ReadOnlySpan<int> needs, int location, Span<PlannedTake> output)
    {
        int count = 0;
        for (int i = 0; i < needs.Length; i++)
        {
            if (needs[i] > 0)
            {
                if (count == output.Length)
                {
                    throw OutputTooSmall(output);
                }

                output[count++] = new PlannedTake(i, location, needs[i]);
            }
        }

        return count;
    }

    /// <summary>
    /// Fills <paramref name="stocked"/>[8·block + q] with the lines (by their place in <paramref name="padded"/>) whose
    /// mask has location 8·block + q: each group of eight lines' bytes for the block is an 8 × 8 bit matrix, transposed
    /// in three swaps.
    /// </summary>
    private static void TransposeBlock(ReadOnlySpan<ulong> padded, int lines, int block, Span<ulong> stocked)
    {
        unchecked
        {
            int word = block >> 3;
            int shift = (block & 7) << 3;
            Span<ulong> into = stocked.Slice(block << 3, 8);
            into.Clear();
            for (int group = 0; group < lines; group += 8)
            {
                // Line group + r's byte for the block is row r; lines past the last are zeros.
                ReadOnlySpan<ulong> rows = padded.Slice((2 * group) + word, 15);
                ulong matrix = ((rows[0] >> shift) & 0xFF)
                    | (((rows[2] >> shift) & 0xFF) << 8)
                    | (((rows[4] >> shift) & 0xFF) << 16)
                    | (((rows[6] >> shift) & 0xFF) << 24)
                    | (((rows[8] >> shift) & 0xFF) << 32)
                    | (((rows[10] >> shift) & 0xFF) << 40)
                    | (((rows[12] >> shift) & 0xFF) << 48)
                    | (((rows[14] >> shift) & 0xFF) << 56);

                // Row r (a line) bit q (a location) becomes row q bit r.
                ulong t = (matrix ^ (matrix >> 7)) & 0x00AA00AA00AA00AAUL;
                matrix ^= t ^ (t << 7);
                t = (matrix ^ (matrix >> 14)) & 0x0000CCCC0000CCCCUL;
                matrix ^= t ^ (t << 14);
                t = (matrix ^ (matrix >> 28)) & 0x00000000F0F0F0F0UL;
                matrix ^= t ^ (t << 28);
                into[0] |= (matrix & 0xFF) << group;
                into[1] |= ((matrix >> 8) & 0xFF) << group;
                into[2] |= ((matrix >> 16) & 0xFF) << group;
                into[3] |= ((matrix >> 24) & 0xFF) << group;
                into[4] |= ((matrix >> 32) & 0xFF) << group;
                into[5] |= ((matrix >> 40) & 0xFF) << group;
                into[6] |= ((matrix >> 48) & 0xFF) << group;
                into[7] |= (matrix >> 56) << group;
            }
        }
    }

    /// <summary>What can be taken from a cell: its available count, or 0 when negative.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Units(int[][] block, int page, int offset)
    {
        int units = block[page][offset];
        return units & ~(units >> 31);
    }

    /// <summary>
    /// Whether locations a and b together have every line's need, writing to <paramref name="fromA"/> what each line of
    /// <paramref name="taking"/> would take from a as <see cref="Choose"/> hands units out (b is read only for lines a
    /// does not fill). Lines that need several units are read first, as a pair fails most there.
    /// </summary>
    private static bool PairFills(ReadOnlySpan<int> needs, int[][][] blocks, ReadOnlySpan<int> pages, ReadOnlySpan<int> offsets, ulong taking, ulong several, int a, int b, Span<int> fromA)
    {
        unchecked
        {
            int[][] blockA = blocks[a / StockIndex.BlockWidth];
            int[][] blockB = blocks[b / StockIndex.BlockWidth];
            int withinA = a % StockIndex.BlockWidth;
            int withinB = b % StockIndex.BlockWidth;

            // The lines that need several units, then the rest, walked by their bits.
            ulong left = several;
            ulong rest = taking & ~several;
            while (true)
            {
                if (left == 0)
                {
                    if (rest == 0)
                    {
                        return true;
                    }

                    left = rest;
                    rest = 0;
                }

                int i = BitOperations.TrailingZeroCount(left);
                left &= left - 1;
                int need = needs[i];
                int atA = Units(blockA, pages[i], offsets[i] + withinA);
                if (atA >= need)
                {
                    fromA[i] = need;
                    continue;
                }

                int atB = Units(blockB, pages[i], offsets[i] + withinB);
                if (atA + atB < need)
                {
                    return false;
                }

                // All from b when b has it all, else what a has and the rest from b.
                fromA[i] = atB >= need ? 0 : atA;
            }
        }
    }

    /// <summary>
    /// Writes the takes of a pair that fills every line of <paramref name="taking"/>, what each takes from a coming from
    /// <see cref="PairFills"/>: a's takes first, then b's. Returns -1 when a line would have to split and the policy
    /// keeps lines whole.
    /// </summary>
    private static int HandOutPair(ReadOnlySpan<int> needs, ReadOnlySpan<int> fromA, ulong taking, int a, int b, bool splitLines, Span<PlannedTake> output)
    {
        unchecked
        {
            // Each line takes from a, from b, or from both: at most two entries a line. With room for that, every entry is
            // written and kept only when it takes something, without a branch on the counts.
            int most = 2 * BitOperations.PopCount(taking);
            if (output.Length < most)
            {
                return HandOutPairChecked(needs, fromA, taking, a, b, splitLines, output);
            }

            int count = 0;
            bool split = false;
            for (ulong left = taking; left != 0; left &= left - 1)
            {
                int i = BitOperations.TrailingZeroCount(left);
                int take = fromA[i];
                output[count] = new PlannedTake(i, a, take);
                count += take > 0 ? 1 : 0;
                split |= (uint)(take - 1) < (uint)(needs[i] - 1);
            }

            if (split && !splitLines)
            {
                return -1;
            }

            for (ulong left = taking; left != 0; left &= left - 1)
            {
                int i = BitOperations.TrailingZeroCount(left);
                int take = needs[i] - fromA[i];
                output[count] = new PlannedTake(i, b, take);
                count += take > 0 ? 1 : 0;
            }

            return count;
        }
    }

    /// <summary><see cref="HandOutPair"/> into an output that may be too small, checked entry by entry.</summary>
    private static int HandOutPairChecked(ReadOnlySpan<int> needs, ReadOnlySpan<int> fromA, ulong taking, int a, int b, bool splitLines, Span<PlannedTake> output)
    {
        int count = 0;
        for (int pass = 0; pass < 2; pass++)
        {
            for (ulong left = taking; left != 0; left &= left - 1)
            {
                int i = BitOperations.TrailingZeroCount(left);
                int need = needs[i];
                if (pass == 0 && fromA[i] < need && fromA[i] > 0 && !splitLines)
                {
                    return -1;
                }

                int take = pass == 0 ? fromA[i] : need - fromA[i];
                if (take > 0)
                {
                    if (count == output.Length)
                    {
                        throw OutputTooSmall(output);
                    }

                    output[count++] = new PlannedTake(i, pass == 0 ? a : b, take);
                }
            }
        }

        return count;
    }
}
