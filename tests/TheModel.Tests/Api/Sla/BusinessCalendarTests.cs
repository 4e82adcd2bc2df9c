using TheModel.Api.Sla;

namespace TheModel.Tests.Api.Sla;

public class BusinessCalendarTests
{
    private static readonly BusinessCalendar Tokyo = new(new CalendarSettings());
    private static readonly TimeZoneInfo TokyoZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    private static readonly TimeZoneInfo NewYorkZone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static BusinessCalendar NewYork(string hours = WorkingHours.Default) =>
        new(new CalendarSettings { TimeZone = "America/New_York", WorkingHours = hours, JapaneseHolidays = false });

    /// <summary>A wall-clock time in Tokyo, "yyyy-MM-dd HH:mm", as UTC.</summary>
    private static DateTime Jst(string local) => At(local, TokyoZone);

    private static DateTime Nyc(string local) => At(local, NewYorkZone);

    private static DateTime At(string local, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTimeToUtc(DateTime.ParseExact(local, "yyyy-MM-dd HH:mm", null), zone);

    [Theory]
    [InlineData("2026-11-16 10:00", 2.0, "2026-11-16 12:00")] // within a day
    [InlineData("2026-11-16 09:00", 9.0, "2026-11-16 18:00")] // exactly to closing, not next morning
    [InlineData("2026-11-16 17:00", 2.0, "2026-11-17 10:00")] // across the night
    [InlineData("2026-11-16 07:00", 1.0, "2026-11-16 10:00")] // before opening
    [InlineData("2026-11-16 20:00", 1.0, "2026-11-17 10:00")] // after closing
    [InlineData("2026-11-16 10:00", 24.0, "2026-11-18 16:00")] // the MQL SLA: 8 + 9 + 7 hours
    [InlineData("2026-11-20 17:00", 2.0, "2026-11-24 10:00")] // weekend + 勤労感謝の日 Monday
    [InlineData("2026-11-21 12:00", 1.0, "2026-11-24 10:00")] // starts on a Saturday
    [InlineData("2026-05-01 17:00", 2.0, "2026-05-07 10:00")] // Golden Week with its substitute Wednesday
    [InlineData("2026-09-18 17:00", 2.0, "2026-09-24 10:00")] // Silver Week: 敬老の日, 国民の休日, 秋分の日
    [InlineData("2026-12-30 17:00", 2.0, "2026-12-31 10:00")] // no year-end closure by default
    [InlineData("2026-12-31 17:00", 2.0, "2027-01-04 10:00")] // 元日 and the weekend
    public void AddBusinessTime_Tokyo_SkipsNightsWeekendsAndHolidays(string start, double hours, string expected)
    {
        Assert.Equal(Jst(expected), Tokyo.AddBusinessTime(Jst(start), TimeSpan.FromHours(hours)));
    }

    [Theory]
    [InlineData("2026-11-20 17:00", "2026-11-24 10:00", 2.0)]
    [InlineData("2026-11-16 09:00", "2026-11-30 09:00", 81.0)] // 9 working days: 11-23 is a holiday
    [InlineData("2026-11-21 00:00", "2026-11-23 23:59", 0.0)] // a weekend and a holiday
    [InlineData("2026-11-16 12:00", "2026-11-16 12:00", 0.0)]
    [InlineData("2026-11-17 12:00", "2026-11-16 12:00", 0.0)] // backwards
    [InlineData("2026-12-25 09:00", "2027-01-08 18:00", 90.0)] // 12-25, 12-28..31, 1-4..8 (1-1 is 元日) = 10 days
    public void BusinessTimeBetween_Tokyo_CountsOnlyWorkingTime(string from, string to, double hours)
    {
        Assert.Equal(TimeSpan.FromHours(hours), Tokyo.BusinessTimeBetween(Jst(from), Jst(to)));
    }

    [Theory]
    [InlineData("2026-11-16 10:00", 24.0)]
    [InlineData("2026-11-20 17:30", 0.5)]
    [InlineData("2026-04-28 08:00", 50.0)]
    [InlineData("2026-12-28 16:00", 13.25)]
    public void BusinessTimeBetween_OfAddBusinessTime_GivesTheAmountBack(string start, double hours)
    {
        var from = Jst(start);
        var to = Tokyo.AddBusinessTime(from, TimeSpan.FromHours(hours));
        Assert.Equal(TimeSpan.FromHours(hours), Tokyo.BusinessTimeBetween(from, to));
    }

    [Theory]
    [InlineData("2026-12-28 17:00", 2.0, "2027-01-04 10:00")]
    [InlineData("2027-01-04 08:00", 1.0, "2027-01-04 10:00")]
    public void AddBusinessTime_WithYearEndClosure_SkipsTheClosure(string start, double hours, string expected)
    {
        var calendar = new BusinessCalendar(new CalendarSettings { YearEndClosure = "12-29..01-03" });
        Assert.Equal(Jst(expected), calendar.AddBusinessTime(Jst(start), TimeSpan.FromHours(hours)));
        Assert.Equal("annual closure", calendar.ClosedBecause(new DateOnly(2026, 12, 30)));
        Assert.Null(calendar.ClosedBecause(new DateOnly(2026, 12, 28)));
    }

    [Fact]
    public void BusinessTimeBetween_OverYearEndClosure_CountsOnlyOpenDays()
    {
        var calendar = new BusinessCalendar(new CalendarSettings { YearEndClosure = "12-29..01-03" });
        // Mon 12-28 and Mon 1-4 .. Fri 1-8: six days.
        Assert.Equal(TimeSpan.FromHours(54), calendar.BusinessTimeBetween(Jst("2026-12-28 00:00"), Jst("2027-01-09 00:00")));
    }

    [Fact]
    public void ClosedBecause_ClosureWithinTheYear_CoversOnlyItsDays()
    {
        var calendar = new BusinessCalendar(new CalendarSettings { YearEndClosure = "08-12..08-14" });
        Assert.Equal("annual closure", calendar.ClosedBecause(new DateOnly(2026, 8, 13)));
        Assert.Equal("山の日", calendar.ClosedBecause(new DateOnly(2026, 8, 11)));
        Assert.Null(calendar.ClosedBecause(new DateOnly(2026, 8, 17)));
        Assert.Null(calendar.ClosedBecause(new DateOnly(2026, 12, 30)));
    }

    [Fact]
    public void AddBusinessTime_CompanyHoliday_IsSkipped()
    {
        var calendar = new BusinessCalendar(new CalendarSettings { Holidays = [new DateOnly(2026, 11, 25)] });
        Assert.Equal(Jst("2026-11-26 10:00"), calendar.AddBusinessTime(Jst("2026-11-24 17:00"), TimeSpan.FromHours(2)));
        Assert.Equal("company holiday", calendar.ClosedBecause(new DateOnly(2026, 11, 25)));
    }

    [Fact]
    public void AddBusinessTime_LunchBreak_IsNotWorked()
    {
        var calendar = new BusinessCalendar(new CalendarSettings { WorkingHours = "Mon-Fri 09:00-12:00,13:00-18:00" });
        Assert.Equal(Jst("2026-11-16 13:30"), calendar.AddBusinessTime(Jst("2026-11-16 11:30"), TimeSpan.FromHours(1)));
        Assert.Equal(TimeSpan.FromHours(8), calendar.BusinessTimeBetween(Jst("2026-11-16 00:00"), Jst("2026-11-17 00:00")));
    }

    [Fact]
    public void AddBusinessTime_JapaneseHolidaysOff_WorksOnThem()
    {
        var calendar = new BusinessCalendar(new CalendarSettings { JapaneseHolidays = false });
        Assert.Equal(Jst("2026-11-23 10:00"), calendar.AddBusinessTime(Jst("2026-11-20 17:00"), TimeSpan.FromHours(2)));
    }

    [Fact]
    public void AddBusinessTime_ZeroOrNegative_ReturnsTheStart()
    {
        var saturday = Jst("2026-11-21 12:00");
        Assert.Equal(saturday, Tokyo.AddBusinessTime(saturday, TimeSpan.Zero));
        Assert.Equal(saturday, Tokyo.AddBusinessTime(saturday, TimeSpan.FromHours(-1)));
    }

    [Theory]
    [InlineData("2026-03-06 17:00", "2026-03-09 10:00")] // across spring forward (Sun 03-08)
    [InlineData("2026-10-30 17:00", "2026-11-02 10:00")] // across fall back (Sun 11-01)
    [InlineData("2026-03-09 08:00", "2026-03-09 11:00")] // first day of daylight time
    public void AddBusinessTime_NewYorkAcrossDst_KeepsLocalOpeningHours(string start, string expected)
    {
        var calendar = NewYork();
        Assert.Equal(Nyc(expected), calendar.AddBusinessTime(Nyc(start), TimeSpan.FromHours(2)));
    }

    [Fact]
    public void OpeningHours_NewYork_MoveInUtcWithDst()
    {
        var calendar = NewYork();
        Assert.Equal(new DateTime(2026, 3, 6, 14, 0, 0, DateTimeKind.Utc), calendar.WorkedPeriods(new DateOnly(2026, 3, 6)).Single().OpenUtc);
        Assert.Equal(new DateTime(2026, 3, 9, 13, 0, 0, DateTimeKind.Utc), calendar.WorkedPeriods(new DateOnly(2026, 3, 9)).Single().OpenUtc);
        Assert.Equal(new DateTime(2026, 11, 2, 14, 0, 0, DateTimeKind.Utc), calendar.WorkedPeriods(new DateOnly(2026, 11, 2)).Single().OpenUtc);
    }

    [Theory]
    [InlineData("2026-03-08", 23.0)] // spring forward: a 23-hour day
    [InlineData("2026-11-01", 25.0)] // fall back: a 25-hour day
    [InlineData("2026-11-08", 24.0)]
    public void BusinessTimeBetween_RoundTheClockOnDstSunday_CountsRealHours(string sunday, double hours)
    {
        var calendar = NewYork("Sun 00:00-24:00");
        var day = DateOnly.Parse(sunday);
        var from = Nyc($"{sunday} 00:00");
        var to = Nyc($"{day.AddDays(1):yyyy-MM-dd} 00:00");
        Assert.Equal(TimeSpan.FromHours(hours), calendar.BusinessTimeBetween(from, to));
        Assert.Equal(to, calendar.AddBusinessTime(from, TimeSpan.FromHours(hours)));
    }

    /// <summary>
    /// An opening inside the spring-forward gap opens when the clock resumes (03:30 EDT, closes 04:00 EDT); one in the
    /// repeated hour of fall back uses the first occurrence (01:30 EDT, closes 03:00 EST).
    /// </summary>
    [Theory]
    [InlineData("Sun 02:30-04:00", "2026-03-08", "2026-03-08T07:30:00Z", "2026-03-08T08:00:00Z")]
    [InlineData("Sun 01:30-03:00", "2026-11-01", "2026-11-01T05:30:00Z", "2026-11-01T08:00:00Z")]
    public void WorkedPeriods_OpeningInSpringForwardGapOrRepeatedHour_OpensAtTheFirstRealInstant(string hours, string sunday,
        string expectedOpenUtc, string expectedCloseUtc)
    {
        var calendar = NewYork(hours);
        var (open, close) = calendar.WorkedPeriods(DateOnly.Parse(sunday)).Single();
        Assert.Equal(Utc(expectedOpenUtc), open);
        Assert.Equal(Utc(expectedCloseUtc), close);
    }

    private static DateTime Utc(string iso) => DateTime.Parse(iso, System.Globalization.CultureInfo.InvariantCulture,
        System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);

    [Fact]
    public void Constructor_InvalidSettings_Throws()
    {
        Assert.Throws<ArgumentException>(() => new BusinessCalendar(new CalendarSettings { TimeZone = "Mars/Olympus" }));
    }
}
