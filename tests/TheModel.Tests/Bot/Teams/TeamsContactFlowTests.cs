using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Leads;
using TheModel.Api.People;
using TheModel.Cards;
using TheModel.Tests.Cards;
using TheModel.Tests.Support;
using static TheModel.Tests.Bot.Teams.TeamsTestKit;

namespace TheModel.Tests.Bot.Teams;

/// <summary>
/// Contacts logged from the Teams card over /api/messages: the accepted card carries the four actions and a note input,
/// a click by the holder logs it (with the note) and every posted copy shows the first touch; anyone else is refused.
/// </summary>
public class TeamsContactFlowTests
{
    /// <summary>The kit's lead offered to IS and accepted by the rep from the channel copy.</summary>
    private static async Task<(TeamsWorld World, TeamsPeople People, Guid Handoff, string MessageId)> AcceptedAsync()
    {
        var (world, people) = await TeamsWorld.StartAsync();
        var handoffId = await OfferLeadAsync(world.App);
        return (world, people, handoffId, await world.AcceptAsync(handoffId));
    }

    [Fact]
    public async Task AcceptedCard_CarriesTheFourContactActions_AndTheNoteInput()
    {
        var (world, _, _, messageId) = await AcceptedAsync();
        await using var _w = world;

        var card = TeamsWorld.CardOf(world.UpdatesOf(messageId).Last());

        Assert.Equal(CardActions.ContactLogs, card["actions"]!.AsArray().Select(a => (string)a!["verb"]!).ToList());
        Assert.Contains(card["body"]!.AsArray(), e => (string?)e!["id"] == CardFields.ContactNote);
        Assert.Contains("📞 通話できた", JsonWalk.Strings(card));
    }

    [Fact]
    public async Task ReachedByPhone_ByTheHolder_LogsWithTheNote_AndEveryCopyShowsTheFirstTouch()
    {
        var (world, people, handoffId, messageId) = await AcceptedAsync();
        await using var _w = world;
        var putsBefore = world.Connector.Requests.Count(r => r.Method == "PUT");
        world.App.Clock.Advance(TimeSpan.FromMinutes(130));

        var response = await world.InvokeAsync(Users.Rep, CardActions.ContactCallReached,
            new JsonObject { ["handoffId"] = handoffId.ToString(), [CardFields.ContactNote] = "予算を確認" }, messageId);

        Assert.Equal(200, response.Status);
        Assert.Equal(AdaptiveCardRenderer.ContentType, (string?)response.Json!["type"]);
        Assert.Contains("First touch after 2h 10m (business)", string.Join("\n", JsonWalk.Strings(response.Json!["value"]!)));
        var activity = await world.App.WithDbAsync(db => db.Activities.AsNoTracking().SingleAsync());
        Assert.Equal((people.Rep.Id, ActivityKind.Call, ActivityOutcome.Reached, "予算を確認"),
            (activity.PersonId!.Value, activity.Kind, activity.Outcome, activity.Note));
        await world.App.DispatchAsync();
        var puts = world.Connector.Requests.Where(r => r.Method == "PUT").Skip(putsBefore).ToList();
        Assert.NotEmpty(puts);
        var channelCopy = Assert.Single(puts, r => r.Path == $"/v3/conversations/{ChannelId}/activities/{messageId}");
        // The channel copy is rendered in Japanese; the actions stay for further logging.
        Assert.Contains("初回接触まで 2時間10分(営業時間)", string.Join("\n", JsonWalk.Strings(TeamsWorld.CardOf(channelCopy))));
        Assert.NotNull(TeamsWorld.CardOf(channelCopy)["actions"]);
    }

    [Fact]
    public async Task ContactAction_BySomeoneElse_IsRefusedPrivately_AndChangesNothing()
    {
        var (world, _, handoffId, messageId) = await AcceptedAsync();
        await using var _w = world;
        var outbox = await world.App.WithDbAsync(db => db.Outbox.CountAsync());

        var response = await world.InvokeAsync(Users.Other, CardActions.ContactNoAnswer, handoffId, messageId);

        Assert.Equal(200, response.Status);
        Assert.Equal("application/vnd.microsoft.activity.message", (string?)response.Json!["type"]);
        Assert.Contains("Only whoever holds", (string?)response.Json!["value"]);
        Assert.Equal(0, await world.App.WithDbAsync(db => db.Activities.CountAsync()));
        Assert.Equal(outbox, await world.App.WithDbAsync(db => db.Outbox.CountAsync()));
    }
}
