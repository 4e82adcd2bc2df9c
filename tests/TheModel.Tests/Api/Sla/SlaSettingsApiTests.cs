using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Handoffs;
using TheModel.Api.Sla;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Sla;

public class SlaSettingsApiTests
{
    private static TheModelApp NewApp()
    {
        var app = new TheModelApp();
        app.Settings["Api:Keys:0:Key"] = "admin-key";
        app.Settings["Api:Keys:0:Scopes"] = "admin";
        app.Settings["Api:Keys:1:Key"] = "write-key";
        app.Settings["Api:Keys:1:Scopes"] = "write";
        app.Settings["Sla:MqlToIs:AcceptWithinHours"] = "12";
        app.Settings["Sla:SqlToFs:Reminders"] = "0.25,0.75";
        return app;
    }

    private static HttpClient Admin(TheModelApp app)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "admin-key");
        return client;
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private static async Task<SlaPolicy> PolicyAsync(TheModelApp app, HandoffKind kind)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISlaPolicies>().ForAsync(kind);
    }

    [Fact]
    public async Task GetSla_Default_ShowsConfigurationOverDefaults()
    {
        await using var app = NewApp();
        var body = await JsonAsync(await Admin(app).GetAsync("/api/settings/sla"));
        var policies = body.GetProperty("policies");
        Assert.Equal(12, policies.GetProperty("MqlToIs").GetProperty("acceptWithinHours").GetDouble());
        Assert.Equal([0.25, 0.75], policies.GetProperty("SqlToFs").GetProperty("reminders").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(9, policies.GetProperty("SqlToFs").GetProperty("acceptWithinHours").GetDouble());
        Assert.Equal(2, policies.GetProperty("WonToCs").GetProperty("maxReassignments").GetInt32());
        Assert.Equal("00:00:30", body.GetProperty("sweepInterval").GetString());
    }

    [Fact]
    public async Task PutSla_Valid_ChangesPolicyInForce()
    {
        await using var app = NewApp();
        var client = Admin(app);
        var response = await client.PutAsJsonAsync("/api/settings/sla", new
        {
            policies = new { MqlToIs = new { acceptWithinHours = 4, reminders = new[] { 0.5 } }, WonToCs = new { maxReassignments = 0 } },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mql = await PolicyAsync(app, HandoffKind.MqlToIs);
        Assert.Equal(TimeSpan.FromHours(4), mql.AcceptWithin);
        Assert.Equal([0.5], mql.Reminders);
        Assert.Equal(TimeSpan.FromHours(4), mql.ReassignAfter); // untouched field keeps its value
        Assert.Equal(0, (await PolicyAsync(app, HandoffKind.WonToCs)).MaxReassignments);
        var again = await JsonAsync(await client.GetAsync("/api/settings/sla"));
        Assert.Equal(4, again.GetProperty("policies").GetProperty("MqlToIs").GetProperty("acceptWithinHours").GetDouble());
        Assert.Equal(1, again.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task PutSla_ContactClock_ShowsAndChangesContactWithinHoursAndReminders()
    {
        await using var app = NewApp();
        var client = Admin(app);
        var before = (await JsonAsync(await client.GetAsync("/api/settings/sla"))).GetProperty("policies");
        Assert.Equal(24, before.GetProperty("MqlToIs").GetProperty("contactWithinHours").GetDouble());
        Assert.Equal([0.5], before.GetProperty("MqlToIs").GetProperty("contactReminders").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(18, before.GetProperty("SqlToFs").GetProperty("contactWithinHours").GetDouble());
        Assert.Equal(JsonValueKind.Null, before.GetProperty("WonToCs").GetProperty("contactWithinHours").ValueKind);

        var response = await client.PutAsJsonAsync("/api/settings/sla", new
        {
            policies = new { MqlToIs = new { contactWithinHours = 8.5, contactReminders = new[] { 0.25, 0.75 } } },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mql = await PolicyAsync(app, HandoffKind.MqlToIs);
        Assert.Equal((TimeSpan.FromHours(8.5), TimeSpan.FromHours(12)), (mql.ContactWithin, mql.AcceptWithin));
        Assert.Equal([0.25, 0.75], mql.ContactReminders);
    }

    [Fact]
    public async Task PutSla_BadContactSettings_Returns400NamingEachField()
    {
        await using var app = NewApp();
        var response = await Admin(app).PutAsJsonAsync("/api/settings/sla", new
        {
            policies = new
            {
                MqlToIs = new { contactWithinHours = 0 },
                SqlToFs = new { contactReminders = new[] { 1.5 } },
                WonToCs = new { contactWithinHours = 5 },
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await JsonAsync(response)).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order();
        Assert.Equal(["policies.MqlToIs.contactWithinHours", "policies.SqlToFs.contactReminders", "policies.WonToCs.contactWithinHours"], errors);
        Assert.Equal(TimeSpan.FromHours(24), (await PolicyAsync(app, HandoffKind.MqlToIs)).ContactWithin);
    }

    [Fact]
    public async Task PutSla_Invalid_Returns400WithFieldErrorsAndChangesNothing()
    {
        await using var app = NewApp();
        var client = Admin(app);
        var response = await client.PutAsJsonAsync("/api/settings/sla", new
        {
            policies = new
            {
                MqlToIs = new { acceptWithinHours = 2 }, // valid on its own, must not be saved either
                SqlToFs = new { acceptWithinHours = -1, reminders = new[] { 0.9, 0.5 } },
                WonToCs = new { reassignAfterHours = -2, maxReassignments = 99 },
                Nope = new { acceptWithinHours = 1 }, // sent camel-cased as "nope"
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await JsonAsync(response)).GetProperty("errors");
        foreach (var field in new[] { "policies.SqlToFs.acceptWithinHours", "policies.SqlToFs.reminders",
                     "policies.WonToCs.reassignAfterHours", "policies.WonToCs.maxReassignments", "policies.nope" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"missing error for {field}");
        }
        Assert.Equal(TimeSpan.FromHours(12), (await PolicyAsync(app, HandoffKind.MqlToIs)).AcceptWithin);
        await app.WithDbAsync(async db => Assert.Null(await db.Settings.FindAsync(SlaSettingsStore.SlaKey)));
    }

    [Theory]
    [InlineData("{\"policies\":")]
    [InlineData("{\"policies\":{\"MqlToIs\":{\"acceptWithinHours\":\"soon\"}}}")]
    [InlineData("{}")]
    [InlineData("{\"policies\":{\"MqlToIs\":null}}")]
    public async Task PutSla_MalformedBody_Returns400(string json)
    {
        await using var app = NewApp();
        var response = await Admin(app).PutAsync("/api/settings/sla", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(TimeSpan.FromHours(12), (await PolicyAsync(app, HandoffKind.MqlToIs)).AcceptWithin);
    }

    [Fact]
    public async Task Settings_WithoutAdminScope_AreRefused()
    {
        await using var app = NewApp();
        var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/settings/sla")).StatusCode);
        var writer = app.CreateClient();
        writer.DefaultRequestHeaders.Add("X-Api-Key", "write-key");
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.GetAsync("/api/settings/calendar")).StatusCode);
        var put = await writer.PutAsJsonAsync("/api/settings/sla", new { policies = new { MqlToIs = new { acceptWithinHours = 1 } } });
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Equal(TimeSpan.FromHours(12), (await PolicyAsync(app, HandoffKind.MqlToIs)).AcceptWithin);
    }

    [Fact]
    public async Task GetCalendar_Default_IsTokyoWeekdaysNineToSix()
    {
        await using var app = NewApp();
        var body = await JsonAsync(await Admin(app).GetAsync("/api/settings/calendar"));
        Assert.Equal("Asia/Tokyo", body.GetProperty("timeZone").GetString());
        Assert.Equal("Mon-Fri 09:00-18:00", body.GetProperty("workingHours").GetString());
        Assert.True(body.GetProperty("japaneseHolidays").GetBoolean());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("yearEndClosure").ValueKind);
    }

    [Fact]
    public async Task PutCalendar_Valid_ChangesTheCalendarInForce()
    {
        await using var app = NewApp();
        var client = Admin(app);
        var response = await client.PutAsJsonAsync("/api/settings/calendar", new
        {
            workingHours = "Mon-Fri 10:00-19:00",
            holidays = new[] { "2026-11-17", "2026-11-17" },
            yearEndClosure = "12-29..01-03",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await JsonAsync(response);
        Assert.Equal(["2026-11-17"], body.GetProperty("holidays").EnumerateArray().Select(e => e.GetString()));
        var calendar = app.Services.GetRequiredService<IBusinessCalendar>();
        // Monday 2026-11-16 18:00 JST + 2h: 18:00–19:00 Monday, Tuesday is a company holiday, 10:00–11:00 Wednesday.
        var start = new DateTime(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);
        Assert.Equal(new DateTime(2026, 11, 18, 2, 0, 0, DateTimeKind.Utc), calendar.AddBusinessTime(start, TimeSpan.FromHours(2)));
        var stored = await JsonAsync(await client.GetAsync("/api/settings/calendar"));
        Assert.Equal("12-29..01-03", stored.GetProperty("yearEndClosure").GetString());
        Assert.Equal("Asia/Tokyo", stored.GetProperty("timeZone").GetString());
    }

    [Fact]
    public async Task PutCalendar_Invalid_Returns400WithFieldErrorsAndChangesNothing()
    {
        await using var app = NewApp();
        var client = Admin(app);
        var response = await client.PutAsJsonAsync("/api/settings/calendar", new
        {
            timeZone = "Mars/Olympus",
            workingHours = "weekdays 9 to 6",
            holidays = new[] { "2026-11-17", "17/11/2026" },
            yearEndClosure = "Dec 29",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await JsonAsync(response)).GetProperty("errors");
        foreach (var field in new[] { "timeZone", "workingHours", "holidays[1]", "yearEndClosure" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"missing error for {field}");
        }
        var calendar = app.Services.GetRequiredService<IBusinessCalendar>();
        Assert.Equal("Asia/Tokyo", calendar.TimeZone.Id);
        var body = await JsonAsync(await client.GetAsync("/api/settings/calendar"));
        Assert.Equal(0, body.GetProperty("holidays").GetArrayLength());
        Assert.Equal(0, body.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task PutCalendar_OnOneInstance_IsPickedUpByAnotherAtItsNextSweep()
    {
        await using var first = NewApp();
        await using var second = new TheModelApp(first.Clock, first.DatabasePath);
        var response = await Admin(first).PutAsJsonAsync("/api/settings/calendar", new { timeZone = "America/New_York", japaneseHolidays = false });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        second.CreateClient();
        Assert.Equal("Asia/Tokyo", second.Services.GetRequiredService<IBusinessCalendar>().TimeZone.Id);
        await second.Services.GetRequiredService<SlaSweeper>().RunAsync(second.Clock.GetUtcNow().UtcDateTime, "second");
        Assert.Equal("America/New_York", second.Services.GetRequiredService<IBusinessCalendar>().TimeZone.Id);
    }
}
