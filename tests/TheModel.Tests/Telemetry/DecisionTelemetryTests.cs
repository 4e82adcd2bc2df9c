using System.Net;
using System.Net.Http.Json;
using TheModel.Api.Handoffs;
using TheModel.Api.Telemetry;
using TheModel.Cards;
using TheModel.Tests.Api;
using TheModel.Tests.Bot.Slack;
using TheModel.Tests.Support;

namespace TheModel.Tests.Telemetry;

/// <summary>Decisions over the real HTTP pipeline: the <c>themodel.decisions</c> counter and the decision spans.</summary>
public class DecisionTelemetryTests
{
    private sealed record Offered(TheModelApp App, HttpClient Client, Guid Rep, Guid Colleague, Guid HandoffId);

    /// <summary>IS: a rep (the only available member, so routing picks them) and an unavailable colleague.</summary>
    private static async Task<Offered> OfferedAsync()
    {
        var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var rep = await client.AddPersonAsync("佐藤 花子", "sato@example.co.jp", "IS");
        var colleague = await client.AddPersonAsync("鈴木 一郎", "suzuki@example.co.jp", "IS", available: false);
        var lead = await client.PostLeadAsync(new { name = "田中 太郎", email = "tanaka@acme.co.jp", company = "アクメ", score = 90 })
            .OkJsonAsync(HttpStatusCode.Created);
        return new Offered(app, client, rep, colleague, lead.GetProperty("offered").Id());
    }

    private static (string Outcome, string Platform, double Value) Decision(RecordedMeasurement m) =>
        ((string)m.Tags["outcome"]!, (string)m.Tags["platform"]!, m.Value);

    [Fact]
    public async Task Accept_OverTheRestApi_CountsAcceptedFromTheApi_AndTracesTheDecision()
    {
        var s = await OfferedAsync();
        await using var app = s.App;
        using var meters = new MeterRecorder(app);
        using var spans = new ActivityRecorder();

        await s.Client.PostAsJsonAsync($"/api/handoffs/{s.HandoffId}/accept", new { personId = s.Rep }).OkJsonAsync();

        Assert.Equal([("accepted", "api", 1d)], meters.Of("themodel.decisions").Select(Decision));
        var span = Assert.Single(spans.Stopped("handoff.accept"), a => Equals(a.GetTagItem("handoff.id"), s.HandoffId));
        Assert.Equal("accepted", span.GetTagItem("outcome"));
        Assert.Equal(DecisionPlatforms.Api, span.GetTagItem("platform"));
    }

    [Fact]
    public async Task Decisions_ReassignRejectThenALateAccept_AreCountedByOutcome()
    {
        var s = await OfferedAsync();
        await using var app = s.App;
        using var meters = new MeterRecorder(app);
        using var spans = new ActivityRecorder();

        await s.Client.PostAsJsonAsync($"/api/handoffs/{s.HandoffId}/reassign", new { personId = s.Colleague }).OkJsonAsync();
        await s.Client.PostAsJsonAsync($"/api/handoffs/{s.HandoffId}/reject", new { personId = s.Colleague, reason = "NoBudget" }).OkJsonAsync();
        var late = await s.Client.PostAsJsonAsync($"/api/handoffs/{s.HandoffId}/accept", new { personId = s.Rep });

        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal([("reassigned", "api", 1d), ("rejected", "api", 1d), ("conflict", "api", 1d)],
            meters.Of("themodel.decisions").Select(Decision));
        Assert.Equal("conflict", Assert.Single(spans.Stopped("handoff.accept"), a => Equals(a.GetTagItem("handoff.id"), s.HandoffId)).GetTagItem("outcome"));
        Assert.Single(spans.Stopped("handoff.reassign"), a => Equals(a.GetTagItem("handoff.id"), s.HandoffId));
        Assert.Single(spans.Stopped("handoff.reject"), a => Equals(a.GetTagItem("handoff.id"), s.HandoffId));
    }

    [Fact]
    public async Task Accept_ClickedInSlack_IsCountedForSlack()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var seeded = await kit.SeedHandoffAsync();
        await kit.DrainAsync();
        using var meters = new MeterRecorder(kit.App);

        var click = await kit.PostInteractionAsync(SlackTestKit.BlockAction(CardActions.Accept, seeded.HandoffId.ToString()));
        Assert.Equal(HttpStatusCode.OK, click.StatusCode);
        await kit.DrainAsync();

        Assert.Equal([("accepted", "slack", 1d)], meters.Of("themodel.decisions").Select(Decision));
    }
}
