using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Leads;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Leads;

/// <summary>
/// <c>POST /api/leads/{id}/activities</c> over the real pipeline: a touch stops the lead's first-contact clock, a contact
/// is noted, the timeline lists it, a CRM retry is idempotent, and every bad input is a 4xx that stores nothing.
/// </summary>
public class LeadActivitiesApiTests
{
    /// <summary>An MQL offered to IS: the offer started its first-contact clock.</summary>
    private static async Task<(TheModelApp App, HttpClient Client, Guid Lead, Guid Rep)> MqlWithClockAsync()
    {
        var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var rep = await client.AddPersonAsync("佐藤 花子", "sato@example.co.jp", "IS");
        var lead = (await client.PostLeadAsync(new { name = "田中", email = "tanaka@acme.co.jp", company = "アクメ", score = 85 })
            .OkJsonAsync(HttpStatusCode.Created)).Id();
        return (app, client, lead, rep);
    }

    private static Task<ContactClock> ClockAsync(TheModelApp app, Guid lead) =>
        app.WithDbAsync(db => db.ContactClocks.AsNoTracking().SingleAsync(c => c.LeadId == lead));

    private static Task<(int Activities, int Events, int Outbox)> CountsAsync(TheModelApp app) =>
        app.WithDbAsync(async db => (await db.Activities.CountAsync(), await db.Events.CountAsync(), await db.Outbox.CountAsync()));

    [Fact]
    public async Task PostActivity_CallReached_Returns201_StopsTheClock_AndIsOnTheTimeline()
    {
        var (app, client, lead, rep) = await MqlWithClockAsync();
        await using var _ = app;
        // 09:00 JST Monday + 2h10m: all of it business time on the default calendar.
        app.Clock.Advance(TimeSpan.FromMinutes(130));
        var now = app.Clock.GetUtcNow().UtcDateTime;

        var created = await client.PostAsJsonAsync($"/api/leads/{lead}/activities",
            new { kind = "call", outcome = "reached", personId = rep, note = "予算感を確認" }).OkJsonAsync(HttpStatusCode.Created);

        Assert.Equal(("call", "reached", true), (created.Str("kind"), created.Str("outcome"), created.GetProperty("contact").GetBoolean()));
        Assert.Equal("佐藤 花子", created.Str("person"));
        var clock = await ClockAsync(app, lead);
        Assert.Equal(now, clock.FirstTouchAt);
        Assert.Equal(now, clock.FirstContactAt);
        Assert.Equal(130 / 60.0, clock.FirstTouchBusinessHours!.Value, 6);
        Assert.Equal(DateTime.MaxValue, clock.NextCheckAt);
        var timeline = await client.GetAsync($"/api/leads/{lead}").OkJsonAsync();
        Assert.Equal(now, timeline.GetProperty("lead").GetProperty("lastActivityAt").GetDateTime().ToUniversalTime());
        var listed = Assert.Single(timeline.GetProperty("activities").EnumerateArray());
        Assert.Equal(("call", "reached", "佐藤 花子", "予算感を確認"), (listed.Str("kind"), listed.Str("outcome"), listed.Str("person"), listed.Str("note")));
        Assert.Equal(now, listed.GetProperty("at").GetDateTime().ToUniversalTime());
    }

    [Fact]
    public async Task PostActivity_NoAnswerThenReached_FirstTouchIsTheAttempt_FirstContactTheLaterCall()
    {
        var (app, client, lead, _) = await MqlWithClockAsync();
        await using var _a = app;
        app.Clock.Advance(TimeSpan.FromHours(1));
        var attempt = app.Clock.GetUtcNow().UtcDateTime;
        await client.PostAsJsonAsync($"/api/leads/{lead}/activities", new { kind = "call", outcome = "no_answer" }).OkJsonAsync(HttpStatusCode.Created);
        Assert.Null((await ClockAsync(app, lead)).FirstContactAt);
        app.Clock.Advance(TimeSpan.FromHours(2));

        await client.PostAsJsonAsync($"/api/leads/{lead}/activities", new { kind = "email", outcome = "sent" }).OkJsonAsync(HttpStatusCode.Created);
        await client.PostAsJsonAsync($"/api/leads/{lead}/activities", new { kind = "meeting", outcome = "booked" }).OkJsonAsync(HttpStatusCode.Created);

        var clock = await ClockAsync(app, lead);
        Assert.Equal(attempt, clock.FirstTouchAt);
        Assert.Equal(1.0, clock.FirstTouchBusinessHours!.Value, 6);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, clock.FirstContactAt);
    }

    [Fact]
    public async Task PostActivity_BackDatedByACrm_MovesTheFirstTouchBack()
    {
        var (app, client, lead, _) = await MqlWithClockAsync();
        await using var _a = app;
        var started = app.Clock.GetUtcNow().UtcDateTime;
        app.Clock.Advance(TimeSpan.FromHours(4));
        await client.PostAsJsonAsync($"/api/leads/{lead}/activities", new { kind = "email", outcome = "sent" }).OkJsonAsync(HttpStatusCode.Created);

        await client.PostAsJsonAsync($"/api/leads/{lead}/activities",
            new { kind = "call", outcome = "reached", at = started.AddMinutes(30).ToString("O") }).OkJsonAsync(HttpStatusCode.Created);

        var clock = await ClockAsync(app, lead);
        Assert.Equal(started.AddMinutes(30), clock.FirstTouchAt);
        Assert.Equal(0.5, clock.FirstTouchBusinessHours!.Value, 6);
        Assert.Equal(started.AddMinutes(30), clock.FirstContactAt);
    }

    [Fact]
    public async Task PostActivity_SameExternalIdAgain_Returns200WithTheFirst_AndStoresNothing()
    {
        var (app, client, lead, _) = await MqlWithClockAsync();
        await using var _a = app;
        var first = await client.PostAsJsonAsync($"/api/leads/{lead}/activities",
            new { kind = "call", outcome = "reached", externalId = "crm-act-1", note = "first" }).OkJsonAsync(HttpStatusCode.Created);
        var before = await CountsAsync(app);
        app.Clock.Advance(TimeSpan.FromMinutes(5));

        var again = await client.PostAsJsonAsync($"/api/leads/{lead}/activities",
            new { kind = "call", outcome = "no_answer", externalId = "crm-act-1", note = "retry" }).OkJsonAsync();

        Assert.Equal(first.GetProperty("id").GetInt64(), again.GetProperty("id").GetInt64());
        Assert.Equal("first", again.Str("note"));
        Assert.Equal(before, await CountsAsync(app));
    }

    [Fact]
    public async Task PostActivity_SameExternalIdConcurrently_StoresOne()
    {
        var (app, client, lead, _) = await MqlWithClockAsync();
        await using var _a = app;
        var clients = Enumerable.Range(0, 4).Select(_ => app.Client()).ToList();

        var responses = await Task.WhenAll(clients.Select(c =>
            c.PostAsJsonAsync($"/api/leads/{lead}/activities", new { kind = "call", outcome = "reached", externalId = "crm-race" })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        Assert.Equal(1, await app.WithDbAsync(db => db.Activities.CountAsync()));
    }

    [Theory]
    [InlineData("{\"kind\":\"fax\",\"outcome\":\"reached\"}", "kind")]
    [InlineData("{\"kind\":\"call\",\"outcome\":\"maybe\"}", "outcome")]
    [InlineData("{\"outcome\":\"reached\"}", "kind")]
    [InlineData("{\"kind\":\"call\",\"externalId\":\"x\"}", "outcome")]
    [InlineData("{\"kind\":\"call\",\"outcome\":\"sent\"}", "outcome")]
    [InlineData("{\"kind\":\"email\",\"outcome\":\"no_answer\"}", "outcome")]
    [InlineData("{\"kind\":\"call\",\"outcome\":\"reached\",\"at\":\"2026-11-16T01:00:00Z\"}", "at")]
    [InlineData("{\"kind\":\"call\",\"outcome\":\"reached\",\"at\":\"2026-11-15T23:00:00Z\"}", "at")]
    [InlineData("{\"kind\":\"call\",\"outcome\":\"reached\",\"at\":\"yesterday\"}", "at")]
    [InlineData("{\"kind\":\"call\",\"outcome\":\"reached\",\"personId\":\"0196a1b2-0000-7000-8000-000000000001\"}", "personId")]
    [InlineData("{\"kind\":\"call\",\"outcome\":\"reached\",\"personId\":\"sato\"}", "personId")]
    public async Task PostActivity_BadInput_Returns400NamingTheField_AndStoresNothing(string body, string field)
    {
        var (app, client, lead, _) = await MqlWithClockAsync();
        await using var _a = app;
        var before = await CountsAsync(app);

        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        await (await client.PostAsync($"/api/leads/{lead}/activities", content)).AssertProblemAsync(HttpStatusCode.BadRequest, field);

        Assert.Equal(before, await CountsAsync(app));
        Assert.Null((await ClockAsync(app, lead)).FirstTouchAt);
    }

    [Fact]
    public async Task PostActivity_NoteTooLongOrUnknownLead_Is4xx_AndStoresNothing()
    {
        var (app, client, lead, _) = await MqlWithClockAsync();
        await using var _a = app;
        var before = await CountsAsync(app);

        await (await client.PostAsJsonAsync($"/api/leads/{lead}/activities", new { kind = "call", outcome = "reached", note = new string('x', 1001) }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "note");
        await (await client.PostAsJsonAsync($"/api/leads/{Guid.NewGuid()}/activities", new { kind = "call", outcome = "reached" }))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await app.Client(ApiKit.ReadKey).PostAsJsonAsync($"/api/leads/{lead}/activities", new { kind = "call", outcome = "reached" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(before, await CountsAsync(app));
    }
}
