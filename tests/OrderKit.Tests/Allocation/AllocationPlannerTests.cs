using NodaTime;
using OrderKit.Allocation;
using OrderKit.Inventory;
using OrderKit.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Allocation;

public sealed class AllocationPlannerTests
{
    private static readonly SalesChannel s_web = new("web");

    private static InventoryService Inventory(params (string Id, int Rank, int Mug, int Tee, int Cap)[] locations)
    {
        InventoryService inventory = InventoryTestExtensions.NewInventory();
        foreach ((string id, int rank, int mug, int tee, int cap) in locations)
        {
            var location = new LocationId(id);
            inventory.AddLocation(new StockLocation(location, id) { Rank = rank });
            foreach ((Sku sku, int units) in new[] { (Mug, mug), (Tee, tee), (Cap, cap) })
            {
                if (units > 0)
                {
                    inventory.Receive(sku, location, new Quantity(units));
                }
                else
                {
                    // Known to the inventory, with no stock here.
                    inventory.SetPolicy(sku, InventoryPolicy.DenyWhenShort);
                }
            }
        }

        return inventory;
    }

    private static AllocationRequest Request(AllocationStrategy strategy, params (Sku Sku, int Quantity)[] lines) => new()
    {
        Lines = [.. lines.Select(l => new LineQuantity(l.Sku, new Quantity(l.Quantity)))],
        Destination = Berlin,
        Channel = s_web,
        Strategy = strategy,
        Explain = true,
    };

    [Fact]
    public void FewestShipments_PrefersOneLocationForEverything_OverBetterRankedPartialOnes()
    {
        InventoryService inventory = Inventory(("A", 1, 2, 0, 0), ("B", 2, 0, 1, 0), ("C", 3, 2, 1, 0));

        AllocationPlan plan = inventory.Plan(Request(AllocationStrategy.FewestShipments, (Mug, 2), (Tee, 1)));

        Assert.Equal([new LocationId("C")], plan.Locations);
        Assert.True(plan.IsComplete);
        Assert.Contains("C chosen: fills every line alone", plan.Explanation);
    }

    [Fact]
    public void Priority_TakesEachLineFromTheBestRankedLocationWithStock()
    {
        InventoryService inventory = Inventory(("A", 1, 2, 0, 0), ("B", 2, 0, 1, 0), ("C", 3, 2, 1, 0));

        AllocationPlan plan = inventory.Plan(Request(AllocationStrategy.Priority, (Mug, 2), (Tee, 1)));

        Assert.Equal([new LocationId("A"), new LocationId("B")], plan.Locations);
    }

    [Fact]
    public void ALineStockedOnlyAcrossTwoLocations_IsSplitBetweenThem()
    {
        InventoryService inventory = Inventory(("A", 1, 2, 0, 0), ("B", 2, 3, 0, 0));

        AllocationPlan plan = inventory.Plan(Request(AllocationStrategy.FewestShipments, (Mug, 4)));

        Assert.Equal([new PlannedSource(new LocationId("A"), 2, true), new PlannedSource(new LocationId("B"), 2, true)], plan.Lines[0].Sources);
        Assert.True(plan.IsComplete);
    }

    [Fact]
    public void KeptWhole_ALineNeverSplits()
    {
        InventoryService inventory = Inventory(("A", 1, 2, 0, 0), ("B", 2, 3, 0, 0));
        AllocationRequest request = Request(AllocationStrategy.Priority, (Mug, 4));

        AllocationPlan plan = inventory.Plan(new AllocationRequest { Lines = request.Lines, Destination = Berlin, Channel = s_web, Split = SplitPolicy.ShipAvailable.WithoutLineSplits() });

        Assert.Equal([new PlannedSource(new LocationId("B"), 3, true)], plan.Lines[0].Sources);
        Assert.Equal(1, plan.Lines[0].Refused);
    }

    [Fact]
    public void Shortfall_FollowsEachSkuPolicy()
    {
        InventoryService inventory = Inventory(("A", 1, 1, 1, 0));
        inventory.SetPolicy(Tee, InventoryPolicy.Backorder(limit: 2));
        inventory.ExpectIncoming(Tee, new LocationId("A"), new Quantity(5), new LocalDate(2026, 12, 1));
        inventory.SetPolicy(Cap, InventoryPolicy.Preorder(new LocalDate(2027, 1, 15)));

        AllocationPlan plan = inventory.Plan(Request(AllocationStrategy.FewestShipments, (Mug, 3), (Tee, 4), (Cap, 2)));

        PlannedLine mug = plan.Lines[0], tee = plan.Lines[1], cap = plan.Lines[2];
        Assert.Equal((1, 0, 2), (mug.Allocated, mug.Backordered, mug.Refused));
        Assert.Equal((1, 2, 1, new LocalDate(2026, 12, 1)), (tee.Allocated, tee.Backordered, tee.Refused, tee.ExpectedOn));
        Assert.Equal((0, 2, new LocalDate(2027, 1, 15)), (cap.Allocated, cap.Preordered, cap.ExpectedOn));
        Assert.All(plan.Lines, l => Assert.Equal(l.Requested, l.Allocated + l.Backordered + l.Preordered + l.Refused));
    }

    [Fact]
    public void Dropship_ShortUnitsGoToTheSupplier()
    {
        InventoryService inventory = Inventory(("A", 1, 1, 0, 0));
        var supplier = new LocationId("SUP");
        inventory.AddLocation(new StockLocation(supplier, "Mug supplier", LocationKind.DropshipSupplier));
        inventory.SetPolicy(Mug, InventoryPolicy.Dropship(supplier));

        AllocationPlan plan = inventory.Plan(Request(AllocationStrategy.FewestShipments, (Mug, 3)));

        Assert.Equal([new PlannedSource(new LocationId("A"), 1, true), new PlannedSource(supplier, 2, false)], plan.Lines[0].Sources);
        Assert.Equal(2, plan.ShipmentCount);
    }

    [Fact]
    public void Candidates_PassOverInactiveOutOfRegionAndOtherChannelLocations_AndSayWhy()
    {
        InventoryService inventory = Inventory(("A", 1, 5, 0, 0), ("B", 2, 5, 0, 0), ("C", 3, 5, 0, 0), ("D", 4, 5, 0, 0));
        inventory.UpdateLocation(new StockLocation(new LocationId("A"), "A") { IsActive = false });
        inventory.UpdateLocation(new StockLocation(new LocationId("B"), "B") { Regions = [new ShippingRegion("FR")] });
        inventory.UpdateLocation(new StockLocation(new LocationId("C"), "C") { Channels = [new SalesChannel("pos")] });

        AllocationPlan plan = inventory.Plan(Request(AllocationStrategy.Priority, (Mug, 1)));

        Assert.Equal([new LocationId("D")], plan.Locations);
        Assert.Contains("A passed over: inactive", plan.Explanation);
        Assert.Contains("B passed over: does not ship to DE 10117", plan.Explanation);
        Assert.Contains("C passed over: does not serve channel web", plan.Explanation);
    }

    [Fact]
    public void Nearest_RanksByDistanceFromTheDestination()
    {
        InventoryService inventory = Inventory(("MUC", 1, 5, 0, 0), ("BER", 2, 5, 0, 0));
        inventory.UpdateLocation(new StockLocation(new LocationId("MUC"), "Munich") { Rank = 1, Position = new GeoPoint(48.14, 11.58) });
        inventory.UpdateLocation(new StockLocation(new LocationId("BER"), "Berlin") { Rank = 2, Position = new GeoPoint(52.52, 13.40) });

        AllocationRequest request = Request(AllocationStrategy.Nearest, (Mug, 1));

        AllocationPlan plan = inventory.Plan(new AllocationRequest { Lines = request.Lines, Destination = Berlin, Channel = s_web, Strategy = AllocationStrategy.Nearest, DestinationPoint = new GeoPoint(52.50, 13.39) });

        Assert.Equal([new LocationId("BER")], plan.Locations);
    }

    [Fact]
    public void HighestStock_PrefersTheLocationWithMostOfTheOrdersSkus()
    {
        InventoryService inventory = Inventory(("A", 1, 2, 0, 0), ("B", 2, 9, 0, 0));

        AllocationPlan plan = inventory.Plan(Request(AllocationStrategy.HighestStock, (Mug, 1)));

        Assert.Equal([new LocationId("B")], plan.Locations);
    }

    [Fact]
    public void BadRequests_ThrowNamingTheProblem()
    {
        InventoryService inventory = Inventory(("A", 1, 2, 0, 0));

        Assert.Contains("\"UNKNOWN\" is not known to the inventory", Assert.Throws<ArgumentException>(() => inventory.Plan(Request(AllocationStrategy.Priority, (new Sku("UNKNOWN"), 1)))).Message, StringComparison.Ordinal);
        Assert.Contains("repeats an earlier line", Assert.Throws<ArgumentException>(() => inventory.Plan(Request(AllocationStrategy.Priority, (Mug, 1), (Mug, 2)))).Message, StringComparison.Ordinal);
        Assert.Contains("does not offer click and collect", Assert.Throws<ArgumentException>(() => inventory.Plan(new AllocationRequest { Lines = [new LineQuantity(Mug, new Quantity(1))], Destination = Berlin, Channel = s_web, CollectAt = new LocationId("A") })).Message, StringComparison.Ordinal);
    }

    /// <summary>A random small instance: stock per (line, location) and location ranks.</summary>
    public sealed record Instance(int[][] Stock, int[] Needs);

    private static Gen<Instance> Instances(int maxLines, int maxLocations) =>
        from lines in Gen.Choose(1, maxLines)
        from locations in Gen.Choose(1, maxLocations)
        from needs in Gen.Choose(1, 3).ArrayOf(lines)
        from stock in Gen.Choose(0, 4).ArrayOf(locations).ArrayOf(lines)
        select new Instance(stock, needs);

    private static (InventoryService Inventory, AllocationRequest Request) Build(Instance instance, AllocationStrategy strategy)
    {
        InventoryService inventory = InventoryTestExtensions.NewInventory();
        int locations = instance.Stock[0].Length;
        for (int k = 0; k < locations; k++)
        {
            inventory.AddLocation(new StockLocation(new LocationId($"L{k}"), $"L{k}") { Rank = k });
        }

        var lines = new List<LineQuantity>();
        for (int i = 0; i < instance.Needs.Length; i++)
        {
            var sku = new Sku($"S{i}");
            inventory.SetPolicy(sku, InventoryPolicy.Backorder());
            for (int k = 0; k < locations; k++)
            {
                if (instance.Stock[i][k] > 0)
                {
                    inventory.Receive(sku, new LocationId($"L{k}"), new Quantity(instance.Stock[i][k]));
                }
            }

            lines.Add(new LineQuantity(sku, new Quantity(instance.Needs[i])));
        }

        return (inventory, new AllocationRequest { Lines = lines, Destination = Berlin, Channel = s_web, Strategy = strategy });
    }

    [Fact]
    public void Property_EveryUnitIsAccountedFor_AndNoSourceExceedsItsStock()
    {
        Prop.ForAll(Instances(6, 10).ToArbitrary(), Gen.Elements(AllocationStrategy.Priority, AllocationStrategy.Nearest, AllocationStrategy.HighestStock, AllocationStrategy.FewestShipments, AllocationStrategy.FewestShipmentsThen(LocationOrder.MostStock), AllocationStrategy.Ranked("by stock then rank", LocationOrder.MostStock, LocationOrder.Rank)).ToArbitrary(), (instance, strategy) =>
        {
            (InventoryService inventory, AllocationRequest request) = Build(instance, strategy);
            AllocationPlan plan = inventory.Plan(request);
            for (int i = 0; i < instance.Needs.Length; i++)
            {
                PlannedLine line = plan.Lines[i];
                Assert.Equal(line.Requested, line.Allocated + line.Backordered + line.Preordered + line.Refused);
                int total = instance.Stock[i].Sum();
                Assert.Equal(Math.Min(total, instance.Needs[i]), line.Allocated);
                foreach (PlannedSource source in line.Sources)
                {
                    Assert.InRange(source.Quantity, 1, instance.Stock[i][int.Parse(source.Location.Value[1..], System.Globalization.CultureInfo.InvariantCulture)]);
                }
            }
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>
    /// On the in-memory store a plan without an explanation is made by the engine on the index's summary masks (one
    /// location or a pair found without copying every cell), one with an explanation over the full matrix; for every
    /// strategy and split policy, lines of every stock policy (an untracked line ships from the first location the
    /// search chose), and with cells emptied after their summary bit was set, both give the same plan.
    /// </summary>
    [Fact]
    public void Property_PlansOnTheIndex_EqualPlansOverTheMatrix()
    {
        Gen<AllocationStrategy> strategies = Gen.Elements(AllocationStrategy.Priority, AllocationStrategy.Nearest, AllocationStrategy.HighestStock, AllocationStrategy.FewestShipments, AllocationStrategy.FewestShipmentsThen(LocationOrder.MostStock), AllocationStrategy.Ranked("by stock then rank", LocationOrder.MostStock, LocationOrder.Rank));
        Gen<SplitPolicy> splits = Gen.Elements(SplitPolicy.ShipAvailable, SplitPolicy.ShipComplete, SplitPolicy.AtMost(1), SplitPolicy.AtMost(2), SplitPolicy.ShipAvailable.WithoutLineSplits(), SplitPolicy.AtMost(2).WithoutLineSplits());
        Gen<InventoryPolicy> policies = Gen.Elements(InventoryPolicy.Backorder(), InventoryPolicy.DenyWhenShort, InventoryPolicy.Untracked);
        Gen<(Instance Instance, AllocationStrategy Strategy, SplitPolicy Split, int Drained, InventoryPolicy[] Policies)> cases =
            from instance in Instances(8, 70)
            from strategy in strategies
            from split in splits
            from drained in Gen.Choose(0, 3)
            from linePolicies in policies.ArrayOf(instance.Needs.Length)
            select (instance, strategy, split, drained, linePolicies);
        Prop.ForAll(cases.ToArbitrary(), @case =>
        {
            (Instance instance, AllocationStrategy strategy, SplitPolicy split, int drained, InventoryPolicy[] linePolicies) = @case;
            (InventoryService inventory, AllocationRequest request) = Build(instance, strategy);
            for (int i = 0; i < linePolicies.Length; i++)
            {
                inventory.SetPolicy(new Sku($"S{i}"), linePolicies[i]);
            }

            // A first plan sets the summary bits; taking a line's stock at a location afterwards leaves its bit set.
            inventory.Plan(request);
            for (int i = 0; i < Math.Min(drained, instance.Needs.Length); i++)
            {
                int at = Array.FindIndex(instance.Stock[i], units => units > 0);
                if (at >= 0)
                {
                    inventory.AdjustAsync(new Sku($"S{i}"), new LocationId($"L{at}"), 0, "counted empty").GetAwaiter().GetResult();
                }
            }

            AllocationPlan onTheIndex = inventory.Plan(new AllocationRequest { Lines = request.Lines, Destination = request.Destination, Channel = request.Channel, Strategy = strategy, Split = split });
            AllocationPlan overTheMatrix = inventory.Plan(new AllocationRequest { Lines = request.Lines, Destination = request.Destination, Channel = request.Channel, Strategy = strategy, Split = split, Explain = true });
            Assert.Equal(Describe(overTheMatrix), Describe(onTheIndex));
        }).QuickCheckThrowOnFailure();

        static string Describe(AllocationPlan plan) => string.Join(
            "; ",
            plan.Lines.Select(l => $"{l.Sku}: {l.Allocated} allocated, {l.Backordered} backordered, {l.Refused} refused from {string.Join(",", l.Sources.Select(s => $"{s.Location}x{s.Quantity}{(s.IsReserved ? string.Empty : " unreserved")}"))}"));
    }

    [Fact]
    public void Property_FewestShipments_MatchesTheBruteForceOptimum()
    {
        Prop.ForAll(Instances(6, 10).ToArbitrary(), instance =>
        {
            (InventoryService inventory, AllocationRequest request) = Build(instance, AllocationStrategy.FewestShipments);
            AllocationPlan plan = inventory.Plan(request);
            Assert.Equal(BruteForceFewest(instance), plan.ShipmentCount);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Property_FewestShipments_ChoosesTheBestRankedOfTheSmallestSets()
    {
        // Locations rank in index order, so the best-ranked set of a size is the first in lexicographic order.
        Prop.ForAll(Instances(6, 10).ToArbitrary(), instance =>
        {
            (InventoryService inventory, AllocationRequest request) = Build(instance, AllocationStrategy.FewestShipments);
            AllocationPlan plan = inventory.Plan(request);
            int[] used = [.. plan.Lines.SelectMany(l => l.Sources).Select(s => int.Parse(s.Location.Value[1..], System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order()];
            Assert.Equal(BruteForceBestSet(instance), used);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Property_Priority_NeverSkipsABetterRankedLocationWithStock()
    {
        Prop.ForAll(Instances(6, 10).ToArbitrary(), instance =>
        {
            (InventoryService inventory, AllocationRequest request) = Build(instance, AllocationStrategy.Priority);
            AllocationPlan plan = inventory.Plan(request);
            for (int i = 0; i < instance.Needs.Length; i++)
            {
                int[] used = [.. plan.Lines[i].Sources.Select(s => int.Parse(s.Location.Value[1..], System.Globalization.CultureInfo.InvariantCulture))];
                int worst = used.Length == 0 ? -1 : used.Max();
                for (int k = 0; k < worst; k++)
                {
                    Assert.True(instance.Stock[i][k] == 0 || used.Contains(k), $"line {i} skipped L{k}");
                }
            }
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>The first in lexicographic order of the smallest sets of locations that give every line all the stock it can get.</summary>
    private static int[] BruteForceBestSet(Instance instance)
    {
        int locations = instance.Stock[0].Length;
        int[] reachable = [.. instance.Needs.Select((need, i) => Math.Min(need, instance.Stock[i].Sum()))];
        int[]? best = null;
        for (int subset = 0; subset < 1 << locations; subset++)
        {
            bool ok = Feasible(instance, reachable, subset);

            int[] set = [.. Enumerable.Range(0, locations).Where(k => (subset >> k & 1) == 1)];
            if (ok && (best is null || set.Length < best.Length || (set.Length == best.Length && set.AsSpan().SequenceCompareTo(best) < 0)))
            {
                best = set;
            }
        }

        return best!;
    }

    /// <summary>Whether the locations in <paramref name="subset"/> (a bit per location) give every line what it can get.</summary>
    private static bool Feasible(Instance instance, int[] reachable, int subset)
    {
        for (int i = 0; i < instance.Needs.Length; i++)
        {
            int sum = 0;
            for (int k = 0; k < instance.Stock[i].Length; k++)
            {
                sum += (subset >> k & 1) == 1 ? instance.Stock[i][k] : 0;
            }

            if (sum < reachable[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The fewest locations that give every line all the stock it can get, by trying every subset.</summary>
    private static int BruteForceFewest(Instance instance)
    {
        int locations = instance.Stock[0].Length;
        int[] reachable = [.. instance.Needs.Select((need, i) => Math.Min(need, instance.Stock[i].Sum()))];
        int best = int.MaxValue;
        for (int subset = 0; subset < 1 << locations; subset++)
        {
            bool ok = Feasible(instance, reachable, subset);

            if (ok)
            {
                best = Math.Min(best, System.Numerics.BitOperations.PopCount((uint)subset));
            }
        }

        return best;
    }
}
