using NodaTime;

namespace OrderKit.Returns;

/// <summary>How long customers may return what they bought, and what a return costs them.</summary>
/// <remarks>
/// <para>Set on <see cref="OrderKitOptions.Returns"/>. The window is a calendar <see cref="Period"/> counted from the
/// day a unit was delivered (in <see cref="OrderKitOptions.TimeZone"/>): a 30-day window for a unit delivered on
/// 1 March ends with 31 March. A SKU's own window wins over its channel's, which wins over <see cref="Window"/>.</para>
/// <para>Thread safety: immutable once built; share one.</para>
/// </remarks>
public sealed class ReturnPolicy
{
    /// <summary>Gets the window for SKUs and channels without one of their own; 30 days unless set.</summary>
    /// <exception cref="ArgumentException">The period is negative or has a time part.</exception>
    public Period Window
    {
        get;
        init => field = Check(value, nameof(Window));
    } = Period.FromDays(30);

    /// <summary>Gets windows per sales channel; empty unless set.</summary>
    /// <exception cref="ArgumentException">A period is negative or has a time part.</exception>
    public IReadOnlyDictionary<SalesChannel, Period> ChannelWindows
    {
        get;
        init => field = CheckAll(value, nameof(ChannelWindows));
    } = new Dictionary<SalesChannel, Period>();

    /// <summary>Gets windows per SKU (final sale items: <see cref="Period.Zero"/>); empty unless set.</summary>
    /// <exception cref="ArgumentException">A period is negative or has a time part.</exception>
    public IReadOnlyDictionary<Sku, Period> SkuWindows
    {
        get;
        init => field = CheckAll(value, nameof(SkuWindows));
    } = new Dictionary<Sku, Period>();

    /// <summary>Gets the share of a returned unit's price kept back when the return is not the shop's fault, from 0 to 1; 0 unless set.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 0 to 1.</exception>
    public decimal RestockingFeeRate
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(RestockingFeeRate));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 1m, nameof(RestockingFeeRate));
            field = value;
        }
    }

    /// <summary>Gets whether the returned units' share of the shipping charge is refunded when the return is the shop's fault; true unless set.</summary>
    public bool RefundShippingOnShopFault { get; init; } = true;

    /// <summary>Returns the window that applies to a SKU sold through a channel.</summary>
    /// <param name="channel">The order's channel.</param>
    /// <param name="sku">The SKU.</param>
    /// <returns>The SKU's window, else the channel's, else <see cref="Window"/>.</returns>
    public Period WindowFor(SalesChannel channel, Sku sku) =>
        SkuWindows.TryGetValue(sku, out Period? bySku) ? bySku
        : ChannelWindows.TryGetValue(channel, out Period? byChannel) ? byChannel
        : Window;

    /// <summary>Returns the last day a unit delivered on a date may still be returned.</summary>
    /// <param name="channel">The order's channel.</param>
    /// <param name="sku">The SKU.</param>
    /// <param name="deliveredOn">The day it was delivered.</param>
    /// <returns>The delivery day plus the window.</returns>
    public LocalDate LastDayToReturn(SalesChannel channel, Sku sku, LocalDate deliveredOn) => deliveredOn.Plus(WindowFor(channel, sku));

    /// <summary>The longest window of the policy, for the completion sweep's first cut.</summary>
    internal IEnumerable<Period> AllWindows => SkuWindows.Values.Concat(ChannelWindows.Values).Append(Window);

    private static Period Check(Period value, string name)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        if (value.HasTimeComponent || IsNegative(value))
        {
            throw new ArgumentException($"{name} {value} must be a whole number of days, weeks, months or years, not negative.", name);
        }

        return value;
    }

    private static bool IsNegative(Period value) => value.Years < 0 || value.Months < 0 || value.Weeks < 0 || value.Days < 0;

    private static Dictionary<TKey, Period> CheckAll<TKey>(IReadOnlyDictionary<TKey, Period> values, string name)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(values, name);
        var copy = new Dictionary<TKey, Period>(values.Count);
        foreach (KeyValuePair<TKey, Period> pair in values)
        {
            copy[pair.Key] = Check(pair.Value, $"{name}[{pair.Key}]");
        }

        return copy;
    }
}
