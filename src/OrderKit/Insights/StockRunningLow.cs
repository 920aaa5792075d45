using NodaTime;

namespace OrderKit.Insights;

/// <summary>A SKU at a location fell to its reorder point: raised once per crossing by <see cref="ReplenishmentAdvisor.CheckAsync"/>.</summary>
/// <param name="Advice">The advice at that moment, with the quantity to order.</param>
/// <param name="DetectedAt">When it was found.</param>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record StockRunningLow(ReplenishmentAdvice Advice, Instant DetectedAt);
