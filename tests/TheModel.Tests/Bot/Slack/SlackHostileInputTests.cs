using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Handoffs;
using TheModel.Bot.Slack;
using TheModel.Cards;

namespace TheModel.Tests.Bot.Slack;

/// <summary>Payloads Slack (or anyone signing as it) could send that used to end in a 500 (issue #15 item 5).</summary>
public class SlackHostileInputTests
{
    [Fact]
    public async Task Event_NullAuthorization_IsAcceptedNot500()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var envelope = JsonNode.Parse(SlackTestKit.Fixture("app_mention_event_callback.json"))!.AsObject();
        envelope["authorizations"] = new JsonArray(null, new JsonObject { ["team_id"] = "T1", ["user_id"] = SlackTestKit.BotUserId, ["is_bot"] = true });

        var response = await kit.PostEventAsync(envelope.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await kit.DrainAsync();
    }

    [Fact]
    public async Task Interaction_NullAction_IsAcknowledgedAndChangesNothing()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var seeded = await kit.SeedHandoffAsync();
        var payload = JsonNode.Parse(SlackTestKit.BlockAction(CardActions.Accept, seeded.HandoffId.ToString()))!.AsObject();
        payload["actions"] = JsonNode.Parse("[null]");

        var response = await kit.PostInteractionAsync(payload.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await kit.DrainAsync();
        Assert.Equal(HandoffState.Offered, await kit.Db(db => db.Handoffs.Where(h => h.Id == seeded.HandoffId).Select(h => h.State).SingleAsync()));
    }

    [Fact]
    public async Task Event_UnknownCharset_Is415()
    {
        await using var kit = await SlackTestKit.StartAsync();

        var response = await kit.PostAsync("/slack/events", SlackTestKit.Fixture("app_mention_event_callback.json"), "application/json; charset=bogus");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(0, await kit.Db(db => db.InboundWork.CountAsync()));
    }
}
