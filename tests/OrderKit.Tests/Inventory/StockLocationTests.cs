using OrderKit.Inventory;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Inventory;

public sealed class StockLocationTests
{
    [Fact]
    public void Defaults_ShipAnywhere_ServeEveryChannel_AndAreActive()
    {
        var location = new StockLocation(new LocationId("BER"), "Berlin warehouse");

        Assert.True(location.IsActive);
        Assert.True(location.ShipsTo(Berlin));
        Assert.True(location.Serves(new SalesChannel("web")));
        Assert.Equal("BER (Berlin warehouse, Warehouse)", location.ToString());
    }

    [Fact]
    public void RegionsAndChannels_LimitWhereItShipsAndWhomItServes()
    {
        var location = new StockLocation(new LocationId("HAM"), "Hamburg", LocationKind.Store) { Regions = [new ShippingRegion("DE", "2")], Channels = [new SalesChannel("pos")] };

        Assert.False(location.ShipsTo(Berlin));
        Assert.True(location.ShipsTo(Berlin with { PostalCode = "20095" }));
        Assert.False(location.Serves(new SalesChannel("web")));
    }

    [Fact]
    public void BadValues_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => new StockLocation(default, "x"));
        Assert.Throws<ArgumentException>(() => new StockLocation(new LocationId("A"), " "));
        Assert.Throws<ArgumentOutOfRangeException>(() => new StockLocation(new LocationId("A"), "A") { Rank = -1 });
        Assert.Throws<ArgumentException>(() => new StockLocation(new LocationId("A"), "A", (LocationKind)9));
        Assert.Equal("HandlingDays", Assert.Throws<ArgumentOutOfRangeException>(() => new StockLocation(new LocationId("A"), "A") { HandlingDays = -1 }).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new StockLocation(new LocationId("A"), "A") { HandlingDays = StockLocation.MaxHandlingDays + 1 });
        Assert.Equal("Calendar", Assert.Throws<ArgumentNullException>(() => new StockLocation(new LocationId("A"), "A") { Calendar = null! }).ParamName);
    }

    [Fact]
    public void Locations_WithTheSameValues_AreEqual_TheirListsComparedEntryByEntry()
    {
        StockLocation Make(string postalPrefix) => new(new LocationId("HAM"), "Hamburg", LocationKind.Store)
        {
            Regions = [new ShippingRegion("DE", postalPrefix)],
            Channels = [new SalesChannel("pos")],
            Calendar = OrderKit.Shipping.BusinessCalendar.MondayToFriday.WithHolidays([new NodaTime.LocalDate(2026, 12, 25)]),
        };

        Assert.Equal(Make("2"), Make("2"));
        Assert.Equal(Make("2").GetHashCode(), Make("2").GetHashCode());
        Assert.NotEqual(Make("2"), Make("3"));
        Assert.NotEqual(Make("2"), Make("2") with { HandlingDays = 1 });
        Assert.NotEqual(Make("2"), Make("2") with { Channels = [] });
    }

    [Fact]
    public void DeliverySettings_DefaultToSameDayShipping_OnWeekdays_InTheShopsTimeZone()
    {
        var location = new StockLocation(new LocationId("BER"), "Berlin warehouse");

        Assert.Null(location.TimeZone);
        Assert.Null(location.CutOff);
        Assert.Equal(0, location.HandlingDays);
        Assert.Equal(OrderKit.Shipping.BusinessCalendar.MondayToFriday, location.Calendar);
    }
}
