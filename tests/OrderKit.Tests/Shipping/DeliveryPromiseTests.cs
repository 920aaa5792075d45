using NodaTime;
using NodaTime.Text;
using OrderKit.Inventory;
using OrderKit.Shipping;

namespace OrderKit.Tests.Shipping;

/// <summary>Covers <see cref="DeliveryPromise"/> with fixed examples (cut-offs, weekends, holidays, daylight-saving changes, year ends) and properties.</summary>
public sealed class DeliveryPromiseTests
{
    private static readonly DateTimeZone s_berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
    private static readonly DateTimeZone s_auckland = DateTimeZoneProviders.Tzdb["Pacific/Auckland"];
    private static readonly LocationId s_ber = new("BER");

    private static StockLocation Berlin(LocalTime? cutOff = null, int handlingDays = 0, BusinessCalendar? calendar = null) =>
        new(s_ber, "Berlin warehouse")
        {
            TimeZone = s_berlin,
            CutOff = cutOff ?? new LocalTime(14, 0),
            HandlingDays = handlingDays,
            Calendar = calendar ?? BusinessCalendar.MondayToFriday,
        };

    private static Instant Utc(string text) => InstantPattern.General.Parse(text).GetValueOrThrow();

    [Theory]
    [InlineData("2026-11-02T09:00:00Z", "2026-11-02", "2026-11-02T13:00:00Z", "2026-11-04")] // Monday 10:00 in Berlin: ships today
    [InlineData("2026-11-02T12:59:59Z", "2026-11-02", "2026-11-02T13:00:00Z", "2026-11-04")] // a second before the cut-off
    [InlineData("2026-11-02T13:00:00Z", "2026-11-03", "2026-11-03T13:00:00Z", "2026-11-05")] // at the cut-off: tomorrow
    [InlineData("2026-11-06T14:00:00Z", "2026-11-09", "2026-11-09T13:00:00Z", "2026-11-11")] // Friday after the cut-off: Monday
    [InlineData("2026-11-07T09:00:00Z", "2026-11-09", "2026-11-09T13:00:00Z", "2026-11-11")] // Saturday: Monday
    [InlineData("2026-11-01T23:30:00Z", "2026-11-02", "2026-11-02T13:00:00Z", "2026-11-04")] // Sunday 23:30 UTC is Monday 00:30 in Berlin
    public void CutOffAndWeekend_DecideTheShipDate(string readyAt, string shipDate, string shipBy, string delivery)
    {
        DeliveryPromise promise = DeliveryPromise.For(Berlin(), Utc(readyAt), DateTimeZone.Utc, transitDays: 2);

        Assert.Equal(LocalDatePattern.Iso.Parse(shipDate).Value, promise.ShipDate);
        Assert.Equal(Utc(shipBy), promise.ShipBy);
        Assert.Equal(LocalDatePattern.Iso.Parse(delivery).Value, promise.EstimatedDelivery);
        Assert.Equal(s_ber, promise.Location);
    }

    [Fact]
    public void HandlingDays_AreWorkingDays_AfterTheReadyDay()
    {
        // Thursday 10:00 with two handling days: Friday, then Monday.
        DeliveryPromise promise = DeliveryPromise.For(Berlin(handlingDays: 2), Utc("2026-11-05T09:00:00Z"), DateTimeZone.Utc);

        Assert.Equal(new LocalDate(2026, 11, 9), promise.ShipDate);
        Assert.Null(promise.EstimatedDelivery);
    }

    [Fact]
    public void WithoutACutOff_AnyTimeOfAWorkingDay_ShipsThatDay_ByItsEnd()
    {
        var location = new StockLocation(s_ber, "Berlin warehouse") { TimeZone = s_berlin };

        DeliveryPromise promise = DeliveryPromise.For(location, Utc("2026-11-02T22:30:00Z"), DateTimeZone.Utc, 1);

        Assert.Equal(new LocalDate(2026, 11, 2), promise.ShipDate);
        Assert.Equal(Utc("2026-11-02T23:00:00Z"), promise.ShipBy);
        Assert.Equal(new LocalDate(2026, 11, 3), promise.EstimatedDelivery);
    }

    [Fact]
    public void ALocationWithoutATimeZone_UsesTheDefault()
    {
        var location = new StockLocation(s_ber, "Berlin warehouse") { CutOff = new LocalTime(14, 0) };

        Assert.Equal(Utc("2026-11-02T14:00:00Z"), DeliveryPromise.For(location, Utc("2026-11-02T13:30:00Z"), DateTimeZone.Utc).ShipBy);
        Assert.Equal(Utc("2026-11-03T13:00:00Z"), DeliveryPromise.For(location, Utc("2026-11-02T13:30:00Z"), s_berlin).ShipBy);
    }

    [Fact]
    public void SpringForward_MovesTheCutOffInUtc_AndASkippedCutOffMovesForward()
    {
        // Friday 2026-03-27 is on CET (UTC+1); Monday 2026-03-30 on CEST (UTC+2).
        Assert.Equal(Utc("2026-03-27T13:00:00Z"), DeliveryPromise.For(Berlin(), Utc("2026-03-27T09:00:00Z"), DateTimeZone.Utc).ShipBy);
        Assert.Equal(Utc("2026-03-30T12:00:00Z"), DeliveryPromise.For(Berlin(), Utc("2026-03-27T14:00:00Z"), DateTimeZone.Utc).ShipBy);

        // On Sunday 2026-03-29 the clocks go from 02:00 to 03:00: a 02:30 cut-off that day is 03:30 CEST.
        DeliveryPromise skipped = DeliveryPromise.For(Berlin(new LocalTime(2, 30), calendar: BusinessCalendar.EveryDay), Utc("2026-03-29T00:00:00Z"), DateTimeZone.Utc);
        Assert.Equal(new LocalDate(2026, 3, 29), skipped.ShipDate);
        Assert.Equal(Utc("2026-03-29T01:30:00Z"), skipped.ShipBy);
    }

    [Fact]
    public void FallBack_ARepeatedCutOff_IsTheLaterOne()
    {
        // On Sunday 2026-10-25 the clocks go from 03:00 back to 02:00: 02:30 happens at 00:30 UTC and at 01:30 UTC.
        StockLocation location = Berlin(new LocalTime(2, 30), calendar: BusinessCalendar.EveryDay);

        // Ready at 02:15 the first time, or the second: until the second 02:30.
        Assert.Equal(Utc("2026-10-25T01:30:00Z"), DeliveryPromise.For(location, Utc("2026-10-25T00:15:00Z"), DateTimeZone.Utc).ShipBy);
        Assert.Equal(Utc("2026-10-25T01:30:00Z"), DeliveryPromise.For(location, Utc("2026-10-25T01:15:00Z"), DateTimeZone.Utc).ShipBy);

        // Ready at 02:45 the first time: past the cut-off, so Monday 02:30 CET.
        Assert.Equal(Utc("2026-10-26T01:30:00Z"), DeliveryPromise.For(location, Utc("2026-10-25T00:45:00Z"), DateTimeZone.Utc).ShipBy);
    }

    [Fact]
    public void YearEnd_SkipsHolidays_InBothCalendars()
    {
        BusinessCalendar holidays = BusinessCalendar.MondayToFriday.WithHolidays([new LocalDate(2026, 12, 25), new LocalDate(2027, 1, 1)]);

        // Thursday 2026-12-31 after the cut-off: Friday is New Year's Day, so Monday 2027-01-04.
        DeliveryPromise newYear = DeliveryPromise.For(Berlin(calendar: holidays), Utc("2026-12-31T15:00:00Z"), DateTimeZone.Utc, 1);
        Assert.Equal(new LocalDate(2027, 1, 4), newYear.ShipDate);
        Assert.Equal(Utc("2027-01-04T13:00:00Z"), newYear.ShipBy);
        Assert.Equal(new LocalDate(2027, 1, 5), newYear.EstimatedDelivery);

        // Wednesday 2026-12-30, three days in transit: carriers that work on New Year's Day deliver Monday, others Tuesday.
        Instant wednesday = Utc("2026-12-30T09:00:00Z");
        Assert.Equal(new LocalDate(2027, 1, 4), DeliveryPromise.For(Berlin(calendar: holidays), wednesday, DateTimeZone.Utc, 3).EstimatedDelivery);
        Assert.Equal(new LocalDate(2027, 1, 5), DeliveryPromise.For(Berlin(calendar: holidays), wednesday, DateTimeZone.Utc, 3, holidays).EstimatedDelivery);
    }

    [Fact]
    public void YearEnd_IsReadInTheLocationsZone()
    {
        // 2026-12-31 12:00 UTC is already 2027-01-01 01:00 in Auckland: a holiday there, so Monday 2027-01-04, 14:00 NZDT.
        var auckland = new StockLocation(new LocationId("AKL"), "Auckland")
        {
            TimeZone = s_auckland,
            CutOff = new LocalTime(14, 0),
            Calendar = BusinessCalendar.MondayToFriday.WithHolidays([new LocalDate(2027, 1, 1)]),
        };

        DeliveryPromise promise = DeliveryPromise.For(auckland, Utc("2026-12-31T12:00:00Z"), DateTimeZone.Utc);

        Assert.Equal(new LocalDate(2027, 1, 4), promise.ShipDate);
        Assert.Equal(Utc("2027-01-04T01:00:00Z"), promise.ShipBy);
    }

    [Fact]
    public void BadInput_IsRefused()
    {
        Instant now = Utc("2026-11-02T09:00:00Z");
        Assert.Throws<ArgumentNullException>(() => DeliveryPromise.For(null!, now, DateTimeZone.Utc));
        Assert.Throws<ArgumentNullException>(() => DeliveryPromise.For(Berlin(), now, null!));
        Assert.Equal("transitDays", Assert.Throws<ArgumentOutOfRangeException>(() => DeliveryPromise.For(Berlin(), now, DateTimeZone.Utc, -1)).ParamName);
        Assert.Equal("transitDays", Assert.Throws<ArgumentOutOfRangeException>(() => DeliveryPromise.For(Berlin(), now, DateTimeZone.Utc, BusinessCalendar.MaxDays + 1)).ParamName);
    }

    [Fact]
    public void Text_SaysWhereWhenAndBy()
    {
        DeliveryPromise promise = DeliveryPromise.For(Berlin(), Utc("2026-11-02T09:00:00Z"), DateTimeZone.Utc, 2);

        Assert.Equal("BER ships 2026-11-02 by 2026-11-02T13:00:00Z, delivers 2026-11-04", promise.ToString());
        Assert.Equal("BER ships 2026-11-02 by 2026-11-02T13:00:00Z", (promise with { EstimatedDelivery = null }).ToString());
    }

    [Fact]
    public void ShippingMethod_TakesARate_AndRefusesBadValues()
    {
        ShippingMethod method = ShippingMethod.From(new ShippingRate("dhl", "express", new Money(12.90m, Currency.EUR), 1));

        Assert.Equal(new ShippingMethod("dhl", "express", 1), method);
        Assert.Equal("dhl/express (1 day)", method.ToString());
        Assert.Equal("ups/ground (3 days)", new ShippingMethod("ups", "ground", 3).ToString());
        Assert.Throws<ArgumentException>(() => new ShippingMethod(" ", "express", 1));
        Assert.Throws<ArgumentException>(() => new ShippingMethod("dhl", "", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ShippingMethod("dhl", "express", -1));
        Assert.Throws<ArgumentNullException>(() => ShippingMethod.From(null!));
    }

    /// <summary>Whatever the zone, cut-off, calendar and moment: the order ships on a working day, after it is ready, and arrives no earlier than it ships.</summary>
    [Property(MaxTest = 500)]
    public Property Promise_IsAfterReady_OnAWorkingDay() =>
        Prop.ForAll(
            Arb.From(
                from zone in Gen.Elements("Europe/Berlin", "America/New_York", "Pacific/Auckland", "Asia/Kolkata", "UTC")
                from minutes in Gen.Choose(0, 2 * 366 * 24 * 60)
                from cutOff in Gen.Elements<int?>(null, 0, 30, 150, 840, 1439)
                from handling in Gen.Choose(0, 4)
                from transit in Gen.Choose(0, 6)
                from mask in Gen.Choose(1, 127)
                select (zone, minutes, cutOff, handling, transit, mask)),
            run =>
            {
                var calendar = new BusinessCalendar(
                    Enumerable.Range(1, 7).Where(d => (run.mask & (1 << (d - 1))) != 0).Select(d => (IsoDayOfWeek)d),
                    [new LocalDate(2026, 12, 25), new LocalDate(2027, 1, 1)]);
                var location = new StockLocation(s_ber, "Somewhere")
                {
                    TimeZone = DateTimeZoneProviders.Tzdb[run.zone],
                    CutOff = run.cutOff is { } m ? LocalTime.FromMinutesSinceMidnight(m) : null,
                    HandlingDays = run.handling,
                    Calendar = calendar,
                };
                Instant ready = Instant.FromUtc(2026, 1, 1, 0, 0) + Duration.FromMinutes(run.minutes);

                DeliveryPromise promise = DeliveryPromise.For(location, ready, DateTimeZone.Utc, run.transit);

                Assert.True(promise.ShipBy > ready, $"{promise} is not after {ready}");
                Assert.True(calendar.IsWorkingDay(promise.ShipDate));
                Assert.True(promise.ShipDate >= ready.InZone(location.TimeZone!).Date);
                Assert.True(promise.EstimatedDelivery >= promise.ShipDate);
                return true;
            });
}
