using System.Net;
using System.Net.Http.Json;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.People;

public class PeopleApiTests
{
    [Fact]
    public async Task Put_CreatesThenUpdatesByEmail()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var created = await client.PutAsJsonAsync("/api/people", new { name = "佐藤 花子", email = "sato@example.co.jp", department = "IS" })
            .OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal(20, created.GetProperty("capacity").GetInt32());
        Assert.Equal("Asia/Tokyo", created.Str("timeZone"));

        var updated = await client.PutAsJsonAsync("/api/people", new { name = "佐藤 花子", email = "sato@example.co.jp", department = "IS", capacity = 5, available = false, slackUserId = "U123" })
            .OkJsonAsync();

        Assert.Equal(created.Id(), updated.Id());
        Assert.Equal(5, updated.GetProperty("capacity").GetInt32());
        Assert.False(updated.GetProperty("available").GetBoolean());
        var all = await client.GetAsync("/api/people?department=IS").OkJsonAsync();
        Assert.Single(all.EnumerateArray());
        Assert.Empty((await client.GetAsync("/api/people?department=FS").OkJsonAsync()).EnumerateArray());
    }

    [Fact]
    public async Task PutById_SetsTheManager_AndGetReturnsIt()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var manager = await client.AddPersonAsync("山口 部長", "yamaguchi@example.co.jp", "IS");
        var rep = await client.AddPersonAsync("佐藤", "sato@example.co.jp", "IS");

        await client.PutAsJsonAsync($"/api/people/{rep}", new { name = "佐藤 花子", department = "IS", managerId = manager }).OkJsonAsync();

        var person = await client.GetAsync($"/api/people/{rep}").OkJsonAsync();
        Assert.Equal(manager, person.Id("managerId"));
        Assert.Equal("sato@example.co.jp", person.Str("email"));
    }

    [Theory]
    [InlineData("{\"email\":\"a@example.jp\",\"department\":\"IS\"}", "name")]
    [InlineData("{\"name\":\"A\",\"email\":\"a@example.jp\"}", "department")]
    [InlineData("{\"name\":\"A\",\"email\":\"a@example.jp\",\"department\":\"HR\"}", "department")]
    [InlineData("{\"name\":\"A\",\"email\":\"bad\",\"department\":\"IS\"}", "email")]
    [InlineData("{\"name\":\"A\",\"department\":\"IS\",\"capacity\":-1}", "capacity")]
    [InlineData("{\"name\":\"A\",\"department\":\"IS\",\"timeZone\":\"Mars/Olympus\"}", "timeZone")]
    [InlineData("{\"name\":\"A\",\"department\":\"IS\",\"managerId\":\"0190c8a4-0000-7000-8000-000000000000\"}", "managerId")]
    [InlineData("{\"name\":\"A\",\"department\":\"IS\",\"available\":\"yes\"}", "available")]
    public async Task Put_BadInput_Returns400WithField_AndStoresNothing(string body, string field)
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var response = await client.PutAsync("/api/people", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Equal(0, (await app.CountsAsync()).People);
    }

    [Fact]
    public async Task Put_SlackIdOfSomeoneElse_Returns400NamingTheField()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        await client.AddPersonAsync("A", "a@example.co.jp", "IS", slackUserId: "U1");
        var response = await client.PutAsJsonAsync("/api/people", new { name = "B", email = "b@example.co.jp", department = "IS", slackUserId = "U1" });
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "slackUserId");
        Assert.Equal(1, (await app.CountsAsync()).People);
    }

    [Fact]
    public async Task Departments_AreSeeded_AndTheirChannelsCanBeSet()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var all = await client.GetAsync("/api/departments").OkJsonAsync();
        Assert.Equal(["MK", "IS", "FS", "CS"], all.EnumerateArray().Select(d => d.Str("code")));

        var fs = await client.PutAsJsonAsync("/api/departments/fs", new { displayName = "フィールドセールス", slackChannelId = "C0FS", teamsConversationId = "19:fs@thread.tacv2" }).OkJsonAsync();
        Assert.Equal("フィールドセールス", fs.Str("displayName"));
        Assert.Equal("C0FS", (await client.GetAsync("/api/departments/FS").OkJsonAsync()).Str("slackChannelId"));

        // An empty string unlinks; a missing member leaves the value.
        var unlinked = await client.PutAsJsonAsync("/api/departments/FS", new { slackChannelId = "" }).OkJsonAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, unlinked.GetProperty("slackChannelId").ValueKind);
        Assert.Equal("19:fs@thread.tacv2", unlinked.Str("teamsConversationId"));
        await (await client.PutAsJsonAsync("/api/departments/HR", new { displayName = "x" })).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await client.PutAsJsonAsync("/api/departments/IS", new { displayName = " " })).AssertProblemAsync(HttpStatusCode.BadRequest, "displayName");
    }
}
