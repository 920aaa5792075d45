using OrderKit.Inventory;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Inventory;

public sealed class ShippingRegionTests
{
    [Fact]
    public void Covers_MatchesCountryAndPostalPrefix()
    {
        Assert.True(new ShippingRegion("de").Covers(Berlin));
        Assert.True(new ShippingRegion("DE", "101").Covers(Berlin));
        Assert.False(new ShippingRegion("DE", "20").Covers(Berlin));
        Assert.False(new ShippingRegion("FR").Covers(Berlin));
        Assert.Equal("DE-10*", new ShippingRegion("DE", "10").ToString());
    }

    [Fact]
    public void BadCountryCode_IsRefused()
    {
        Assert.Contains("\"DEU\"", Assert.Throws<ArgumentException>(() => new ShippingRegion("DEU")).Message, StringComparison.Ordinal);
    }
}
