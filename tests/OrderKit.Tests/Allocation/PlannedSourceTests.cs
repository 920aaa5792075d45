using OrderKit.Allocation;

namespace OrderKit.Tests.Allocation;

public sealed class PlannedSourceTests
{
    [Fact]
    public void ValueAndText()
    {
        Assert.Equal("2 @ BER", new PlannedSource(new LocationId("BER"), 2, true).ToString());
        Assert.Equal(new PlannedSource(new LocationId("BER"), 2, true), new PlannedSource(new LocationId("BER"), 2, true));
    }
}
