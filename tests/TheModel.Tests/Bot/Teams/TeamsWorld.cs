using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TheModel.Api.Handoffs;
using TheModel.Api.Outbox;
using TheModel.Api.People;
using TheModel.Cards;
using TheModel.Tests.Support;
using static TheModel.Tests.Bot.Teams.TeamsTestKit;

namespace TheModel.Tests.Bot.Teams;

/// <summary>
/// The world of the Teams card flows: the app, the Connector stand-in and the bot installed in the IS baton channel.
/// Disposing it stops both, so a test holds one <c>await using</c> instead of two.
/// </summary>
public sealed class TeamsWorld : IAsyncDisposable
{
    private TeamsWorld(TheModelApp app, RecordingServer connector)
    {
        App = app;
        Connector = connector;
    }

    public TheModelApp App { get; }
    public RecordingServer Connector { get; }

    /// <summary>An app and a Connector stand-in, nothing seeded: the caller seeds its directory, then <see cref="InstallAsync"/>.</summary>
    public static async Task<TeamsWorld> EmptyAsync() => new(new TheModelApp(), await StartConnectorAsync());

    /// <summary>
    /// The seeded directory (<see cref="SeedDirectoryAsync"/>), the bot installed in the IS baton channel and, with
    /// <paramref name="linkIs"/>, IS linked to it.
    /// </summary>
    public static async Task<(TeamsWorld World, TeamsPeople People)> StartAsync(bool linkIs = true)
    {
        var world = await EmptyAsync();
        var people = await SeedDirectoryAsync(world.App);
        await world.InstallAsync(linkIs ? Department.IS : null);
        return (world, people);
    }

    /// <summary>
    /// Installs the bot in <paramref name="conversationId"/> (this stores the conversation reference) and links
    /// <paramref name="department"/> to it.
    /// </summary>
    public async Task InstallAsync(Department? department, string conversationId = ChannelId)
    {
        var install = await PostAsync(App, Installation(Connector.BaseUrl, Channel(Connector.BaseUrl, conversationId)));
        Assert.Equal(200, install.Status);
        if (department is { } d)
        {
            await LinkDepartmentAsync(App, d, conversationId);
        }
    }

    /// <summary>A card click in the baton channel by <paramref name="from"/>.</summary>
    public Task<TeamsResponse> InvokeAsync(User from, string verb, JsonObject? data, string? replyToId = null) =>
        PostAsync(App, Invoke(Connector.BaseUrl, Channel(Connector.BaseUrl), from, verb, data, replyToId));

    /// <summary>A card click on the card of <paramref name="handoffId"/> (its id the only data).</summary>
    public Task<TeamsResponse> InvokeAsync(User from, string verb, Guid handoffId, string? replyToId = null) =>
        InvokeAsync(from, verb, new JsonObject { ["handoffId"] = handoffId.ToString() }, replyToId);

    /// <summary>The message id of the card posted to the baton channel for <paramref name="handoffId"/>.</summary>
    public Task<string> ChannelCopyAsync(Guid handoffId) =>
        App.WithDbAsync(db => db.PostedCards.Where(p => p.HandoffId == handoffId && p.ConversationId == ChannelId).Select(p => p.MessageId).SingleAsync());

    /// <summary>Posts the offer's card, accepts it as the rep from the channel copy and posts the updates; the channel copy's message id.</summary>
    public async Task<string> AcceptAsync(Guid handoffId)
    {
        await App.DispatchAsync();
        var messageId = await ChannelCopyAsync(handoffId);
        var accepted = await InvokeAsync(Users.Rep, CardActions.Accept, handoffId, messageId);
        Assert.Equal(200, accepted.Status);
        await App.DispatchAsync();
        return messageId;
    }

    /// <summary>Offers the kit's lead (<see cref="OfferLeadAsync"/>) and posts its cards.</summary>
    public async Task<Guid> OfferedAsync()
    {
        var handoffId = await OfferLeadAsync(App);
        await App.DispatchAsync();
        return handoffId;
    }

    /// <summary>Queues a notice for the baton channel as the sweeps would, due now.</summary>
    public Task EnqueueNoticeAsync(string kind, Guid handoffId, string payload, string dedupeKey) => App.WithDbAsync(async db =>
    {
        var now = App.Clock.GetUtcNow().UtcDateTime;
        db.Outbox.Add(new OutboxMessage
        {
            Channel = OutboxChannels.Teams, Target = ChannelId, Kind = kind, HandoffId = handoffId, Payload = payload,
            DedupeKey = dedupeKey, CreatedAt = now, NextAttemptAt = now,
        });
        await db.SaveChangesAsync();
    });

    /// <summary>The outbox row carrying <paramref name="handoffId"/>'s card to the baton channel.</summary>
    public Task<OutboxMessage> ChannelRowAsync(Guid handoffId) =>
        App.WithDbAsync(db => db.Outbox.FirstAsync(m => m.HandoffId == handoffId && m.Target == ChannelId));

    public Task<HandoffState> StateAsync(Guid handoffId) =>
        App.WithDbAsync(db => db.Handoffs.Where(h => h.Id == handoffId).Select(h => h.State).SingleAsync());

    /// <summary>The one activity posted to <paramref name="conversationId"/>.</summary>
    public RecordedRequest PostedTo(string conversationId) =>
        Assert.Single(Connector.Requests, r => r.Method == "POST" && r.Path == $"/v3/conversations/{conversationId}/activities");

    /// <summary>Every activity posted to <paramref name="conversationId"/>, in order.</summary>
    public List<RecordedRequest> PostsTo(string conversationId) =>
        Connector.Requests.Where(r => r.Method == "POST" && r.Path == $"/v3/conversations/{conversationId}/activities").ToList();

    /// <summary>The updates (PUTs) of the posted copy <paramref name="messageId"/> in the baton channel.</summary>
    public IEnumerable<RecordedRequest> UpdatesOf(string messageId) =>
        Connector.Requests.Where(r => r.Method == "PUT" && r.Path == $"/v3/conversations/{ChannelId}/activities/{messageId}");

    /// <summary>The card in a posted or updated activity.</summary>
    public static JsonObject CardOf(RecordedRequest request) => (JsonObject)JsonNode.Parse(request.Body)!["attachments"]![0]!["content"]!;

    public async ValueTask DisposeAsync()
    {
        await Connector.DisposeAsync();
        await App.DisposeAsync();
    }
}
