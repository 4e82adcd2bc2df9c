using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Cards;
using TheModel.Tests.Support;
using static TheModel.Tests.Bot.Teams.TeamsTestKit;

namespace TheModel.Tests.Bot.Teams;

/// <summary>
/// Contacts logged from the Teams card over /api/messages: the accepted card carries the four actions and a note input,
/// a click by the holder logs it (with the note) and every posted copy shows the first touch; anyone else is refused.
/// </summary>
public class TeamsContactFlowTests
{
    private static async Task<(TheModelApp App, RecordingServer Connector, TeamsPeople People, Guid Handoff, string MessageId)> AcceptedAsync()
    {
        var connector = await StartConnectorAsync();
        var app = new TheModelApp();
        var people = await SeedDirectoryAsync(app);
        Assert.Equal(200, (await PostAsync(app, Installation(connector.BaseUrl, Channel(connector.BaseUrl)))).Status);
        await LinkDepartmentAsync(app, Department.IS, ChannelId);
        var handoffId = await OfferLeadAsync(app);
        await app.DispatchAsync();
        var copy = await app.WithDbAsync(db => db.PostedCards.SingleAsync(p => p.HandoffId == handoffId && p.ConversationId == ChannelId));
        var accepted = await PostAsync(app, Invoke(connector.BaseUrl, Channel(connector.BaseUrl), Users.Rep, CardActions.Accept,
            new JsonObject { ["handoffId"] = handoffId.ToString() }, copy.MessageId));
        Assert.Equal(200, accepted.Status);
        await app.DispatchAsync();
        return (app, connector, people, handoffId, copy.MessageId);
    }

    private static List<string> Strings(JsonNode node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Value is null ? [] : Strings(p.Value)).ToList(),
        JsonArray a => a.SelectMany(n => n is null ? [] : Strings(n)).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    private static JsonObject? Content(RecordedRequest put) => JsonNode.Parse(put.Body)!["attachments"]![0]!["content"] as JsonObject;

    [Fact]
    public async Task AcceptedCard_CarriesTheFourContactActions_AndTheNoteInput()
    {
        var (app, connector, _, _, messageId) = await AcceptedAsync();
        await using var _a = app;
        await using var _c = connector;

        var put = connector.Requests.Last(r => r.Method == "PUT" && r.Path == $"/v3/conversations/{ChannelId}/activities/{messageId}");
        var card = Content(put)!;

        Assert.Equal(CardActions.ContactLogs, card["actions"]!.AsArray().Select(a => (string)a!["verb"]!).ToList());
        Assert.Contains(card["body"]!.AsArray(), e => (string?)e!["id"] == CardFields.ContactNote);
        Assert.Contains("📞 通話できた", Strings(card));
    }

    [Fact]
    public async Task ReachedByPhone_ByTheHolder_LogsWithTheNote_AndEveryCopyShowsTheFirstTouch()
    {
        var (app, connector, people, handoffId, messageId) = await AcceptedAsync();
        await using var _a = app;
        await using var _c = connector;
        var putsBefore = connector.Requests.Count(r => r.Method == "PUT");
        app.Clock.Advance(TimeSpan.FromMinutes(130));

        var response = await PostAsync(app, Invoke(connector.BaseUrl, Channel(connector.BaseUrl), Users.Rep, CardActions.ContactCallReached,
            new JsonObject { ["handoffId"] = handoffId.ToString(), [CardFields.ContactNote] = "予算を確認" }, messageId));

        Assert.Equal(200, response.Status);
        Assert.Equal(AdaptiveCardRenderer.ContentType, (string?)response.Json!["type"]);
        Assert.Contains("First touch after 2h 10m (business)", string.Join("\n", Strings(response.Json!["value"]!)));
        var activity = await app.WithDbAsync(db => db.Activities.AsNoTracking().SingleAsync());
        Assert.Equal((people.Rep.Id, ActivityKind.Call, ActivityOutcome.Reached, "予算を確認"),
            (activity.PersonId!.Value, activity.Kind, activity.Outcome, activity.Note));
        await app.DispatchAsync();
        var puts = connector.Requests.Where(r => r.Method == "PUT").Skip(putsBefore).ToList();
        Assert.NotEmpty(puts);
        var channelCopy = Assert.Single(puts, r => r.Path == $"/v3/conversations/{ChannelId}/activities/{messageId}");
        // The channel copy is rendered in Japanese; the actions stay for further logging.
        Assert.Contains("初回接触まで 2時間10分(営業時間)", string.Join("\n", Strings(Content(channelCopy)!)));
        Assert.NotNull(Content(channelCopy)!["actions"]);
    }

    [Fact]
    public async Task ContactAction_BySomeoneElse_IsRefusedPrivately_AndChangesNothing()
    {
        var (app, connector, _, handoffId, messageId) = await AcceptedAsync();
        await using var _a = app;
        await using var _c = connector;
        var outbox = await app.WithDbAsync(db => db.Outbox.CountAsync());

        var response = await PostAsync(app, Invoke(connector.BaseUrl, Channel(connector.BaseUrl), Users.Other, CardActions.ContactNoAnswer,
            new JsonObject { ["handoffId"] = handoffId.ToString() }, messageId));

        Assert.Equal(200, response.Status);
        Assert.Equal("application/vnd.microsoft.activity.message", (string?)response.Json!["type"]);
        Assert.Contains("Only whoever holds", (string?)response.Json!["value"]);
        Assert.Equal(0, await app.WithDbAsync(db => db.Activities.CountAsync()));
        Assert.Equal(outbox, await app.WithDbAsync(db => db.Outbox.CountAsync()));
    }
}
