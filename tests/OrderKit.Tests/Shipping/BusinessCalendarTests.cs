using NodaTime;
using OrderKit.Shipping;

namespace OrderKit.Tests.Shipping;

public sealed class BusinessCalendarTests
{
    private static readonly LocalDate s_friday = new(2026, 11, 6);

    [Fact]
    public void MondayToFriday_SkipsTheWeekend()
    {
        BusinessCalendar calendar = BusinessCalendar.MondayToFriday;

        Assert.True(calendar.IsWorkingDay(s_friday));
        Assert.False(calendar.IsWorkingDay(s_friday.PlusDays(1)));
        Assert.Equal(new LocalDate(2026, 11, 9), calendar.NextWorkingDay(s_friday));
        Assert.Equal(new LocalDate(2026, 11, 13), calendar.AddWorkingDays(s_friday, 5));
        Assert.Equal(s_friday, calendar.AddWorkingDays(s_friday, 0));
    }

    [Fact]
    public void Holidays_AreSkipped_AndCountFromAWeekend()
    {
        BusinessCalendar calendar = BusinessCalendar.MondayToFriday.WithHolidays([new LocalDate(2026, 12, 24), new LocalDate(2026, 12, 25)]);

        Assert.False(calendar.IsWorkingDay(new LocalDate(2026, 12, 25)));
        Assert.Equal(new LocalDate(2026, 12, 28), calendar.NextWorkingDay(new LocalDate(2026, 12, 23)));
        Assert.Equal(new LocalDate(2026, 12, 28), calendar.AddWorkingDays(new LocalDate(2026, 12, 26), 1));
        Assert.Equal([new LocalDate(2026, 12, 24), new LocalDate(2026, 12, 25)], calendar.Holidays);
    }

    [Fact]
    public void OtherWeeks_CountTheirOwnDays()
    {
        Assert.Equal(s_friday.PlusDays(1), BusinessCalendar.MondayToSaturday.NextWorkingDay(s_friday));
        Assert.Equal(s_friday.PlusDays(2), BusinessCalendar.EveryDay.AddWorkingDays(s_friday, 2));
        var weekends = new BusinessCalendar([IsoDayOfWeek.Sunday, IsoDayOfWeek.Saturday, IsoDayOfWeek.Saturday]);
        Assert.Equal([IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday], weekends.WorkingDays);
        Assert.Equal(new LocalDate(2026, 11, 14), weekends.AddWorkingDays(s_friday, 3));
    }

    [Fact]
    public void Calendars_WithTheSameDays_AreEqual()
    {
        var a = new BusinessCalendar([IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday], [new LocalDate(2027, 1, 1)]);
        var b = new BusinessCalendar([IsoDayOfWeek.Tuesday, IsoDayOfWeek.Monday], [new LocalDate(2027, 1, 1), new LocalDate(2027, 1, 1)]);

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, BusinessCalendar.MondayToFriday);
        Assert.NotEqual(a, new BusinessCalendar([IsoDayOfWeek.Monday, IsoDayOfWeek.Tuesday]));
        Assert.Equal("Mon,Tue, 1 holiday", a.ToString());
        Assert.Equal("Mon,Tue,Wed,Thu,Fri, 0 holidays", BusinessCalendar.MondayToFriday.ToString());
    }

    [Fact]
    public void BadInput_IsRefused_NamingTheProblem()
    {
        Assert.Contains("at least one working day", Assert.Throws<ArgumentException>(() => new BusinessCalendar([])).Message, StringComparison.Ordinal);
        Assert.Contains("not a day of the week", Assert.Throws<ArgumentException>(() => new BusinessCalendar([IsoDayOfWeek.None])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new BusinessCalendar(null!));
        Assert.Equal("holidays", Assert.Throws<ArgumentException>(() => new BusinessCalendar([IsoDayOfWeek.Monday], Enumerable.Range(0, BusinessCalendar.MaxHolidays + 1).Select(d => s_friday.PlusDays(d)))).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => BusinessCalendar.MondayToFriday.AddWorkingDays(s_friday, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BusinessCalendar.MondayToFriday.AddWorkingDays(s_friday, BusinessCalendar.MaxDays + 1));
    }

    /// <summary>Counting on always lands on a working day, never before the start, and adding in two steps equals adding at once.</summary>
    [Property(MaxTest = 300)]
    public Property AddWorkingDays_LandsOnWorkingDays_AndAddsUp() =>
        Prop.ForAll(
            Arb.From(
                from mask in Gen.Choose(1, 127)
                from holidays in Gen.ArrayOf(Gen.Choose(0, 60))
                from start in Gen.Choose(0, 60)
                from a in Gen.Choose(0, 20)
                from b in Gen.Choose(0, 20)
                select (mask, holidays, start, a, b)),
            run =>
            {
                var origin = new LocalDate(2026, 12, 1);
                var calendar = new BusinessCalendar(
                    Enumerable.Range(1, 7).Where(d => (run.mask & (1 << (d - 1))) != 0).Select(d => (IsoDayOfWeek)d),
                    run.holidays.Select(h => origin.PlusDays(h)));
                LocalDate from = origin.PlusDays(run.start);
                LocalDate once = calendar.AddWorkingDays(from, run.a + run.b);

                Assert.Equal(once, calendar.AddWorkingDays(calendar.AddWorkingDays(from, run.a), run.b));
                Assert.True(once >= from);
                Assert.True(run.a + run.b == 0 || calendar.IsWorkingDay(once));
                int counted = 0;
                for (LocalDate d = from.PlusDays(1); d <= once; d = d.PlusDays(1))
                {
                    counted += calendar.IsWorkingDay(d) ? 1 : 0;
                }

                Assert.Equal(run.a + run.b, counted);
                return true;
            });
}
