using System.Globalization;
using NodaTime;

namespace OrderKit.Shipping;

/// <summary>The days on which work happens: which days of the week, less the holidays.</summary>
/// <remarks>
/// <para>A stock location's calendar says on which days it picks and hands parcels to carriers
/// (<see cref="Inventory.StockLocation.Calendar"/>); <see cref="OrderKitOptions.TransitCalendar"/> says on which days
/// carriers move them. <see cref="DeliveryPromise"/> counts handling and transit days on them.</para>
/// <para>Two calendars with the same working days and holidays are equal.</para>
/// <para>Thread safety: immutable and thread-safe.</para>
/// </remarks>
public sealed class BusinessCalendar : IEquatable<BusinessCalendar>
{
    /// <summary>The most holidays a calendar can hold.</summary>
    public const int MaxHolidays = 10_000;

    /// <summary>The most working days <see cref="AddWorkingDays"/> counts at once.</summary>
    public const int MaxDays = 3_660;

    private readonly int _mask;
    private readonly LocalDate[] _holidays;
    private readonly HashSet<LocalDate> _holidaySet;

    /// <summary>Creates a calendar.</summary>
    /// <param name="workingDays">The days of the week on which work happens; at least one. Repeats are ignored.</param>
    /// <param name="holidays">Dates on which no work happens although their day of the week is a working day; null for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="workingDays"/> is null.</exception>
    /// <exception cref="ArgumentException">There is no working day, a day is not a day of the week, or there are more than <see cref="MaxHolidays"/> holidays.</exception>
    public BusinessCalendar(IEnumerable<IsoDayOfWeek> workingDays, IEnumerable<LocalDate>? holidays = null)
    {
        ArgumentNullException.ThrowIfNull(workingDays);
        int mask = 0;
        foreach (IsoDayOfWeek day in workingDays)
        {
            if (day is < IsoDayOfWeek.Monday or > IsoDayOfWeek.Sunday)
            {
                throw new ArgumentException($"workingDays holds {(int)day}, which is not a day of the week.", nameof(workingDays));
            }

            mask |= 1 << (int)day;
        }

        if (mask == 0)
        {
            throw new ArgumentException("A business calendar needs at least one working day.", nameof(workingDays));
        }

        _mask = mask;
        _holidaySet = holidays is null ? [] : [.. holidays];
        if (_holidaySet.Count > MaxHolidays)
        {
            throw new ArgumentException($"holidays holds {_holidaySet.Count} dates; a calendar holds at most {MaxHolidays}.", nameof(holidays));
        }

        _holidays = [.. _holidaySet.Order()];
        WorkingDays = [.. Enumerable.Range(1, 7).Where(d => (mask & (1 << d)) != 0).Select(d => (IsoDayOfWeek)d)];
    }

    /// <summary>Gets Monday to Friday, with no holidays.</summary>
    public static BusinessCalendar MondayToFriday { get; } = new([IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday, IsoDayOfWeek.Wednesday, IsoDayOfWeek.Thursday, IsoDayOfWeek.Friday]);

    /// <summary>Gets Monday to Saturday, with no holidays.</summary>
    public static BusinessCalendar MondayToSaturday { get; } = MondayToFriday.WithWorkingDay(IsoDayOfWeek.Saturday);

    /// <summary>Gets every day of the week, with no holidays.</summary>
    public static BusinessCalendar EveryDay { get; } = MondayToSaturday.WithWorkingDay(IsoDayOfWeek.Sunday);

    /// <summary>Gets the working days of the week, Monday first.</summary>
    public IReadOnlyList<IsoDayOfWeek> WorkingDays { get; }

    /// <summary>Gets the holidays, earliest first.</summary>
    public IReadOnlyList<LocalDate> Holidays => _holidays;

    /// <summary>Returns a calendar with these holidays added.</summary>
    /// <param name="holidays">The dates to add.</param>
    /// <returns>A new calendar; this one is unchanged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="holidays"/> is null.</exception>
    /// <exception cref="ArgumentException">The calendar would hold more than <see cref="MaxHolidays"/> holidays.</exception>
    public BusinessCalendar WithHolidays(IEnumerable<LocalDate> holidays)
    {
        ArgumentNullException.ThrowIfNull(holidays);
        return new BusinessCalendar(WorkingDays, _holidays.Concat(holidays));
    }

    /// <summary>Returns whether a date is a working day: its day of the week works, and it is not a holiday.</summary>
    /// <param name="date">The date.</param>
    /// <returns>True for a working day.</returns>
    public bool IsWorkingDay(LocalDate date) =>
        (_mask & (1 << (int)date.DayOfWeek)) != 0 && (_holidaySet.Count == 0 || !_holidaySet.Contains(date));

    /// <summary>Returns the first working day after a date.</summary>
    /// <param name="date">The date; it is not counted itself.</param>
    /// <returns>The next working day.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No working day follows within the calendar's range.</exception>
    public LocalDate NextWorkingDay(LocalDate date) => AddWorkingDays(date, 1);

    /// <summary>Counts a number of working days on from a date.</summary>
    /// <param name="date">The date to count from; it is not counted itself.</param>
    /// <param name="days">The working days to add, from 0 to <see cref="MaxDays"/>.</param>
    /// <returns><paramref name="date"/> itself for 0; otherwise the <paramref name="days"/>-th working day after it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="days"/> is negative or above <see cref="MaxDays"/>.</exception>
    public LocalDate AddWorkingDays(LocalDate date, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, MaxDays);

        // Every week has a working day, and holidays are finite, so this ends; at most MaxDays weeks plus the holidays.
        LocalDate current = date;
        for (int left = days; left > 0;)
        {
            current = current.PlusDays(1);
            if (IsWorkingDay(current))
            {
                left--;
            }
        }

        return current;
    }

    /// <inheritdoc />
    public bool Equals(BusinessCalendar? other) =>
        other is not null && (ReferenceEquals(this, other) || (other._mask == _mask && other._holidays.AsSpan().SequenceEqual(_holidays)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as BusinessCalendar);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_mask, _holidays.Length, _holidays.Length == 0 ? default : _holidays[0]);

    /// <summary>Returns the working days and the number of holidays, such as <c>Mon,Tue,Wed,Thu,Fri, 9 holidays</c>.</summary>
    /// <returns>The calendar as text.</returns>
    public override string ToString()
    {
        string days = string.Join(",", WorkingDays.Select(d => d.ToString()[..3]));
        return string.Create(CultureInfo.InvariantCulture, $"{days}, {_holidays.Length} holiday{(_holidays.Length == 1 ? string.Empty : "s")}");
    }

    private BusinessCalendar WithWorkingDay(IsoDayOfWeek day) => new(WorkingDays.Append(day), _holidays);
}
