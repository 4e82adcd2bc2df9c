using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Handoffs;
using TheModel.Api.Outbox;
using TheModel.Cards;
using TheModel.Tests.Cards;
using TheModel.Tests.Support;
using static TheModel.Tests.Bot.Teams.TeamsTestKit;

namespace TheModel.Tests.Bot.Teams;

/// <summary>The Teams side of "a home for each person": the welcome on personal install and the my-batons card.</summary>
public class TeamsHomeTests
{
    private const string RepChat = "a:rep-dm";

    /// <summary>Posts to the conversation, new or in reply to an activity (<c>…/activities/{id}</c>).</summary>
    private static IReadOnlyList<JsonObject> PostedTo(RecordingServer connector, string conversationId) =>
        connector.Requests.Where(r => r.Method == "POST" && r.Path.StartsWith($"/v3/conversations/{conversationId}/activities", StringComparison.Ordinal))
            .Select(r => JsonNode.Parse(r.Body)!.AsObject()).ToList();

    private static IEnumerable<JsonObject> Verbs(JsonNode card, string verb) =>
        JsonWalk.Objects(card).Where(o => (string?)(o["verb"] as JsonValue) == verb);

    private static JsonObject MyBatonsCard(RecordingServer connector) =>
        PostedTo(connector, RepChat).SelectMany(a => a["attachments"]?.AsArray() ?? [])
            .Select(a => a!["content"]!.AsObject()).Single(c => (string?)c["refresh"]?["action"]?["verb"] == CardActions.MyBatonsRefresh);

    [Fact]
    public async Task PersonalInstall_SendsOneWelcomeCard_WithCommandsAndWhoTheyAre()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        _ = app.CreateClient();
        await SeedDirectoryAsync(app);

        var install = With(Activity("installationUpdate", connector.BaseUrl, Personal(RepChat), Users.Rep), "action", "add");
        var added = Activity("conversationUpdate", connector.BaseUrl, Personal(RepChat), Users.Rep);
        added["membersAdded"] = new JsonArray { new JsonObject { ["id"] = BotId } };
        Assert.Equal(200, (await PostAsync(app, install)).Status);
        Assert.Equal(200, (await PostAsync(app, added)).Status);
        await app.DispatchAsync();

        var welcome = Assert.Single(PostedTo(connector, RepChat));
        var texts = string.Join("\n", JsonWalk.Strings(welcome));
        Assert.Contains("Welcome to TheModel Baton", texts);
        Assert.Contains("Riko Sato", texts);
        Assert.Contains("my queue", texts);
    }

    [Fact]
    public async Task MyQueue_AnswersOneSelfRefreshingCard_WhoseRefreshShowsANewOffer()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        _ = app.CreateClient();
        await SeedDirectoryAsync(app);
        var first = await OfferLeadAsync(app);

        Assert.Equal(200, (await PostAsync(app, Message(connector.BaseUrl, Personal(RepChat), "自分のキュー", Users.Rep))).Status);
        await app.DispatchAsync();

        var card = MyBatonsCard(connector);
        Assert.Equal(CardActions.MyBatonsRefresh, (string?)card["refresh"]!["action"]!["verb"]);
        Assert.Equal("Action.Execute", (string?)card["refresh"]!["action"]!["type"]);
        Assert.Equal([Users.Rep.UserId], card["refresh"]!["userIds"]!.AsArray().Select(u => (string)u!));
        Assert.Equal([first.ToString()], Verbs(card, CardActions.MyBatonsAccept).Select(a => (string)a["data"]!["handoffId"]!));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(card.ToJsonString()) < AdaptiveCardRenderer.MaxCardBytes);

        var second = await OfferLeadAsync(app);
        var refresh = await PostAsync(app, Invoke(connector.BaseUrl, Personal(RepChat), Users.Rep, CardActions.MyBatonsRefresh, new JsonObject()));

        Assert.Equal(200, refresh.Status);
        Assert.Equal(200, (int)refresh.Json!["statusCode"]!);
        Assert.Equal(AdaptiveCardRenderer.ContentType, (string?)refresh.Json["type"]);
        Assert.Equal(new[] { first.ToString(), second.ToString() }.Order(),
            Verbs(refresh.Json["value"]!, CardActions.MyBatonsAccept).Select(a => (string)a["data"]!["handoffId"]!).Order());
    }

    [Fact]
    public async Task MyBatonsAccept_DecidesAsTheHandoffCard_AndAnswersTheCurrentList()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        _ = app.CreateClient();
        await SeedDirectoryAsync(app);
        await LinkDepartmentAsync(app, TheModel.Api.People.Department.IS, ChannelId);
        var handoff = await OfferLeadAsync(app);

        var response = await PostAsync(app, Invoke(connector.BaseUrl, Personal(RepChat), Users.Rep, CardActions.MyBatonsAccept,
            new JsonObject { ["handoffId"] = handoff.ToString() }));

        Assert.Equal(AdaptiveCardRenderer.ContentType, (string?)response.Json!["type"]);
        Assert.Empty(Verbs(response.Json["value"]!, CardActions.MyBatonsAccept));
        Assert.Equal(HandoffState.Accepted, await app.WithDbAsync(db => db.Handoffs.Where(h => h.Id == handoff).Select(h => h.State).FirstAsync()));
        Assert.True(await app.WithDbAsync(db => db.Outbox.AnyAsync(m => m.HandoffId == handoff && m.Kind == OutboxKinds.HandoffDecided)));
    }

    [Fact]
    public async Task MyBatonsReject_WithTheLinesReason_RejectsIt()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        _ = app.CreateClient();
        await SeedDirectoryAsync(app);
        var handoff = await OfferLeadAsync(app);

        var response = await PostAsync(app, Invoke(connector.BaseUrl, Personal(RepChat), Users.Rep, CardActions.MyBatonsReject,
            new JsonObject { ["handoffId"] = handoff.ToString(), [CardFields.ReasonFor(handoff.ToString())] = "NoBudget" }));

        Assert.Equal(AdaptiveCardRenderer.ContentType, (string?)response.Json!["type"]);
        var rejected = await app.WithDbAsync(db => db.Handoffs.FirstAsync(h => h.Id == handoff));
        Assert.Equal(HandoffState.Rejected, rejected.State);
        Assert.Equal(RejectReason.NoBudget, rejected.RejectReason);
    }

    [Fact]
    public async Task ReachedByPhone_OnTheMyBatonsCard_LogsTheTouch_UpdatesTheCardCopies_AndTheRefreshNoLongerListsTheLead()
    {
        await using var connector = await StartConnectorAsync();
        await using var app = new TheModelApp();
        _ = app.CreateClient();
        var people = await SeedDirectoryAsync(app);
        await LinkDepartmentAsync(app, TheModel.Api.People.Department.IS, ChannelId);
        var handoff = await OfferLeadAsync(app);
        await app.DispatchAsync();
        Assert.Equal(200, (await PostAsync(app, Invoke(connector.BaseUrl, Personal(RepChat), Users.Rep, CardActions.MyBatonsAccept,
            new JsonObject { ["handoffId"] = handoff.ToString() }))).Status);
        await app.DispatchAsync();

        Assert.Equal(200, (await PostAsync(app, Message(connector.BaseUrl, Personal(RepChat), "my queue", Users.Rep))).Status);
        await app.DispatchAsync();
        var card = MyBatonsCard(connector);
        Assert.All(CardActions.ContactLogs, verb =>
        {
            var action = Assert.Single(Verbs(card, verb));
            Assert.Equal(handoff.ToString(), (string?)action["data"]!["handoffId"]);
            Assert.Equal(CardFields.MyBatonsView, (string?)action["data"]![CardFields.View]);
        });
        var call = Verbs(card, CardActions.ContactCallReached).Single();

        var response = await PostAsync(app, Invoke(connector.BaseUrl, Personal(RepChat), Users.Rep, CardActions.ContactCallReached, call["data"]!.DeepClone().AsObject()));

        Assert.Equal(200, response.Status);
        Assert.Equal(AdaptiveCardRenderer.ContentType, (string?)response.Json!["type"]);
        Assert.Equal(CardActions.MyBatonsRefresh, (string?)response.Json["value"]!["refresh"]!["action"]!["verb"]);
        Assert.Empty(Verbs(response.Json["value"]!, CardActions.ContactCallReached));
        var activity = await app.WithDbAsync(db => db.Activities.AsNoTracking().SingleAsync());
        Assert.Equal((people.Rep.Id, TheModel.Api.Leads.ActivityKind.Call, TheModel.Api.Leads.ActivityOutcome.Reached),
            (activity.PersonId!.Value, activity.Kind, activity.Outcome));
        Assert.True(await app.WithDbAsync(db => db.Outbox.AnyAsync(m => m.HandoffId == handoff && m.Kind == OutboxKinds.HandoffDecided && m.DedupeKey.Contains("lead-v"))));

        var refresh = await PostAsync(app, Invoke(connector.BaseUrl, Personal(RepChat), Users.Rep, CardActions.MyBatonsRefresh, new JsonObject()));
        Assert.Equal(200, refresh.Status);
        var texts = string.Join("\n", JsonWalk.Strings(refresh.Json!["value"]!));
        Assert.Contains("Accepted, not yet contacted (0)", texts);
        Assert.DoesNotContain(JsonWalk.Objects(refresh.Json["value"]!), o => (string?)(o["handoffId"] as JsonValue) == handoff.ToString());
    }
}
