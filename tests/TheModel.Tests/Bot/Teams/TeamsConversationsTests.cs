using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TheModel.Tests.Support;
using static TheModel.Tests.Bot.Teams.TeamsTestKit;

namespace TheModel.Tests.Bot.Teams;

/// <summary>Conversation references stored from installation, conversationUpdate and first messages.</summary>
public class TeamsConversationsTests
{
    [Fact]
    public async Task ConversationUpdate_BotAddedToGroupChat_StoresIt()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        var update = Activity("conversationUpdate", connector.BaseUrl,
            new JsonObject { ["id"] = "19:group@thread.v2", ["conversationType"] = "groupChat", ["isGroup"] = true, ["tenantId"] = TenantId });
        update["membersAdded"] = new JsonArray { new JsonObject { ["id"] = BotId } };

        Assert.Equal(200, (await PostAsync(app, update)).Status);

        var stored = await app.WithDbAsync(db => db.Conversations.SingleAsync());
        Assert.Equal(("19:group@thread.v2", "groupChat", TenantId), (stored.ConversationId, stored.ConversationType, stored.TenantId));
    }

    [Fact]
    public async Task ConversationUpdate_OnlyUsersAdded_StoresNothing()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        var update = Activity("conversationUpdate", connector.BaseUrl, Channel(connector.BaseUrl));
        update["membersAdded"] = new JsonArray { new JsonObject { ["id"] = "29:newcomer" } };

        Assert.Equal(200, (await PostAsync(app, update)).Status);

        Assert.Equal(0, await app.WithDbAsync(db => db.Conversations.CountAsync()));
    }

    [Fact]
    public async Task InstallationAndConversationUpdateAtOnce_StoreOneConversation()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        var update = Activity("conversationUpdate", connector.BaseUrl, Personal("a:alex-dm"));
        update["membersAdded"] = new JsonArray { new JsonObject { ["id"] = BotId }, new JsonObject { ["id"] = Users.Alex.UserId } };

        var responses = await Task.WhenAll(
            PostAsync(app, Installation(connector.BaseUrl, Personal("a:alex-dm"))),
            PostAsync(app, update));

        Assert.All(responses, r => Assert.Equal(200, r.Status));
        var stored = await app.WithDbAsync(db => db.Conversations.SingleAsync());
        Assert.Equal(Users.Alex.UserId, stored.UserId);
    }

    [Fact]
    public async Task CardClicks_SameConversation_StoreItOnceAndAChangedServiceUrlAgain()
    {
        await using var connector = await StartConnectorAsync();
        await using var movedConnector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        await SeedDirectoryAsync(app);
        var handoffId = await OfferLeadAsync(app);
        JsonObject Click(string serviceUrl) =>
            Invoke(serviceUrl, Personal("a:rep-dm"), Users.Rep, TheModel.Cards.CardActions.Refresh, new JsonObject { ["handoffId"] = handoffId.ToString() });

        Assert.Equal(200, (await PostAsync(app, Click(connector.BaseUrl))).Status);
        var first = await app.WithDbAsync(db => db.Conversations.AsNoTracking().SingleAsync());
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(200, (await PostAsync(app, Click(connector.BaseUrl))).Status);
        var again = await app.WithDbAsync(db => db.Conversations.AsNoTracking().SingleAsync());
        // Teams moved the conversation to another service URL: the next click must store it, memo or not.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(200, (await PostAsync(app, Click(movedConnector.BaseUrl))).Status);
        var moved = await app.WithDbAsync(db => db.Conversations.AsNoTracking().SingleAsync());

        Assert.Equal((connector.BaseUrl, first.UpdatedAt), (again.ServiceUrl, again.UpdatedAt));
        Assert.Equal(movedConnector.BaseUrl, moved.ServiceUrl);
        Assert.True(moved.UpdatedAt > first.UpdatedAt);
    }
}
