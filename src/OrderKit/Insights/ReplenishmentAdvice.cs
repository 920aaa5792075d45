using System.Globalization;

namespace OrderKit.Insights;

/// <summary>What one SKU at one location needs: its demand, how long its stock lasts, and when and how much to reorder.</summary>
/// <param name="Sku">The SKU.</param>
/// <param name="Location">The location.</param>
/// <param name="DailyDemand">Units shipped from the location per day over the demand window.</param>
/// <param name="Available">Units on hand less reserved and safety stock.</param>
/// <param name="Incoming">Units expected to arrive.</param>
/// <param name="DaysOfCover">How many days the available units last at that demand; null when there is no demand.</param>
/// <param name="ReorderPoint">Demand during the lead time (rounded up) plus safety stock: reorder when available and incoming fall to it.</param>
/// <param name="SuggestedQuantity">Units to order now to cover the lead time and the cover days; 0 when above the reorder point.</param>
/// <remarks>Thread safety: immutable and thread-safe.</remarks>
public sealed record ReplenishmentAdvice(Sku Sku, LocationId Location, double DailyDemand, int Available, int Incoming, double? DaysOfCover, int ReorderPoint, int SuggestedQuantity)
{
    /// <summary>Gets whether available and incoming units are at or below the reorder point.</summary>
    public bool IsAtOrBelowReorderPoint => Available + Incoming <= ReorderPoint && DailyDemand > 0;

    /// <summary>Returns the figures, such as <c>MUG-RED @ BER: 2.5/day, 12 available (4.8 days), reorder at 20, order 43</c>.</summary>
    /// <returns>The advice as text.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Sku} @ {Location}: {DailyDemand:0.##}/day, {Available} available{(DaysOfCover is { } days ? $" ({days:0.#} days)" : string.Empty)}, reorder at {ReorderPoint}, order {SuggestedQuantity}");
}
