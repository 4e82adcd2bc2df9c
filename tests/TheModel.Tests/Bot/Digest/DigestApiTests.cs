using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Outbox;
using TheModel.Tests.Api;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Digest;

/// <summary><c>GET /api/digests/weekly</c> and <c>POST /api/digests/weekly/run</c> over HTTP, on <see cref="DigestWorld"/>.</summary>
public class DigestApiTests
{
    private static async Task<TheModelApp> SeededAppAsync()
    {
        var app = new TheModelApp(new FakeClock(DigestWorld.Now)).WithKeys();
        _ = app.CreateClient();
        await DigestWorld.SeedAsync(app);
        return app;
    }

    private static double? Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();

    [Fact]
    public async Task GetWeekly_ForAWeek_EqualsKpisOfTheSameWeek()
    {
        await using var app = await SeededAppAsync();
        var client = app.Client(ApiKit.ReadKey);

        var digest = await client.GetAsync($"/api/digests/weekly?week={DigestWorld.Week}").OkJsonAsync();
        var kpis = await client.GetAsync($"/api/kpis?period={DigestWorld.Week}").OkJsonAsync();
        var before = await client.GetAsync($"/api/kpis?period={DigestWorld.PreviousWeek}").OkJsonAsync();

        // Every department figure, this week and last, as /api/kpis gives it.
        var departments = digest.GetProperty("departments").EnumerateArray().ToDictionary(d => d.GetProperty("department").GetString()!);
        var compared = 0;
        foreach (var (report, field) in new[] { (kpis, "value"), (before, "previous") })
        {
            foreach (var department in report.GetProperty("departments").EnumerateArray())
            {
                var values = departments[department.GetProperty("department").GetString()!].GetProperty("values").EnumerateArray()
                    .ToDictionary(v => v.GetProperty("key").GetString()!);
                foreach (var value in department.GetProperty("values").EnumerateArray())
                {
                    var key = value.GetProperty("key").GetString()!;
                    Assert.Equal(Number(value.GetProperty("value")), Number(values[key].GetProperty(field)));
                    compared++;
                }
            }
        }
        Assert.True(compared >= 40, $"compared {compared} figures");

        // The funnel chain, per-kind SLA / response times / dropped balls, neglect and recycled.
        var funnel = kpis.GetProperty("funnel");
        var chain = digest.GetProperty("funnel");
        foreach (var (chainKey, funnelKey) in new[] { ("inquiries", "inquiries"), ("mqls", "mqls"), ("sqls", "sqls"), ("won", "won"), ("lost", "lost"),
            ("revenue", "revenue"), ("mqlRate", "mqlRate"), ("mqlToSql", "mqlToSql"), ("winRate", "winRate") })
        {
            Assert.Equal(Number(funnel.GetProperty(funnelKey)), Number(chain.GetProperty(chainKey).GetProperty("value")));
            Assert.Equal(Number(before.GetProperty("funnel").GetProperty(funnelKey)), Number(chain.GetProperty(chainKey).GetProperty("previous")));
        }
        var kinds = digest.GetProperty("handoffs").EnumerateArray().ToDictionary(h => h.GetProperty("kind").GetString()!);
        foreach (var h in funnel.GetProperty("handoffs").EnumerateArray())
        {
            var mine = kinds[h.GetProperty("kind").GetString()!];
            foreach (var key in new[] { "offered", "accepted", "rejected", "expired", "acceptanceRate", "droppedBalls" })
            {
                Assert.Equal(Number(h.GetProperty(key)), Number(mine.GetProperty(key)));
            }
            Assert.Equal(Number(h.GetProperty("slaCompliance")), Number(mine.GetProperty("slaCompliance").GetProperty("value")));
            Assert.Equal(h.GetProperty("responseTime").GetRawText(), mine.GetProperty("responseTime").GetRawText());
            Assert.Equal(h.GetProperty("rejectReasons").EnumerateArray().Take(3).Select(r => r.GetRawText()),
                digest.GetProperty("rejections").EnumerateArray().Single(r => r.GetProperty("kind").GetString() == h.GetProperty("kind").GetString())
                    .GetProperty("topReasons").EnumerateArray().Select(r => r.GetRawText()));
        }
        Assert.Equal(funnel.GetProperty("handoffs").EnumerateArray().Sum(h => h.GetProperty("droppedBalls").GetInt32()),
            digest.GetProperty("droppedBalls").GetProperty("total").GetInt32());
        Assert.Equal(Number(kpis.GetProperty("leadNeglectRate")), Number(digest.GetProperty("leadNeglectRate")));
        Assert.Equal(kpis.GetProperty("recycled").GetRawText(), digest.GetProperty("recycled").GetProperty("reasons").GetRawText());

        // And the hand-worked figures themselves, so equal-but-wrong cannot pass.
        Assert.Equal(10, chain.GetProperty("inquiries").GetProperty("value").GetInt32());
        Assert.Equal("mqlAcceptanceRate", digest.GetProperty("bottleneck").GetProperty("key").GetString());
    }

    [Fact]
    public async Task GetWeekly_WithoutWeek_ReportsTheLastCompleteWeek()
    {
        await using var app = await SeededAppAsync();
        var client = app.Client(ApiKit.ReadKey);

        var byDefault = await client.GetAsync("/api/digests/weekly").OkJsonAsync();
        var lastWeek = await client.GetAsync("/api/digests/weekly?period=last-week").OkJsonAsync();
        var named = await client.GetAsync("/api/digests/weekly?week=2026-w46").OkJsonAsync();

        Assert.Equal(DigestWorld.Week, byDefault.GetProperty("week").GetProperty("label").GetString());
        Assert.Equal("2026-11-09", byDefault.GetProperty("firstDay").GetString());
        foreach (var other in new[] { lastWeek, named })
        {
            Assert.Equal(byDefault.GetProperty("week").GetRawText(), other.GetProperty("week").GetRawText());
            Assert.Equal(byDefault.GetProperty("funnel").GetRawText(), other.GetProperty("funnel").GetRawText());
        }
    }

    [Fact]
    public async Task GetWeekly_EmptyWeek_AnswersWithNullRatesNotErrors()
    {
        await using var app = await SeededAppAsync();

        var digest = await app.Client(ApiKit.ReadKey).GetAsync("/api/digests/weekly?week=2020-W10").OkJsonAsync();

        Assert.Equal(JsonValueKind.Null, digest.GetProperty("bottleneck").ValueKind);
        Assert.Equal(JsonValueKind.Null, digest.GetProperty("funnel").GetProperty("mqlRate").GetProperty("value").ValueKind);
        Assert.Equal(0, digest.GetProperty("funnel").GetProperty("inquiries").GetProperty("value").GetInt32());
        Assert.Equal(0, digest.GetProperty("droppedBalls").GetProperty("top").GetArrayLength());
        Assert.DoesNotContain("NaN", digest.GetRawText());
    }

    [Theory]
    [InlineData("week=2026-13", "week")]
    [InlineData("week=2026-W60", "week")]
    [InlineData("week=last-week", "week")]
    [InlineData("period=2026-11", "period")]
    [InlineData("period=last-30-days", "period")]
    [InlineData("period=someday", "period")]
    [InlineData("week=2026-W46&period=last-week", "week")]
    public async Task GetWeekly_NotOneWeek_IsRefusedWithProblemDetails(string query, string field)
    {
        await using var app = await SeededAppAsync();

        var response = await app.Client(ApiKit.ReadKey).GetAsync($"/api/digests/weekly?{query}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Endpoints_WithoutTheirScope_AreRefused()
    {
        await using var app = await SeededAppAsync();
        await DigestWorld.LinkChannelsAsync(app);

        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client(null).GetAsync("/api/digests/weekly")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Client(ApiKit.ReadKey).PostAsync("/api/digests/weekly/run", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.Client(ApiKit.WriteKey).PostAsync("/api/digests/weekly/run", null)).StatusCode);
        Assert.Empty(await DigestWorld.DigestPostsAsync(app));
    }

    [Fact]
    public async Task RunWeekly_NoDigestChannelLinked_IsAConflictAndChangesNothing()
    {
        await using var app = await SeededAppAsync();

        var response = await app.Client(ApiKit.AdminKey).PostAsync("/api/digests/weekly/run", null);

        var problem = await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("link digest", problem.GetProperty("detail").GetString());
        Assert.Equal(0, await app.WithDbAsync(db => db.DigestRuns.CountAsync()));
        Assert.Empty(await DigestWorld.DigestPostsAsync(app));
    }

    [Fact]
    public async Task RunWeekly_BadWeek_IsRefusedAndPostsNothing()
    {
        await using var app = await SeededAppAsync();
        await DigestWorld.LinkChannelsAsync(app);

        var response = await app.Client(ApiKit.AdminKey).PostAsync("/api/digests/weekly/run?period=this-month", null);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "period");
        Assert.Empty(await DigestWorld.DigestPostsAsync(app));
    }

    [Fact]
    public async Task RunWeekly_Admin_QueuesOnePostPerLinkedChannelEachTime()
    {
        await using var app = await SeededAppAsync();
        await DigestWorld.LinkChannelsAsync(app);
        var client = app.Client(ApiKit.AdminKey);

        var first = await client.PostAsync($"/api/digests/weekly/run?week={DigestWorld.Week}", null).OkJsonAsync(HttpStatusCode.Accepted);
        var second = await client.PostAsync("/api/digests/weekly/run", null).OkJsonAsync(HttpStatusCode.Accepted);

        var runKey = first.GetProperty("runKey").GetString()!;
        Assert.StartsWith("manual:", runKey);
        Assert.NotEqual(runKey, second.GetProperty("runKey").GetString());
        Assert.Equal(["teams", "slack"], first.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        var posts = await DigestWorld.DigestPostsAsync(app);
        Assert.Equal(4, posts.Count);
        var slack = posts.Single(p => p.DedupeKey == $"digest:{runKey}:slack");
        Assert.Equal((OutboxChannels.Slack, DigestWorld.SlackChannel, false), (slack.Channel, slack.Target, slack.Late));
        var teams = posts.Single(p => p.DedupeKey == $"digest:{runKey}:teams");
        Assert.Equal((OutboxChannels.Teams, DigestWorld.TeamsChannel), (teams.Channel, teams.Target));
        using var payload = JsonDocument.Parse(slack.Payload!);
        Assert.Contains("バトンミーティング", payload.RootElement.GetProperty("text").GetString());
        Assert.Equal("ja", payload.RootElement.GetProperty("figures").GetProperty("language").GetString());
        var runs = await app.WithDbAsync(db => db.DigestRuns.AsNoTracking().OrderBy(r => r.Id).ToListAsync());
        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.True(r.Manual));
        Assert.Equal(new DateOnly(2026, 11, 9), runs[0].WeekStart);
        Assert.Equal("api:crm-admin", runs[0].ClaimedBy);
    }
}
