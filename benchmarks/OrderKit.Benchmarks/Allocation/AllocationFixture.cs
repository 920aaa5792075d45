using NodaTime;
using OrderKit.Allocation;
using OrderKit.Inventory;

namespace OrderKit.Benchmarks.Allocation;

/// <summary>One order as both allocators see it: SKU rows and quantities for OrderKit, string lines for the baseline.</summary>
internal sealed class BenchOrder
{
    public required StockIndex.SkuRow[] Rows { get; init; }

    public required int[] Quantities { get; init; }

    public required NaiveLine[] Naive { get; init; }
}

/// <summary>
/// The same random stock loaded into OrderKit's in-memory stock index and into the naive baseline, and orders over it.
/// Generated from a fixed seed: each cell holds 1 to 3 units with probability <c>stocked</c>, else none; hot SKUs hold
/// plenty everywhere; a line asks for 1 or 2 units.
/// </summary>
internal sealed class AllocationFixture
{
    public static readonly LocalDate Today = new(2026, 11, 22);

    private readonly StockIndex.SkuRow[] _rows;
    private readonly string[] _names;

    public AllocationFixture(int skus, int locations, double stocked = 0.5, int hotSkus = 0, bool withNaive = true, int seed = 42)
    {
        Index = new StockIndex();
        Naive = new NaiveAllocator();
        Locations = locations;
        Candidates = [.. Enumerable.Range(0, locations)];
        string[] locationNames = new string[locations];
        for (int k = 0; k < locations; k++)
        {
            locationNames[k] = $"WH-{k:D3}";
            Index.PutLocation(new StockLocation(new LocationId(locationNames[k]), locationNames[k]) { Rank = k }, mustExist: false);
        }

        var random = new Random(seed);
        _rows = new StockIndex.SkuRow[skus];
        _names = new string[skus];
        for (int s = 0; s < skus; s++)
        {
            _names[s] = $"SKU-{s:D7}";
            StockIndex.SkuRow row = _rows[s] = Index.Row(new Sku(_names[s]));
            for (int k = 0; k < locations; k++)
            {
                int units = s < hotSkus ? 1_000_000 : random.NextDouble() < stocked ? random.Next(1, 4) : 0;
                if (units == 0)
                {
                    continue;
                }

                row.Cell(k).OnHand = units;
                row.AddAvailable(k, units);
                if (withNaive)
                {
                    Naive.Add(_names[s], locationNames[k], units, k, k * 10.0);
                }
            }
        }
    }

    public StockIndex Index { get; }

    public NaiveAllocator Naive { get; }

    public int Locations { get; }

    /// <summary>The candidate locations, best ranked first (rank = index).</summary>
    public int[] Candidates { get; }

    public StockIndex.SkuRow Row(int sku) => _rows[sku];

    /// <summary>The number of a SKU row in this fixture (rows are created in order, so their ids are consecutive).</summary>
    public int SkuIndex(StockIndex.SkuRow row) => row.Id - _rows[0].Id;

    /// <summary>Orders of <paramref name="lines"/> distinct SKUs, from <paramref name="pick"/> (which gets the random source).</summary>
    public BenchOrder[] Orders(int count, int lines, Func<Random, int> pick, int seed = 7)
    {
        var random = new Random(seed);
        var orders = new BenchOrder[count];
        var chosen = new HashSet<int>();
        for (int o = 0; o < count; o++)
        {
            chosen.Clear();
            while (chosen.Count < lines)
            {
                chosen.Add(pick(random));
            }

            int[] skus = [.. chosen];
            int[] quantities = [.. skus.Select(_ => random.Next(1, 3))];
            orders[o] = new BenchOrder
            {
                Rows = [.. skus.Select(s => _rows[s])],
                Quantities = quantities,
                Naive = [.. skus.Select((s, i) => new NaiveLine(_names[s], quantities[i]))],
            };
        }

        return orders;
    }

    /// <summary>Plans with the engine, as <see cref="AllocationStrategy.FewestShipments"/> does by default.</summary>
    public int Plan(BenchOrder order, Span<PlannedTake> takes) =>
        AllocationEngine.Plan(order.Rows, order.Quantities, Candidates, SplitPolicy.ShipAvailable, fewestShipments: true, Today, takes);

    /// <summary>Sums the available counts of every cell, for checking that releases gave everything back.</summary>
    public long TotalAvailable()
    {
        long sum = 0;
        foreach (StockIndex.SkuRow row in _rows)
        {
            for (int k = 0; k < Locations; k++)
            {
                sum += row.Available(k);
            }
        }

        return sum;
    }
}
