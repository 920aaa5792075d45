using NodaTime;
using OrderKit.Inventory;
using OrderKit.Shipping;

namespace OrderKit.Benchmarks.Shipping;

/// <summary>
/// The cost of a delivery promise, which every order pays once at its first allocation: a location in Europe/Berlin
/// with a 14:00 cut-off, a calendar with nine holidays, one handling day, and three days in transit. The baseline is
/// the least any promise must do: read the moment in the location's time zone.
/// </summary>
[MemoryDiagnoser]
public class DeliveryPromiseBenchmarks
{
    private static readonly DateTimeZone s_berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];

    private readonly StockLocation _location = new(new LocationId("BER"), "Berlin warehouse")
    {
        TimeZone = s_berlin,
        CutOff = new LocalTime(14, 0),
        HandlingDays = 1,
        Calendar = BusinessCalendar.MondayToFriday.WithHolidays(
        [
            new LocalDate(2026, 1, 1), new LocalDate(2026, 4, 3), new LocalDate(2026, 4, 6), new LocalDate(2026, 5, 1),
            new LocalDate(2026, 5, 14), new LocalDate(2026, 5, 25), new LocalDate(2026, 10, 3), new LocalDate(2026, 12, 25),
            new LocalDate(2026, 12, 26),
        ]),
    };

    // Friday after the cut-off: the promise crosses a weekend.
    private readonly Instant _readyAt = Instant.FromUtc(2026, 11, 6, 15, 0);

    [Benchmark(Baseline = true)]
    public LocalDateTime ReadInZone() => _readyAt.InZone(s_berlin).LocalDateTime;

    [Benchmark]
    public DeliveryPromise Promise() => DeliveryPromise.For(_location, _readyAt, DateTimeZone.Utc, 3);
}
