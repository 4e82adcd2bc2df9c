using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.HostileInput;

/// <summary>Input a client can send that used to end in a 500 (issue #15 item 5): each is a 4xx and changes nothing.</summary>
public class HostileInputTests
{
    private static readonly string Id = Guid.NewGuid().ToString();

    public static TheoryData<string, string, string> JsonRoutes => new()
    {
        { "POST", "/api/leads", "{\"name\":\"田中\",\"company\":\"アクメ\"}" },
        { "POST", "/api/leads/batch", "{\"leads\":[{\"name\":\"田中\",\"company\":\"アクメ\"}]}" },
        { "PATCH", $"/api/leads/{Id}", "{\"company\":\"アクメ\"}" },
        { "POST", $"/api/leads/{Id}/lost", "{\"reason\":\"no budget\"}" },
        { "POST", $"/api/handoffs/{Id}/reassign", "{\"to\":\"x\"}" },
        { "PUT", "/api/people", "{\"name\":\"A\",\"email\":\"a@acme.co.jp\",\"department\":\"IS\"}" },
        { "PUT", "/api/departments/IS", "{\"name\":\"IS\"}" },
        { "PUT", "/api/settings/calendar", "{\"workingHours\":\"Mon-Fri 10:00-19:00\"}" },
        { "PUT", "/api/settings/sla", "{}" },
        { "PUT", "/api/settings/qualification", "{}" },
    };

    [Theory]
    [MemberData(nameof(JsonRoutes))]
    public async Task JsonRoute_UnknownCharset_Is415ProblemAndChangesNothing(string method, string path, string json)
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var calendarBefore = await client.GetStringAsync("/api/settings/calendar");

        var response = await client.SendAsync(WithCharset(method, path, json, "bogus"));

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Equal((0, 0, 0, 0, 0), await app.CountsAsync());
        Assert.Equal(calendarBefore, await client.GetStringAsync("/api/settings/calendar"));
    }

    [Fact]
    public async Task PostLead_Utf8CharsetSpelledOut_IsStillAccepted()
    {
        await using var app = new TheModelApp().WithKeys();
        var response = await app.Client().SendAsync(WithCharset("POST", "/api/leads", "{\"name\":\"田中\",\"company\":\"アクメ\"}", "UTF-8"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/api/leads/batch", "{\"leads\":[null]}")]
    [InlineData("POST", "/api/leads/batch", "{\"leads\":[{\"name\":\"田中\",\"company\":\"アクメ\"},null]}")]
    [InlineData("PUT", "/api/settings/calendar", "{\"holidays\":[null]}")]
    [InlineData("PUT", "/api/settings/sla", "{\"policies\":{\"MqlToIs\":null}}")]
    [InlineData("PUT", "/api/settings/sla", "{\"policies\":{\"MqlToIs\":{\"reminders\":[null]}}}")]
    public async Task JsonRoute_NullInsideArray_Is4xxAndChangesNothing(string method, string path, string json)
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var calendarBefore = await client.GetStringAsync("/api/settings/calendar");

        var response = await client.SendAsync(WithCharset(method, path, json, "utf-8"));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"got {(int)response.StatusCode}: {body}");
        Assert.Equal((0, 0, 0, 0, 0), await app.CountsAsync());
        Assert.Equal(calendarBefore, await client.GetStringAsync("/api/settings/calendar"));
    }

    [Theory]
    [InlineData("/api/funnel?period=9999-12")]
    [InlineData("/api/kpis?period=9999-12")]
    [InlineData("/api/kpis?period=0001-01")]
    [InlineData("/api/kpis?period=9999-W52")]
    [InlineData("/api/kpis?period=0001-W01")]
    [InlineData("/api/funnel?from=0001-01-01&to=0001-02-01")]
    [InlineData("/api/funnel?from=9999-12-01&to=9999-12-31")]
    [InlineData("/api/plan?target=1000000&period=9999-12")]
    public async Task Figures_PeriodOutOfRange_Is400NamingTheField(string url)
    {
        await using var app = new TheModelApp().WithKeys();
        var field = url.Contains("from=", StringComparison.Ordinal) ? "from" : "period";

        var response = await app.Client().GetAsync(url);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Theory]
    [InlineData("week=0001-W01", "week")]
    [InlineData("week=9999-W52", "week")]
    [InlineData("period=0001-W01", "period")]
    [InlineData("period=9999-12", "period")]
    public async Task WeeklyDigest_WeekOutOfRange_Is400NamingTheField(string query, string field)
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();

        await (await client.GetAsync($"/api/digests/weekly?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest, field);
        await (await client.PostAsync($"/api/digests/weekly/run?{query}", null)).AssertProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Equal(0, (await app.CountsAsync()).Outbox);
    }

    [Theory]
    [InlineData("{\"yearEndClosure\":\"01-01..12-31\"}", "yearEndClosure")]
    [InlineData("{\"yearEndClosure\":\"12-31..12-30\"}", "yearEndClosure")]
    [InlineData("{\"workingHours\":\"\"}", "workingHours")]
    [InlineData("{\"workingHours\":\"Sat 09:00-18:00\",\"yearEndClosure\":\"01-01..12-31\"}", "yearEndClosure")]
    public async Task PutCalendar_NoWorkingTimeLeft_Is400AndIntakeStillWorks(string json, string field)
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var before = await client.GetStringAsync("/api/settings/calendar");

        var response = await client.PutAsync("/api/settings/calendar", new StringContent(json, Encoding.UTF8, "application/json"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await client.GetStringAsync("/api/settings/calendar"));
        await client.PostLeadAsync(new { name = "田中", company = "アクメ", score = 90 }).OkJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task PutCalendar_HolidaysCoveringTheNextYear_Is400NamingHolidays()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var before = await client.GetStringAsync("/api/settings/calendar");
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime).AddDays(-1);
        var holidays = Enumerable.Range(0, 400).Select(i => today.AddDays(i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        var response = await client.PutAsJsonAsync("/api/settings/calendar", new { holidays });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "holidays");
        Assert.Equal(before, await client.GetStringAsync("/api/settings/calendar"));
    }

    [Fact]
    public async Task PutCalendar_HolidaysLeavingWorkingDays_IsAccepted()
    {
        await using var app = new TheModelApp().WithKeys();
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);
        var holidays = Enumerable.Range(0, 300).Select(i => today.AddDays(i).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        var response = await app.Client().PutAsJsonAsync("/api/settings/calendar", new { holidays });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static HttpRequestMessage WithCharset(string method, string path, string json, string charset)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"application/json; charset={charset}");
        return new HttpRequestMessage(new HttpMethod(method), path) { Content = content };
    }
}
