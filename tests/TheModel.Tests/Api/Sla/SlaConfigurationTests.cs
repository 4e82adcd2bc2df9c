using Microsoft.Extensions.Configuration;
using TheModel.Api.Handoffs;
using TheModel.Api.Sla;

namespace TheModel.Tests.Api.Sla;

public class SlaConfigurationTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Constructor_NothingConfigured_UsesTheLiteratureDefaults()
    {
        var configuration = new SlaConfiguration(Config());
        Assert.Equal(TimeSpan.FromHours(24), configuration.Policies[HandoffKind.MqlToIs].AcceptWithin);
        Assert.Equal(TimeSpan.FromHours(9), configuration.Policies[HandoffKind.SqlToFs].AcceptWithin);
        Assert.Equal(TimeSpan.FromHours(27), configuration.Policies[HandoffKind.WonToCs].AcceptWithin);
        Assert.Equal(TimeSpan.FromSeconds(30), configuration.SweepInterval);
        Assert.Equal(TimeSpan.FromSeconds(60), configuration.LateAfter);
    }

    [Fact]
    public void Constructor_AllKeysGiven_AreRead()
    {
        var configuration = new SlaConfiguration(Config(
            ("Sla:SqlToFs:AcceptWithinHours", "4.5"), ("Sla:SqlToFs:Reminders:0", "0.3"), ("Sla:SqlToFs:Reminders:1", "0.6"),
            ("Sla:SqlToFs:ReassignAfterHours", "0"), ("Sla:SqlToFs:MaxReassignments", "0"), ("Sla:SweepInterval", "00:00:10"), ("Sla:LateAfter", "300")));
        var policy = configuration.Policies[HandoffKind.SqlToFs];
        Assert.Equal((TimeSpan.FromHours(4.5), TimeSpan.Zero, 0), (policy.AcceptWithin, policy.ReassignAfter, policy.MaxReassignments));
        Assert.Equal([0.3, 0.6], policy.Reminders);
        Assert.Equal(TimeSpan.FromSeconds(10), configuration.SweepInterval);
        Assert.Equal(TimeSpan.FromMinutes(5), configuration.LateAfter);
    }

    [Fact]
    public void Constructor_ContactClock_DefaultsTo24And18HoursWithOneReminderAndNoneForWonToCs()
    {
        var configuration = new SlaConfiguration(Config(("Sla:MqlToIs:ContactWithinHours", "0.0111"), ("Sla:SqlToFs:ContactReminders", "0.25,0.75")));
        Assert.Equal(TimeSpan.FromHours(0.0111), configuration.Policies[HandoffKind.MqlToIs].ContactWithin);
        Assert.Equal([0.5], configuration.Policies[HandoffKind.MqlToIs].ContactReminders);
        Assert.Equal(TimeSpan.FromHours(18), configuration.Policies[HandoffKind.SqlToFs].ContactWithin);
        Assert.Equal([0.25, 0.75], configuration.Policies[HandoffKind.SqlToFs].ContactReminders);
        Assert.Null(configuration.Policies[HandoffKind.WonToCs].ContactWithin);
        Assert.Equal(TimeSpan.FromHours(24), new SlaConfiguration(Config()).Policies[HandoffKind.MqlToIs].ContactWithin);
    }

    [Theory]
    [InlineData("Sla:MqlToIs:ContactWithinHours", "0")]
    [InlineData("Sla:SqlToFs:ContactReminders", "0.8,0.2")]
    [InlineData("Sla:WonToCs:ContactWithinHours", "5")]
    [InlineData("Sla:MqlToIs:AcceptWithinHours", "a day")]
    [InlineData("Sla:MqlToIs:AcceptWithinHours", "0")]
    [InlineData("Sla:MqlToIs:Reminders", "0.9,0.5")]
    [InlineData("Sla:WonToCs:Reminders", "1.5")]
    [InlineData("Sla:SweepInterval", "-5")]
    public void Constructor_BadValue_StopsTheStartNamingTheKey(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new SlaConfiguration(Config((key, value))));
        Assert.Contains(key.Split(':')[1], error.Message);
    }

    [Fact]
    public void CalendarFromConfiguration_BadHoliday_StopsTheStart()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CalendarSettings.FromConfiguration(Config(("Calendar:Holidays:0", "2026/12/28"))));
        Assert.Contains("Calendar:Holidays", error.Message);
    }

    [Fact]
    public void CalendarFromConfiguration_CommaSeparatedHolidaysAndClosure_AreRead()
    {
        var settings = CalendarSettings.FromConfiguration(Config(
            ("Calendar:Holidays", "2026-12-28, 2027-08-13"), ("Calendar:YearEndClosure", "12-29..01-03"), ("Calendar:WorkingHours", "Mon-Thu 10:00-19:00")));
        Assert.Equal([new DateOnly(2026, 12, 28), new DateOnly(2027, 8, 13)], settings.Holidays);
        Assert.Equal("12-29..01-03", settings.YearEndClosure);
        Assert.Null(new BusinessCalendar(settings).ClosedBecause(new DateOnly(2026, 11, 19)));
        Assert.Equal("weekend", new BusinessCalendar(settings).ClosedBecause(new DateOnly(2026, 11, 20)));
    }
}
