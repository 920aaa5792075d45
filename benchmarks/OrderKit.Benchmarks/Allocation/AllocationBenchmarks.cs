using BenchmarkDotNet.Configs;
using OrderKit.Allocation;

namespace OrderKit.Benchmarks.Allocation;

/// <summary>
/// Planning one order, and planning and reserving it, on a hot cache (the same order every call), against the naive
/// baseline over the same stock. 10 000 SKUs; half the cells hold 1 to 3 units; lines ask for 1 or 2.
/// </summary>
/// <remarks>
/// <c>Plan</c> is the engine the public planner wraps, with the default <see cref="AllocationStrategy.FewestShipments"/>
/// search, over SKU rows and ranked candidates resolved beforehand (at order intake). <c>PlanAndReserve</c> adds the
/// in-memory store's reservation: a compare-and-swap per cell in a fixed order with roll-back, then the release that
/// keeps the stock the same for the next call. The baselines do the same work the naive way: LINQ per line, a result of
/// records, a global lock.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class AllocationBenchmarks
{
    private AllocationFixture _fixture = null!;
    private BenchOrder _order = null!;
    private PlannedTake[] _takes = null!;

    [Params(1, 5, 20)]
    public int Lines { get; set; }

    [Params(1, 10, 20, 100)]
    public int Locations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new AllocationFixture(skus: 10_000, Locations);
        _order = _fixture.Orders(1, Lines, r => r.Next(10_000))[0];
        _takes = new PlannedTake[Lines * Locations];
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Plan")]
    public int NaivePlan() => _fixture.Naive.Plan(_order.Naive).Allocations.Count;

    [Benchmark]
    [BenchmarkCategory("Plan")]
    public int Plan() => _fixture.Plan(_order, _takes);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("PlanAndReserve")]
    public int NaivePlanAndReserve()
    {
        NaiveResult result = _fixture.Naive.PlanAndReserve(_order.Naive);
        _fixture.Naive.Release(result);
        return result.Allocations.Count;
    }

    [Benchmark]
    [BenchmarkCategory("PlanAndReserve")]
    public int PlanAndReserve()
    {
        int count = _fixture.Plan(_order, _takes);
        Span<PlannedTake> takes = _takes.AsSpan(0, count);
        if (AllocationEngine.TryReserve(_order.Rows, takes))
        {
            AllocationEngine.Release(_order.Rows, takes);
        }

        return count;
    }
}
