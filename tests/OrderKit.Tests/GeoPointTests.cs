namespace OrderKit.Tests;

public sealed class GeoPointTests
{
    [Fact]
    public void DistanceKmTo_BerlinToMunich_IsAbout504Km()
    {
        var berlin = new GeoPoint(52.5200, 13.4050);
        var munich = new GeoPoint(48.1351, 11.5820);

        Assert.InRange(berlin.DistanceKmTo(munich), 500, 508);
        Assert.Equal(0, berlin.DistanceKmTo(berlin), 9);
        Assert.Equal("52.52,13.405", berlin.ToString());
    }

    [Theory]
    [InlineData(91, 0, "latitude")]
    [InlineData(0, -181, "longitude")]
    [InlineData(double.NaN, 0, "latitude")]
    public void OutOfRange_IsRefused(double latitude, double longitude, string paramName)
    {
        Assert.Equal(paramName, Assert.Throws<ArgumentOutOfRangeException>(() => new GeoPoint(latitude, longitude)).ParamName);
    }
}
