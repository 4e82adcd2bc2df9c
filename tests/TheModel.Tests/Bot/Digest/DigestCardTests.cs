using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Digests;
using TheModel.Api.Handoffs;
using TheModel.Api.Kpis;
using TheModel.Bot.Chat;
using TheModel.Bot.HandoffCards;
using TheModel.Bot.Demo;
using TheModel.Bot.Digest;
using TheModel.Cards;
using TheModel.Tests.Api;
using TheModel.Tests.Bot.Digest;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Digest;

/// <summary>Issue 20: the digest card people look at — headline first, charts, details on demand — on <see cref="DigestWorld"/> and the demo quarter.</summary>
public class DigestCardTests
{
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static async Task<DigestFigures> DigestAsync()
    {
        await using var app = new TheModelApp(new FakeClock(DigestWorld.Now));
        _ = app.CreateClient();
        await DigestWorld.SeedAsync(app);
        return await DigestFigureQueriesTests.BuildAsync(app);
    }

    /// <summary>Eight dropped balls, each with an assignee chat knows (Teams and Slack ids).</summary>
    private static DigestFigures WithEightDroppedBalls(DigestFigures d)
    {
        var ball = d.DroppedBalls.Top[0];
        return d with
        {
            DroppedBalls = d.DroppedBalls with
            {
                Total = 8,
                Top = Enumerable.Range(0, 8).Select(i => ball with { Company = $"Company {i}", Assignee = $"Person {i % 3}" } with
                {
                    AssigneeTeamsUserId = $"29:person-{i % 3}",
                    AssigneeSlackUserId = $"U0PERSON{i % 3}",
                }).ToList(),
            },
        };
    }

    [Fact]
    public async Task BuildAsync_HandBuiltWeek_AveragesTheTrailingFourWeeksAndTrendsThirteenWeeksAsKpisGiveThem()
    {
        await using var app = new TheModelApp(new FakeClock(DigestWorld.Now)).WithKeys();
        var client = app.Client(ApiKit.ReadKey);
        await DigestWorld.SeedAsync(app);

        var digest = await DigestFigureQueriesTests.BuildAsync(app);
        var json = await client.GetAsync($"/api/digests/weekly?week={DigestWorld.Week}").OkJsonAsync();

        // W42–W45 (see DigestWorld): inquiries 10, 10, 10, 8; MQL 5, 5, 5, 4; SQL 3, 2, 3, 2; won 0, 0, 0, 1.
        Assert.Equal(new ChainAverage(4, 9.5, 4.75, 2.5, 0.25), digest.TrailingAverage);
        Assert.Equal(DigestFigureQueries.TrendWeeks, digest.Trend.Count);
        Assert.Equal(DigestWorld.Week, digest.Trend[^1].Week);
        Assert.Equal(new DateOnly(2026, 11, 9), digest.Trend[^1].FirstDay);
        Assert.Equal(new DateOnly(2026, 8, 17), digest.Trend[0].FirstDay);
        foreach (var week in new[] { DigestWorld.Week, DigestWorld.PreviousWeek, "2026-W44" })
        {
            var kpis = await client.GetAsync($"/api/kpis?period={week}").OkJsonAsync();
            var trend = digest.Trend.Single(w => w.Week == week);
            foreach (var kind in kpis.GetProperty("funnel").GetProperty("handoffs").EnumerateArray())
            {
                var point = trend.Handoffs.Single(p => p.Kind.ToString() == kind.GetProperty("kind").GetString());
                Assert.Equal(Number(kind.GetProperty("slaCompliance")), point.SlaCompliance);
                Assert.Equal(Number(kind.GetProperty("acceptanceRate")), point.AcceptanceRate);
            }
        }
        // The API gives the series too, next to the fields it always had.
        Assert.Equal(9.5, json.GetProperty("trailingAverage").GetProperty("inquiries").GetDouble());
        Assert.Equal(DigestFigureQueries.TrendWeeks, json.GetProperty("trend").GetArrayLength());
        Assert.Equal(10, json.GetProperty("funnel").GetProperty("inquiries").GetProperty("value").GetDouble());
        Assert.False(json.GetProperty("droppedBalls").GetProperty("top")[0].TryGetProperty("assigneeSlackUserId", out _));
    }

    private static double? Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();

    [Fact]
    public async Task TeamsCard_HandBuiltWeek_OpensWithTheHeadlineThenTwoChartsWithFallbacks()
    {
        var model = DigestAnswers.Figures(await DigestAsync(), ChatTexts.English);

        var card = AdaptiveCardRenderer.Figures(model);
        var body = card["body"]!.AsArray();

        Assert.Equal("Baton meeting digest · 2026-W46", body[0]!["text"]!.GetValue<string>());
        Assert.Contains("Bottleneck: MQL acceptance rate (IS) 33.3%", body[2]!["items"]![0]!["text"]!.GetValue<string>());
        var columns = body[3]!["columns"]!.AsArray().Select(c => c!["items"]!.AsArray().Select(i => i!["text"]!.GetValue<string>()).ToList()).ToList();
        Assert.Equal(
            [["Inquiries", "10", "▲ +2 · +25.0%"], ["MQL", "4", "→ ±0 · ±0.0%"], ["SQL", "1", "▼ −1 · −50.0%"], ["Won", "1", "→ ±0 · ±0.0%"]],
            columns);
        Assert.Equal("Dropped balls this week: 2 (1 open past deadline now)", body[4]!["text"]!.GetValue<string>());
        var bars = body[5]!;
        Assert.Equal("Chart.VerticalBar.Grouped", bars["type"]!.GetValue<string>());
        Assert.Equal(["This week", "4-week average"], bars["data"]!.AsArray().Select(s => s!["legend"]!.GetValue<string>()));
        Assert.Equal([10.0, 4, 1, 1], bars["data"]![0]!["values"]!.AsArray().Select(v => v!["y"]!.GetValue<double>()));
        Assert.Equal([9.5, 4.8, 2.5, 0.3], bars["data"]![1]!["values"]!.AsArray().Select(v => v!["y"]!.GetValue<double>()));
        Assert.Equal("FactSet", bars["fallback"]!["type"]!.GetValue<string>());
        Assert.Equal("10 (4-week average 9.5)", bars["fallback"]!["facts"]![0]!["value"]!.GetValue<string>());
        var line = body[6]!;
        Assert.Equal("Chart.Line", line["type"]!.GetValue<string>());
        Assert.Equal(6, line["data"]!.AsArray().Count);
        var mqlSla = line["data"]![0]!;
        Assert.Equal("MQL → IS SLA", mqlSla["legend"]!.GetValue<string>());
        var last = mqlSla["values"]!.AsArray().Last()!;
        Assert.Equal(("2026-11-09", 66.7), (last["x"]!.GetValue<string>(), last["y"]!.GetValue<double>()));
        Assert.Equal("FactSet", line["fallback"]!["type"]!.GetValue<string>());
        Assert.Equal("SLA 66.7% · accepted 33.3%", line["fallback"]!["facts"]![0]!["value"]!.GetValue<string>().Split(" (")[0]);
    }

    [Fact]
    public async Task TeamsCard_Details_AreHiddenUntilTheirHeadingIsSelected()
    {
        var model = DigestAnswers.Figures(await DigestAsync(), ChatTexts.English);

        var body = AdaptiveCardRenderer.Figures(model)["body"]!.AsArray();

        var hidden = body.Where(e => e?["isVisible"]?.GetValue<bool>() == false).ToList();
        var toggles = body.Where(e => e?["selectAction"]?["type"]?.GetValue<string>() == "Action.ToggleVisibility").ToList();
        Assert.Equal(model.Digest!.Details.Count, hidden.Count);
        Assert.Equal(hidden.Select(h => h!["id"]!.GetValue<string>()), toggles.Select(t => t!["selectAction"]!["targetElements"]![0]!.GetValue<string>()));
        Assert.Contains(model.Digest.Details, s => s.Title == "Inside Sales (IS)");
        Assert.Contains(model.Digest.Details, s => s.Title == "SLA compliance and response time");
        Assert.Contains(model.Digest.Details, s => s.Title == "Why leads were turned down (to the sending department)");
        // Everything shown before the first toggle is the headline and the pictures: no department figure yet.
        var firstToggle = body.IndexOf(toggles[0]);
        Assert.DoesNotContain("MQLs received", new JsonArray(body.Take(firstToggle).Select(e => e!.DeepClone()).ToArray()).ToJsonString(Readable));
        Assert.Contains("MQLs received", hidden.Select(h => h!.ToJsonString(Readable)).First(h => h.Contains("MQLs received")));
    }

    [Fact]
    public async Task DroppedBalls_EightWithKnownAssignees_ListFiveMentionedAndCountTheRest()
    {
        var model = DigestAnswers.Figures(WithEightDroppedBalls(await DigestAsync()), ChatTexts.English);

        var card = AdaptiveCardRenderer.Figures(model);
        var slack = BlockKitRenderer.DigestSummary(model.Digest!);

        var lines = card["body"]!.AsArray().Select(e => e?["text"]?.GetValue<string>()).OfType<string>().Where(t => t.StartsWith("<at>", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, lines.Count);
        Assert.StartsWith("<at>Person 0</at> · Company 0", lines[0]);
        var entities = card["msteams"]!["entities"]!.AsArray();
        Assert.Equal([("<at>Person 0</at>", "29:person-0"), ("<at>Person 1</at>", "29:person-1"), ("<at>Person 2</at>", "29:person-2")],
            entities.Select(e => (e!["text"]!.GetValue<string>(), e["mentioned"]!["id"]!.GetValue<string>())));
        Assert.Contains(card["body"]!.AsArray(), e => e?["text"]?.GetValue<string>() == "and 3 more");
        var text = slack.Blocks.ToJsonString(Readable);
        Assert.Equal(5, text.Split("<@U0PERSON").Length - 1);
        Assert.Contains("_and 3 more_", text);
    }

    [Fact]
    public async Task SlackSummary_HandBuiltWeek_HeadlineInTheChannelDetailsForTheThread()
    {
        var model = DigestAnswers.Figures(await DigestAsync(), ChatTexts.Japanese).Digest!;

        var summary = BlockKitRenderer.DigestSummary(model);
        var details = BlockKitRenderer.DigestDetails(model);

        var text = summary.Blocks.ToJsonString(Readable);
        Assert.Equal("header", summary.Blocks[0]!["type"]!.GetValue<string>());
        Assert.Contains("ボトルネック", summary.Blocks[2]!["text"]!["text"]!.GetValue<string>());
        Assert.Equal("*問い合わせ*\n*10* ▲ +2 · +25.0%", summary.Blocks[3]!["fields"]![0]!["text"]!.GetValue<string>());
        Assert.Contains("今週のポテンヒット: 2件", text);
        Assert.Contains("詳細とグラフはスレッドにあります。", text);
        Assert.DoesNotContain("届いたMQL", text);
        Assert.Contains("届いたMQL", details.Blocks.ToJsonString(Readable));
    }

    [Fact]
    public async Task Renderers_DemoQuarter_TeamsCardWithChartsUnder28KbAndSlackWithin50Blocks()
    {
        await using var app = new TheModelApp(new FakeClock(new DateTimeOffset(2026, 11, 20, 3, 0, 0, TimeSpan.Zero)));
        _ = app.CreateClient();
        await using (var seed = app.Services.CreateAsyncScope())
        {
            Assert.True(await seed.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync());
        }
        await using var scope = app.Services.CreateAsyncScope();
        var digests = scope.ServiceProvider.GetRequiredService<DigestFigureQueries>();
        var digest = await digests.BuildAsync(digests.LastCompleteWeek(app.Clock.GetUtcNow().UtcDateTime));

        foreach (var t in new[] { ChatTexts.Japanese, ChatTexts.English })
        {
            var model = DigestAnswers.Figures(digest, t, late: true);
            var card = AdaptiveCardRenderer.Figures(model).ToJsonString();
            var summary = BlockKitRenderer.DigestSummary(model.Digest!);
            var details = BlockKitRenderer.DigestDetails(model.Digest!);

            Assert.True(System.Text.Encoding.UTF8.GetByteCount(card) < AdaptiveCardRenderer.MaxCardBytes, $"{card.Length} bytes");
            Assert.Contains("\"Chart.Line\"", card);
            Assert.Contains("\"Chart.VerticalBar.Grouped\"", card);
            Assert.DoesNotContain(JsonSerializer.Serialize(CardTexts.For(t.Language).Truncated), card);
            Assert.InRange(summary.Blocks.Count, 1, BlockKitRenderer.MaxMessageBlocks);
            Assert.InRange(details.Blocks.Count, 1, BlockKitRenderer.MaxMessageBlocks);
            Assert.DoesNotContain(CardTexts.For(t.Language).Truncated, details.Blocks.ToJsonString(Readable));
        }
    }
}
