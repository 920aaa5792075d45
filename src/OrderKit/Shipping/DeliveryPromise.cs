using System.Globalization;
using NodaTime;
using NodaTime.TimeZones;
using OrderKit.Inventory;

namespace OrderKit.Shipping;

/// <summary>When a location must hand an order to the carrier, and when the customer can expect it.</summary>
/// <param name="Location">The location that ships.</param>
/// <param name="ShipDate">The working day the location ships on, in its time zone.</param>
/// <param name="ShipBy">The moment the parcel must be with the carrier: the location's cut-off on <paramref name="ShipDate"/>, or the end of that day when it has none.</param>
/// <param name="EstimatedDelivery">The working day the carrier delivers on; null when the transit time is not known.</param>
/// <remarks>
/// <para>Computed by <see cref="For"/> from the location's <see cref="StockLocation.TimeZone"/>,
/// <see cref="StockLocation.CutOff"/>, <see cref="StockLocation.Calendar"/> and
/// <see cref="StockLocation.HandlingDays"/>, and the carrier service's transit days. <c>docs/delivery-promise.md</c>
/// works through examples, across daylight-saving changes and year ends among them.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed record DeliveryPromise(LocationId Location, LocalDate ShipDate, Instant ShipBy, LocalDate? EstimatedDelivery)
{
    private static readonly ZoneLocalMappingResolver s_cutOffResolver = Resolvers.CreateMappingResolver(Resolvers.ReturnLater, Resolvers.ReturnForwardShifted);

    /// <summary>Computes the promise of a location for an order that became ready to ship at a moment.</summary>
    /// <remarks>
    /// <list type="number">
    /// <item>The moment is read in the location's time zone (<paramref name="defaultTimeZone"/> when it has none).</item>
    /// <item>An order ready on a working day before the cut-off counts from that day; one ready at or after the
    /// cut-off, or on a day off, counts from the next working day.</item>
    /// <item>The handling days are working days added to that day: the result is the ship date.</item>
    /// <item>The ship-by moment is the cut-off on the ship date. A cut-off that a daylight-saving change skips that day
    /// moves forward by the gap; one that the change repeats is the later of the two, so that an order ready between
    /// them still has until the cut-off. Without a cut-off, it is the start of the next day. Either way it is after
    /// <paramref name="readyAt"/>.</item>
    /// <item>The estimated delivery is the ship date plus the transit days, counted on
    /// <paramref name="transitCalendar"/>.</item>
    /// </list>
    /// </remarks>
    /// <param name="location">The location that ships.</param>
    /// <param name="readyAt">When the order became ready to ship (placed and paid, with stock allocated).</param>
    /// <param name="defaultTimeZone">The time zone for a location that has none, usually <see cref="OrderKitOptions.TimeZone"/>.</param>
    /// <param name="transitDays">The carrier service's working days in transit, from 0 to <see cref="BusinessCalendar.MaxDays"/>; null when not known.</param>
    /// <param name="transitCalendar">The days carriers deliver on; <see cref="BusinessCalendar.MondayToFriday"/> when null.</param>
    /// <returns>The promise.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="location"/> or <paramref name="defaultTimeZone"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="transitDays"/> is negative or too large.</exception>
    public static DeliveryPromise For(StockLocation location, Instant readyAt, DateTimeZone defaultTimeZone, int? transitDays = null, BusinessCalendar? transitCalendar = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(defaultTimeZone);
        if (transitDays is { } days)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(days, nameof(transitDays));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(days, BusinessCalendar.MaxDays, nameof(transitDays));
        }

        DateTimeZone zone = location.TimeZone ?? defaultTimeZone;
        BusinessCalendar calendar = location.Calendar;
        LocalDateTime local = readyAt.InZone(zone).LocalDateTime;
        LocalDate start = local.Date;
        if (!calendar.IsWorkingDay(start) || (location.CutOff is { } late && local.TimeOfDay >= late))
        {
            start = calendar.NextWorkingDay(start);
        }

        LocalDate shipDate = calendar.AddWorkingDays(start, location.HandlingDays);
        Instant shipBy = location.CutOff is { } cutOff
            ? zone.ResolveLocal(shipDate.At(cutOff), s_cutOffResolver).ToInstant()
            : zone.AtStartOfDay(shipDate.PlusDays(1)).ToInstant();
        LocalDate? delivery = transitDays is { } transit ? (transitCalendar ?? BusinessCalendar.MondayToFriday).AddWorkingDays(shipDate, transit) : null;
        return new DeliveryPromise(location.Id, shipDate, shipBy, delivery);
    }

    /// <summary>Returns the location, ship date, ship-by moment and estimated delivery, such as <c>BER ships 2026-11-23 by 2026-11-23T13:00:00Z, delivers 2026-11-25</c>.</summary>
    /// <returns>The promise as text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Location} ships {ShipDate:uuuu-MM-dd} by {ShipBy}") +
        (EstimatedDelivery is { } date ? string.Create(CultureInfo.InvariantCulture, $", delivers {date:uuuu-MM-dd}") : string.Empty);
}
