using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using OrderKit.Benchmarks.Allocation;
using OrderKit.Benchmarks.Orders;

namespace OrderKit.Benchmarks;

/// <summary>
/// Runs the benchmarks. <c>--headline</c> runs only the headline cases with a short job and prints one line each:
/// <c>headline &lt;case&gt; mean_ns=&lt;x&gt; allocated_b=&lt;y&gt; baseline_ratio=&lt;z&gt;</c>, where the ratio is the
/// baseline's time divided by the case's. <c>--stores</c> runs the store throughput harness
/// (<see cref="Stores.StoreThroughput"/>). <c>--index-memory</c> measures the in-memory stock index for a million SKUs.
/// Any other arguments go to BenchmarkDotNet (for example <c>--filter '*Allocation*'</c>).
/// </summary>
public static class Program
{
    /// <summary>The headline cases: name, benchmark class, method, its baseline method, and the parameters to run.</summary>
    private static readonly Headline[] s_headlines =
    [
        new("lifecycle-transition", typeof(OrderLifecycleBenchmarks), nameof(OrderLifecycleBenchmarks.OrderTransition), nameof(OrderLifecycleBenchmarks.RawStatelessFire), []),
        new("lifecycle-allowed-actions", typeof(OrderLifecycleBenchmarks), nameof(OrderLifecycleBenchmarks.AllowedActions), nameof(OrderLifecycleBenchmarks.RawStatelessFire), []),
        new("allocation-plan-5x20", typeof(AllocationBenchmarks), nameof(AllocationBenchmarks.Plan), nameof(AllocationBenchmarks.NaivePlan), [("Lines", 5), ("Locations", 20)]),
        new("allocation-plan-reserve-5x20", typeof(AllocationBenchmarks), nameof(AllocationBenchmarks.PlanAndReserve), nameof(AllocationBenchmarks.NaivePlanAndReserve), [("Lines", 5), ("Locations", 20)]),
        new("allocation-plan-20x100", typeof(AllocationBenchmarks), nameof(AllocationBenchmarks.Plan), nameof(AllocationBenchmarks.NaivePlan), [("Lines", 20), ("Locations", 100)]),
    ];

    public static int Main(string[] args)
    {
        if (args.Contains("--stores"))
        {
            return Stores.StoreThroughput.RunAsync(args).GetAwaiter().GetResult();
        }

        if (args.Contains("--index-memory"))
        {
            IndexMemory.Run();
            return 0;
        }

        if (!args.Contains("--headline"))
        {
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
            return 0;
        }

        var lines = new List<string>();
        foreach (IGrouping<Type, Headline> group in s_headlines.GroupBy(h => h.Type))
        {
            // Only the parameter sets some headline case needs.
            Headline[] cases = [.. group];
            IConfig config = DefaultConfig.Instance
                .AddJob(Job.ShortRun.WithWarmupCount(3).WithIterationCount(5))
                .AddFilter(new SimpleFilter(b => cases.Any(h => h.Matches(b))))
                .WithOptions(ConfigOptions.DisableLogFile);
            Summary summary = BenchmarkRunner.Run(group.Key, config);
            foreach (Headline headline in cases)
            {
                BenchmarkReport? report = summary.Reports.FirstOrDefault(r => headline.Matches(r.BenchmarkCase) && r.BenchmarkCase.Descriptor.WorkloadMethod.Name == headline.Method);
                BenchmarkReport? baseline = summary.Reports.FirstOrDefault(r => headline.Matches(r.BenchmarkCase) && r.BenchmarkCase.Descriptor.WorkloadMethod.Name == headline.Baseline);
                if (report?.ResultStatistics is null || baseline?.ResultStatistics is null)
                {
                    lines.Add($"headline {headline.Name} failed");
                    continue;
                }

                double mean = report.ResultStatistics.Mean;
                long bytes = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1;
                double ratio = baseline.ResultStatistics.Mean / mean;
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"headline {headline.Name} mean_ns={mean:F2} allocated_b={bytes} baseline_ratio={ratio:F3}"));
            }
        }

        foreach (string line in lines)
        {
            Console.WriteLine(line);
        }

        return lines.Any(l => l.EndsWith("failed", StringComparison.Ordinal)) ? 1 : 0;
    }

    /// <summary>A headline case: a method of a class at given parameter values, compared with a baseline method.</summary>
    private sealed record Headline(string Name, Type Type, string Method, string Baseline, (string Name, int Value)[] Parameters)
    {
        public bool Matches(BenchmarkCase benchmark) =>
            benchmark.Descriptor.Type == Type
            && (benchmark.Descriptor.WorkloadMethod.Name == Method || benchmark.Descriptor.WorkloadMethod.Name == Baseline)
            && Parameters.All(p => benchmark.Parameters[p.Name] is int value && value == p.Value);
    }
}
