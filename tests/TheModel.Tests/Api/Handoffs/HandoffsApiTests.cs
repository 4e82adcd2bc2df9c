using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Handoffs;

public class HandoffsApiTests
{
    private sealed record Setup(TheModelApp App, HttpClient Client, Guid Manager, Guid Rep, Guid Other, Guid LeadId, Guid HandoffId);

    /// <summary>IS: a manager, a rep (the only available member, so routing picks them) and an unavailable colleague.</summary>
    private static async Task<Setup> OfferedAsync(bool withChannels = false)
    {
        var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var manager = await client.AddPersonAsync("部長 山口", "yamaguchi@example.co.jp", "IS", available: false);
        var rep = await client.AddPersonAsync("佐藤 花子", "sato@example.co.jp", "IS", managerId: manager, slackUserId: withChannels ? "U0SATO" : null);
        var other = await client.AddPersonAsync("鈴木 一郎", "suzuki@example.co.jp", "IS", available: false);
        if (withChannels)
        {
            await client.PutAsJsonAsync("/api/departments/IS", new { slackChannelId = "C0BATON", teamsConversationId = "19:baton@thread.tacv2" }).OkJsonAsync();
            await client.PutAsJsonAsync("/api/departments/MK", new { slackChannelId = "C0MK" }).OkJsonAsync();
        }
        var lead = await client.PostLeadAsync(new { name = "田中 太郎", email = "tanaka@acme.co.jp", company = "アクメ", score = 90 })
            .OkJsonAsync(HttpStatusCode.Created);
        var handoff = lead.GetProperty("offered");
        Assert.Equal(rep, handoff.Id("assigneeId"));
        return new Setup(app, client, manager, rep, other, lead.Id(), handoff.Id());
    }

    [Fact]
    public async Task Accept_TwoAtOnce_ExactlyOneWins_TheOtherGets409WithTheState()
    {
        var s = await OfferedAsync(withChannels: true);
        await using var app = s.App;
        using var first = app.Client();
        using var second = app.Client();

        // Really concurrent: both requests are in flight before either is awaited.
        var a = first.PostAsJsonAsync($"/api/handoffs/{s.HandoffId}/accept", new { personId = s.Rep });
        var b = second.PostAsJsonAsync($"/api/handoffs/{s.HandoffId}/accept", new { personId = s.Manager });
        var responses = await Task.WhenAll(a, b);

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        var loser = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
        var problem = await loser.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("Accepted", problem.Str("state"));
        var (accepted, decidedEvents) = await app.WithDbAsync(async db => (
            await db.Handoffs.CountAsync(h => h.State == HandoffState.Accepted),
            await db.Events.CountAsync(e => e.Type == TheModel.Api.Events.LeadEventType.HandoffAccepted)));
        Assert.Equal(1, accepted);
        Assert.Equal(1, decidedEvents);
    }

    [Fact]
    public async Task Accept_WhenAlreadyDecided_Returns409WithCurrentState()
    {
        var s = await OfferedAsync();
        await using var app = s.App;
        await s.Client.PostAsJsonAsync($"/api/handoffs/{s.HandoffId}/reject", new { personId = s.Rep, reason = "NoBudget" }).OkJsonAsync();
        var before = await app.CountsAsync();

        var again = await s.Client.PostAsJsonAsync($"/api/handoffs/{s.HandoffId}/accept", new { personId = s.Rep });

        var problem = await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("Rejected", problem.Str("state"));
        Assert.Equal(before, await app.CountsAsync());
    }

    [Fact]
    public async Task Accept_BySomeoneWithoutRights_Returns403_AndChangesNothing()
    {
        var s = await OfferedAsync();
        await using var app = s.App;
        var before = await app.CountsAsync();

        var response = await s.Client.PostAsJsonAsync($"/api/handoffs/{s.HandoffId}/accept", new { personId = s.Other });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(before, await app.CountsAsync());
        Assert.Equal(HandoffState.Offered, await app.WithDbAsync(db => db.Handoffs.Select(h => h.State).SingleAsync()));
    }

    [Fact]
    public async Task Accept_ByAssigneesManager_Succeeds_AndTheLeadGoesToTheAssignee()
    {
        var s = await OfferedAsync();
        await using var app = s.App;
        var accepted = await s.Client.PostAsJsonAsync($"/api/handoffs/{s.HandoffId}/accept", new { personId = s.Manager }).OkJsonAsync();
        Assert.Equal(s.Manager, accepted.Id("decidedById"));
        var lead = await s.Client.GetAsync($"/api/leads/{s.LeadId}").OkJsonAsync();
        Assert.Equal(s.Rep, lead.GetProperty("lead").Id("ownerId"));
    }

    [Fact]
    public async Task Accept_UnknownHandoffOrPerson_Returns404Or400()
    {
        var s = await OfferedAsync();
        await using var app = s.App;
        await (await s.Client.PostAsJsonAsync($"/api/handoffs/{Guid.NewGuid()}/accept", new { personId = s.Rep })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await s.Client.PostAsJsonAsync($"/api/handoffs/{s.HandoffId}/accept", new { personId = Guid.NewGuid() }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "personId");
        await (await s.Client.PostAsJsonAsync($"/api/handoffs/{s.HandoffId}/accept", new { })).AssertProblemAsync(HttpStatusCode.BadRequest, "personId");
        await (await s.Client.GetAsync($"/api/handoffs/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{\"personId\":\"PERSON\"}")]
    [InlineData("{\"personId\":\"PERSON\",\"reason\":\"\"}")]
    [InlineData("{\"personId\":\"PERSON\",\"reason\":\"TooExpensive\"}")]
    [InlineData("{\"personId\":\"PERSON\",\"reason\":\"3\"}")]
    public async Task Reject_WithoutAValidReason_Returns400WithFieldError_AndChangesNothing(string body)
    {
        var s = await OfferedAsync();
        await using var app = s.App;
        var before = await app.CountsAsync();

        var response = await s.Client.PostRawAsync($"/api/handoffs/{s.HandoffId}/reject", body.Replace("PERSON", s.Rep.ToString()));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "reason");
        Assert.Equal(before, await app.CountsAsync());
    }

    [Fact]
    public async Task Reject_WithReasonAndNote_NurturesTheLead_AndStoresTheReason()
    {
        var s = await OfferedAsync();
        await using var app = s.App;
        var rejected = await s.Client.PostAsJsonAsync($"/api/handoffs/{s.HandoffId}/reject",
            new { personId = s.Rep, reason = "noBudget", note = "来期予算で再検討" }).OkJsonAsync();
        Assert.Equal("Rejected", rejected.Str("state"));
        Assert.Equal("NoBudget", rejected.Str("rejectReason"));
        Assert.Equal("来期予算で再検討", rejected.Str("rejectNote"));
        var lead = await s.Client.GetAsync($"/api/leads/{s.LeadId}").OkJsonAsync();
        Assert.Equal("Nurture", lead.GetProperty("lead").Str("stage"));
    }

    [Fact]
    public async Task Reassign_ToNamedPerson_MovesTheOffer_AndNullRoutesAgain()
    {
        var s = await OfferedAsync();
        await using var app = s.App;
        var moved = await s.Client.PostAsJsonAsync($"/api/handoffs/{s.HandoffId}/reassign", new { personId = s.Other }).OkJsonAsync();
        Assert.Equal(s.Other, moved.Id("assigneeId"));
        Assert.Equal("Manual", moved.Str("routing"));

        // Routing again excludes the current assignee; the only other available member is the rep.
        var rerouted = await s.Client.PostAsJsonAsync($"/api/handoffs/{s.HandoffId}/reassign", new { personId = (Guid?)null }).OkJsonAsync();
        Assert.Equal(s.Rep, rerouted.Id("assigneeId"));
        await (await s.Client.PostAsJsonAsync($"/api/handoffs/{s.HandoffId}/reassign", new { personId = Guid.NewGuid() }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "personId");
        var fsRep = await s.Client.AddPersonAsync("高橋", "takahashi@example.co.jp", "FS");
        await (await s.Client.PostAsJsonAsync($"/api/handoffs/{s.HandoffId}/reassign", new { personId = fsRep }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "personId");
        await (await s.Client.PostAsJsonAsync($"/api/handoffs/{Guid.NewGuid()}/reassign", new { personId = s.Rep }))
            .AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task List_FiltersByStateKindAssigneeDepartmentAndOverdue()
    {
        var s = await OfferedAsync();
        await using var app = s.App;
        await s.Client.PostLeadAsync(new { name = "二人目", company = "ベータ", score = 95 }).OkJsonAsync(HttpStatusCode.Created);

        var all = await s.Client.GetAsync("/api/handoffs").OkJsonAsync();
        Assert.Equal(2, all.GetProperty("total").GetInt32());
        Assert.Equal(2, (await s.Client.GetAsync($"/api/handoffs?assignee={s.Rep}&kind=MqlToIs&department=IS&state=Offered").OkJsonAsync()).GetProperty("total").GetInt32());
        Assert.Equal(0, (await s.Client.GetAsync("/api/handoffs?department=FS").OkJsonAsync()).GetProperty("total").GetInt32());
        Assert.Equal(0, (await s.Client.GetAsync("/api/handoffs?overdue=true").OkJsonAsync()).GetProperty("total").GetInt32());

        app.Clock.Advance(TimeSpan.FromDays(7));
        var overdue = await s.Client.GetAsync("/api/handoffs?overdue=true&limit=1").OkJsonAsync();
        Assert.Equal(2, overdue.GetProperty("total").GetInt32());
        Assert.True(Assert.Single(overdue.GetProperty("items").EnumerateArray()).GetProperty("overdue").GetBoolean());
        await (await s.Client.GetAsync("/api/handoffs?state=Pending")).AssertProblemAsync(HttpStatusCode.BadRequest, "state");
        await (await s.Client.GetAsync("/api/handoffs?overdue=maybe")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}
