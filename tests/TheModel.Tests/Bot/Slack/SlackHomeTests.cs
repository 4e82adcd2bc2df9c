using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TheModel.Api.Common;
using TheModel.Api.Handoffs;
using TheModel.Api.Leads;
using TheModel.Api.Outbox;
using TheModel.Api.Store;
using TheModel.Bot.Slack;
using TheModel.Cards;
using TheModel.Cards.ViewModels;

namespace TheModel.Tests.Bot.Slack;

/// <summary>The App Home as a new user meets it: signed events in, <c>views.publish</c> out through the outbox.</summary>
public class SlackHomeTests
{
    private static string HomeOpened(string user, string eventId, string tab = "home") => new JsonObject
    {
        ["token"] = "x",
        ["team_id"] = "T1",
        ["api_app_id"] = "A1",
        ["type"] = "event_callback",
        ["event_id"] = eventId,
        ["event_time"] = SlackTestKit.FixtureTimestamp,
        ["event"] = new JsonObject
        {
            ["type"] = "app_home_opened",
            ["user"] = user,
            ["channel"] = "D" + user,
            ["tab"] = tab,
            ["event_ts"] = "1531420618.000100",
        },
    }.ToJsonString();

    /// <summary>A click on a button in the home tab: the container is the view, there is no channel or message.</summary>
    private static string HomeClick(string actionId, string value, string user = "UASSIGNEE", string blockPrefix = "handoff") => new JsonObject
    {
        ["type"] = "block_actions",
        ["user"] = new JsonObject { ["id"] = user, ["team_id"] = "T1" },
        ["api_app_id"] = "A1",
        ["team"] = new JsonObject { ["id"] = "T1" },
        ["container"] = new JsonObject { ["type"] = "view", ["view_id"] = "VHOME" },
        ["trigger_id"] = "555.666.ghi",
        ["view"] = new JsonObject { ["id"] = "VHOME", ["type"] = "home" },
        ["actions"] = new JsonArray
        {
            new JsonObject { ["action_id"] = actionId, ["block_id"] = $"{blockPrefix}:{value}", ["type"] = "button", ["value"] = value, ["action_ts"] = "1531420619.000001" },
        },
    }.ToJsonString();

    private static async Task<Guid> OfferAsync(SlackTestKit kit, string company, TimeSpan? overdueBy = null)
    {
        await using var scope = kit.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TheModelDb>();
        var lead = new Lead { Name = "Contact", Company = company, Score = 90, Stage = LeadStage.Mql };
        db.Leads.Add(lead);
        await db.SaveChangesAsync();
        var handoff = await scope.ServiceProvider.GetRequiredService<HandoffService>().OfferAsync(lead, HandoffKind.MqlToIs, Actor.System);
        if (overdueBy is { } late)
        {
            handoff.DeadlineAt = kit.App.Clock.GetUtcNow().UtcDateTime - late;
        }
        await db.SaveChangesAsync();
        return handoff.Id;
    }

    private static IReadOnlyList<JsonObject> Publishes(SlackTestKit kit, int from = 0) => Calls(kit, "views.publish", from);

    /// <summary>The calls of one Web API method since the <paramref name="from"/>-th request.</summary>
    private static IReadOnlyList<JsonObject> Calls(SlackTestKit kit, string method, int from) =>
        kit.Slack.Requests.Skip(from).Where(r => r.Path == "/api/" + method).Select(SlackTestKit.Body).ToList();

    private static IReadOnlyList<string> AcceptValues(JsonObject publish) =>
        publish["view"]!["blocks"]!.AsArray().Where(b => (string?)b!["type"] == "actions")
            .SelectMany(b => b!["elements"]!.AsArray()).Where(e => (string?)e!["action_id"] == CardActions.Accept)
            .Select(e => (string)e!["value"]!).ToList();

    [Fact]
    public async Task AppHomeOpened_RepWithTwoOffersAndOneOverdue_PublishesOneHomeWithThoseThree()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var seeded = await kit.SeedHandoffAsync();
        var second = await OfferAsync(kit, "Bravo KK");
        var overdue = await OfferAsync(kit, "Overdue Inc", TimeSpan.FromHours(2));
        await kit.DrainAsync();
        var mark = kit.Slack.Requests.Count;

        var response = await kit.PostEventAsync(HomeOpened("UASSIGNEE", "EvHOME1"));
        await kit.DrainAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var publish = Assert.Single(Publishes(kit, mark));
        Assert.Equal("UASSIGNEE", (string?)publish["user_id"]);
        Assert.Equal("home", (string?)publish["view"]!["type"]);
        Assert.True(publish["view"]!["blocks"]!.AsArray().Count <= BlockKitRenderer.MaxHomeBlocks);
        Assert.Equal([overdue.ToString(), seeded.HandoffId.ToString(), second.ToString()], AcceptValues(publish));
        var texts = SlackTestKit.Texts(publish["view"]);
        Assert.Contains("Overdue (1)", texts);
        Assert.Contains("Offered to you (2)", texts);
        Assert.Contains("Acme &amp; Co", texts);
        Assert.Contains("Inside Sales (IS) this week", texts);
        Assert.Contains("MQLs received", texts);
    }

    [Fact]
    public async Task AcceptFromHome_UpdatesTheChannelCardAndRepublishesTheHome()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var seeded = await kit.SeedHandoffAsync();
        await kit.DrainAsync();
        await kit.PostEventAsync(HomeOpened("UASSIGNEE", "EvHOME1"));
        await kit.DrainAsync();
        var mark = kit.Slack.Requests.Count;

        var click = await kit.PostInteractionAsync(HomeClick(CardActions.Accept, seeded.HandoffId.ToString()));
        await kit.DrainAsync();
        kit.App.Clock.Advance(SlackHome.Coalesce);
        await kit.DrainAsync();

        Assert.Equal(HttpStatusCode.OK, click.StatusCode);
        Assert.Equal(HandoffState.Accepted, await kit.Db(db => db.Handoffs.Where(h => h.Id == seeded.HandoffId).Select(h => h.State).FirstAsync()));
        Assert.Contains(Calls(kit, "chat.update", mark), c => (string?)c["channel"] == "CIS");
        var publish = Assert.Single(Publishes(kit, mark));
        Assert.Empty(AcceptValues(publish));
        Assert.Contains("Accepted, not yet contacted (1)", SlackTestKit.Texts(publish["view"]));
    }

    /// <summary>The values of the home's contact buttons of one action (the handoff ids they log for).</summary>
    private static IReadOnlyList<string> ContactValues(JsonObject publish, string action = CardActions.ContactCallReached) =>
        publish["view"]!["blocks"]!.AsArray().Where(b => (string?)b!["type"] == "actions")
            .SelectMany(b => b!["elements"]!.AsArray()).Where(e => (string?)e!["action_id"] == action)
            .Select(e => (string)e!["value"]!).ToList();

    /// <summary>Seeds an offer, accepts it on the channel card and opens the rep's home (published, coalescing done).</summary>
    private static async Task<Seeded> AcceptedWithHomeOpenAsync(SlackTestKit kit)
    {
        var seeded = await kit.SeedHandoffAsync();
        await kit.AcceptFromChannelAsync(seeded.HandoffId);
        await kit.PostEventAsync(HomeOpened("UASSIGNEE", "EvHOME1"));
        await kit.DrainAsync();
        kit.App.Clock.Advance(SlackHome.Coalesce);
        await kit.DrainAsync();
        return seeded;
    }

    [Fact]
    public async Task ReachedByPhoneFromHome_LogsTheTouch_TheRepublishedHomeNoLongerAwaitsIt_AndTheChannelCardShowsTheFirstTouch()
    {
        // Inside business hours, so the card can say how long the first touch took.
        await using var kit = await SlackTestKit.StartAsync(new DateTimeOffset(2026, 11, 16, 1, 0, 0, TimeSpan.Zero));
        var seeded = await AcceptedWithHomeOpenAsync(kit);
        var opened = Publishes(kit).Last();
        Assert.Contains("Accepted, not yet contacted (1)", SlackTestKit.Texts(opened["view"]));
        Assert.All(CardActions.ContactLogs, action => Assert.Equal([seeded.HandoffId.ToString()], ContactValues(opened, action)));
        Assert.True(opened["view"]!["blocks"]!.AsArray().Count <= BlockKitRenderer.MaxHomeBlocks);
        var mark = kit.Slack.Requests.Count;
        kit.App.Clock.Advance(TimeSpan.FromMinutes(30));

        var click = await kit.PostInteractionAsync(HomeClick(CardActions.ContactCallReached, seeded.HandoffId.ToString(), blockPrefix: "contact"));
        await kit.DrainAsync();

        Assert.Equal(HttpStatusCode.OK, click.StatusCode);
        var activity = await kit.Db(db => db.Activities.AsNoTracking().SingleAsync());
        Assert.Equal((seeded.AssigneeId, ActivityKind.Call, ActivityOutcome.Reached), (activity.PersonId!.Value, activity.Kind, activity.Outcome));
        // Published at once after a click in the home, without waiting for the coalescing window.
        var republished = Publishes(kit, mark).Last();
        Assert.Equal("UASSIGNEE", (string?)republished["user_id"]);
        Assert.Contains("Accepted, not yet contacted (0)", SlackTestKit.Texts(republished["view"]));
        Assert.Empty(ContactValues(republished));
        var update = Calls(kit, "chat.update", mark).Last(c => (string?)c["channel"] == "CIS");
        var card = SlackTestKit.Texts(update["blocks"]);
        // The channel card speaks the channel's language.
        Assert.True(card.Contains("First touch after 0h 30m (business)") || card.Contains("初回接触まで 0時間30分(営業時間)"), card);
        Assert.Empty(Calls(kit, "chat.postEphemeral", mark));

        kit.App.Clock.Advance(SlackHome.Coalesce);
        await kit.DrainAsync();
        Assert.Contains("Accepted, not yet contacted (0)", SlackTestKit.Texts(Publishes(kit, mark).Last()["view"]));
    }

    [Fact]
    public async Task ContactReminder_RepublishesTheHoldersHomeOnly()
    {
        await using var kit = await SlackTestKit.StartAsync();
        var seeded = await AcceptedWithHomeOpenAsync(kit);
        await kit.PostEventAsync(HomeOpened("UMANAGER", "EvHOME2"));
        await kit.DrainAsync();
        var mark = kit.Slack.Requests.Count;

        await kit.App.WithDbAsync(async db =>
        {
            var clock = await db.ContactClocks.SingleAsync();
            var outbox = new OutboxWriter(db, kit.App.Clock, kit.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebhooksOptions>>());
            var payload = System.Text.Json.JsonSerializer.Serialize(new TheModel.Api.Sla.ContactStepPayload(clock.Id, "Mql", $"contact:mql:{clock.Id}:reminder:1",
                false, clock.DueAt, null, null), System.Text.Json.JsonSerializerOptions.Web);
            outbox.Enqueue(OutboxChannels.Slack, OutboxMessage.PersonTarget(seeded.AssigneeId), OutboxKinds.ContactReminder, seeded.HandoffId, "c1", payload);
            await db.SaveChangesAsync();
        });
        await kit.DrainAsync();
        Assert.Empty(Publishes(kit, mark));
        kit.App.Clock.Advance(SlackHome.Coalesce);
        await kit.DrainAsync();

        Assert.Contains(Calls(kit, "chat.postMessage", mark), p => (string?)p["channel"] == "DUASSIGNEE");
        var publish = Assert.Single(Publishes(kit, mark));
        Assert.Equal("UASSIGNEE", (string?)publish["user_id"]);
        Assert.Equal([seeded.HandoffId.ToString()], ContactValues(publish));
    }

    [Fact]
    public async Task NewOffer_ToSomeoneWhoOpenedTheHome_RepublishesItOnce()
    {
        await using var kit = await SlackTestKit.StartAsync();
        await kit.SeedHandoffAsync();
        await kit.DrainAsync();
        await kit.PostEventAsync(HomeOpened("UASSIGNEE", "EvHOME1"));
        await kit.DrainAsync();
        var mark = kit.Slack.Requests.Count;

        var offer = await OfferAsync(kit, "Charlie GmbH");
        await kit.DrainAsync();
        Assert.Empty(Publishes(kit, mark));
        kit.App.Clock.Advance(SlackHome.Coalesce);
        await kit.DrainAsync();

        // The card went to the channel and to the DM (two rows): still one publish.
        Assert.Equal(2, Calls(kit, "chat.postMessage", mark).Count);
        var publish = Assert.Single(Publishes(kit, mark));
        Assert.Contains(offer.ToString(), AcceptValues(publish));
    }

    [Fact]
    public async Task NewOffer_ToSomeoneWhoNeverOpenedTheHome_PublishesNothing()
    {
        await using var kit = await SlackTestKit.StartAsync();
        await kit.SeedHandoffAsync();

        await OfferAsync(kit, "Charlie GmbH");
        await kit.DrainAsync();
        kit.App.Clock.Advance(SlackHome.Coalesce);
        await kit.DrainAsync();

        Assert.Empty(Publishes(kit));
    }

    [Fact]
    public async Task AppHomeOpened_UnknownUser_ShowsHowToGetAdded()
    {
        await using var kit = await SlackTestKit.StartAsync();

        await kit.PostEventAsync(HomeOpened("UNOBODY", "EvHOME2"));
        await kit.DrainAsync();

        var publish = Assert.Single(Publishes(kit));
        Assert.Equal("UNOBODY", (string?)publish["user_id"]);
        Assert.Contains("UNOBODY", SlackTestKit.Texts(publish["view"]));
        Assert.Empty(AcceptValues(publish));
    }

    [Fact]
    public async Task AppHomeOpened_MessagesTab_PublishesNothing()
    {
        await using var kit = await SlackTestKit.StartAsync();
        await kit.SeedHandoffAsync();

        await kit.PostEventAsync(HomeOpened("UASSIGNEE", "EvHOME3", tab: "messages"));
        await kit.DrainAsync();

        Assert.Empty(Publishes(kit));
    }

    [Fact]
    public void Home_FullSections_StaysWithin100BlocksAndSaysHowManyMore()
    {
        static BatonLine Line(int i) => new(Guid.NewGuid().ToString(), "MQL → IS", $"Company {i}", "Contact", "1h left", false, null, true);
        var sections = Enumerable.Range(0, 3).Select(s => new BatonSectionView($"Section {s}", Enumerable.Range(0, 20).Select(Line).ToList(), "…and 30 more")).ToList();
        var model = new BatonsViewModel
        {
            Title = "My batons", Sections = sections, Language = "en",
            Week = new FigureSection("Week", [new("MQLs", "3"), new("Acceptance", "90%"), new("Median", "2h")]),
            TeamTitle = "Your people", Team = [new TeamLine("Rep", "1 offered", false)],
        };

        var view = BlockKitRenderer.Home(model);

        Assert.True(view["blocks"]!.AsArray().Count <= BlockKitRenderer.MaxHomeBlocks);
        Assert.Equal("home", (string?)view["type"]);
    }
}
