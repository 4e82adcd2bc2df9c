using TheModel.Api.Sla;

namespace TheModel.Tests.Api.Sla;

/// <summary>Full lists as published by the Cabinet Office (内閣府「国民の祝日について」).</summary>
public class JapaneseHolidaysTests
{
    public static TheoryData<int, string[]> PublishedYears => new()
    {
        {
            2020, ["01-01", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06",
                   "07-23", "07-24", "08-10", "09-21", "09-22", "11-03", "11-23"]
        },
        {
            2021, ["01-01", "01-11", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05",
                   "07-22", "07-23", "08-08", "08-09", "09-20", "09-23", "11-03", "11-23"]
        },
        {
            2022, ["01-01", "01-10", "02-11", "02-23", "03-21", "04-29", "05-03", "05-04", "05-05",
                   "07-18", "08-11", "09-19", "09-23", "10-10", "11-03", "11-23"]
        },
        {
            2023, ["01-01", "01-02", "01-09", "02-11", "02-23", "03-21", "04-29", "05-03", "05-04", "05-05",
                   "07-17", "08-11", "09-18", "09-23", "10-09", "11-03", "11-23"]
        },
        {
            2024, ["01-01", "01-08", "02-11", "02-12", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06",
                   "07-15", "08-11", "08-12", "09-16", "09-22", "09-23", "10-14", "11-03", "11-04", "11-23"]
        },
        {
            2025, ["01-01", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06",
                   "07-21", "08-11", "09-15", "09-23", "10-13", "11-03", "11-23", "11-24"]
        },
        {
            2026, ["01-01", "01-12", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06",
                   "07-20", "08-11", "09-21", "09-22", "09-23", "10-12", "11-03", "11-23"]
        },
        {
            2027, ["01-01", "01-11", "02-11", "02-23", "03-21", "03-22", "04-29", "05-03", "05-04", "05-05",
                   "07-19", "08-11", "09-20", "09-23", "10-11", "11-03", "11-23"]
        },
    };

    [Theory]
    [MemberData(nameof(PublishedYears))]
    public void For_PublishedYear_MatchesCabinetOfficeList(int year, string[] expected)
    {
        var actual = JapaneseHolidays.For(year).Keys.Select(d => d.ToString("MM-dd")).ToArray();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void For_OlympicYears_MovedHolidaysByTheSpecialMeasuresAct()
    {
        var y2020 = JapaneseHolidays.For(2020);
        Assert.Equal("海の日", y2020[new DateOnly(2020, 7, 23)]);
        Assert.Equal("スポーツの日", y2020[new DateOnly(2020, 7, 24)]);
        Assert.Equal("山の日", y2020[new DateOnly(2020, 8, 10)]);
        Assert.DoesNotContain(new DateOnly(2020, 10, 12), y2020.Keys);
        var y2021 = JapaneseHolidays.For(2021);
        Assert.Equal("山の日", y2021[new DateOnly(2021, 8, 8)]);
        Assert.Equal("振替休日", y2021[new DateOnly(2021, 8, 9)]);
        Assert.DoesNotContain(new DateOnly(2021, 8, 11), y2021.Keys);
        Assert.DoesNotContain(new DateOnly(2021, 10, 11), y2021.Keys);
    }

    [Theory]
    [InlineData("2026-09-22")]
    [InlineData("2032-09-21")]
    [InlineData("2037-09-22")]
    public void For_DaySqueezedBetweenTwoHolidays_IsCitizensHoliday(string date)
    {
        var day = DateOnly.Parse(date);
        Assert.Equal("国民の休日", JapaneseHolidays.For(day.Year)[day]);
    }

    [Theory]
    [InlineData("2023-01-02")] // 元日 on a Sunday
    [InlineData("2024-02-12")]
    [InlineData("2025-11-24")]
    public void For_HolidayOnSunday_NextWeekdayIsSubstitute(string date)
    {
        var day = DateOnly.Parse(date);
        var holidays = JapaneseHolidays.For(day.Year);
        Assert.Equal("振替休日", holidays[day]);
        Assert.Equal(DayOfWeek.Monday, day.DayOfWeek);
    }

    [Fact]
    public void For_HolidayOnSaturday_HasNoSubstitute()
    {
        // 2029-05-05 (Sat): Saturday holidays are not moved.
        Assert.DoesNotContain(new DateOnly(2029, 5, 7), JapaneseHolidays.For(2029).Keys);
        Assert.DoesNotContain(new DateOnly(2029, 5, 6), JapaneseHolidays.For(2029).Keys);
    }

    [Fact]
    public void For_GoldenWeekSundayConstitutionDay_SubstituteSkipsToMay6()
    {
        // 2026-05-03 (Sun): 5/4 and 5/5 are holidays themselves, so the substitute is Wednesday 5/6.
        Assert.Equal("振替休日", JapaneseHolidays.For(2026)[new DateOnly(2026, 5, 6)]);
    }

    [Fact]
    public void For_EveryYearThrough2035_HasSixteenFixedOrMovedHolidaysAndOnlyKnownExtras()
    {
        for (var year = 2020; year <= 2035; year++)
        {
            var holidays = JapaneseHolidays.For(year);
            var national = holidays.Values.Count(n => n is not ("振替休日" or "国民の休日"));
            Assert.True(national == 16, $"{year}: {national} national holidays");
            Assert.All(holidays.Keys, d => Assert.Equal(year, d.Year));
            Assert.DoesNotContain(holidays, h => h.Value == "振替休日" && h.Key.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        }
    }

    [Theory]
    [InlineData(2028, 20, 22)]
    [InlineData(2029, 20, 23)]
    [InlineData(2030, 20, 23)]
    [InlineData(2031, 21, 23)]
    [InlineData(2032, 20, 22)]
    [InlineData(2033, 20, 23)]
    [InlineData(2034, 20, 23)]
    [InlineData(2035, 21, 23)]
    public void EquinoxDays_FollowTheStandardFormula(int year, int vernal, int autumnal)
    {
        Assert.Equal(vernal, JapaneseHolidays.VernalEquinoxDay(year));
        Assert.Equal(autumnal, JapaneseHolidays.AutumnalEquinoxDay(year));
    }

    [Fact]
    public void For_YearBefore2020_IsEmpty()
    {
        Assert.Empty(JapaneseHolidays.For(2019));
    }
}
