using System.Text.Json;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Conversations;
using TheModel.Api.Events;
using TheModel.Api.Handoffs;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Cards;
using TheModel.Tests.Cards;
using TheModel.Tests.Support;
using static TheModel.Tests.Bot.Teams.TeamsTestKit;

namespace TheModel.Tests.Bot.Teams;

/// <summary>
/// The baton on Teams end to end: install, link, offer → card posted to the Connector (a local recording server),
/// click Accept/Reject in the card (adaptiveCard/action invokes) → outcome card, and every posted copy updated.
/// </summary>
public class TeamsHandoffFlowTests
{
    [Fact]
    public async Task Installation_InAChannel_StoresTheConversationReference()
    {
        var (world, _) = await TeamsWorld.StartAsync(linkIs: false);
        await using var _w = world;
        var stored = await world.App.WithDbAsync(db => db.Conversations.SingleAsync(c => c.Channel == ChatPlatform.Teams));
        Assert.Equal(ChannelId, stored.ConversationId);
        Assert.Equal("channel", stored.ConversationType);
        Assert.Equal(world.Connector.BaseUrl, stored.ServiceUrl);
        Assert.Equal(TenantId, stored.TenantId);
        Assert.Equal(TeamId, stored.TeamId);
        Assert.Equal(BotId, stored.BotId);
    }

    [Fact]
    public async Task FirstPersonalMessage_StoresConversationAndFillsTheTeamsUserId()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        var people = await SeedDirectoryAsync(app, repHasTeamsUserId: false);
        var response = await PostAsync(app, Message(connector.BaseUrl, Personal("a:rep-dm"), "help", Users.Rep));
        Assert.Equal(200, response.Status);
        var (conversation, rep) = await app.WithDbAsync(async db =>
            (await db.Conversations.SingleAsync(c => c.ConversationId == "a:rep-dm"), await db.People.SingleAsync(p => p.Id == people.Rep.Id)));
        Assert.Equal("personal", conversation.ConversationType);
        Assert.Equal(people.Rep.Id, conversation.PersonId);
        Assert.Equal(Users.Rep.UserId, conversation.UserId);
        Assert.Equal(Users.Rep.UserId, rep.TeamsUserId);
    }

    [Fact]
    public async Task Offer_ToLinkedChannel_PostsTheCardMentioningTheAssignee_AndRecordsThePostedCopy()
    {
        var (world, people) = await TeamsWorld.StartAsync();
        await using var _w = world;
        var handoffId = await world.OfferedAsync();

        var post = world.PostedTo(ChannelId);
        var activity = JsonNode.Parse(post.Body)!;
        Assert.Equal("message", (string?)activity["type"]);
        Assert.Equal(AdaptiveCardRenderer.ContentType, (string?)activity["attachments"]![0]!["contentType"]);
        var card = activity["attachments"]![0]!["content"]!;
        Assert.Contains("Acme KK", card.ToJsonString());
        Assert.Contains(handoffId.ToString(), card.ToJsonString());
        // Teams card mention: the <at> tag in the card text and the entity in msteams.entities.
        var mention = card["msteams"]!["entities"]![0]!;
        Assert.Equal("mention", (string?)mention["type"]);
        Assert.Equal(Users.Rep.UserId, (string?)mention["mentioned"]!["id"]);
        Assert.Contains(JsonWalk.Strings(card["body"]!), text => text.Contains((string)mention["text"]!));
        Assert.Contains("Acme KK", (string?)activity["summary"]);
        Assert.False(post.Headers.ContainsKey("Authorization"), "no token without an AppId");

        var posted = await world.App.WithDbAsync(db => db.PostedCards.Where(p => p.HandoffId == handoffId).ToListAsync());
        Assert.Contains(posted, p => p.ConversationId == ChannelId && p.MessageId.StartsWith("msg-"));
        Assert.Equal(posted.Count, posted.Select(p => p.OutboxMessageId).Distinct().Count());
    }

    [Fact]
    public async Task Offer_ToAssigneeWithoutPersonalChat_CreatesTheOneToOneChatWithTenant_AndPostsThere()
    {
        var (world, people) = await TeamsWorld.StartAsync();
        await using var _w = world;
        await world.OfferedAsync();

        var create = Assert.Single(world.Connector.Requests, r => r.Method == "POST" && r.Path == "/v3/conversations");
        var parameters = JsonNode.Parse(create.Body)!;
        Assert.Equal(Users.Rep.UserId, (string?)parameters["members"]![0]!["id"]);
        Assert.Equal(TenantId, (string?)parameters["tenantId"]);
        Assert.Equal(TenantId, (string?)parameters["channelData"]!["tenant"]!["id"]);
        Assert.Equal(BotId, (string?)parameters["bot"]!["id"]);
        var dmId = await world.App.WithDbAsync(db => db.Conversations.Where(c => c.PersonId == people.Rep.Id).Select(c => c.ConversationId).SingleAsync());
        world.PostedTo(dmId);
    }

    [Fact]
    public async Task Offer_WhenDispatchedTwice_PostsOnce()
    {
        var (world, _) = await TeamsWorld.StartAsync();
        await using var _w = world;
        await world.OfferedAsync();
        world.App.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, await world.App.DispatchAsync());
        world.PostedTo(ChannelId);
    }

    [Fact]
    public async Task AcceptInvoke_ByAssignee_AnswersWithOutcomeCard_AndDispatchUpdatesEveryPostedCopy()
    {
        var (world, people) = await TeamsWorld.StartAsync();
        await using var _w = world;
        var handoffId = await world.OfferedAsync();
        var channelCopy = await world.ChannelCopyAsync(handoffId);
        world.App.Clock.Advance(TimeSpan.FromMinutes(72));

        var response = await world.InvokeAsync(Users.Rep, CardActions.Accept, handoffId, channelCopy);

        Assert.Equal(200, response.Status);
        var body = response.Json!;
        Assert.Equal(200, (int)body["statusCode"]!);
        Assert.Equal(AdaptiveCardRenderer.ContentType, (string?)body["type"]);
        Assert.Contains("Accepted", body["value"]!.ToJsonString());
        var handoff = await world.App.WithDbAsync(db => db.Handoffs.SingleAsync(h => h.Id == handoffId));
        Assert.Equal(HandoffState.Accepted, handoff.State);
        Assert.Equal(people.Rep.Id, handoff.DecidedById);

        await world.App.DispatchAsync();
        var put = Assert.Single(world.Connector.Requests, r => r.Method == "PUT" && r.Path == $"/v3/conversations/{ChannelId}/activities/{channelCopy}");
        var updated = JsonNode.Parse(put.Body)!;
        Assert.Equal(channelCopy, (string?)updated["id"]);
        // The channel copy is rendered for the channel (Japanese by default); no decision buttons any more, only the
        // contact actions of an accepted card (issue #16).
        Assert.Contains(CardTexts.Japanese.StateLabel("Accepted"), JsonWalk.Strings(updated["attachments"]![0]!["content"]!));
        Assert.Equal(CardActions.ContactLogs, updated["attachments"]![0]!["content"]!["actions"]!.AsArray().Select(a => (string?)a!["verb"]));
        Assert.Equal(2, world.Connector.Requests.Count(r => r.Method == "PUT"));
    }

    [Fact]
    public async Task AcceptInvoke_BySomeoneElse_KeepsTheCardAndSaysWhyPrivately()
    {
        var (world, _) = await TeamsWorld.StartAsync();
        await using var _w = world;
        var handoffId = await OfferLeadAsync(world.App);

        var response = await world.InvokeAsync(Users.Other, CardActions.Accept, handoffId);

        Assert.Equal(200, response.Status);
        Assert.Equal("application/vnd.microsoft.activity.message", (string?)response.Json!["type"]);
        Assert.Contains(Users.Rep.Name, (string?)response.Json!["value"]);
        Assert.Equal(HandoffState.Offered, await world.StateAsync(handoffId));
    }

    [Fact]
    public async Task AcceptInvoke_ByUnknownPerson_GetsAClearMessage()
    {
        var (world, _) = await TeamsWorld.StartAsync();
        await using var _w = world;
        var handoffId = await OfferLeadAsync(world.App);

        var response = await world.InvokeAsync(Users.Stranger, CardActions.Accept, handoffId);

        Assert.Equal("application/vnd.microsoft.activity.message", (string?)response.Json!["type"]);
        Assert.Contains("directory", (string?)response.Json!["value"]);
        Assert.Equal(HandoffState.Offered, await world.StateAsync(handoffId));
    }

    [Fact]
    public async Task AcceptInvoke_TwoSimultaneousClicks_OneWinner_BothSeeTheOutcome()
    {
        var (world, _) = await TeamsWorld.StartAsync();
        await using var _w = world;
        var handoffId = await OfferLeadAsync(world.App);
        var data = new JsonObject { ["handoffId"] = handoffId.ToString() };

        var responses = await Task.WhenAll(
            world.InvokeAsync(Users.Rep, CardActions.Accept, data.DeepClone().AsObject()),
            world.InvokeAsync(Users.Manager, CardActions.Accept, data.DeepClone().AsObject()));

        Assert.All(responses, r =>
        {
            Assert.Equal(200, r.Status);
            Assert.Equal(AdaptiveCardRenderer.ContentType, (string?)r.Json!["type"]);
            Assert.Contains("Accepted", r.Json!["value"]!.ToJsonString());
        });
        var accepted = await world.App.WithDbAsync(db => db.Events.CountAsync(e => e.HandoffId == handoffId && e.Type == LeadEventType.HandoffAccepted));
        Assert.Equal(1, accepted);
    }

    [Fact]
    public async Task RejectSubmitInvoke_WithReasonAndNote_RejectsAndTellsTheSendingDepartment()
    {
        var (world, people) = await TeamsWorld.StartAsync();
        await using var _w = world;
        await world.InstallAsync(Department.MK, "19:mk-baton@thread.tacv2");
        var handoffId = await world.OfferedAsync();

        var response = await world.InvokeAsync(Users.Rep, CardActions.RejectSubmit,
            new JsonObject { ["handoffId"] = handoffId.ToString(), ["reason"] = "NoBudget", ["note"] = "budget frozen until April" });

        Assert.Equal(AdaptiveCardRenderer.ContentType, (string?)response.Json!["type"]);
        var handoff = await world.App.WithDbAsync(db => db.Handoffs.SingleAsync(h => h.Id == handoffId));
        Assert.Equal(HandoffState.Rejected, handoff.State);
        Assert.Equal(RejectReason.NoBudget, handoff.RejectReason);
        Assert.Equal("budget frozen until April", handoff.RejectNote);

        await world.App.DispatchAsync();
        var notice = world.PostedTo("19:mk-baton@thread.tacv2");
        Assert.Contains("予算なし", notice.Body);
        Assert.Contains("budget frozen until April", notice.Body);
    }

    [Fact]
    public async Task RejectSubmitInvoke_WithoutReason_AsksForOne_AndChangesNothing()
    {
        var (world, _) = await TeamsWorld.StartAsync();
        await using var _w = world;
        var handoffId = await OfferLeadAsync(world.App);

        var response = await world.InvokeAsync(Users.Rep, CardActions.RejectSubmit,
            new JsonObject { ["handoffId"] = handoffId.ToString(), ["reason"] = "7" });

        Assert.Equal("application/vnd.microsoft.activity.message", (string?)response.Json!["type"]);
        Assert.Equal(HandoffState.Offered, await world.StateAsync(handoffId));
    }

    [Fact]
    public async Task RefreshInvoke_ReturnsTheCurrentCardForTheViewer()
    {
        var (world, _) = await TeamsWorld.StartAsync();
        await using var _w = world;
        var handoffId = await OfferLeadAsync(world.App);

        var response = await world.InvokeAsync(Users.Other, CardActions.Refresh, handoffId);

        Assert.Equal(AdaptiveCardRenderer.ContentType, (string?)response.Json!["type"]);
        Assert.Contains(CardTexts.English.StateLabel("Offered"), JsonWalk.Strings(response.Json!["value"]!));
    }

    [Theory]
    [InlineData("handoff.explode", true)]
    [InlineData(CardActions.Accept, false)]
    public async Task Invoke_UnknownVerbOrMissingHandoffId_IsAnInvokeError(string verb, bool withData)
    {
        var (world, _) = await TeamsWorld.StartAsync();
        await using var _w = world;
        var handoffId = await OfferLeadAsync(world.App);
        var data = withData ? new JsonObject { ["handoffId"] = handoffId.ToString() } : new JsonObject { ["handoffId"] = "not-a-guid" };

        var response = await world.InvokeAsync(Users.Rep, verb, data);

        Assert.Equal(200, response.Status);
        Assert.Equal(400, (int)response.Json!["statusCode"]!);
        Assert.Equal("application/vnd.microsoft.error", (string?)response.Json!["type"]);
        Assert.Equal(HandoffState.Offered, await world.StateAsync(handoffId));
    }

    [Fact]
    public async Task Invoke_WithoutValue_IsAnInvokeError()
    {
        var (world, _) = await TeamsWorld.StartAsync();
        await using var _w = world;
        var invoke = Activity("invoke", world.Connector.BaseUrl, Channel(world.Connector.BaseUrl), Users.Rep);
        invoke["name"] = "adaptiveCard/action";

        var response = await PostAsync(world.App, invoke);

        Assert.Equal(400, (int)response.Json!["statusCode"]!);
    }

    [Fact]
    public async Task Post_MalformedJson_Is400ProblemDetails()
    {
        await using var app = new TheModelApp();
        var response = await PostRawAsync(app, "{\"type\": \"message\", ");
        Assert.Equal(400, response.Status);
        Assert.Contains("Malformed activity", response.Body);
    }

    [Fact]
    public async Task Post_ActivityWithoutType_Is400()
    {
        await using var app = new TheModelApp();
        Assert.Equal(400, (await PostRawAsync(app, "{\"text\":\"hi\"}")).Status);
    }

    [Theory]
    [InlineData("typing")]
    [InlineData("messageReaction")]
    [InlineData("event")]
    public async Task Post_UnhandledActivityType_Is200AndIgnored(string type)
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        var response = await PostAsync(app, Activity(type, connector.BaseUrl, Channel(connector.BaseUrl)));
        Assert.Equal(200, response.Status);
        Assert.Equal(0, await app.WithDbAsync(db => db.Conversations.CountAsync()));
    }

    [Fact]
    public async Task SlaEscalation_PostsTheCardWithBannerMentioningTheManager_WithActions()
    {
        var (world, people) = await TeamsWorld.StartAsync();
        await using var _w = world;
        var handoffId = await world.OfferedAsync();
        await world.EnqueueNoticeAsync(OutboxKinds.SlaEscalation, handoffId,
            $"{{\"step\":\"escalation\",\"late\":false,\"managerId\":\"{people.Manager.Id}\"}}", $"sla.escalation:{handoffId}:teams");

        await world.App.DispatchAsync();

        var posts = world.PostsTo(ChannelId);
        Assert.Equal(2, posts.Count);
        var escalation = JsonNode.Parse(posts[1].Body)!;
        Assert.Contains("エスカレーション", (string?)escalation["summary"]);
        var mentioned = escalation["attachments"]![0]!["content"]!["msteams"]!["entities"]!.AsArray().Select(e => (string?)e!["mentioned"]!["id"]).ToList();
        Assert.Contains(Users.Rep.UserId, mentioned);
        Assert.Contains(Users.Manager.AadObjectId, mentioned);
        Assert.Contains(CardActions.Accept, escalation["attachments"]![0]!["content"]!.ToJsonString());
    }

    [Fact]
    public async Task ContactEscalation_PostsTheCardWithTheContactBannerAndDeadlineMentioningTheManager()
    {
        var (world, people) = await TeamsWorld.StartAsync();
        await using var _w = world;
        var handoffId = await world.OfferedAsync();
        var clock = await world.App.WithDbAsync(db => db.ContactClocks.SingleAsync());
        var payload = JsonSerializer.Serialize(new TheModel.Api.Sla.ContactStepPayload(clock.Id, "Mql", $"contact:mql:{clock.Id}:escalation", false,
            clock.DueAt, people.Rep.Id, people.Manager.Id), JsonSerializerOptions.Web);
        await world.EnqueueNoticeAsync(OutboxKinds.ContactEscalation, handoffId, payload, $"contact:{handoffId}:teams");

        await world.App.DispatchAsync();

        var posts = world.PostsTo(ChannelId);
        Assert.Equal(2, posts.Count);
        var escalation = JsonNode.Parse(posts[1].Body)!;
        var card = escalation["attachments"]![0]!["content"]!;
        Assert.Contains(JsonWalk.Strings(card["body"]!), text => text.Contains("接触エスカレーション"));
        Assert.Contains(JsonWalk.Strings(card["body"]!), text => text.Contains("までに接触 — 残り"));
        var mentioned = card["msteams"]!["entities"]!.AsArray().Select(e => (string?)e!["mentioned"]!["id"]).ToList();
        Assert.Contains(Users.Manager.AadObjectId, mentioned);
    }

    [Fact]
    public async Task Dispatch_WhenConnectorThrottles_RetriesNoSoonerThanRetryAfter()
    {
        var (world, _) = await TeamsWorld.StartAsync();
        await using var _w = world;
        world.Connector.Responder = async (_, response) =>
        {
            response.StatusCode = 429;
            response.Headers.RetryAfter = "120";
            await response.WriteAsync("{\"error\":{\"code\":\"Throttled\"}}");
        };
        var handoffId = await OfferLeadAsync(world.App);

        await world.App.DispatchAsync();

        var now = world.App.Clock.GetUtcNow().UtcDateTime;
        var row = await world.ChannelRowAsync(handoffId);
        Assert.Equal(OutboxStatus.Pending, row.Status);
        Assert.True(row.NextAttemptAt >= now.AddSeconds(120), $"next attempt {row.NextAttemptAt:O} is before Retry-After");
        Assert.Equal(0, await world.App.WithDbAsync(db => db.PostedCards.CountAsync()));
    }

    [Fact]
    public async Task Dispatch_WhenConnectorRefusesForGood_FailsTheRow()
    {
        var (world, _) = await TeamsWorld.StartAsync();
        await using var _w = world;
        world.Connector.Responder = async (_, response) =>
        {
            response.StatusCode = 403;
            await response.WriteAsync("{\"error\":{\"code\":\"MessageWritesBlocked\"}}");
        };
        var handoffId = await OfferLeadAsync(world.App);

        await world.App.DispatchAsync();

        var row = await world.ChannelRowAsync(handoffId);
        Assert.Equal(OutboxStatus.Failed, row.Status);
        Assert.Contains("MessageWritesBlocked", row.LastError);
    }

    [Fact]
    public async Task HandoffCard_AsPosted_IsWithinTeamsSizeLimit()
    {
        var (world, _) = await TeamsWorld.StartAsync();
        await using var _w = world;
        await world.OfferedAsync();
        var post = world.PostedTo(ChannelId);
        var card = JsonNode.Parse(post.Body)!["attachments"]![0]!["content"]!.ToJsonString();
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(post.Body), 1, TheModel.Bot.Teams.TeamsCards.MaxCardBytes);
        Assert.Equal("1.5", (string?)JsonNode.Parse(card)!["version"]);
    }
}
