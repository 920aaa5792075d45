using NodaTime;

namespace OrderKit.Inventory;

/// <summary>Stock reserved for a shopping cart until a time limit, so the customer can check out without losing it.</summary>
/// <remarks>
/// <para>A hold lives until it expires (a sweep releases it, <see cref="InventoryService.SweepExpiredCartHoldsAsync"/>),
/// until the cart gives it up (<see cref="InventoryService.ReleaseCartHoldAsync"/>), or until the order placed from the
/// cart takes it over (<see cref="Orders.PlaceOrderRequest.CartId"/>). Once taken over, <see cref="OrderId"/> is set,
/// the hold no longer expires, and the order's allocation uses its units first.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
/// <param name="CartId">The cart's identifier, chosen by the storefront.</param>
/// <param name="Lines">The units reserved, one entry per SKU and location.</param>
/// <param name="PlacedAt">When the hold was placed.</param>
/// <param name="ExpiresAt">When it lapses, unless an order has taken it over.</param>
/// <param name="OrderId">The order that took the hold over, if one did.</param>
public sealed record CartHold(string CartId, IReadOnlyList<HeldStock> Lines, Instant PlacedAt, Instant ExpiresAt, OrderId? OrderId = null)
{
    /// <summary>Returns whether the hold has lapsed at an instant: it expired and no order took it over.</summary>
    /// <param name="now">The instant.</param>
    /// <returns>True when the hold should be released.</returns>
    public bool IsExpiredAt(Instant now) => OrderId is null && ExpiresAt <= now;

    /// <summary>Returns the cart and its units, such as <c>cart-17: 2 x MUG-RED @ WH-1 until 2026-11-22T10:15:00Z</c>.</summary>
    /// <returns>The hold as text.</returns>
    public override string ToString() =>
        $"{CartId}: {string.Join(", ", Lines)}" + (OrderId is { } order ? $" for order {order}" : $" until {ExpiresAt}");
}
