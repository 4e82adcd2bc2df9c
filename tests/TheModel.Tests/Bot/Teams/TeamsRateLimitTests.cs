using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TheModel.Tests.Support;
using static TheModel.Tests.Bot.Teams.TeamsTestKit;

namespace TheModel.Tests.Bot.Teams;

/// <summary><c>RateLimits:Chat</c> on <c>/api/messages</c>: per Teams user, 429 with Retry-After, on the bot's clock.</summary>
public class TeamsRateLimitTests
{
    private static TheModelApp App()
    {
        var app = new TheModelApp();
        app.Settings["RateLimits:Chat:PermitLimit"] = "3";
        app.Settings["RateLimits:Chat:Window"] = "00:01:00";
        return app;
    }

    [Fact]
    public async Task Burst_FromOneUser_Is429ForThatUserOnly_AndTheRefusedActivitiesAreNotHandled()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = App();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (await PostAsync(app, Message(connector.BaseUrl, Personal("a:alex-dm"), "help"))).StatusCode);
        }
        var before = await RowsAsync(app);
        app.Clock.Advance(TimeSpan.FromSeconds(20));

        for (var i = 0; i < 3; i++)
        {
            var refused = await PostAsync(app, Message(connector.BaseUrl, Personal("a:alex-dm"), "help"));
            Assert.Equal(429, refused.StatusCode);
            Assert.Equal("40", refused.Headers.RetryAfter.ToString());
        }
        var click = await PostAsync(app, Invoke(connector.BaseUrl, Personal("a:alex-dm"), Users.Alex, "accept", new JsonObject { ["handoffId"] = Guid.NewGuid().ToString() }));
        Assert.Equal(429, click.StatusCode);

        Assert.Equal(before, await RowsAsync(app));
        Assert.Equal(200, (await PostAsync(app, Message(connector.BaseUrl, Personal("a:rep-dm"), "help", Users.Rep))).StatusCode);
    }

    [Fact]
    public async Task Limit_AfterTheWindow_AcceptsTheUserAgain()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = App();
        for (var i = 0; i < 3; i++)
        {
            await PostAsync(app, Message(connector.BaseUrl, Personal("a:alex-dm"), "help"));
        }
        Assert.Equal(429, (await PostAsync(app, Message(connector.BaseUrl, Personal("a:alex-dm"), "help"))).StatusCode);

        app.Clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(200, (await PostAsync(app, Message(connector.BaseUrl, Personal("a:alex-dm"), "help"))).StatusCode);
    }

    [Fact]
    public async Task Limit_WithoutAadObjectId_CountsByTheTeamsUserId()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = App();
        JsonObject Anonymous(string userId)
        {
            var message = Message(connector.BaseUrl, Personal("a:guest-dm"), "help");
            message["from"] = new JsonObject { ["id"] = userId, ["name"] = "Guest" };
            return message;
        }
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(200, (await PostAsync(app, Anonymous("29:guest"))).StatusCode);
        }

        Assert.Equal(429, (await PostAsync(app, Anonymous("29:guest"))).StatusCode);
        Assert.Equal(200, (await PostAsync(app, Anonymous("29:another-guest"))).StatusCode);
    }

    /// <summary>Posts from loopback (dev mode, no token) and keeps the response headers.</summary>
    private static async Task<HttpResponse> PostAsync(TheModelApp app, JsonObject activity)
    {
        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = "/api/messages";
            c.Request.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(activity.ToJsonString());
            c.Request.Body = new MemoryStream(bytes);
            c.Request.ContentLength = bytes.Length;
            c.Connection.RemoteIpAddress = IPAddress.Loopback;
        });
        return context.Response;
    }

    private static Task<(int Outbox, int Conversations, int Events)> RowsAsync(TheModelApp app) =>
        app.WithDbAsync(async db => (db.Outbox.Count(), db.Conversations.Count(), db.Events.Count()));
}
