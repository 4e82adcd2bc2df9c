using TheModel.Api.Auth;
using System.Net;
using System.Net.Http.Json;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Auth;

public class ApiKeyAuthTests
{
    [Fact]
    public async Task AnyCall_WithNoKeysConfigured_Is401_AndSaysHowToConfigureOne()
    {
        await using var app = new TheModelApp();
        var client = app.Client("whatever");

        var problem = await (await client.GetAsync("/api/leads")).AssertProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Contains("Api__Keys__0__Key", problem.Str("detail"));
        Assert.Contains("Api__Keys__0__Scopes", problem.Str("detail"));
        await (await client.PostLeadAsync(new { name = "x", company = "y" })).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(0, (await app.CountsAsync()).Leads);
    }

    [Fact]
    public async Task Call_WithoutKey_Is401()
    {
        await using var app = new TheModelApp().WithKeys();
        var problem = await (await app.Client(key: null).GetAsync("/api/funnel")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("X-Api-Key", problem.Str("detail"));
    }

    [Fact]
    public async Task Call_WithWrongKey_Is401()
    {
        await using var app = new TheModelApp().WithKeys();
        await (await app.Client("not-a-key").GetAsync("/api/leads")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ReadKey_CannotWrite_Is403_AndChangesNothing()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client(ApiKit.ReadKey);
        (await client.GetAsync("/api/leads")).EnsureSuccessStatusCode();

        await (await client.PostLeadAsync(new { name = "田中", company = "アクメ", score = 90 })).AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(0, (await app.CountsAsync()).Leads);
    }

    [Fact]
    public async Task WriteKey_CannotChangeSettingsOrOutbox_Is403()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client(ApiKit.WriteKey);
        (await client.PostLeadAsync(new { name = "田中", company = "アクメ" })).EnsureSuccessStatusCode();
        await (await client.PutAsJsonAsync("/api/settings/qualification", new { mqlThreshold = 50 })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await client.GetAsync("/api/outbox?status=failed")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task WriteKey_CannotChangeADepartmentsChannels_Is403_AndChangesNothing()
    {
        await using var app = new TheModelApp().WithKeys();
        await app.Client().PutAsJsonAsync("/api/departments/IS", new { slackChannelId = "C0BATON", teamsConversationId = "19:baton@thread.tacv2" }).OkJsonAsync();
        var writer = app.Client(ApiKit.WriteKey);

        var problem = await (await writer.PutAsJsonAsync("/api/departments/IS", new { slackChannelId = "C0ATTACKER", teamsConversationId = "19:attacker@thread.tacv2" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await writer.PutAsJsonAsync("/api/departments/IS", new { displayName = "Renamed" })).AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Contains("crm-writer", problem.Str("detail"));
        var department = await writer.GetAsync("/api/departments/IS").OkJsonAsync();
        Assert.Equal("C0BATON", department.Str("slackChannelId"));
        Assert.Equal("19:baton@thread.tacv2", department.Str("teamsConversationId"));
        Assert.NotEqual("Renamed", department.Str("displayName"));
    }

    [Fact]
    public async Task TeamsEndpoint_IsNotBehindTheApiKey()
    {
        await using var app = new TheModelApp().WithKeys();
        var response = await app.Client(key: null).PostAsJsonAsync("/api/messages", new { type = "message" });
        // The Teams endpoint answers by its own rules (here: no token from a non-loopback test client);
        // what must never appear is the REST API's key challenge.
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(ApiScopes.Header, body);
        Assert.DoesNotContain("Api__Keys", body);
    }
}
