using OrderKit.Allocation;
using OrderKit.Inventory;
using OrderKit.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Allocation;

/// <summary>A shop for strategy tests: locations with a rank, a position and stock of the mug and the tee.</summary>
internal static class StrategyShop
{
    public static readonly SalesChannel Web = new("web");

    /// <summary>Near Berlin's centre.</summary>
    public static readonly GeoPoint BerlinPoint = new(52.52, 13.40);

    public static InventoryService Build(params (string Id, int Rank, GeoPoint Position, int Mug, int Tee)[] locations)
    {
        InventoryService inventory = InventoryTestExtensions.NewInventory();
        inventory.SetPolicy(Mug, InventoryPolicy.DenyWhenShort);
        inventory.SetPolicy(Tee, InventoryPolicy.DenyWhenShort);
        foreach ((string id, int rank, GeoPoint position, int mug, int tee) in locations)
        {
            var location = new LocationId(id);
            inventory.AddLocation(new StockLocation(location, id) { Rank = rank, Position = position });
            if (mug > 0)
            {
                inventory.Receive(Mug, location, new Quantity(mug));
            }

            if (tee > 0)
            {
                inventory.Receive(Tee, location, new Quantity(tee));
            }
        }

        return inventory;
    }

    public static AllocationRequest Request(AllocationStrategy strategy, params (Sku Sku, int Quantity)[] lines) => new()
    {
        Lines = [.. lines.Select(l => new LineQuantity(l.Sku, new Quantity(l.Quantity)))],
        Destination = Berlin,
        Channel = Web,
        DestinationPoint = BerlinPoint,
        Strategy = strategy,
        Explain = true,
    };
}

public sealed class AllocationStrategyTests
{
    private static readonly GeoPoint s_potsdam = new(52.39, 13.06);
    private static readonly GeoPoint s_hamburg = new(53.55, 9.99);
    private static readonly GeoPoint s_munich = new(48.14, 11.58);

    [Fact]
    public void BuiltInStrategies_NameTheirOrders()
    {
        Assert.Equal(("Priority", false), (AllocationStrategy.Priority.Name, AllocationStrategy.Priority.MinimisesShipments));
        Assert.Equal([LocationOrder.Rank, LocationOrder.Distance], AllocationStrategy.Priority.Order);
        Assert.Equal([LocationOrder.Distance, LocationOrder.Rank], AllocationStrategy.Nearest.Order);
        Assert.Equal([LocationOrder.MostStock, LocationOrder.Rank], AllocationStrategy.HighestStock.Order);
        Assert.True(AllocationStrategy.FewestShipments.MinimisesShipments);
        Assert.Equal([LocationOrder.Rank, LocationOrder.Distance, LocationOrder.MostStock], AllocationStrategy.FewestShipments.Order);
        Assert.Equal("FewestShipments", AllocationStrategy.FewestShipments.ToString());
    }

    [Fact]
    public void FewestShipmentsThen_Distance_PicksTheNearerOfTwoLocationsThatEachFillTheOrder()
    {
        InventoryService inventory = StrategyShop.Build(("HAM", 1, s_hamburg, 2, 1), ("POT", 2, s_potsdam, 2, 1));

        AllocationPlan byRank = inventory.Plan(StrategyShop.Request(AllocationStrategy.FewestShipments, (Mug, 2), (Tee, 1)));
        AllocationPlan byDistance = inventory.Plan(StrategyShop.Request(AllocationStrategy.FewestShipmentsThen(LocationOrder.Distance, LocationOrder.Rank), (Mug, 2), (Tee, 1)));

        Assert.Equal([new LocationId("HAM")], byRank.Locations);
        Assert.Equal([new LocationId("POT")], byDistance.Locations);
        Assert.Contains("candidates ranked by FewestShipments then distance, rank: POT, HAM", byDistance.Explanation);
    }

    [Fact]
    public void FewestShipments_StillUsesOneLocation_WhenTheTieBreakerPrefersOneThatCannotFillAlone()
    {
        InventoryService inventory = StrategyShop.Build(("POT", 1, s_potsdam, 2, 0), ("MUC", 2, s_munich, 2, 1));

        AllocationPlan plan = inventory.Plan(StrategyShop.Request(AllocationStrategy.FewestShipmentsThen(LocationOrder.Distance), (Mug, 2), (Tee, 1)));

        Assert.Equal([new LocationId("MUC")], plan.Locations);
    }

    [Fact]
    public void Ranked_ByMostStock_TakesFromTheFullestLocation_AndThenByBreaksItsTies()
    {
        InventoryService inventory = StrategyShop.Build(("A", 1, s_munich, 2, 0), ("B", 2, s_hamburg, 5, 0), ("C", 3, s_potsdam, 5, 0));

        AllocationPlan byStock = inventory.Plan(StrategyShop.Request(AllocationStrategy.Ranked("fullest", LocationOrder.MostStock), (Mug, 1)));
        AllocationPlan byStockThenDistance = inventory.Plan(StrategyShop.Request(AllocationStrategy.Ranked("fullest", LocationOrder.MostStock).ThenBy(LocationOrder.Distance), (Mug, 1)));

        Assert.Equal([new LocationId("B")], byStock.Locations);
        Assert.Equal([new LocationId("C")], byStockThenDistance.Locations);
        Assert.Equal("fullest then distance", AllocationStrategy.Ranked("fullest", LocationOrder.MostStock).ThenBy(LocationOrder.Distance).Name);
    }

    [Fact]
    public void Custom_UsesTheReturnedLocationsInOrder_AndNeverTheOnesLeftOut()
    {
        InventoryService inventory = StrategyShop.Build(("A", 1, s_munich, 1, 0), ("B", 2, s_hamburg, 1, 0), ("C", 3, s_potsdam, 5, 0));
        var strategy = AllocationStrategy.Custom("B then A", _ => [new LocationId("B"), new LocationId("A")]);

        AllocationPlan plan = inventory.Plan(StrategyShop.Request(strategy, (Mug, 3)));

        Assert.Equal([new PlannedSource(new LocationId("B"), 1, true), new PlannedSource(new LocationId("A"), 1, true)], plan.Lines[0].Sources);
        Assert.Equal(1, plan.Lines[0].Refused);
        Assert.Contains("C passed over: left out by strategy B then A", plan.Explanation);
    }

    [Fact]
    public void Custom_WithFewestShipments_SearchesOnlyAmongTheReturnedLocations()
    {
        InventoryService inventory = StrategyShop.Build(("A", 1, s_munich, 1, 1), ("B", 2, s_hamburg, 1, 0), ("C", 3, s_potsdam, 0, 1));
        var strategy = AllocationStrategy.Custom("no A", context => context.Candidates.Where(c => c.Location.Id != new LocationId("A")).Select(c => c.Location.Id), fewestShipments: true);

        AllocationPlan plan = inventory.Plan(StrategyShop.Request(strategy, (Mug, 1), (Tee, 1)));

        Assert.Equal([new LocationId("B"), new LocationId("C")], plan.Locations);
    }

    [Fact]
    public async Task Custom_ReturningALocationOutsideTheCandidates_ThrowsNamingIt_AndReservesNothing()
    {
        InventoryService inventory = StrategyShop.Build(("A", 1, s_munich, 3, 0));
        await inventory.AddLocationAsync(new StockLocation(new LocationId("SHUT"), "Closed") { IsActive = false });
        var strategy = AllocationStrategy.Custom("rogue", _ => [new LocationId("A"), new LocationId("SHUT")]);

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            inventory.HoldForCartAsync("cart-1", StrategyShop.Request(strategy, (Mug, 2)), NodaTime.Duration.FromMinutes(15)));

        Assert.Contains("\"rogue\" returned location \"SHUT\", which is not a candidate for this order; the candidates were: A.", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, inventory.GetLevel(Mug, new LocationId("A")).Reserved);
        Assert.Null(await inventory.GetCartHoldAsync("cart-1"));
    }

    [Fact]
    public void Custom_ReturningALocationTwiceOrNull_Throws()
    {
        InventoryService inventory = StrategyShop.Build(("A", 1, s_munich, 3, 0));

        InvalidOperationException twice = Assert.Throws<InvalidOperationException>(() =>
            inventory.Plan(StrategyShop.Request(AllocationStrategy.Custom("twice", _ => [new LocationId("A"), new LocationId("A")]), (Mug, 1))));
        InvalidOperationException none = Assert.Throws<InvalidOperationException>(() =>
            inventory.Plan(StrategyShop.Request(AllocationStrategy.Custom("null", _ => null!), (Mug, 1))));

        Assert.Contains("returned location \"A\" more than once", twice.Message, StringComparison.Ordinal);
        Assert.Contains("\"null\" returned null", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadArguments_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => AllocationStrategy.Ranked(" ", LocationOrder.Rank));
        Assert.Contains("at least one", Assert.Throws<ArgumentException>(() => AllocationStrategy.Ranked("empty")).Message, StringComparison.Ordinal);
        Assert.Contains("order[1] is null", Assert.Throws<ArgumentException>(() => AllocationStrategy.Ranked("x", LocationOrder.Rank, null!)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => AllocationStrategy.FewestShipmentsThen());
        Assert.Throws<ArgumentNullException>(() => AllocationStrategy.Custom("x", null!));
        Assert.Throws<ArgumentNullException>(() => AllocationStrategy.Priority.ThenBy(null!));
        Assert.Contains("custom strategy", Assert.Throws<InvalidOperationException>(() => AllocationStrategy.Custom("mine", _ => []).ThenBy(LocationOrder.Rank)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARequestWithoutAStrategy_IsRejectedBeforeAnythingIsRead()
    {
        InventoryService inventory = StrategyShop.Build(("A", 1, s_munich, 3, 0));

        Assert.Contains("request.Strategy is required", Assert.Throws<ArgumentException>(() => inventory.Plan(StrategyShop.Request(null!, (Mug, 1)))).Message, StringComparison.Ordinal);
    }
}

public sealed class LocationOrderTests
{
    [Fact]
    public void By_OrdersByYourKey_LowestFirst()
    {
        InventoryService inventory = StrategyShop.Build(("A", 1, new GeoPoint(48.14, 11.58), 1, 0), ("B", 2, new GeoPoint(53.55, 9.99), 1, 0));
        var cost = new Dictionary<LocationId, double> { [new LocationId("A")] = 7.90, [new LocationId("B")] = 4.50 };
        var cheapest = LocationOrder.By("shipping cost", c => cost[c.Location.Id]);

        AllocationPlan plan = inventory.Plan(StrategyShop.Request(AllocationStrategy.Ranked("cheapest", cheapest, LocationOrder.Rank), (Mug, 1)));

        Assert.Equal([new LocationId("B")], plan.Locations);
        Assert.Equal("shipping cost", cheapest.ToString());
    }

    [Fact]
    public void By_RejectsABlankNameOrANullKey()
    {
        Assert.Throws<ArgumentException>(() => LocationOrder.By("", _ => 0));
        Assert.Throws<ArgumentNullException>(() => LocationOrder.By("cost", null!));
    }

    [Fact]
    public void BuiltInOrders_HaveNames()
    {
        Assert.Equal(["rank", "distance", "most stock"], new[] { LocationOrder.Rank, LocationOrder.Distance, LocationOrder.MostStock }.Select(o => o.Name));
    }
}

public sealed class AllocationContextTests
{
    [Fact]
    public void TheContext_CarriesTheRequest_AndTheCandidatesByRank_WithoutFilteredLocations()
    {
        InventoryService inventory = StrategyShop.Build(("B", 2, new GeoPoint(53.55, 9.99), 1, 0), ("A", 1, new GeoPoint(48.14, 11.58), 1, 0));
        inventory.AddLocation(new StockLocation(new LocationId("SHUT"), "Closed") { IsActive = false });
        AllocationContext? seen = null;
        AllocationRequest request = StrategyShop.Request(AllocationStrategy.Custom("spy", context => { seen = context; return []; }), (Mug, 1));

        AllocationPlan plan = inventory.Plan(request);

        Assert.Same(request, seen!.Request);
        Assert.Equal(["A", "B"], seen.Candidates.Select(c => c.ToString()));
        Assert.Empty(plan.Locations);
        Assert.Equal(1, plan.Lines[0].Refused);
    }
}

public sealed class LocationCandidateTests
{
    [Fact]
    public void ACandidate_TellsItsStockAndDistance()
    {
        InventoryService inventory = StrategyShop.Build(("POT", 1, new GeoPoint(52.39, 13.06), 3, 2), ("MUC", 2, new GeoPoint(48.14, 11.58), 1, 0));
        var candidates = new List<LocationCandidate>();
        var strategy = AllocationStrategy.Custom("spy", context =>
        {
            candidates.AddRange(context.Candidates);
            Assert.Equal(3, context.Candidates[0].Available(Mug));
            Assert.Equal(2, context.Candidates[0].Available(Tee));
            Assert.Equal(5, context.Candidates[0].AvailableUnits);
            Assert.Equal(0, context.Candidates[1].Available(Tee));
            Assert.InRange(context.Candidates[0].DistanceKm!.Value, 25, 30);
            Assert.Equal((0, 1), (context.Candidates[0].DistanceRank, context.Candidates[1].DistanceRank));
            Assert.Contains("not a line of this request", Assert.Throws<ArgumentException>(() => context.Candidates[0].Available(Cap)).Message, StringComparison.Ordinal);
            return [.. context.Candidates.Select(c => c.Location.Id)];
        });

        AllocationPlan plan = inventory.Plan(StrategyShop.Request(strategy, (Mug, 1), (Tee, 1)));

        Assert.Equal(2, candidates.Count);
        Assert.Equal([new LocationId("POT")], plan.Locations);
    }

    [Fact]
    public void DistanceKm_IsNull_WithoutADestinationPoint()
    {
        InventoryService inventory = StrategyShop.Build(("POT", 1, new GeoPoint(52.39, 13.06), 3, 0));
        double? distance = 1;
        var strategy = AllocationStrategy.Custom("spy", context => { distance = context.Candidates[0].DistanceKm; return []; });

        _ = inventory.Plan(new AllocationRequest { Lines = [new LineQuantity(Mug, new Quantity(1))], Destination = Berlin, Channel = StrategyShop.Web, Strategy = strategy });

        Assert.Null(distance);
    }
}
