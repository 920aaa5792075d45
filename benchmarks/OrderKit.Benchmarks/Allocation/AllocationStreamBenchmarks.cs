using OrderKit.Allocation;

namespace OrderKit.Benchmarks.Allocation;

/// <summary>Where the order comes from in the stream of orders.</summary>
public enum OrderStream
{
    /// <summary>The same order every call: the stock it reads stays in cache.</summary>
    Hot,

    /// <summary>The next of 65 536 random orders every call, so neither caches nor branch predictors can learn the input.</summary>
    Random,
}

/// <summary>
/// Planning 5-line orders over 20 locations from a hot order or a random stream, over 10 000 and 1 000 000 SKUs, against
/// the naive baseline over the same stock. With a million SKUs the random stream misses the cache on every line.
/// </summary>
[MemoryDiagnoser]
public class AllocationStreamBenchmarks
{
    private const int StreamLength = 1 << 16;

    private AllocationFixture _fixture = null!;
    private BenchOrder[] _orders = null!;
    private PlannedTake[] _takes = null!;
    private int _next;

    [Params(10_000, 1_000_000)]
    public int Skus { get; set; }

    [Params(OrderStream.Hot, OrderStream.Random)]
    public OrderStream Stream { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _fixture = new AllocationFixture(Skus, locations: 20);
        _orders = _fixture.Orders(Stream == OrderStream.Hot ? 1 : StreamLength, 5, r => r.Next(Skus));
        _takes = new PlannedTake[5 * 20];
    }

    private BenchOrder Next()
    {
        BenchOrder order = _orders[_next];
        _next = (_next + 1) & (_orders.Length - 1);
        return order;
    }

    [Benchmark(Baseline = true)]
    public int NaivePlan() => _fixture.Naive.Plan(Next().Naive).Allocations.Count;

    [Benchmark]
    public int Plan() => _fixture.Plan(Next(), _takes);
}
