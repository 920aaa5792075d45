using OrderKit.Inventory;

namespace OrderKit.Tests.Inventory;

/// <summary>The in-memory stock index: the availability slab, the summary masks and the books.</summary>
public sealed class StockIndexTests
{
    /// <summary>One change of an available count: take (compare-and-swap, not below a floor) or add (either sign).</summary>
    public sealed record Operation(bool Take, int Row, int Location, int Units, int Lowest);

    private static readonly Gen<Operation> s_operations =
        from take in Gen.Elements(true, false)
        from row in Gen.Choose(0, 2)
        from location in Gen.Choose(0, 69)
        from units in take ? Gen.Choose(1, 4) : Gen.Choose(-4, 4)
        from lowest in Gen.Choose(-3, 0)
        select new Operation(take, row, location, units, lowest);

    [Fact]
    public void Property_TheSummaryMaskHasABitWhereverUnitsAreAvailable_AndExactlyThereOnceRefreshed()
    {
        // 70 locations: two mask words and seven slab blocks.
        Prop.ForAll(s_operations.ListOf().ToArbitrary(), operations =>
        {
            (StockIndex index, StockIndex.SkuRow[] rows) = Build(rows: 3, locations: 70);
            var expected = new int[3, 70];
            foreach (Operation op in operations)
            {
                StockIndex.SkuRow row = rows[op.Row];
                if (op.Take)
                {
                    bool took = row.TryTake(op.Location, op.Units, op.Lowest);
                    Assert.Equal(expected[op.Row, op.Location] - op.Units >= op.Lowest, took);
                    expected[op.Row, op.Location] -= took ? op.Units : 0;
                }
                else
                {
                    row.AddAvailable(op.Location, op.Units);
                    expected[op.Row, op.Location] += op.Units;
                }
            }

            AssertMatches(index, rows, expected);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public async Task ConcurrentTakesAndReturns_LoseNoUnit_AndLeaveEveryBitAPlanNeeds()
    {
        (StockIndex index, StockIndex.SkuRow[] rows) = Build(rows: 2, locations: 3);
        rows[0].AddAvailable(1, 2);
        rows[1].AddAvailable(2, 1);

        // Each worker takes a unit when it can and gives it back at once, so the counts keep crossing zero.
        Task[] workers = [.. Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            StockIndex.SkuRow row = rows[w % 2];
            int location = w % 2 == 0 ? 1 : 2;
            for (int n = 0; n < 50_000; n++)
            {
                if (row.TryTake(location, 1))
                {
                    Assert.True(row.Available(location) >= 0);
                    row.AddAvailable(location, 1);
                }
            }
        }))];
        await Task.WhenAll(workers);

        var expected = new int[2, 3];
        expected[0, 1] = 2;
        expected[1, 2] = 1;
        AssertMatches(index, rows, expected);
    }

    [Fact]
    public async Task AddingSkusAndLocations_WhileStockIsTaken_MovesNoCellAndLosesNoUnit()
    {
        (StockIndex index, StockIndex.SkuRow[] rows) = Build(rows: 1, locations: 1);
        rows[0].AddAvailable(0, 1_000_000);
        using var stop = new CancellationTokenSource();

        // The slab grows by pages (every 4,096 SKUs) and blocks (every ten locations) meanwhile.
        Task grow = Task.Run(() =>
        {
            for (int s = 0; s < 3 * StockIndex.PageRows; s++)
            {
                index.Row(new Sku($"GROW-{s}")).AddAvailable(0, 1);
                if (s % 400 == 0)
                {
                    index.PutLocation(new StockLocation(new LocationId($"G{s}"), $"G{s}"), mustExist: false);
                }
            }
        });
        Task<int>[] takers = [.. Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            int taken = 0;
            while (!grow.IsCompleted)
            {
                taken += rows[0].TryTake(0, 1) ? 1 : 0;
            }

            return taken;
        }))];

        await grow;
        int[] taken = await Task.WhenAll(takers);
        Assert.Equal(1_000_000 - taken.Sum(), rows[0].Available(0));
        Assert.True(index.Locations.Count > StockIndex.BlockWidth);
        Assert.Equal(1, index.FindRow(new Sku($"GROW-{(3 * StockIndex.PageRows) - 1}"))!.Available(0));
    }

    [Fact]
    public void Rows_AreNumberedFromZero_AndFoundAgainBySku()
    {
        (StockIndex index, StockIndex.SkuRow[] rows) = Build(rows: 3, locations: 1);

        Assert.Equal([0, 1, 2], rows.Select(r => r.Id));
        Assert.Same(rows[1], index.Row(new Sku("S1")));
        Assert.Same(rows[1], index.FindRow(new Sku("S1")));
        Assert.Null(index.FindRow(new Sku("S9")));
        Assert.Equal(3, index.SkuCount);
    }

    [Fact]
    public void Books_ExistOnlyForLocationsThatHeldStock_AndKeepTheirOrder()
    {
        (StockIndex index, StockIndex.SkuRow[] rows) = Build(rows: 1, locations: 30);
        StockIndex.SkuRow row = rows[0];
        foreach (int location in new[] { 17, 3, 25, 3 })
        {
            lock (row.Gate)
            {
                row.Cell(location).OnHand += location;
            }
        }

        Assert.Equal([false, true, true, true], new[] { 2, 3, 17, 25 }.Select(row.HasCell));
        lock (row.Gate)
        {
            Assert.Equal([6, 17, 25, 0], new[] { 3, 17, 25, 4 }.Select(k => row.Books(k).OnHand));
        }

        Assert.Equal(6, index.Level(row, 3).OnHand);
    }

    private static (StockIndex Index, StockIndex.SkuRow[] Rows) Build(int rows, int locations)
    {
        var index = new StockIndex();
        for (int k = 0; k < locations; k++)
        {
            index.PutLocation(new StockLocation(new LocationId($"L{k}"), $"L{k}"), mustExist: false);
        }

        return (index, [.. Enumerable.Range(0, rows).Select(s => index.Row(new Sku($"S{s}")))]);
    }

    /// <summary>Over one mask word (3 locations) and over two (70 locations, the location in the second word).</summary>
    [Theory]
    [InlineData(3, 1)]
    [InlineData(70, 66)]
    public void EmptyingACell_LeavesItsBit_UntilAPlanFindsItEmpty(int locations, int location)
    {
        (StockIndex index, StockIndex.SkuRow[] rows) = Build(rows: 2, locations: locations);
        rows[0].AddAvailable(location, 1);
        rows[1].AddAvailable(location, 1);
        rows[1].AddAvailable(location + 1, 1);
        Assert.True(HasBit(rows[0], location));

        // A take that empties the cell does not touch the mask: no second atomic operation.
        Assert.True(rows[0].TryTake(location, 1));
        Assert.True(HasBit(rows[0], location));

        // A plan that tries the location for both lines finds row 0 empty there and clears the bit it paid for.
        var takes = new OrderKit.Allocation.PlannedTake[4];
        int count = OrderKit.Allocation.AllocationEngine.Plan(
            rows, [1, 1], [location], OrderKit.Allocation.SplitPolicy.ShipAvailable, fewestShipments: true, new NodaTime.LocalDate(2026, 11, 22), takes);
        Assert.Equal([(1, location, 1)], takes[..count].Select(t => (t.Line, t.Location, t.Units)));
        Assert.False(HasBit(rows[0], location));
        Assert.True(HasBit(rows[1], location));

        // Units coming back set it again at once.
        rows[0].AddAvailable(location, 2);
        Assert.True(HasBit(rows[0], location));
        Assert.Equal(locations, index.Locations.Count);
        Assert.Equal((locations + 63) / 64, index.MaskWords);
    }

    private static bool HasBit(StockIndex.SkuRow row, int location) => (row.Mask(location >> 6) & (1UL << (location & 63))) != 0;

    /// <summary>
    /// The counts are as expected; every cell with units has its bit (a clear bit never hides stock); and once each
    /// cell is refreshed, as the plans that find it empty do, the bits are exactly the cells with units.
    /// </summary>
    private static void AssertMatches(StockIndex index, StockIndex.SkuRow[] rows, int[,] expected)
    {
        for (int s = 0; s < rows.Length; s++)
        {
            for (int k = 0; k < expected.GetLength(1); k++)
            {
                Assert.Equal(expected[s, k], rows[s].Available(k));
                Assert.True(expected[s, k] <= 0 || HasBit(rows[s], k), $"row {s} location {k}: {expected[s, k]} available, but no mask bit");
                rows[s].RefreshMask(k);
                Assert.True(HasBit(rows[s], k) == expected[s, k] > 0, $"row {s} location {k}: {expected[s, k]} available, mask bit {HasBit(rows[s], k)} after a refresh");
            }
        }

        Assert.Equal((expected.GetLength(1) + 63) / 64, index.MaskWords);
    }
}
