using NodaTime;
using OrderKit.Allocation;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Allocation;

/// <summary>The span-based engine that the public planner wraps, run directly over the in-memory stock index.</summary>
public sealed class AllocationEngineTests
{
    private static readonly SalesChannel s_web = new("web");
    private static readonly LocalDate s_today = new(2026, 11, 22);

    /// <summary>Stock per (line, location), units per line, and the split policy.</summary>
    public sealed record Instance(int[][] Stock, int[] Needs, int Split);

    private static Gen<Instance> Instances(int maxLines, int maxLocations) =>
        from lines in Gen.Choose(1, maxLines)
        from locations in Gen.Choose(1, maxLocations)
        from needs in Gen.Choose(1, 4).ArrayOf(lines)
        from stock in Gen.Choose(0, 4).ArrayOf(locations).ArrayOf(lines)
        from split in Gen.Choose(0, 3)
        select new Instance(stock, needs, split);

    private static SplitPolicy Split(int split) => split switch
    {
        0 => SplitPolicy.ShipAvailable,
        1 => SplitPolicy.ShipComplete,
        2 => SplitPolicy.AtMost(2),
        _ => SplitPolicy.ShipAvailable.WithoutLineSplits(),
    };

    private static (InMemoryOrderKitStore Store, InventoryService Inventory, Sku[] Skus) Build(Instance instance)
    {
        IClock clock = NewClock();
        var store = new InMemoryOrderKitStore(clock);
        var inventory = new InventoryService(store, clock, new OrderKitOptions());
        int locations = instance.Stock[0].Length;
        for (int k = 0; k < locations; k++)
        {
            inventory.AddLocation(new StockLocation(new LocationId($"L{k}"), $"L{k}") { Rank = k });
        }

        var skus = new Sku[instance.Needs.Length];
        for (int i = 0; i < skus.Length; i++)
        {
            skus[i] = new Sku($"S{i}");
            inventory.SetPolicy(skus[i], InventoryPolicy.DenyWhenShort);
            for (int k = 0; k < locations; k++)
            {
                if (instance.Stock[i][k] > 0)
                {
                    inventory.Receive(skus[i], new LocationId($"L{k}"), new Quantity(instance.Stock[i][k]));
                }
            }
        }

        return (store, inventory, skus);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Property_TheEngineOverTheIndex_TakesExactlyWhatThePublicPlannerPlans(bool fewest)
    {
        Prop.ForAll(Instances(8, 12).ToArbitrary(), instance =>
        {
            (InMemoryOrderKitStore store, InventoryService inventory, Sku[] skus) = Build(instance);
            AllocationStrategy strategy = fewest ? AllocationStrategy.FewestShipments : AllocationStrategy.Priority;
            AllocationPlan plan = inventory.Plan(new AllocationRequest
            {
                Lines = [.. skus.Select((s, i) => new LineQuantity(s, new Quantity(instance.Needs[i])))],
                Destination = Berlin,
                Channel = s_web,
                Strategy = strategy,
                Split = Split(instance.Split),
            });

            StockIndex.SkuRow[] rows = [.. skus.Select(s => store.Stock.FindRow(s)!)];
            int[] candidates = [.. Enumerable.Range(0, instance.Stock[0].Length)];
            var takes = new PlannedTake[rows.Length * candidates.Length];
            int count = AllocationEngine.Plan(rows, instance.Needs, candidates, Split(instance.Split), fewest, s_today, takes);

            var expected = plan.Lines.SelectMany((line, i) => line.Sources.Select(s => (i, int.Parse(s.Location.Value[1..], System.Globalization.CultureInfo.InvariantCulture), s.Quantity))).OrderBy(t => t).ToArray();
            var actual = takes[..count].Select(t => (t.Line, t.Location, t.Units)).OrderBy(t => t).ToArray();
            Assert.Equal(expected, actual);
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>A wide instance: stock per (line, location), units per line, and the candidates in rank order.</summary>
    public sealed record WideInstance(int[][] Stock, int[] Needs, int[] Candidates);

    private static Gen<WideInstance> WideInstances() =>
        from lines in Gen.Choose(1, 20)
        from locations in Gen.Choose(1, 100)
        from needs in Gen.Choose(1, 3).ArrayOf(lines)
        from stock in Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Choose(1, 3))).ArrayOf(locations).ArrayOf(lines)
        from keys in Gen.Choose(0, 10_000).ArrayOf(locations)
        from kept in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false))).ArrayOf(locations)
        let candidates = Enumerable.Range(0, locations).Where(k => kept[k]).OrderBy(k => keys[k]).ToArray()
        where candidates.Length > 0
        select new WideInstance(stock, needs, candidates);

    /// <summary>
    /// Over up to 20 lines and 100 locations (more than one mask word, cells copied in runs), with the candidates in a
    /// random rank order that is not the locations' order: the fewest-shipments plan uses exactly the best-ranked
    /// single location, or else the best-ranked pair, that a brute-force search finds, whenever one exists.
    /// </summary>
    [Fact]
    public void Property_WideOrders_UseTheBruteForceBestLocationOrPair_InAnyRankOrder()
    {
        Prop.ForAll(WideInstances().ToArbitrary(), instance =>
        {
            int[][] stock = instance.Stock;
            (InMemoryOrderKitStore store, _, Sku[] skus) = Build(new Instance(stock, instance.Needs, 0));
            StockIndex.SkuRow[] rows = [.. skus.Select(s => store.Stock.FindRow(s)!)];
            int[] candidates = instance.Candidates;
            var takes = new PlannedTake[rows.Length * candidates.Length];
            int count = AllocationEngine.Plan(rows, instance.Needs, candidates, SplitPolicy.ShipAvailable, true, s_today, takes);

            // What each line can get at all, and whether a set of candidate ranks gets every line that much.
            int[] target = [.. instance.Needs.Select((need, i) => Math.Min(need, candidates.Sum(k => stock[i][k])))];
            bool Covers(params int[] ranks) => target.Select((t, i) => ranks.Sum(r => stock[i][candidates[r]]) >= t).All(x => x);

            int[]? best = Enumerable.Range(0, candidates.Length).Where(a => Covers(a)).Select(a => new[] { a }).FirstOrDefault()
                ?? (from a in Enumerable.Range(0, candidates.Length)
                    from b in Enumerable.Range(a + 1, Math.Max(0, candidates.Length - a - 1))
                    where Covers(a, b)
                    select new[] { a, b }).FirstOrDefault();

            int[] used = [.. takes[..count].Select(t => t.Location).Distinct().Order()];
            Assert.All(takes[..count], t => Assert.True(t.Units > 0 && t.Units <= stock[t.Line][t.Location]));
            Assert.Equal(target, Enumerable.Range(0, target.Length).Select(i => takes[..count].Where(t => t.Line == i).Sum(t => t.Units)));
            if (target.All(t => t == 0))
            {
                Assert.Empty(used);
            }
            else if (best is not null)
            {
                Assert.Equal(best.Select(r => candidates[r]).Order(), used);
            }
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>A wide instance with a policy, cells emptied after their mask bit was set, and lines that take nothing.</summary>
    public sealed record DrainedInstance(int[][] Stock, bool[][] Drained, int[] Needs, int[] Candidates, int Split);

    private static Gen<DrainedInstance> DrainedInstances() =>
        from lines in Gen.Choose(1, 20)
        from locations in Gen.Choose(2, 100)
        from needs in Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Choose(1, 3))).ArrayOf(lines)
        from stock in Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Choose(1, 3))).ArrayOf(locations).ArrayOf(lines)
        from drained in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true))).ArrayOf(locations).ArrayOf(lines)
        from ordered in Gen.Elements(true, false)
        from keys in Gen.Choose(0, 10_000).ArrayOf(locations)
        from kept in Gen.Frequency((5, Gen.Constant(true)), (1, Gen.Constant(false))).ArrayOf(locations)
        let candidates = ordered
            ? Enumerable.Range(0, locations).Where(k => kept[k] || k < locations / 2).ToArray()
            : Enumerable.Range(0, locations).Where(k => kept[k]).OrderBy(k => keys[k]).ToArray()
        from split in Gen.Choose(0, 3)
        where candidates.Length > 0
        select new DrainedInstance(stock, drained, needs, candidates, split);

    /// <summary>
    /// Over up to 20 lines and 100 locations, candidates ranked in location order (a prefix or with gaps) or in any
    /// order, every split policy, lines that take nothing, and cells emptied after their summary bit was set (the bit
    /// stays until a plan finds the cell empty): the engine takes exactly what <see cref="AllocationEngine.Choose"/>
    /// hands out over the full matrix. One location or a pair is found on the summary masks without the matrix; this
    /// holds them to the matrix's answer, takes and order included.
    /// </summary>
    [Fact]
    public void Property_TheSummaryMaskSearch_TakesExactlyWhatTheMatrixSearchTakes()
    {
        Prop.ForAll(DrainedInstances().ToArbitrary(), instance =>
        {
            (InMemoryOrderKitStore store, _, Sku[] skus) = Build(new Instance(instance.Stock, instance.Needs, 0));
            StockIndex.SkuRow[] rows = [.. skus.Select(s => store.Stock.FindRow(s)!)];
            int lines = rows.Length;
            int[][] stock = [.. instance.Stock.Select(row => row.ToArray())];
            for (int i = 0; i < lines; i++)
            {
                for (int k = 0; k < stock[i].Length; k++)
                {
                    if (instance.Drained[i][k] && stock[i][k] > 0)
                    {
                        Assert.True(rows[i].TryTake(k, stock[i][k]));
                        stock[i][k] = 0;
                    }
                }
            }

            int[] candidates = instance.Candidates;
            int c = candidates.Length;
            SplitPolicy split = Split(instance.Split);
            var takes = new PlannedTake[lines * c];
            int count = AllocationEngine.Plan(rows, instance.Needs, candidates, split, true, s_today, takes);

            int[] available = new int[lines * c];
            for (int i = 0; i < lines; i++)
            {
                for (int slot = 0; slot < c; slot++)
                {
                    available[(i * c) + slot] = instance.Needs[i] > 0 ? stock[i][candidates[slot]] : 0;
                }
            }

            int[] taken = new int[lines * c];
            bool[] used = new bool[c];
            AllocationEngine.Choose(instance.Needs, available, taken, used, c, split, true, []);
            var expected = new List<(int Line, int Location, int Units)>();
            for (int slot = 0; slot < c; slot++)
            {
                for (int i = 0; i < lines; i++)
                {
                    if (taken[(i * c) + slot] > 0)
                    {
                        expected.Add((i, candidates[slot], taken[(i * c) + slot]));
                    }
                }
            }

            Assert.Equal(expected, takes[..count].Select(t => (t.Line, t.Location, t.Units)));

            // An output with room for exactly the plan's entries gets the same plan (the pair's takes are then written
            // entry by entry, checking the room).
            var exact = new PlannedTake[expected.Count];
            int exactCount = AllocationEngine.Plan(rows, instance.Needs, candidates, split, true, s_today, exact);
            Assert.Equal(expected, exact[..exactCount].Select(t => (t.Line, t.Location, t.Units)));
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>
    /// The unit masks are built eight candidates a compare, the last compare overlapping the one before it; with 65 to 71
    /// candidates its bits straddle two mask words. A location found only by that compare is still found, for one line
    /// or two units, alone or as the partner of a pair.
    /// </summary>
    [Theory]
    [InlineData(70, 63)]
    [InlineData(70, 64)]
    [InlineData(70, 66)]
    [InlineData(70, 69)]
    [InlineData(65, 64)]
    [InlineData(71, 70)]
    [InlineData(20, 19)]
    [InlineData(13, 12)]
    public void Plan_FindsALocationAtTheEndOfTheCandidates_WhereMaskCompareOverlaps(int locations, int only)
    {
        int[] Row(params (int At, int Units)[] cells)
        {
            int[] row = new int[locations];
            foreach ((int at, int units) in cells)
            {
                row[at] = units;
            }

            return row;
        }

        // Line 0 has two units only at the far location; line 1 has one unit at location 1 and at the far one: the far
        // location fills the order alone.
        var alone = new Instance([Row((only, 2)), Row((1, 1), (only, 1))], [2, 1], 0);
        (InMemoryOrderKitStore store, _, Sku[] skus) = Build(alone);
        StockIndex.SkuRow[] rows = [.. skus.Select(s => store.Stock.FindRow(s)!)];
        int[] candidates = [.. Enumerable.Range(0, locations)];
        var takes = new PlannedTake[2 * locations];
        int count = AllocationEngine.Plan(rows, [2, 1], candidates, SplitPolicy.ShipAvailable, true, s_today, takes);
        Assert.Equal([(0, only, 2), (1, only, 1)], takes[..count].Select(t => (t.Line, t.Location, t.Units)).Order());

        // Three lines: the best pair is location 1 with the far one. Location 0 has a unit of each line, so a search
        // that missed the far location would fall back to greedy cover, start from location 0 and ship from three.
        var pair = new Instance([Row((0, 1), (only, 2)), Row((0, 1), (1, 1)), Row((0, 1), (1, 2))], [2, 1, 2], 0);
        (store, _, skus) = Build(pair);
        rows = [.. skus.Select(s => store.Stock.FindRow(s)!)];
        takes = new PlannedTake[3 * locations];
        count = AllocationEngine.Plan(rows, [2, 1, 2], candidates, SplitPolicy.ShipAvailable, true, s_today, takes);
        Assert.Equal([(0, only, 2), (1, 1, 1), (2, 1, 2)], takes[..count].Select(t => (t.Line, t.Location, t.Units)).Order());
    }

    [Fact]
    public void TryReserve_TakesEveryCell_OrGivesBackWhatItTook()
    {
        var instance = new Instance([[2, 0], [1, 3]], [2, 1], 0);
        (InMemoryOrderKitStore store, _, Sku[] skus) = Build(instance);
        StockIndex.SkuRow[] rows = [.. skus.Select(s => store.Stock.FindRow(s)!)];
        PlannedTake[] takes = [new(1, 0, 1), new(0, 0, 2)];

        Assert.True(AllocationEngine.TryReserve(rows, takes));
        Assert.Equal([(0, 0, 2), (1, 0, 1)], takes.Select(t => (t.Line, t.Location, t.Units)));
        Assert.Equal((0, 0), (rows[0].Available(0), rows[1].Available(0)));

        // The second line's cell is empty now, so a second reservation fails on it and gives back the first cell's take.
        AllocationEngine.Release(rows, [new PlannedTake(0, 0, 2)]);
        Assert.False(AllocationEngine.TryReserve(rows, [new PlannedTake(0, 0, 2), new PlannedTake(1, 0, 1)]));
        Assert.Equal((2, 0), (rows[0].Available(0), rows[1].Available(0)));

        AllocationEngine.Release(rows, [new PlannedTake(1, 0, 1)]);
        Assert.Equal((2, 1, 3), (rows[0].Available(0), rows[1].Available(0), rows[1].Available(1)));
    }

    [Fact]
    public void Plan_RejectsAnOutputSpanTooSmallForThePlan()
    {
        var instance = new Instance([[1, 1]], [2], 0);
        (InMemoryOrderKitStore store, _, Sku[] skus) = Build(instance);
        StockIndex.SkuRow[] rows = [store.Stock.FindRow(skus[0])!];

        Assert.Contains("larger output span", Assert.Throws<ArgumentException>(() => AllocationEngine.Plan(rows, [2], [0, 1], SplitPolicy.ShipAvailable, true, s_today, new PlannedTake[1])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_HandlesOrdersLargerThanTheStackScratch()
    {
        // 60 lines over 40 locations: the scratch is rented from the pool.
        int[][] stock = [.. Enumerable.Range(0, 60).Select(i => Enumerable.Range(0, 40).Select(k => (i + k) % 7 == 0 ? 2 : 0).ToArray())];
        var instance = new Instance(stock, [.. Enumerable.Repeat(1, 60)], 0);
        (InMemoryOrderKitStore store, _, Sku[] skus) = Build(instance);
        StockIndex.SkuRow[] rows = [.. skus.Select(s => store.Stock.FindRow(s)!)];
        var takes = new PlannedTake[60 * 40];

        int count = AllocationEngine.Plan(rows, [.. instance.Needs], [.. Enumerable.Range(0, 40)], SplitPolicy.ShipAvailable, true, s_today, takes);

        Assert.Equal(60, takes[..count].Sum(t => t.Units));
    }
}
