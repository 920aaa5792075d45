using NodaTime;
using OrderKit.Returns;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Returns;

public sealed class ReturnPolicyTests
{
    private static readonly SalesChannel s_web = new("web");
    private static readonly SalesChannel s_pos = new("pos");

    [Fact]
    public void Defaults_ThirtyDays_NoFee_ShippingRefundedOnTheShopsFault()
    {
        var policy = new ReturnPolicy();

        Assert.Equal(Period.FromDays(30), policy.WindowFor(s_web, Mug));
        Assert.Equal(0m, policy.RestockingFeeRate);
        Assert.True(policy.RefundShippingOnShopFault);
        Assert.Equal(new LocalDate(2026, 3, 31), policy.LastDayToReturn(s_web, Mug, new LocalDate(2026, 3, 1)));
    }

    [Fact]
    public void ASkusWindow_WinsOverItsChannels_WhichWinsOverTheDefault()
    {
        var policy = new ReturnPolicy
        {
            Window = Period.FromDays(14),
            ChannelWindows = new Dictionary<SalesChannel, Period> { [s_pos] = Period.FromMonths(1) },
            SkuWindows = new Dictionary<Sku, Period> { [Cap] = Period.Zero },
        };

        Assert.Equal(Period.FromDays(14), policy.WindowFor(s_web, Mug));
        Assert.Equal(Period.FromMonths(1), policy.WindowFor(s_pos, Mug));
        Assert.Equal(Period.Zero, policy.WindowFor(s_pos, Cap));
        Assert.Equal(new LocalDate(2026, 2, 28), policy.LastDayToReturn(s_pos, Mug, new LocalDate(2026, 1, 31)));
        Assert.Equal(new LocalDate(2026, 1, 31), policy.LastDayToReturn(s_pos, Cap, new LocalDate(2026, 1, 31)));
    }

    [Fact]
    public void BadValues_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => new ReturnPolicy { Window = Period.FromDays(-1) });
        Assert.Throws<ArgumentException>(() => new ReturnPolicy { Window = Period.FromHours(12) });
        Assert.Throws<ArgumentException>(() => new ReturnPolicy { SkuWindows = new Dictionary<Sku, Period> { [Mug] = Period.FromWeeks(-2) } });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReturnPolicy { RestockingFeeRate = 1.5m });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReturnPolicy { RestockingFeeRate = -0.1m });
        Assert.Throws<ArgumentNullException>(() => new OrderKitOptions { Returns = null! }.Validate());
    }
}
