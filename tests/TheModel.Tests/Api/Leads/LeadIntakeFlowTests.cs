using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Leads;

/// <summary>The issue's walk-through over the real HTTP pipeline: two IS people, a lead with score 85, accept, funnel.</summary>
public class LeadIntakeFlowTests
{
    [Fact]
    public async Task PostLead_WithScoreAboveThreshold_OffersMqlToIsHandoff_ThatTheAssigneeAccepts()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var sato = await client.AddPersonAsync("佐藤 花子", "sato@example.co.jp", "IS");
        var suzuki = await client.AddPersonAsync("鈴木 一郎", "suzuki@example.co.jp", "IS");

        var lead = await client.PostLeadAsync(new { externalId = "ma-1", name = "田中 太郎", email = "tanaka@acme.co.jp", company = "株式会社アクメ", score = 85 })
            .OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Mql", lead.Str("stage"));
        var offered = lead.GetProperty("offered");
        Assert.Equal("MqlToIs", offered.Str("kind"));
        Assert.Equal("Offered", offered.Str("state"));
        var assignee = offered.Id("assigneeId");
        Assert.Contains(assignee, new[] { sato, suzuki });
        Assert.Equal("RoundRobin", offered.Str("routing"));
        Assert.False(string.IsNullOrWhiteSpace(offered.Str("routingReason")));

        var accepted = await client.PostAsJsonAsync($"/api/handoffs/{offered.Id()}/accept", new { personId = assignee }).OkJsonAsync();
        Assert.Equal("Accepted", accepted.Str("state"));

        var timeline = await client.GetAsync($"/api/leads/{lead.Id()}").OkJsonAsync();
        Assert.Equal(assignee, timeline.GetProperty("lead").Id("ownerId"));
        Assert.Equal("IS", timeline.GetProperty("lead").Str("department"));
        var types = timeline.GetProperty("events").EnumerateArray().Select(e => e.Str("type")).ToList();
        Assert.Equal(["LeadCreated", "BecameMql", "HandoffOffered", "HandoffAccepted"], types);
        Assert.Equal("crm-admin", timeline.GetProperty("events")[0].Str("actor"));
        Assert.Single(timeline.GetProperty("handoffs").EnumerateArray());

        var funnel = await client.GetAsync("/api/funnel?period=this-month").OkJsonAsync();
        Assert.Equal(1, funnel.GetProperty("inquiries").GetInt32());
        Assert.Equal(1, funnel.GetProperty("mqls").GetInt32());
        var mql = funnel.GetProperty("handoffs").EnumerateArray().Single(h => h.Str("kind") == "MqlToIs");
        Assert.Equal(1, mql.GetProperty("accepted").GetInt32());
        Assert.Equal(1.0, mql.GetProperty("acceptanceRate").GetDouble());
    }

    [Fact]
    public async Task PostLead_BelowThreshold_StaysInquiry_WithoutHandoff()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var lead = await client.PostLeadAsync(new { name = "山本 健", company = "山本工業", score = 79 }).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Inquiry", lead.Str("stage"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, lead.GetProperty("offered").ValueKind);
        Assert.Equal(0, (await app.CountsAsync()).Handoffs);
    }

    [Fact]
    public async Task PostLead_SameBodyTwice_IsTheSameLead_AndOneHandoff()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        await client.AddPersonAsync("佐藤 花子", "sato@example.co.jp", "IS");
        var body = new { externalId = "ma-42", name = "田中 太郎", email = "tanaka@acme.co.jp", company = "アクメ", score = 90 };

        var first = await client.PostLeadAsync(body).OkJsonAsync(HttpStatusCode.Created);
        var second = await client.PostLeadAsync(body).OkJsonAsync(HttpStatusCode.OK);

        Assert.Equal(first.Id(), second.Id());
        var counts = await app.CountsAsync();
        Assert.Equal(1, counts.Leads);
        Assert.Equal(1, counts.Handoffs);
    }

    [Fact]
    public async Task PostLead_ExistingExternalIdWithHigherScore_UpdatesAndBecomesMql()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        await client.PostLeadAsync(new { externalId = "ma-7", name = "田中", company = "アクメ", score = 40 }).OkJsonAsync(HttpStatusCode.Created);
        var updated = await client.PostLeadAsync(new { externalId = "ma-7", name = "田中", company = "アクメ", score = 88 }).OkJsonAsync();
        Assert.Equal("Mql", updated.Str("stage"));
        Assert.Equal(88, updated.GetProperty("score").GetInt32());
        Assert.Equal("Queue", updated.GetProperty("offered").Str("routing"));
        var types = await app.WithDbAsync(db => db.Events.OrderBy(e => e.Id).Select(e => e.Type).ToListAsync());
        Assert.Equal([LeadEventType.LeadCreated, LeadEventType.ScoreChanged, LeadEventType.BecameMql, LeadEventType.HandoffOffered], types);
    }

    [Fact]
    public async Task PatchLead_ScoreCrossesThreshold_MakesMqlAndOffer_InOneChange()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var lead = await client.PostLeadAsync(new { name = "田中", company = "アクメ", score = 50 }).OkJsonAsync(HttpStatusCode.Created);

        var patched = await client.PatchAsJsonAsync($"/api/leads/{lead.Id()}", new { score = 80 }).OkJsonAsync();

        Assert.Equal("Mql", patched.Str("stage"));
        Assert.Equal("MqlToIs", patched.GetProperty("offered").Str("kind"));
        var again = await client.PatchAsJsonAsync($"/api/leads/{lead.Id()}", new { score = 95 }).OkJsonAsync();
        Assert.Equal(JsonValueKindNull, again.GetProperty("offered").ValueKind);
        Assert.Equal(1, (await app.CountsAsync()).Handoffs);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task Lead_FullRelay_QualifyWinAndHandToCs()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var isRep = await client.AddPersonAsync("佐藤", "sato@example.co.jp", "IS");
        var fsRep = await client.AddPersonAsync("高橋", "takahashi@example.co.jp", "FS");
        var csRep = await client.AddPersonAsync("伊藤", "ito@example.co.jp", "CS");
        var lead = await client.PostLeadAsync(new { name = "田中", email = "tanaka@acme.co.jp", company = "アクメ", score = 85 }).OkJsonAsync(HttpStatusCode.Created);
        var id = lead.Id();

        // Not accepted by IS yet: qualifying is refused with the current stage.
        var early = await client.PostAsJsonAsync($"/api/leads/{id}/qualify", new { budget = 5000000, authority = "部長", need = "SFA刷新", timeline = "来期" });
        var problem = await early.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("Mql", problem.Str("stage"));

        await client.PostAsJsonAsync($"/api/handoffs/{lead.GetProperty("offered").Id()}/accept", new { personId = isRep }).OkJsonAsync();
        var sql = await client.PostAsJsonAsync($"/api/leads/{id}/qualify", new { budget = 5000000, authority = "部長", need = "SFA刷新", timeline = "来期" }).OkJsonAsync();
        Assert.Equal("Sql", sql.Str("stage"));
        Assert.Equal("SqlToFs", sql.GetProperty("offered").Str("kind"));
        Assert.Equal(fsRep, sql.GetProperty("offered").Id("assigneeId"));

        await client.PostAsJsonAsync($"/api/handoffs/{sql.GetProperty("offered").Id()}/accept", new { personId = fsRep }).OkJsonAsync();
        await client.PostAsJsonAsync($"/api/leads/{id}/activities", new { note = "初回訪問", kind = "meeting" }).OkJsonAsync();
        var won = await client.PostAsJsonAsync($"/api/leads/{id}/won", new { amount = 1200000 }).OkJsonAsync();
        Assert.Equal("Won", won.Str("stage"));
        Assert.Equal(1200000m, won.GetProperty("amount").GetDecimal());
        Assert.Equal(csRep, won.GetProperty("offered").Id("assigneeId"));

        var funnel = await client.GetAsync("/api/funnel").OkJsonAsync();
        Assert.Equal(1, funnel.GetProperty("won").GetInt32());
        Assert.Equal(1200000m, funnel.GetProperty("revenue").GetDecimal());
        Assert.Equal(1.0, funnel.GetProperty("winRate").GetDouble());
    }

    [Fact]
    public async Task Lost_RecordsLostThenNurture_AndCountsInWinRateAndRecycled()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var lead = await client.PostLeadAsync(new { name = "田中", company = "アクメ", score = 10 }).OkJsonAsync(HttpStatusCode.Created);

        var lost = await client.PostAsJsonAsync($"/api/leads/{lead.Id()}/lost", new { reason = "競合に決定" }).OkJsonAsync();

        Assert.Equal("Nurture", lost.Str("stage"));
        Assert.Equal("競合に決定", lost.Str("lostReason"));
        var kpis = await client.GetAsync("/api/kpis").OkJsonAsync();
        Assert.Equal(1, kpis.GetProperty("funnel").GetProperty("lost").GetInt32());
        Assert.Equal(0.0, kpis.GetProperty("funnel").GetProperty("winRate").GetDouble());
        var recycled = Assert.Single(kpis.GetProperty("recycled").EnumerateArray());
        Assert.Equal("Lost", recycled.Str("reason"));
        // Lost twice is refused: the lead is no longer open.
        await (await client.PostAsJsonAsync($"/api/leads/{lead.Id()}/lost", new { reason = "again" })).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Activity_UpdatesLastActivityAt_AndIsOnTheTimeline()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var lead = await client.PostLeadAsync(new { name = "田中", company = "アクメ" }).OkJsonAsync(HttpStatusCode.Created);
        app.Clock.Advance(TimeSpan.FromHours(3));

        var after = await client.PostAsJsonAsync($"/api/leads/{lead.Id()}/activities", new { note = "電話: 不在" }).OkJsonAsync();

        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, after.GetProperty("lastActivityAt").GetDateTime().ToUniversalTime());
        var timeline = await client.GetAsync($"/api/leads/{lead.Id()}").OkJsonAsync();
        var activity = timeline.GetProperty("events").EnumerateArray().Last();
        Assert.Equal("Activity", activity.Str("type"));
        Assert.Equal("電話: 不在", activity.Str("reason"));
    }

    [Fact]
    public async Task ListLeads_FiltersByQueryStageAndPages()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        await client.PostLeadAsync(new { name = "田中", email = "tanaka@acme.co.jp", company = "アクメ", score = 90 }).OkJsonAsync(HttpStatusCode.Created);
        await client.PostLeadAsync(new { name = "山田", email = "yamada@beta.co.jp", company = "ベータ", score = 10 }).OkJsonAsync(HttpStatusCode.Created);
        await client.PostLeadAsync(new { name = "木村", email = "kimura@acme.co.jp", company = "アクメ", score = 20 }).OkJsonAsync(HttpStatusCode.Created);

        var acme = await client.GetAsync("/api/leads?q=ACME.co").OkJsonAsync();
        Assert.Equal(2, acme.GetProperty("total").GetInt32());
        var mqls = await client.GetAsync("/api/leads?stage=mql").OkJsonAsync();
        Assert.Equal("田中", Assert.Single(mqls.GetProperty("items").EnumerateArray()).Str("name"));
        var page = await client.GetAsync("/api/leads?limit=2&offset=2").OkJsonAsync();
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Single(page.GetProperty("items").EnumerateArray());
        await (await client.GetAsync("/api/leads?limit=100000")).AssertProblemAsync(HttpStatusCode.BadRequest, "limit");
        await (await client.GetAsync("/api/leads?stage=Closed")).AssertProblemAsync(HttpStatusCode.BadRequest, "stage");
    }

    [Fact]
    public async Task PostLead_SameExternalIdConcurrently_EndsAsOneLead()
    {
        await using var app = new TheModelApp().WithKeys();
        using var a = app.Client();
        using var b = app.Client();
        var body = new { externalId = "ma-race", name = "田中", company = "アクメ", score = 90 };

        var responses = await Task.WhenAll(a.PostLeadAsync(body), b.PostLeadAsync(body));

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
        var counts = await app.CountsAsync();
        Assert.Equal((1, 1), (counts.Leads, counts.Handoffs));
    }

    [Fact]
    public async Task StageChanges_OnOneLeadAtOnce_AreEach200Or409_Never500()
    {
        await using var app = new TheModelApp().WithKeys();
        var lead = await app.Client().PostLeadAsync(new { name = "田中", company = "アクメ", score = 10 }).OkJsonAsync(HttpStatusCode.Created);
        var clients = Enumerable.Range(0, 6).Select(_ => app.Client()).ToList();

        var responses = await Task.WhenAll(clients.Select((c, i) => i % 2 == 0
            ? c.PatchAsJsonAsync($"/api/leads/{lead.Id()}", new { score = 20 + i })
            : c.PostAsJsonAsync($"/api/leads/{lead.Id()}/activities", new { note = $"call {i}" })));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        var activities = await app.WithDbAsync(db => db.Events.CountAsync(e => e.Type == LeadEventType.Activity));
        Assert.Equal(responses.Where((r, i) => i % 2 == 1 && r.StatusCode == HttpStatusCode.OK).Count(), activities);
    }
}
