using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TheModel.Tests.Support;
using static TheModel.Tests.Bot.Teams.TeamsTestKit;

namespace TheModel.Tests.Bot.Teams;

/// <summary>Activities with <c>null</c> inside arrays, and a bogus charset, used to be 500s (issue #15 item 5).</summary>
public class TeamsHostileInputTests
{
    [Fact]
    public async Task Message_NullEntity_IsHandledNot500()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        var message = Message(connector.BaseUrl, Personal("a:dm-alex"), "help", mentionBot: true);
        message["entities"]!.AsArray().Insert(0, null);

        var response = await PostAsync(app, message);

        Assert.Equal(200, response.Status);
    }

    [Fact]
    public async Task ConversationUpdate_NullMemberAdded_IsHandledNot500()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        var update = Activity("conversationUpdate", connector.BaseUrl, Channel(connector.BaseUrl));
        update["membersAdded"] = new JsonArray(null, new JsonObject { ["id"] = BotId });

        var response = await PostAsync(app, update);

        Assert.Equal(200, response.Status);
        Assert.Equal(1, await app.WithDbAsync(db => db.Conversations.CountAsync()));
    }

    [Fact]
    public async Task Post_UnknownCharset_Is415AndStoresNothing()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();

        var response = await PostRawAsync(app, Installation(connector.BaseUrl, Channel(connector.BaseUrl)).ToJsonString(),
            headers: new Dictionary<string, string> { ["Content-Type"] = "application/json; charset=bogus" });

        Assert.Equal(415, response.Status);
        Assert.Equal(0, await app.WithDbAsync(db => db.Conversations.CountAsync()));
    }
}
