using OrderKit.Returns;

namespace OrderKit.Insights;

/// <summary>The figures a shop watches, for the orders placed in a window (overall, or for one channel or location).</summary>
/// <remarks>
/// <para>Made by <see cref="OrderInsights.Report()"/>. Rates are fractions from 0 to 1, and null when nothing qualified
/// to be counted (no order delivered yet, say). <c>docs/insights.md</c> defines each figure.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed record InsightsReport
{
    /// <summary>Gets the orders placed in the window.</summary>
    public required int Orders { get; init; }

    /// <summary>Gets those delivered in full.</summary>
    public required int Delivered { get; init; }

    /// <summary>Gets the lead time, placed to delivered, of the delivered orders.</summary>
    public required DurationStatistics LeadTime { get; init; }

    /// <summary>Gets the time from placement to the first allocation.</summary>
    public required DurationStatistics PlacedToAllocated { get; init; }

    /// <summary>Gets the time from the first allocation to the first shipment.</summary>
    public required DurationStatistics AllocatedToShipped { get; init; }

    /// <summary>Gets the time from the first shipment to delivery in full.</summary>
    public required DurationStatistics ShippedToDelivered { get; init; }

    /// <summary>Gets the share of delivered orders with a promised date that arrived by it.</summary>
    public required double? OnTimeRate { get; init; }

    /// <summary>Gets the share of allocated orders whose first allocation found stock for every open unit.</summary>
    public required double? FirstTimeFillRate { get; init; }

    /// <summary>Gets the share of orders with a unit backordered or preordered.</summary>
    public required double? BackorderRate { get; init; }

    /// <summary>Gets the share of shipped orders that left in more than one consignment.</summary>
    public required double? SplitShipmentRate { get; init; }

    /// <summary>Gets the share of orders cancelled in full.</summary>
    public required double? CancellationRate { get; init; }

    /// <summary>Gets the share of delivered units asked back.</summary>
    public required double? ReturnRate { get; init; }

    /// <summary>Gets the units asked back, per reason.</summary>
    public required IReadOnlyDictionary<ReturnReason, int> ReturnReasons { get; init; }

    /// <summary>Gets the share of delivered orders that were perfect: delivered complete, on time (or without a promise), undamaged, and nothing asked back.</summary>
    public required double? PerfectOrderRate { get; init; }
}
