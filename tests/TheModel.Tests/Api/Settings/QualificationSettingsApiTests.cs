using System.Net;
using System.Net.Http.Json;
using TheModel.Tests.Support;

namespace TheModel.Tests.Api.Settings;

public class QualificationSettingsApiTests
{
    [Fact]
    public async Task Get_WithoutStoredSetting_IsTheConfiguredThreshold()
    {
        await using var app = new TheModelApp().WithKeys();
        app.Settings["Qualification:MqlThreshold"] = "70";
        var settings = await app.Client().GetAsync("/api/settings/qualification").OkJsonAsync();
        Assert.Equal(70, settings.GetProperty("mqlThreshold").GetInt32());
    }

    [Fact]
    public async Task Put_ChangesTheThreshold_ForTheVeryNextIntake()
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        Assert.Equal(80, (await client.GetAsync("/api/settings/qualification").OkJsonAsync()).GetProperty("mqlThreshold").GetInt32());
        var before = await client.PostLeadAsync(new { name = "A", company = "A社", score = 65 }).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Inquiry", before.Str("stage"));

        await client.PutAsJsonAsync("/api/settings/qualification", new { mqlThreshold = 60 }).OkJsonAsync();

        var after = await client.PostLeadAsync(new { name = "B", company = "B社", score = 65 }).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Mql", after.Str("stage"));
        // Raising it again: 85 is no longer enough.
        await client.PutAsJsonAsync("/api/settings/qualification", new { mqlThreshold = 90 }).OkJsonAsync();
        var raised = await client.PostLeadAsync(new { name = "C", company = "C社", score = 85 }).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Inquiry", raised.Str("stage"));
        Assert.Equal(90, (await client.GetAsync("/api/settings/qualification").OkJsonAsync()).GetProperty("mqlThreshold").GetInt32());
    }

    [Theory]
    [InlineData("{\"mqlThreshold\":101}", "mqlThreshold")]
    [InlineData("{\"mqlThreshold\":-1}", "mqlThreshold")]
    [InlineData("{}", "mqlThreshold")]
    [InlineData("{\"mqlThreshold\":\"eighty\"}", "mqlThreshold")]
    public async Task Put_OutOfRange_Returns400_AndKeepsTheThreshold(string body, string field)
    {
        await using var app = new TheModelApp().WithKeys();
        var client = app.Client();
        var response = await client.PutAsync("/api/settings/qualification", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, field);
        Assert.Equal(80, (await client.GetAsync("/api/settings/qualification").OkJsonAsync()).GetProperty("mqlThreshold").GetInt32());
    }
}
