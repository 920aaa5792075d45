using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using OrderKit.Allocation;

namespace OrderKit.Benchmarks.Allocation;

/// <summary>Which SKUs the orders of the contended harness ask for.</summary>
public enum Contention
{
    /// <summary>Every line picks one of 100 000 SKUs at random.</summary>
    Uniform,

    /// <summary>Every line picks one of 8 hot SKUs, so both threads keep meeting on the same cells.</summary>
    EightHot,

    /// <summary>Every order has the one hot SKU, plus four lines picked at random.</summary>
    OneHot,
}

/// <summary>
/// Orders per second with 1 and 2 threads placing random 5-line orders over 20 locations against one stock index: each
/// order is planned and reserved (compare-and-swap per cell, fixed order, roll-back), and each thread keeps its last 16
/// orders' units reserved, releasing the oldest as it goes, so stock stays taken while others compete for it. The
/// baseline is the naive allocator, whose global lock serialises the threads.
/// </summary>
/// <remarks>
/// After every iteration the harness counts oversold units: for every cell, the units the threads' live orders hold
/// beyond what the cell had. It also checks that the index lost no update (the cell's available count is what it had
/// minus what the live orders hold). Either count above zero fails the run. Orders/s is in its own column; an order
/// the stock refuses still counts, as the work was done.
/// </remarks>
[Config(typeof(ContendedConfig))]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 6)]
[MemoryDiagnoser]
public class AllocationContendedBenchmarks
{
    /// <summary>Orders per invocation, shared evenly among the threads.</summary>
    public const int OrdersPerInvoke = 400_000;

    private const int Skus = 100_000;
    private const int Held = 16;
    private const int StreamLength = 1 << 16;

    private AllocationFixture _fixture = null!;
    private int[] _initial = null!;
    private Worker[] _workers = null!;
    private long _oversold;
    private long _lost;
    private long _refused;
    private long _orders;

    [Params(1, 2)]
    public int Threads { get; set; }

    [Params(Contention.Uniform, Contention.EightHot, Contention.OneHot)]
    public Contention Contention { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        int hot = Contention switch { Contention.EightHot => 8, Contention.OneHot => 1, _ => 0 };
        _fixture = new AllocationFixture(Skus, locations: 20, hotSkus: hot);
        _initial = new int[Skus * 20];
        for (int s = 0; s < Skus; s++)
        {
            for (int k = 0; k < 20; k++)
            {
                _initial[(s * 20) + k] = _fixture.Row(s).Available(k);
            }
        }

        _workers = new Worker[Threads];
        for (int t = 0; t < Threads; t++)
        {
            Func<Random, int> pick = Contention switch
            {
                Contention.EightHot => r => r.Next(8),
                _ => r => r.Next(hot, Skus),
            };
            BenchOrder[] orders = _fixture.Orders(StreamLength, 5, pick, seed: 100 + t);
            if (Contention == Contention.OneHot)
            {
                // The hot SKU replaces the first line of every order.
                BenchOrder[] withHot = _fixture.Orders(StreamLength, 4, pick, seed: 100 + t);
                BenchOrder hotOne = _fixture.Orders(1, 1, _ => 0)[0];
                orders = [.. withHot.Select(o => new BenchOrder
                {
                    Rows = [hotOne.Rows[0], .. o.Rows],
                    Quantities = [1, .. o.Quantities],
                    Naive = [hotOne.Naive[0] with { Quantity = 1 }, .. o.Naive],
                })];
            }

            _workers[t] = new Worker(_fixture, orders);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = OrdersPerInvoke)]
    public void NaiveGlobalLock() => Run(static w => w.RunNaive(OrdersPerInvoke / w.Threads));

    [Benchmark(OperationsPerInvoke = OrdersPerInvoke)]
    public void CompareAndSwap() => Run(static w => w.RunEngine(OrdersPerInvoke / w.Threads));

    [IterationCleanup]
    public void CheckAndRelease()
    {
        var held = new Dictionary<(int Sku, int Location), int>();
        foreach (Worker worker in _workers)
        {
            worker.CountHeld(held, _fixture);
            _refused += worker.Refused;
            _orders += worker.Orders;
        }

        foreach (((int sku, int location), int units) in held)
        {
            int had = _initial[(sku * 20) + location];
            _oversold += Math.Max(0, units - had);
            int available = _fixture.Row(sku).Available(location);
            _lost += available == had - units ? 0 : 1;
        }

        foreach (Worker worker in _workers)
        {
            worker.ReleaseAll();
        }

        if (_fixture.TotalAvailable() != _initial.Sum(x => (long)x) || _fixture.Naive.TotalReserved() != 0)
        {
            _lost++;
        }
    }

    [GlobalCleanup]
    public void Report()
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// contended {Contention} threads={Threads}: oversold_units={_oversold} lost_updates={_lost} refused_orders={_refused} of {_orders}"));
        if (_oversold != 0 || _lost != 0)
        {
            throw new InvalidOperationException($"Oversold {_oversold} units and lost {_lost} updates under contention.");
        }
    }

    private void Run(Action<Worker> work)
    {
        if (Threads == 1)
        {
            work(_workers[0]);
            return;
        }

        var threads = new Thread[Threads];
        using var start = new Barrier(Threads);
        for (int t = 0; t < Threads; t++)
        {
            Worker worker = _workers[t];
            worker.Threads = Threads;
            threads[t] = new Thread(() =>
            {
                start.SignalAndWait();
                work(worker);
            });
            threads[t].Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }
    }

    /// <summary>One thread's orders, and the ring of its last orders that still hold stock.</summary>
    private sealed class Worker(AllocationFixture fixture, BenchOrder[] orders)
    {
        private readonly PlannedTake[][] _takes = [.. Enumerable.Range(0, Held).Select(_ => new PlannedTake[5 * 20])];
        private readonly int[] _counts = new int[Held];
        private readonly BenchOrder?[] _heldOrders = new BenchOrder?[Held];
        private readonly NaiveResult?[] _naive = new NaiveResult?[Held];
        private int _next;
        private int _slot;

        public int Threads { get; set; } = 1;

        public long Refused { get; private set; }

        public long Orders { get; private set; }

        public void RunEngine(int count)
        {
            for (int n = 0; n < count; n++)
            {
                BenchOrder order = orders[_next];
                _next = (_next + 1) & (StreamLength - 1);
                int slot = _slot;
                _slot = (_slot + 1) % Held;
                if (_heldOrders[slot] is { } old)
                {
                    AllocationEngine.Release(old.Rows, _takes[slot].AsSpan(0, _counts[slot]));
                    _heldOrders[slot] = null;
                }

                int taken = fixture.Plan(order, _takes[slot]);
                if (AllocationEngine.TryReserve(order.Rows, _takes[slot].AsSpan(0, taken)))
                {
                    _heldOrders[slot] = order;
                    _counts[slot] = taken;
                }
                else
                {
                    Refused++;
                }

                Orders++;
            }
        }

        public void RunNaive(int count)
        {
            for (int n = 0; n < count; n++)
            {
                BenchOrder order = orders[_next];
                _next = (_next + 1) & (StreamLength - 1);
                int slot = _slot;
                _slot = (_slot + 1) % Held;
                if (_naive[slot] is { } old)
                {
                    fixture.Naive.Release(old);
                }

                _naive[slot] = fixture.Naive.PlanAndReserve(order.Naive);
                Orders++;
            }
        }

        public void CountHeld(Dictionary<(int Sku, int Location), int> held, AllocationFixture fixture)
        {
            for (int slot = 0; slot < Held; slot++)
            {
                if (_heldOrders[slot] is not { } order)
                {
                    continue;
                }

                foreach (PlannedTake take in _takes[slot].AsSpan(0, _counts[slot]))
                {
                    var key = (fixture.SkuIndex(order.Rows[take.Line]), take.Location);
                    held[key] = held.GetValueOrDefault(key) + take.Units;
                }
            }
        }

        public void ReleaseAll()
        {
            for (int slot = 0; slot < Held; slot++)
            {
                if (_heldOrders[slot] is { } order)
                {
                    AllocationEngine.Release(order.Rows, _takes[slot].AsSpan(0, _counts[slot]));
                    _heldOrders[slot] = null;
                }

                if (_naive[slot] is { } naive)
                {
                    fixture.Naive.Release(naive);
                    _naive[slot] = null;
                }
            }

            Refused = 0;
            Orders = 0;
        }
    }

    /// <summary>Adds the orders-per-second column.</summary>
    private sealed class ContendedConfig : ManualConfig
    {
        public ContendedConfig() => AddColumn(new OrdersPerSecondColumn());
    }

    /// <summary>Orders per second: one over the mean time per order.</summary>
    private sealed class OrdersPerSecondColumn : IColumn
    {
        public string Id => nameof(OrdersPerSecondColumn);

        public string ColumnName => "Orders/s";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Orders placed per second by all threads together (1 s / mean time per order)";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            BenchmarkReport? report = summary[benchmarkCase];
            return report?.ResultStatistics is { } statistics
                ? string.Create(CultureInfo.InvariantCulture, $"{1e9 / statistics.Mean / 1e6:F2} M")
                : "-";
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
