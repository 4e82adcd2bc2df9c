using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Events;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Customers;

/// <summary>The contract after the win over the real HTTP pipeline: term, renewal date, kick-off, renewal, churn, upsell.</summary>
public class CustomerLifecycleApiTests
{
    /// <summary>A lead taken through IS and FS to won (with <paramref name="won"/> as the won body); the CS handoff accepted.</summary>
    internal static async Task<(Guid LeadId, Guid Cs, JsonElement Won)> WonCustomerAsync(TheModelApp app, HttpClient client, object? won = null)
    {
        var isRep = await client.AddPersonAsync("佐藤", "sato@example.co.jp", "IS");
        var fsRep = await client.AddPersonAsync("高橋", "takahashi@example.co.jp", "FS");
        var csRep = await client.AddPersonAsync("伊藤", "ito@example.co.jp", "CS");
        var lead = await client.PostLeadAsync(new { name = "田中", email = "tanaka@acme.co.jp", company = "アクメ", score = 85 }).OkJsonAsync(HttpStatusCode.Created);
        var id = lead.Id();
        await client.PostAsJsonAsync($"/api/handoffs/{lead.GetProperty("offered").Id()}/accept", new { personId = isRep }).OkJsonAsync();
        var sql = await client.PostAsJsonAsync($"/api/leads/{id}/qualify", new { budget = 5000000, authority = "部長", need = "SFA刷新", timeline = "来期" }).OkJsonAsync();
        await client.PostAsJsonAsync($"/api/handoffs/{sql.GetProperty("offered").Id()}/accept", new { personId = fsRep }).OkJsonAsync();
        var body = await client.PostAsJsonAsync($"/api/leads/{id}/won", won ?? new { amount = 1200000 }).OkJsonAsync();
        await client.PostAsJsonAsync($"/api/handoffs/{body.GetProperty("offered").Id()}/accept", new { personId = csRep }).OkJsonAsync();
        return (id, csRep, body);
    }

    private static readonly LeadEventType[] CsTypes = [LeadEventType.Onboarded, LeadEventType.Renewed, LeadEventType.Churned, LeadEventType.Upsold];

    private static DateTime Utc(JsonElement e, string property) => e.GetProperty(property).GetDateTime().ToUniversalTime();

    [Fact]
    public async Task Won_WithoutTerm_RenewalDueTwelveMonthsLater()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var (id, _, won) = await WonCustomerAsync(app, client);

        var now = app.Clock.GetUtcNow().UtcDateTime;
        Assert.Equal(now, Utc(won, "wonAt"));
        Assert.Equal(now.AddMonths(12), Utc(won, "renewalDueAt"));
        var timeline = await client.GetAsync($"/api/leads/{id}").OkJsonAsync();
        Assert.Equal(now.AddMonths(12), Utc(timeline.GetProperty("lead"), "renewalDueAt"));
    }

    [Fact]
    public async Task Won_WithTermAndConfiguredDefault_UsesTheGivenTerm()
    {
        await using var app = new TheModelApp().WithKeys();
        app.Settings["Cs:DefaultTermMonths"] = "24";
        var client = app.Client();
        var (_, _, won) = await WonCustomerAsync(app, client, new { amount = 500000, termMonths = 6 });

        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddMonths(6), Utc(won, "renewalDueAt"));
    }

    [Fact]
    public async Task Won_EndOfMonthInTokyo_DueOnTheCalendarsLastDayOfTheMonth()
    {
        // 2027-01-31 00:00 JST is 2027-01-30 15:00 UTC: a month later is 28 February in Tokyo, not 2 March.
        await using var app = new TheModelApp(new FakeClock(new DateTimeOffset(2027, 1, 30, 15, 0, 0, TimeSpan.Zero))).WithKeys();
        var client = app.Client();
        var (_, _, won) = await WonCustomerAsync(app, client, new { amount = 1, termMonths = 1 });

        Assert.Equal(new DateTime(2027, 2, 27, 15, 0, 0, DateTimeKind.Utc), Utc(won, "renewalDueAt"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(121)]
    public async Task Won_TermOutOfRange_IsRefusedNamingTermMonths(int term)
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var lead = await client.PostLeadAsync(new { name = "田中", company = "アクメ", score = 10 }).OkJsonAsync(HttpStatusCode.Created);

        var response = await client.PostAsJsonAsync($"/api/leads/{lead.Id()}/won", new { amount = 1, termMonths = term });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "termMonths");
    }

    [Fact]
    public async Task CsEvents_OnACustomer_AreRecordedAsEvents_AndRenewalMovesTheDueDate()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var (id, _, won) = await WonCustomerAsync(app, client);
        var due = Utc(won, "renewalDueAt");
        app.Clock.Advance(TimeSpan.FromDays(10));

        var onboarded = await client.PostAsJsonAsync($"/api/leads/{id}/onboarded", new { }).OkJsonAsync();
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, Utc(onboarded, "onboardedAt"));
        var renewed = await client.PostAsJsonAsync($"/api/leads/{id}/renewed", new { amount = 1300000, termMonths = 24 }).OkJsonAsync();
        Assert.Equal(due.AddMonths(24), Utc(renewed, "renewalDueAt"));
        await client.PostAsJsonAsync($"/api/leads/{id}/upsold", new { amount = 200000 }).OkJsonAsync();
        var churned = await client.PostAsJsonAsync($"/api/leads/{id}/churned", new { reason = "noUsage", note = "使われていない" }).OkJsonAsync();
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, Utc(churned, "churnedAt"));

        var events = await app.WithDbAsync(db => db.Events.Where(e => e.LeadId == id && CsTypes.Contains(e.Type)).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal([LeadEventType.Onboarded, LeadEventType.Renewed, LeadEventType.Upsold, LeadEventType.Churned], events.Select(e => e.Type));
        Assert.Equal(1300000m, events[1].Amount);
        Assert.Contains("\"termMonths\":24", events[1].Data);
        Assert.Equal(200000m, events[2].Amount);
        Assert.Equal("NoUsage", events[3].Reason);
        Assert.Equal("使われていない", JsonDocument.Parse(events[3].Data!).RootElement.Str("note"));
        Assert.All(events, e => Assert.Equal("crm-admin", e.Actor));
    }

    [Fact]
    public async Task Onboarded_WithPastAt_KeepsIt_AndTwiceIsAConflict()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var (id, _, _) = await WonCustomerAsync(app, client);
        app.Clock.Advance(TimeSpan.FromDays(3));
        var at = app.Clock.GetUtcNow().UtcDateTime.AddDays(-1);

        var onboarded = await client.PostAsJsonAsync($"/api/leads/{id}/onboarded", new { at }).OkJsonAsync();

        Assert.Equal(at, Utc(onboarded, "onboardedAt"));
        var again = await client.PostAsJsonAsync($"/api/leads/{id}/onboarded", new { });
        var problem = await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("onboarded", problem.Str("field"));
    }

    [Fact]
    public async Task BadInput_IsRefusedNamingTheField_AndNothingChanges()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var (id, _, _) = await WonCustomerAsync(app, client);
        var before = await app.WithDbAsync(db => db.Events.CountAsync());

        await (await client.PostAsJsonAsync($"/api/leads/{id}/onboarded", new { at = app.Clock.GetUtcNow().UtcDateTime.AddHours(1) }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "at");
        await (await client.PostAsJsonAsync($"/api/leads/{id}/churned", new { note = "理由なし" })).AssertProblemAsync(HttpStatusCode.BadRequest, "reason");
        await (await client.PostAsJsonAsync($"/api/leads/{id}/churned", new { reason = "Bored" })).AssertProblemAsync(HttpStatusCode.BadRequest, "reason");
        await (await client.PostAsJsonAsync($"/api/leads/{id}/renewed", new { amount = -1 })).AssertProblemAsync(HttpStatusCode.BadRequest, "amount");
        await (await client.PostAsJsonAsync($"/api/leads/{id}/renewed", new { amount = 1, termMonths = 0 })).AssertProblemAsync(HttpStatusCode.BadRequest, "termMonths");
        await (await client.PostAsJsonAsync($"/api/leads/{id}/upsold", new { amount = 0 })).AssertProblemAsync(HttpStatusCode.BadRequest, "amount");

        Assert.Equal(before, await app.WithDbAsync(db => db.Events.CountAsync()));
        var lead = (await client.GetAsync($"/api/leads/{id}").OkJsonAsync()).GetProperty("lead");
        Assert.Equal(JsonValueKind.Null, lead.GetProperty("onboardedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, lead.GetProperty("churnedAt").ValueKind);
    }

    [Fact]
    public async Task ChurnedCustomer_RefusesUpsellAndRenewal()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var (id, _, won) = await WonCustomerAsync(app, client);
        await client.PostAsJsonAsync($"/api/leads/{id}/churned", new { reason = "Price" }).OkJsonAsync();

        var upsell = await (await client.PostAsJsonAsync($"/api/leads/{id}/upsold", new { amount = 10 })).AssertProblemAsync(HttpStatusCode.Conflict);
        var renewal = await (await client.PostAsJsonAsync($"/api/leads/{id}/renewed", new { amount = 10 })).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await client.PostAsJsonAsync($"/api/leads/{id}/churned", new { reason = "Price" })).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("churned", upsell.Str("field"));
        Assert.Equal("churned", renewal.Str("field"));
        var lead = (await client.GetAsync($"/api/leads/{id}").OkJsonAsync()).GetProperty("lead");
        Assert.Equal(Utc(won, "renewalDueAt"), Utc(lead, "renewalDueAt"));
    }

    [Fact]
    public async Task CsEvent_OnALeadNotWon_IsAConflictNamingTheStage()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var lead = await client.PostLeadAsync(new { name = "田中", company = "アクメ", score = 10 }).OkJsonAsync(HttpStatusCode.Created);

        var problem = await (await client.PostAsJsonAsync($"/api/leads/{lead.Id()}/onboarded", new { })).AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("stage", problem.Str("field"));
        Assert.Equal("Inquiry", problem.Str("stage"));
        await (await client.PostAsJsonAsync($"/api/leads/{Guid.NewGuid()}/upsold", new { amount = 1 })).AssertProblemAsync(HttpStatusCode.NotFound);
    }
}
