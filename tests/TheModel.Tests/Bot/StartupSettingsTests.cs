using Microsoft.Extensions.Options;
using TheModel.Bot;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot;

/// <summary>A wrong setting stops the start with one line naming the key (what <c>dotnet run --project bot</c> prints).</summary>
public class StartupSettingsTests
{
    [Theory]
    [InlineData("Outbox:BatchSize", "0")]
    [InlineData("Outbox:Concurrency", "0")]
    [InlineData("Outbox:PollInterval", "-00:00:01")]
    [InlineData("Outbox:YieldToRequests", "-00:00:01")]
    [InlineData("Outbox:GiveUpAfter", "00:00:00")]
    [InlineData("Calendar:TimeZone", "Mars/Olympus")]
    [InlineData("Calendar:WorkingHours", "Mon-Fri 18:00-09:00")]
    [InlineData("Calendar:Holidays", "2026-12-28,2026/12/29")]
    [InlineData("Sla:SweepInterval", "-5")]
    [InlineData("Sla:MqlToIs:AcceptWithinHours", "0")]
    [InlineData("Sla:SqlToFs:Reminders", "0.9,0.5")]
    [InlineData("Kpis:NeglectDays", "0")]
    [InlineData("Qualification:MqlThreshold", "101")]
    [InlineData("Webhooks:Timeout", "00:00:00")]
    [InlineData("Webhooks:Won:Url", "not a url")]
    [InlineData("Slack:ClaimBatch", "0")]
    [InlineData("Health:OutboxMaxAge", "-00:10:00")]
    public void Start_BadSetting_FailsWithOneLineNamingTheKey(string key, string value)
    {
        var lines = StartupFailure((key, value));

        var line = Assert.Single(lines);
        Assert.StartsWith(key, line);
        Assert.DoesNotContain('\n', line);
    }

    [Fact]
    public void Start_OutboxBatchSizeZero_SaysWhatIsAllowedAndWhatWasGiven()
    {
        Assert.Equal(["Outbox:BatchSize must be at least 1 (was 0)"], StartupFailure(("Outbox:BatchSize", "0")));
    }

    [Fact]
    public void Start_UnknownApiScope_NamesTheKeyAndTheScope()
    {
        var line = Assert.Single(StartupFailure(("Api:Keys:0:Key", "k"), ("Api:Keys:0:Scopes", "read wrte")));
        Assert.Equal("Api:Keys:0:Scopes has unknown scope \"wrte\" (use read, write or admin)", line);
    }

    [Fact]
    public void Start_ValueThatDoesNotConvert_NamesTheKey()
    {
        var line = Assert.Single(StartupFailure(("Outbox:BatchSize", "ten")));
        Assert.Contains("'Outbox:BatchSize'", line);
    }

    [Fact]
    public void Start_TwoBadSections_ReportsEachOnce()
    {
        // Slack reads the Outbox section (AutoRun defaults to Outbox:AutoDispatch), so it fails with it: still one line.
        var lines = StartupFailure(("Outbox:Concurrency", "0"), ("Kpis:NeglectDays", "-1"));
        Assert.Equal(["Kpis:NeglectDays must be at least 1 (was -1)", "Outbox:Concurrency must be at least 1 (was 0)"], lines.Order());
    }

    [Fact]
    public async Task Start_ListAndSecondsForms_AreBoundAsBefore()
    {
        await using var app = new TheModelApp();
        app.Settings["Sla:SqlToFs:Reminders"] = "0.25,0.75";
        app.Settings["Sla:SweepInterval"] = "10";
        app.Settings["Calendar:Holidays"] = "2026-12-28, 2027-08-13";
        app.Settings["Api:Keys:0:Key"] = "k";
        app.Settings["Api:Keys:0:Scopes"] = "read write";
        _ = app.Server;

        var sla = Get<TheModel.Api.Sla.SlaConfiguration>(app);
        Assert.Equal([0.25, 0.75], sla.Policies[TheModel.Api.Handoffs.HandoffKind.SqlToFs].Reminders);
        Assert.Equal(TimeSpan.FromSeconds(10), sla.SweepInterval);
        Assert.Equal([new DateOnly(2026, 12, 28), new DateOnly(2027, 8, 13)], Get<TheModel.Api.Sla.RuntimeBusinessCalendar>(app).Configured.Holidays);
        var key = Assert.Single(Get<IOptions<TheModel.Api.Auth.ApiKeysOptions>>(app).Value.ToKeys());
        Assert.Equal("key0", key.Name);
        Assert.Equal(["read", "write"], key.Scopes);
    }

    private static T Get<T>(TheModelApp app) where T : notnull =>
        Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<T>(app.Services);

    /// <summary>Starts the bot with these settings; the lines the start would print (it must fail).</summary>
    private static IReadOnlyList<string> StartupFailure(params (string Key, string Value)[] settings)
    {
        using var app = new TheModelApp();
        foreach (var (key, value) in settings)
        {
            app.Settings[key] = value;
        }
        var error = Assert.ThrowsAny<Exception>(() => app.Server);
        var lines = Unwrap(error).SelectMany(StartupErrors.Lines).Distinct().ToList();
        Assert.True(lines.Count > 0, $"not a settings failure: {error}");
        return lines;
    }

    private static IEnumerable<Exception> Unwrap(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
