using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using OrderKit.Benchmarks.Orders;

namespace OrderKit.Benchmarks;

/// <summary>
/// Runs the benchmarks. <c>--headline</c> runs only the headline cases with a short job and prints one line each:
/// <c>headline &lt;case&gt; mean_ns=&lt;x&gt; allocated_b=&lt;y&gt; baseline_ratio=&lt;z&gt;</c>, where the ratio is the
/// baseline's time divided by the case's. Any other arguments go to BenchmarkDotNet (for example
/// <c>--filter '*OrderLifecycle*'</c>).
/// </summary>
public static class Program
{
    /// <summary>The headline cases: name, benchmark class, method of the case.</summary>
    private static readonly (string Name, Type Type, string Method)[] s_headlines =
    [
        ("lifecycle-transition", typeof(OrderLifecycleBenchmarks), nameof(OrderLifecycleBenchmarks.OrderTransition)),
        ("lifecycle-allowed-actions", typeof(OrderLifecycleBenchmarks), nameof(OrderLifecycleBenchmarks.AllowedActions)),
    ];

    public static int Main(string[] args)
    {
        if (!args.Contains("--headline"))
        {
            BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
            return 0;
        }

        IConfig config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithWarmupCount(3).WithIterationCount(5))
            .WithOptions(ConfigOptions.DisableLogFile);
        var lines = new List<string>();
        foreach (IGrouping<Type, (string Name, Type Type, string Method)> group in s_headlines.GroupBy(h => h.Type))
        {
            Summary summary = BenchmarkRunner.Run(group.Key, config);
            BenchmarkReport? baseline = summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.Baseline);
            foreach ((string name, _, string method) in group)
            {
                BenchmarkReport? report = summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method);
                if (report?.ResultStatistics is null || baseline?.ResultStatistics is null)
                {
                    lines.Add($"headline {name} failed");
                    continue;
                }

                double mean = report.ResultStatistics.Mean;
                long bytes = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? -1;
                double ratio = baseline.ResultStatistics.Mean / mean;
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"headline {name} mean_ns={mean:F2} allocated_b={bytes} baseline_ratio={ratio:F3}"));
            }
        }

        foreach (string line in lines)
        {
            Console.WriteLine(line);
        }

        return lines.Any(l => l.EndsWith("failed", StringComparison.Ordinal)) ? 1 : 0;
    }
}
