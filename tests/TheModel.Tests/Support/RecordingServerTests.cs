using System.Net.Http.Json;

namespace TheModel.Tests.Support;

public class RecordingServerTests
{
    [Fact]
    public async Task Post_IsRecordedWithBodyAndHeaders()
    {
        await using var server = await RecordingServer.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        http.DefaultRequestHeaders.Add("X-Test", "1");
        var response = await http.PostAsJsonAsync("api/chat.postMessage", new { channel = "C1" });
        Assert.True(response.IsSuccessStatusCode);
        var recorded = Assert.Single(server.Requests);
        Assert.Equal("/api/chat.postMessage", recorded.Path);
        Assert.Contains("\"channel\":\"C1\"", recorded.Body);
        Assert.Equal("1", recorded.Headers["X-Test"]);
    }
}
