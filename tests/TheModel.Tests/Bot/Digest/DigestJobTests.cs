using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TheModel.Api.Digests;
using TheModel.Api.Outbox;
using TheModel.Bot.Digest;
using TheModel.Bot.Jobs;
using TheModel.Tests.Api;
using TheModel.Tests.Bot.Digest;
using TheModel.Tests.Bot.Jobs;
using TheModel.Tests.Bot.Slack;
using TheModel.Tests.Bot.Teams;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Digest;

/// <summary>
/// The weekly digest job on a fake clock: the FakeClock's start, Monday 2026-11-16 09:00 JST, is the default due time,
/// so a run then posts week 2026-W46 under <c>scheduled:2026-11-09</c>.
/// </summary>
public class DigestJobTests
{
    private static readonly DateTime DueTime = DigestWorld.Now;

    private static async Task<TheModelApp> LinkedAppAsync(DateTime? now = null, string? databasePath = null, bool seed = true)
    {
        var app = new TheModelApp(new FakeClock(now ?? DueTime), databasePath).WithKeys();
        _ = app.CreateClient();
        if (seed)
        {
            await DigestWorld.SeedAsync(app);
            await DigestWorld.LinkChannelsAsync(app);
        }
        return app;
    }

    private static DigestJob Job(TheModelApp app) => ActivatorUtilities.CreateInstance<DigestJob>(app.Services);

    private static Task<DigestPostResult?> RunAsync(TheModelApp app) => Job(app).RunAsync(app.Clock.GetUtcNow().UtcDateTime);

    private static Task InvokeAsCoravelWouldAsync(TheModelApp app) => Job(app).Invoke();

    [Fact]
    public async Task RunAsync_AtTheDueTime_PostsLastWeekOncePerChannel()
    {
        await using var app = await LinkedAppAsync(DueTime.AddSeconds(2));

        var first = await RunAsync(app);
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        var again = await RunAsync(app);

        Assert.NotNull(first);
        Assert.Equal(("scheduled:2026-11-09", DigestWorld.Week, false), (first.RunKey, first.Week.Label, first.Late));
        Assert.Null(again);
        var posts = await DigestWorld.DigestPostsAsync(app);
        Assert.Equal(["digest:scheduled:2026-11-09:teams", "digest:scheduled:2026-11-09:slack"], posts.Select(p => p.DedupeKey));
        Assert.All(posts, p => Assert.False(p.Late));
        Assert.Equal([DigestWorld.TeamsChannel, DigestWorld.SlackChannel], posts.Select(p => p.Target));
        var run = await app.WithDbAsync(db => db.DigestRuns.SingleAsync());
        Assert.Equal((new DateOnly(2026, 11, 9), false, DueTime.AddSeconds(2)), (run.WeekStart, run.Manual, run.RanAt));
        using var payload = JsonDocument.Parse(posts[1].Payload!);
        Assert.False(payload.RootElement.GetProperty("late").GetBoolean());
        Assert.DoesNotContain("遅延", payload.RootElement.GetProperty("text").GetString());
    }

    [Fact]
    public async Task RunAsync_TwoInstancesAtOnce_PostOnce()
    {
        await using var app = await LinkedAppAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => RunAsync(app))));

        Assert.Single(results, r => r is not null);
        Assert.Equal(2, (await DigestWorld.DigestPostsAsync(app)).Count);
        Assert.Equal(1, await app.WithDbAsync(db => db.DigestRuns.CountAsync()));
    }

    [Fact]
    public async Task RunAsync_AfterARestartOnTheSameDatabase_DoesNotPostAgain()
    {
        await using var before = await LinkedAppAsync();
        Assert.NotNull(await RunAsync(before));

        // A second process starting on the same database file later that morning runs its start-up catch-up.
        await using var after = new TheModelApp(new FakeClock(DueTime.AddHours(2)), before.DatabasePath);
        _ = after.CreateClient();
        await InvokeAsCoravelWouldAsync(after);

        Assert.Null(await RunAsync(after));
        Assert.Equal(2, (await DigestWorld.DigestPostsAsync(after)).Count);
    }

    [Fact]
    public async Task RunAsync_AfterDowntimeOverTheDueTime_PostsOnceMarkedLate()
    {
        // Down from Sunday night until Monday 14:00 JST: the 09:00 digest is owed.
        await using var app = await LinkedAppAsync(DueTime.AddHours(5));

        var caughtUp = await RunAsync(app);
        app.Clock.Advance(TimeSpan.FromHours(1));
        var again = await RunAsync(app);

        Assert.NotNull(caughtUp);
        Assert.True(caughtUp.Late);
        Assert.Equal(DigestWorld.Week, caughtUp.Week.Label);
        Assert.Null(again);
        var posts = await DigestWorld.DigestPostsAsync(app);
        Assert.Equal(2, posts.Count);
        Assert.All(posts, p => Assert.True(p.Late));
        using var payload = JsonDocument.Parse(posts[0].Payload!);
        Assert.True(payload.RootElement.GetProperty("late").GetBoolean());
        Assert.Contains("遅延投稿", payload.RootElement.GetProperty("text").GetString());
        Assert.Contains("遅延投稿", payload.RootElement.GetProperty("figures").GetProperty("subtitle").GetString());
    }

    [Fact]
    public async Task RunAsync_NextMonday_PostsTheNextWeekOnTime()
    {
        await using var app = await LinkedAppAsync();
        Assert.NotNull(await RunAsync(app));

        app.Clock.SetUtcNow(new DateTimeOffset(DueTime.AddDays(7).AddSeconds(1), TimeSpan.Zero));
        var next = await RunAsync(app);

        Assert.Equal(("scheduled:2026-11-16", "2026-W47", false), (next!.RunKey, next.Week.Label, next.Late));
        Assert.Equal(4, (await DigestWorld.DigestPostsAsync(app)).Count);
    }

    [Fact]
    public async Task RunAsync_JustBeforeTheDueTime_OwesOnlyThePreviousWeekAlreadyPosted()
    {
        await using var app = await LinkedAppAsync(DueTime.AddDays(-7).AddMinutes(1));
        Assert.Equal("2026-W45", (await RunAsync(app))!.Week.Label);

        // Monday 08:59 JST: this week's digest is not due yet, last week's is done.
        app.Clock.SetUtcNow(new DateTimeOffset(DueTime.AddMinutes(-1), TimeSpan.Zero));
        Assert.Null(await RunAsync(app));
        Assert.Equal(2, (await DigestWorld.DigestPostsAsync(app)).Count);
    }

    [Fact]
    public async Task ManualRun_AfterTheScheduledOne_PostsAgain()
    {
        await using var app = await LinkedAppAsync();
        Assert.NotNull(await RunAsync(app));

        await app.Client(ApiKit.AdminKey).PostAsync("/api/digests/weekly/run", null).OkJsonAsync(HttpStatusCode.Accepted);
        Assert.Null(await RunAsync(app));

        var posts = await DigestWorld.DigestPostsAsync(app);
        Assert.Equal(4, posts.Count);
        Assert.Equal(2, posts.Count(p => p.DedupeKey.StartsWith("digest:manual:", StringComparison.Ordinal)));
        // The same week, the same content: only the run differs.
        using var scheduled = JsonDocument.Parse(posts[0].Payload!);
        using var manual = JsonDocument.Parse(posts[2].Payload!);
        Assert.Equal(scheduled.RootElement.GetProperty("text").GetString(), manual.RootElement.GetProperty("text").GetString());
        Assert.Equal(scheduled.RootElement.GetProperty("figures").GetRawText(), manual.RootElement.GetProperty("figures").GetRawText());
    }

    [Fact]
    public async Task ScheduledDigest_Dispatched_PostsACardWithChartToTeamsAndBarChartBlocksToSlack()
    {
        await using var connector = await TeamsTestKit.StartConnectorAsync();
        await using var slack = await RecordingServer.StartAsync();
        // Slack as the digest needs it: posts, and the chart uploads in the summary's thread.
        slack.Responder = Bot.Slack.DigestSlackThreadTests.Slack(slack);
        await using var app = new TheModelApp(new FakeClock(DueTime));
        SlackTestKit.Configure(app, slack);
        _ = app.CreateClient();
        await DigestWorld.SeedAsync(app);
        // The bot is installed in the Teams channel, and `link digest` is said there and in Slack.
        Assert.Equal(200, (await TeamsTestKit.PostAsync(app, TeamsTestKit.Installation(connector.BaseUrl,
            TeamsTestKit.Channel(connector.BaseUrl, DigestWorld.TeamsChannel)))).Status);
        await DigestWorld.LinkChannelsAsync(app);

        Assert.NotNull(await RunAsync(app));
        await app.DispatchAsync();

        var teams = Assert.Single(connector.Requests, r => r.Method == "POST" && r.Path == $"/v3/conversations/{DigestWorld.TeamsChannel}/activities");
        var card = JsonNode.Parse(teams.Body)!["attachments"]![0]!["content"]!;
        // Issue 20: the chain is a grouped chart, this week against the trailing 4-week average.
        var chart = card["body"]!.AsArray().Single(e => e?["type"]?.GetValue<string>() == "Chart.VerticalBar.Grouped")!;
        Assert.Equal([4, 4], chart["data"]!.AsArray().Select(s => s!["values"]!.AsArray().Count));
        Assert.Equal("FactSet", chart["fallback"]!["type"]!.GetValue<string>());
        Assert.Contains("ボトルネック", card.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        // Issue 20: the summary goes to the channel; the details follow as a reply in its thread.
        var post = Assert.Single(slack.Requests, r => r.Path == "/api/chat.postMessage" && !r.Body.Contains("\"thread_ts\"", StringComparison.Ordinal));
        var body = JsonNode.Parse(post.Body)!;
        Assert.Equal(DigestWorld.SlackChannel, body["channel"]!.GetValue<string>());
        Assert.Contains(body["blocks"]!.AsArray(), b => b?["text"]?["text"]?.GetValue<string>().Contains("```") == true);
        Assert.All(await DigestWorld.DigestPostsAsync(app), p => Assert.Equal(OutboxStatus.Sent, p.Status));
    }

    [Fact]
    public async Task AddJobs_CronInATimeZone_IsTheDigestsSchedule()
    {
        await using var app = new TheModelApp(new FakeClock(DueTime));
        app.Settings["Sla:AutoSweep"] = "true";
        app.Settings["Digest:Schedule"] = "30 8 * * 2";
        app.Settings["Digest:TimeZone"] = "Europe/Berlin";
        _ = app.CreateClient();

        var schedule = app.Services.GetRequiredService<DigestSchedule>();

        Assert.Equal(("30 8 * * 2", "Europe/Berlin"), (schedule.Cron, schedule.TimeZone.Id));
        // Tuesday 17 November 2026, 08:30 in Berlin (CET) is 07:30 UTC.
        Assert.Equal(new DateTime(2026, 11, 17, 7, 30, 0, DateTimeKind.Utc), schedule.NextAfter(DueTime));
    }

    [Fact]
    public async Task AddJobs_DefaultSchedule_IsMonday0900Tokyo()
    {
        await using var app = new TheModelApp(new FakeClock(DueTime));
        _ = app.CreateClient();

        var schedule = app.Services.GetRequiredService<DigestSchedule>();

        Assert.Equal(("0 9 * * 1", "Asia/Tokyo"), (schedule.Cron, schedule.TimeZone.Id));
        Assert.Equal(DueTime, schedule.LastAtOrBefore(DueTime));
        Assert.Equal(DueTime.AddDays(7), schedule.NextAfter(DueTime));
        // DueTime is Monday 2026-11-16 09:00 in Tokyo.
        var local = TimeZoneInfo.ConvertTimeFromUtc(DueTime, schedule.TimeZone);
        Assert.Equal((DayOfWeek.Monday, 9, 0), (local.DayOfWeek, local.Hour, local.Minute));
    }

    [Theory]
    [InlineData("0 0 9 ? * MON", 6)]
    [InlineData("0 0 9 ? * MON *", 7)]
    public async Task Start_WithASixOrSevenFieldCron_StopsNamingTheKeyAndTheNewFormat(string cron, int fields)
    {
        await using var app = new TheModelApp(new FakeClock(DueTime));
        app.Settings["Digest:Schedule"] = cron;

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Equal(
            $"Digest:Schedule '{cron}' is a {fields}-field Quartz cron; the digest now takes a standard 5-field cron (minute hour day-of-month month day-of-week), e.g. '0 9 * * 1'.",
            error.Message);
    }

    [Fact]
    public async Task Tick_FirstAfterADowntimeOverTheDueTime_PostsTheOwedDigestOnceMarkedLate()
    {
        await using var app = await LinkedAppAsync(DueTime.AddHours(5));
        var (scheduler, _) = SlaSweepJobTests.ScheduledJobs(app, TimeSpan.FromHours(1));

        // The first tick runs the digest whatever the minute (catch-up at start); the next at a minute's start finds it settled.
        await SlaSweepJobTests.TickAsync(app, scheduler);
        app.Clock.SetUtcNow(new DateTimeOffset(DueTime.AddHours(5).AddMinutes(2), TimeSpan.Zero));
        await scheduler.RunAtAsync(new DateTime(2026, 11, 16, 5, 2, 0, DateTimeKind.Utc));

        var posts = await DigestWorld.DigestPostsAsync(app);
        Assert.Equal(["digest:scheduled:2026-11-09:teams", "digest:scheduled:2026-11-09:slack"], posts.Select(p => p.DedupeKey));
        Assert.All(posts, p => Assert.True(p.Late));
    }

    [Fact]
    public async Task Tick_AtAMinutesStartAfterTheNextDueTime_PostsTheNextWeekOnTime()
    {
        await using var app = await LinkedAppAsync();
        var (scheduler, _) = SlaSweepJobTests.ScheduledJobs(app, TimeSpan.FromHours(1));
        await SlaSweepJobTests.TickAsync(app, scheduler);

        var next = DueTime.AddDays(7);
        app.Clock.SetUtcNow(new DateTimeOffset(next, TimeSpan.Zero));
        await scheduler.RunAtAsync(next);

        var posts = await DigestWorld.DigestPostsAsync(app);
        Assert.Equal(4, posts.Count);
        Assert.Equal(2, posts.Count(p => p.DedupeKey.StartsWith("digest:scheduled:2026-11-16:", StringComparison.Ordinal)));
        Assert.All(posts, p => Assert.False(p.Late));
    }

    [Theory]
    [InlineData("Digest:Schedule", "every monday")]
    [InlineData("Digest:TimeZone", "Mars/Olympus")]
    [InlineData("Digest:Targets:mqlRate", "150%")]
    public async Task AddJobs_BadDigestConfiguration_RefusesToStartNamingTheKey(string key, string value)
    {
        await using var app = new TheModelApp(new FakeClock(DueTime));
        app.Settings[key] = value;

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains(key, error.ToString());
    }

    [Theory]
    // Monday 09:00 JST = 00:00 UTC.
    [InlineData("2026-11-16T00:00:00", "2026-11-16T00:00:00")]
    [InlineData("2026-11-16T05:00:00", "2026-11-16T00:00:00")]
    [InlineData("2026-11-15T23:59:59", "2026-11-09T00:00:00")]
    [InlineData("2026-11-20T12:00:00", "2026-11-16T00:00:00")]
    public void DigestSchedule_LastAtOrBefore_IsTheMostRecentDueTime(string now, string expected)
    {
        var schedule = new DigestSchedule(new DigestOptions());

        var due = schedule.LastAtOrBefore(DateTime.Parse(now, null, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal));

        Assert.Equal(DateTime.Parse(expected, null, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal), due);
    }

    [Fact]
    public void DigestSchedule_InAZoneWithDaylightSaving_FollowsLocalTime()
    {
        var schedule = new DigestSchedule(new DigestOptions { Schedule = "0 9 * * 1", TimeZone = "Europe/Berlin" });

        // 09:00 in Berlin is 07:00 UTC in summer time and 08:00 UTC after the change on 25 October 2026.
        Assert.Equal(new DateTime(2026, 10, 19, 7, 0, 0, DateTimeKind.Utc), schedule.LastAtOrBefore(new DateTime(2026, 10, 20, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(new DateTime(2026, 10, 26, 8, 0, 0, DateTimeKind.Utc), schedule.LastAtOrBefore(new DateTime(2026, 10, 27, 0, 0, 0, DateTimeKind.Utc)));
    }

    [Fact]
    public async Task Invoke_WithNothingLinked_RecordsTheRunSoItIsNotRetriedEveryStart()
    {
        await using var app = new TheModelApp(new FakeClock(DueTime));
        _ = app.CreateClient();

        await InvokeAsCoravelWouldAsync(app);
        await InvokeAsCoravelWouldAsync(app);

        Assert.Equal("scheduled:2026-11-09", (await app.WithDbAsync(db => db.DigestRuns.SingleAsync())).Key);
        Assert.Empty(await DigestWorld.DigestPostsAsync(app));
    }
}
