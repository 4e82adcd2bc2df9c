using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Bot.Teams;
using TheModel.Tests.Support;
using static TheModel.Tests.Bot.Teams.TeamsTestKit;

namespace TheModel.Tests.Bot.Teams;

/// <summary>Asking the bot in Teams: personal chat or @mention → command handler → reply through the outbox.</summary>
public class TeamsMessageHandlerTests
{
    [Fact]
    public async Task PersonalMessage_IsAnsweredInReplyThroughTheOutbox()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        var message = Message(connector.BaseUrl, Personal("a:alex-dm"), "help");

        Assert.Equal(200, (await PostAsync(app, message)).Status);
        Assert.Empty(connector.Requests);
        await app.DispatchAsync();

        var reply = Assert.Single(connector.Requests);
        Assert.Equal("POST", reply.Method);
        Assert.Equal($"/v3/conversations/a:alex-dm/activities/{message["id"]}", reply.Path);
        var activity = JsonNode.Parse(reply.Body)!;
        Assert.Equal("message", (string?)activity["type"]);
        Assert.Equal((string?)message["id"], (string?)activity["replyToId"]);
        Assert.Contains("funnel", (string?)activity["text"]);
    }

    [Fact]
    public async Task PersonalMessage_TheAnswerIsHandedToTheExpressLane()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        var express = app.Services.GetRequiredService<TheModel.Api.Outbox.OutboxExpress>();
        express.Running = true;

        Assert.Equal(200, (await PostAsync(app, Message(connector.BaseUrl, Personal("a:alex-dm"), "help"))).Status);

        var handed = await express.NextAsync(100, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([await app.WithDbAsync(db => db.Outbox.Select(m => m.Id).SingleAsync())], handed);
        Assert.Equal(1, await app.Services.GetRequiredService<TheModel.Api.Outbox.OutboxDispatcher>().SendNowAsync(handed));
        Assert.Single(connector.Requests);
    }

    [Fact]
    public async Task PersonalMessage_FunnelInJapanese_AnswersTheFiguresOfTheRestApi()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        var client = app.CreateClient();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await app.WithDbAsync(async db =>
        {
            // Figures are for people in the directory.
            db.People.Add(new TheModel.Api.People.Person { Name = Users.Alex.Name, Department = TheModel.Api.People.Department.IS, TeamsAadObjectId = Users.Alex.AadObjectId, CreatedAt = now, UpdatedAt = now });
            for (var i = 0; i < 4; i++)
            {
                var lead = new TheModel.Api.Leads.Lead { Name = $"Lead {i}", Company = "Acme", CreatedAt = now, UpdatedAt = now, StageChangedAt = now, LastActivityAt = now };
                db.Leads.Add(lead);
                db.Events.Add(new TheModel.Api.Events.LeadEvent { LeadId = lead.Id, Type = TheModel.Api.Events.LeadEventType.LeadCreated, At = now });
            }
            await db.SaveChangesAsync();
        });
        var message = Message(connector.BaseUrl, Personal("a:alex-dm"), "ファネル 今月");

        Assert.Equal(200, (await PostAsync(app, message)).Status);
        await app.DispatchAsync();

        var activity = JsonNode.Parse(Assert.Single(connector.Requests).Body)!;
        var card = activity["attachments"]![0]!["content"]!;
        Assert.Equal(TheModel.Cards.AdaptiveCardRenderer.ContentType, (string?)activity["attachments"]![0]!["contentType"]);
        // The same figure the REST API gives for the same period.
        await using var scope = app.Services.CreateAsyncScope();
        Assert.True(scope.ServiceProvider.GetRequiredService<TheModel.Api.Kpis.IPeriods>().TryParse("this-month", null, null, out var period, out _));
        var funnel = await scope.ServiceProvider.GetRequiredService<TheModel.Api.Kpis.IKpiQueries>().FunnelAsync(period);
        Assert.Equal(4, funnel.Inquiries);
        var facts = card.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.Contains($"\"title\":\"{TheModel.Bot.Chat.ChatTexts.Japanese.Inquiries}\",\"value\":\"{funnel.Inquiries}", facts);
    }

    [Fact]
    public async Task PersonalMessage_RedeliveredByTeams_IsAnsweredOnce()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        var message = Message(connector.BaseUrl, Personal("a:alex-dm"), "help");

        await PostAsync(app, message);
        Assert.Equal(200, (await PostAsync(app, message)).Status);
        await app.DispatchAsync();

        Assert.Single(connector.Requests);
    }

    [Fact]
    public async Task ChannelMessageMentioningTheBot_IsAnsweredInTheThread()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        var thread = $"{ChannelId};messageid=1731700000000";
        var message = Message(connector.BaseUrl, Channel(connector.BaseUrl, thread), "funnel", mentionBot: true);

        await PostAsync(app, message);
        await app.DispatchAsync();

        var reply = Assert.Single(connector.Requests);
        Assert.Equal($"/v3/conversations/{thread}/activities/{message["id"]}", reply.Path);
        // The channel itself (not the thread) is what is remembered, so cards can be posted to it later.
        Assert.Equal(ChannelId, await app.WithDbAsync(db => db.Conversations.Select(c => c.ConversationId).SingleAsync()));
    }

    [Fact]
    public async Task ChannelMessageWithoutMention_IsIgnored()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();

        Assert.Equal(200, (await PostAsync(app, Message(connector.BaseUrl, Channel(connector.BaseUrl), "funnel"))).Status);
        await app.DispatchAsync();

        Assert.Empty(connector.Requests);
    }

    [Fact]
    public async Task MessageWithoutServiceUrl_Is400()
    {
        await using var app = new TheModelApp();
        var message = Message("https://smba.trafficmanager.net/apac/", Personal("a:alex-dm"), "help");
        message.Remove("serviceUrl");
        Assert.Equal(400, (await PostAsync(app, message)).Status);
    }

    [Theory]
    [InlineData("<at>TheModel</at> ファネル 今月", "ファネル 今月")]
    [InlineData("<at>TheModel</at>&nbsp;funnel   last-month ", "funnel last-month")]
    [InlineData("<p><at>TheModel</at> plan 1000万</p>", "plan 1000万")]
    public void CommandText_StripsTheBotMentionAndMarkup(string text, string expected)
    {
        var activity = JsonSerializer.Deserialize<TheModel.Bot.Teams.Activity>(
            Message("https://x/", Channel("https://x/"), "", mentionBot: true).With("text", text).ToJsonString(), TheModel.Bot.Teams.Activity.Json)!;
        Assert.True(TeamsMessageHandler.MentionsBot(activity));
        Assert.Equal(expected, TeamsChatText.Normalize(activity).Text);
    }
}

internal static class JsonObjectTestExtensions
{
    public static JsonObject With(this JsonObject node, string name, string value)
    {
        node[name] = value;
        return node;
    }
}
