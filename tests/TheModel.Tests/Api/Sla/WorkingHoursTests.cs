using TheModel.Api.Sla;

namespace TheModel.Tests.Api.Sla;

public class WorkingHoursTests
{
    [Fact]
    public void TryParse_Default_IsMondayToFridayNineToSix()
    {
        Assert.True(WorkingHours.TryParse("Mon-Fri 09:00-18:00", out var hours, out _));
        Assert.Equal([(TimeSpan.FromHours(9), TimeSpan.FromHours(18))], hours.On(DayOfWeek.Wednesday));
        Assert.Empty(hours.On(DayOfWeek.Saturday));
        Assert.Empty(hours.On(DayOfWeek.Sunday));
    }

    [Fact]
    public void TryParse_SeveralSegments_LaterDayReplacesEarlier()
    {
        Assert.True(WorkingHours.TryParse("Mon-Fri 09:00-12:00,13:00-18:00; Fri 09:00-15:00; sat 10:00-24:00", out var hours, out _));
        Assert.Equal(2, hours.On(DayOfWeek.Monday).Count);
        Assert.Equal([(TimeSpan.FromHours(9), TimeSpan.FromHours(15))], hours.On(DayOfWeek.Friday));
        Assert.Equal([(TimeSpan.FromHours(10), TimeSpan.FromHours(24))], hours.On(DayOfWeek.Saturday));
    }

    [Fact]
    public void TryParse_DayRangeOverWeekend_WrapsForward()
    {
        Assert.True(WorkingHours.TryParse("Sat-Mon 10:00-14:00", out var hours, out _));
        Assert.NotEmpty(hours.On(DayOfWeek.Sunday));
        Assert.Empty(hours.On(DayOfWeek.Tuesday));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Mon-Fri")]
    [InlineData("Monday 09:00-18:00")]
    [InlineData("Mon-Fri 18:00-09:00")]
    [InlineData("Mon-Fri 09:00-25:00")]
    [InlineData("Mon-Fri 09:00-12:00,11:00-18:00")]
    [InlineData("Mon-Fri 9-18")]
    public void TryParse_Invalid_IsRefusedWithAReason(string text)
    {
        Assert.False(WorkingHours.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }
}
