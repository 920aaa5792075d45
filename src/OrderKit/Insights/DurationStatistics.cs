using System.Globalization;
using NodaTime;

namespace OrderKit.Insights;

/// <summary>How long something took, over a number of orders: the mean and the median, 90th and 99th percentiles.</summary>
/// <param name="Count">The orders measured.</param>
/// <param name="Mean">The mean; zero when none were measured.</param>
/// <param name="Median">The median (50th percentile).</param>
/// <param name="P90">The 90th percentile: nine in ten took at most this long.</param>
/// <param name="P99">The 99th percentile.</param>
/// <remarks>Percentiles are by nearest rank: the smallest measured value with at least that share of the values at or below it, so each is a duration some order actually took.</remarks>
public sealed record DurationStatistics(int Count, Duration Mean, Duration Median, Duration P90, Duration P99)
{
    /// <summary>Gets the statistics of nothing measured.</summary>
    public static DurationStatistics Empty { get; } = new(0, Duration.Zero, Duration.Zero, Duration.Zero, Duration.Zero);

    /// <summary>Computes the statistics of some durations.</summary>
    /// <param name="values">The durations, in any order.</param>
    /// <returns>Their statistics; <see cref="Empty"/> for none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    public static DurationStatistics Of(IEnumerable<Duration> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Duration[] sorted = [.. values];
        if (sorted.Length == 0)
        {
            return Empty;
        }

        Array.Sort(sorted);
        Duration total = Duration.Zero;
        foreach (Duration value in sorted)
        {
            total += value;
        }

        return new DurationStatistics(sorted.Length, total / sorted.Length, Rank(sorted, 50), Rank(sorted, 90), Rank(sorted, 99));
    }

    /// <summary>Returns the count and the figures in hours, such as <c>n=40 mean=31.2h p50=28.0h p90=52.5h p99=70.1h</c>.</summary>
    /// <returns>The statistics as text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"n={Count} mean={Mean.TotalHours:0.0}h p50={Median.TotalHours:0.0}h p90={P90.TotalHours:0.0}h p99={P99.TotalHours:0.0}h");

    private static Duration Rank(Duration[] sorted, int percent)
    {
        int rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
