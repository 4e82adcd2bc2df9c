using TheModel.Api.Kpis;
using TheModel.Api.Sla;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Kpis;

public class PeriodsTests
{
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    // Wednesday 18 November 2026, 10:00 in Tokyo.
    private static Periods At(DateTimeOffset now) => new(new BusinessCalendar(new CalendarSettings { TimeZone = "Asia/Tokyo" }), new FakeClock(now));
    private static readonly Periods Wednesday = At(new DateTimeOffset(2026, 11, 18, 1, 0, 0, TimeSpan.Zero));

    private static DateTime Utc(int y, int m, int d, int h = 15) => new(y, m, d, h, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("this-week", 2026, 11, 15, 2026, 11, 22)]
    [InlineData("last-week", 2026, 11, 8, 2026, 11, 15)]
    [InlineData("this-month", 2026, 10, 31, 2026, 11, 30)]
    [InlineData("last-month", 2026, 9, 30, 2026, 10, 31)]
    [InlineData("last-30-days", 2026, 10, 19, 2026, 11, 18)]
    [InlineData("2026-02", 2026, 1, 31, 2026, 2, 28)]
    [InlineData("2026-W01", 2025, 12, 28, 2027 - 1, 1, 4)]
    [InlineData("2026-w53", 2026, 12, 27, 2027, 1, 3)]
    [InlineData("THIS-MONTH", 2026, 10, 31, 2026, 11, 30)]
    public void TryParse_KnownPeriods_AreLocalMidnightsInTokyo(string text, int fy, int fm, int fd, int ty, int tm, int td)
    {
        Assert.True(Wednesday.TryParse(text, null, null, out var period, out var error), error);
        // Tokyo midnight is 15:00 UTC the day before.
        Assert.Equal(Utc(fy, fm, fd), period.FromUtc);
        Assert.Equal(Utc(ty, tm, td), period.ToUtc);
    }

    [Fact]
    public void TryParse_Nothing_IsThisMonth()
    {
        Assert.True(Wednesday.TryParse(null, null, null, out var period, out _));
        Assert.Equal(Utc(2026, 10, 31), period.FromUtc);
    }

    [Fact]
    public void TryParse_FromTo_DatesAreTokyoMidnights_AndToIsExclusive()
    {
        Assert.True(Wednesday.TryParse(null, "2026-11-01", "2026-11-08", out var period, out _));
        Assert.Equal(Utc(2026, 10, 31), period.FromUtc);
        Assert.Equal(Utc(2026, 11, 7), period.ToUtc);
        Assert.True(Wednesday.TryParse(null, "2026-11-01T00:00:00Z", "2026-11-02T00:00:00+09:00", out var exact, out _));
        Assert.Equal(new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), exact.FromUtc);
        Assert.Equal(Utc(2026, 11, 1), exact.ToUtc);
    }

    [Theory]
    [InlineData("yesterday", null, null)]
    [InlineData("2026-13", null, null)]
    [InlineData("2026-W54", null, null)]
    [InlineData("2027-W53", null, null)]
    [InlineData("this-week", "2026-11-01", "2026-11-02")]
    [InlineData(null, "2026-11-01", null)]
    [InlineData(null, "2026-11-08", "2026-11-01")]
    [InlineData(null, "1 Nov", "2026-11-02")]
    [InlineData(null, "2020-01-01", "2026-01-01")]
    public void TryParse_Invalid_GivesAnError(string? period, string? from, string? to)
    {
        Assert.False(Wednesday.TryParse(period, from, to, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void WeekOf_SundayNightInTokyo_IsTheWeekThatStartedMonday()
    {
        // Sunday 22 November 23:30 in Tokyo = 14:30 UTC.
        var week = Wednesday.WeekOf(new DateTime(2026, 11, 22, 14, 30, 0, DateTimeKind.Utc));
        Assert.Equal(Utc(2026, 11, 15), week.FromUtc);
        Assert.Equal(Utc(2026, 11, 22), week.ToUtc);
        Assert.Equal("2026-W47", week.Label);
    }

    [Fact]
    public void ThisWeek_OnMondayJustAfterMidnightTokyo_StartsThatMonday()
    {
        var monday = At(new DateTimeOffset(2026, 11, 15, 15, 30, 0, TimeSpan.Zero));
        Assert.True(monday.TryParse("this-week", null, null, out var period, out _));
        Assert.Equal(Utc(2026, 11, 15), period.FromUtc);
    }
}
