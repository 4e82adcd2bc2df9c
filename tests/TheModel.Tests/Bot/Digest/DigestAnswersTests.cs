using TheModel.Api.Digests;
using TheModel.Bot.Chat;
using TheModel.Bot.HandoffCards;
using TheModel.Bot.Digest;
using TheModel.Cards;
using TheModel.Tests.Bot.Digest;
using TheModel.Tests.Support;

namespace TheModel.Tests.Bot.Digest;

/// <summary>The digest of <see cref="DigestWorld"/> as a figures card and text, in Japanese and English.</summary>
public class DigestAnswersTests
{
    private static async Task<DigestFigures> DigestAsync(string week = DigestWorld.Week)
    {
        await using var app = new TheModelApp(new FakeClock(DigestWorld.Now));
        _ = app.CreateClient();
        await DigestWorld.SeedAsync(app);
        return await DigestFigureQueriesTests.BuildAsync(app, week);
    }

    [Fact]
    public async Task Figures_InJapanese_ChartTheFunnelChainAndCallOutTheBottleneck()
    {
        var model = DigestAnswers.Figures(await DigestAsync(), ChatTexts.Japanese);

        Assert.Equal("バトンミーティング ダイジェスト · 2026年第46週", model.Title);
        Assert.Equal("2026-11-09〜2026-11-15（前週比）", model.Subtitle);
        Assert.Equal("ボトルネック: MQL承諾率（IS） 33.3%（直近4週平均 100.0% に対し −66.7%）", model.Callout);
        Assert.Equal("ファネルの連鎖", model.ChartTitle);
        Assert.Equal([("問い合わせ", 10.0, "10 (+2 · +25.0%)"), ("MQL", 4.0, "4 (±0 · ±0.0%)"), ("SQL", 1.0, "1 (−1 · −50.0%)"), ("受注", 1.0, "1 (±0 · ±0.0%)")],
            model.Chart!.Select(b => (b.Label, b.Value, b.Display)));
        Assert.Equal("ja", model.Language);
    }

    [Fact]
    public async Task Figures_InEnglish_ShowEveryTopicWithWeekOverWeekChanges()
    {
        var model = DigestAnswers.Figures(await DigestAsync(), ChatTexts.English);
        var sections = model.Sections.ToDictionary(s => s.Title);

        Assert.Equal(["Funnel chain", "Marketing (MK)", "Inside Sales (IS)", "Field Sales (FS)", "Customer Success (CS)",
            "SLA compliance and response time", "Dropped balls", "Why leads were turned down (to the sending department)",
            "Recycled and neglected", "Inside Sales backlog"], model.Sections.Select(s => s.Title));
        var chain = sections["Funnel chain"].Rows.ToDictionary(r => r.Label);
        Assert.Equal(("40.0%", "−10.0pt"), (chain["MQL rate"].Value, chain["MQL rate"].Change));
        Assert.Equal(("¥1,000,000", "−¥1,000,000"), (chain["Revenue"].Value, chain["Revenue"].Change));
        var sla = sections["SLA compliance and response time"].Rows[0];
        Assert.Equal(("MQL → IS", "SLA 66.7% · median 3.0h · p90 10.0h · accepted 33.3% (−33.3pt)"), (sla.Label, sla.Value));
        var @is = sections["Inside Sales (IS)"].Rows.ToDictionary(r => r.Label);
        Assert.Equal("8 (+4 · +100.0%)", @is["MQLs received"].Value);
        Assert.Equal("33.3% (−66.7pt)", @is["MQL acceptance rate (IS)"].Value);
        var dropped = sections["Dropped balls"].Rows;
        Assert.Equal(("Dropped this week", "2"), (dropped[0].Label, dropped[0].Value));
        Assert.Equal(("Foxtrot KK — Fumiko Sato", "MQL → IS · Alice · expired · deadline 2026-11-12 02:00 UTC"), (dropped[2].Label, dropped[2].Value));
        Assert.Equal(("Golf GK — Goro Ito", "MQL → IS · department queue · still open · deadline 2026-11-13 01:00 UTC"), (dropped[3].Label, dropped[3].Value));
        var feedback = sections["Why leads were turned down (to the sending department)"].Rows;
        Assert.Equal(("To Marketing (MK) · MQL → IS", "3 rejected: Not our target 2, No budget 1"), (feedback[0].Label, feedback[0].Value));
        Assert.Equal("To Inside Sales (IS) · SQL → FS", feedback[1].Label);
        Assert.Contains(sections["Recycled and neglected"].Rows, r => r.Label == "Lead neglect rate" && r.Value == "50.0%");
        Assert.Contains(sections["Recycled and neglected"].Rows,
            r => r.Label == "India KK — Ichiro Ito" && r.Value == "neglected SQL · department queue · 20 days without activity");
        var advice = sections["Inside Sales backlog"].Rows.Single(r => r.Label == "Advice").Value;
        Assert.Contains("raise the MQL threshold (Qualification:MqlThreshold) by 5, from 80 to 85", advice);
    }

    [Fact]
    public async Task Text_IsWrittenFromTheCard_SoBothShowTheSameNumbers()
    {
        var model = DigestAnswers.Figures(await DigestAsync(), ChatTexts.English, late: true);

        var text = DigestAnswers.Text(model);

        Assert.StartsWith("Baton meeting digest · 2026-W46\n2026-11-09 – 2026-11-15, compared with the week before · posted late", text);
        Assert.Contains("! Bottleneck: MQL acceptance rate (IS) 33.3%, against a trailing 4-week average of 100.0% (−66.7%)", text);
        foreach (var row in model.Sections.SelectMany(s => s.Rows))
        {
            Assert.Contains($"{row.Label}: {row.Value}", text);
        }
    }

    [Fact]
    public async Task Figures_EmptyWeek_ShowDashesAndNoBottleneck()
    {
        var model = DigestAnswers.Figures(await DigestAsync("2020-W10"), ChatTexts.English);

        Assert.Null(model.Callout);
        var chain = model.Sections[0].Rows.ToDictionary(r => r.Label);
        Assert.Equal(("—", null), (chain["MQL rate"].Value, chain["MQL rate"].Change));
        Assert.Equal(("0", "±0"), (chain["Inquiries"].Value, chain["Inquiries"].Change));
        Assert.DoesNotContain("NaN", DigestAnswers.Text(model));
        Assert.DoesNotContain("∞", DigestAnswers.Text(model));
    }

    [Fact]
    public async Task Renderers_FullestDigest_FitsTeamsAndSlackWithoutShortening()
    {
        // The most a week can show: ten dropped balls with long names, every recycle reason, three reasons per kind.
        var d = await DigestAsync();
        var ball = d.DroppedBalls.Top[0];
        var reasons = CardTexts.RejectReasons.Select((r, i) => new TheModel.Api.Kpis.ReasonCount(r, 100 - i)).ToList();
        d = d with
        {
            DroppedBalls = d.DroppedBalls with
            {
                Top = Enumerable.Range(0, DigestFigureQueries.TopDroppedBalls)
                    .Select(i => ball with { Company = $"株式会社ロングネーム・ホールディングス第{i}事業本部", Contact = $"長谷川 由紀子 {i}", Assignee = "佐々木 健太郎" })
                    .ToList(),
            },
            Recycled = new RecycledLeads(reasons.Sum(r => r.Count), reasons),
            Rejections = d.Rejections.Select(r => r with { Rejected = 50, TopReasons = reasons.Take(DigestFigureQueries.TopReasons).ToList() }).ToList(),
        };
        var model = DigestAnswers.Figures(d, ChatTexts.Japanese, late: true);

        var card = AdaptiveCardRenderer.Figures(model).ToJsonString();
        var slack = BlockKitRenderer.Figures(model);

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(card) < AdaptiveCardRenderer.MaxCardBytes, $"{card.Length} bytes");
        Assert.DoesNotContain(System.Text.Json.JsonSerializer.Serialize(CardTexts.Japanese.Truncated), card);
        Assert.Contains(System.Text.Json.JsonSerializer.Serialize(model.Sections[^1].Title), card);
        Assert.InRange(slack.Blocks.Count, 1, 50);
        Assert.Contains(slack.Blocks, b => b?["text"]?["text"]?.GetValue<string>().Contains("```") == true);
        Assert.DoesNotContain(CardTexts.Japanese.Truncated, slack.Blocks.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"text\":\"x\"}")]
    public void DigestPayload_Unreadable_GivesAnErrorInsteadOfThrowing(string? json)
    {
        Assert.Null(DigestPayload.Read(json, out var error));
        Assert.StartsWith("digest.weekly", error);
    }

    [Fact]
    public async Task DigestPayload_AsQueued_ReadsBackTheSameFigures()
    {
        var message = new DigestFormatter().Format(await DigestAsync(), "en", late: false);
        var json = System.Text.Json.JsonSerializer.Serialize(new { text = message.Text, figures = message.Figures, late = false },
            System.Text.Json.JsonSerializerOptions.Web);

        var payload = DigestPayload.Read(json, out var error)!;

        Assert.Null(error);
        Assert.Equal(message.Text, payload.Text);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(message.Figures, System.Text.Json.JsonSerializerOptions.Web),
            System.Text.Json.JsonSerializer.Serialize(payload.Figures, System.Text.Json.JsonSerializerOptions.Web));
    }
}
